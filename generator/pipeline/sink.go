package pipeline

import (
	"io/fs"
	"sort"
	"sync"
)

// Sink receives the files a build produces. Build writes each file once, as
// soon as it is ready, so a disk sink streams pages instead of holding the
// whole site in memory. Implementations must be safe for concurrent use.
type Sink interface {
	Write(path string, data []byte) error
}

// MemSink keeps the output in memory: for tests and for watch mode, which
// serves from memory.
type MemSink struct {
	mu    sync.RWMutex
	Files map[string][]byte
}

// NewMemSink returns an empty MemSink.
func NewMemSink() *MemSink { return &MemSink{Files: map[string][]byte{}} }

// Write stores a copy of data under path.
func (m *MemSink) Write(path string, data []byte) error {
	b := make([]byte, len(data))
	copy(b, data)
	m.mu.Lock()
	m.Files[path] = b
	m.mu.Unlock()
	return nil
}

// Get returns a file's bytes.
func (m *MemSink) Get(path string) ([]byte, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.Files[path]
	return b, ok
}

// Paths lists the files, sorted.
func (m *MemSink) Paths() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, 0, len(m.Files))
	for p := range m.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// FS returns the output as a read-only file system (a snapshot).
func (m *MemSink) FS() fs.FS {
	m.mu.RLock()
	defer m.mu.RUnlock()
	files := make(map[string][]byte, len(m.Files))
	for k, v := range m.Files {
		files[k] = v
	}
	return memFS(files)
}

package bench

import (
	"bufio"
	"os"
	"runtime"
	"strings"
)

// ThisMachine describes the machine versus runs on: the CPU model and
// logical core count, the operating system and the architecture. Where a
// fact cannot be read it says "unknown" rather than guessing.
func ThisMachine() Machine {
	m := Machine{CPU: "unknown", Cores: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if v := firstField("/proc/cpuinfo", "model name", ":"); v != "" {
		m.CPU = v
	}
	if v := firstField("/etc/os-release", "PRETTY_NAME", "="); v != "" {
		m.OS = strings.Trim(v, `"`)
	}
	return m
}

// firstField returns the value of the first line of file whose key,
// before sep, is key.
func firstField(file, key, sep string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), sep)
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

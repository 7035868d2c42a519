package samples

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/versus-ssg/versus/generator"
)

// Default bounds of one run, far above what a real sample needs and far
// below what would strain the build machine.
var DefaultBounds = generator.SampleBounds{
	CPU:       30 * time.Second,
	Memory:    2 << 30,
	Processes: 256,
	OpenFiles: 1024,
	FileSize:  64 << 20,
	Output:    1 << 20,
}

// isolation is how this machine contains runs, found once per Verify.
type isolation struct {
	// bwrap is the bubblewrap program; "" when runs are not contained.
	bwrap string
	// prlimit and setpriv are util-linux's programs that set the bounds
	// and drop to a run's own user id; "" when missing.
	prlimit, setpriv string
	// root: versus runs as root, so each run gets a user id of its own
	// (the process bound counts per user id, and root is exempt from it)
	// and a serve sample's request can enter the run's network namespace.
	root bool
	// warning says, in one line, what is not contained here; "" when all is.
	warning string
	uids    atomic.Int64
}

// spec is one process to start.
type spec struct {
	exe     string
	argv    []string
	dir     string // the working directory, inside box
	box     string // the folder the run may write: its copy, HOME and TMPDIR
	out     string // where stdout and stderr files go, outside box
	env     []string
	bounds  generator.SampleBounds
	network bool
	// readOnly are extra folders the run sees.
	readOnly []string
	uid      int
	// stdin is a file the run reads on standard input, outside box; ""
	// for none.
	stdin string
}

// chain puts prlimit (and, for root, setpriv) before argv, so the bounds
// hold from the first instruction of the run and every process it starts.
func (iso *isolation) chain(sp *spec, uid int) []string {
	var out []string
	if iso.prlimit != "" {
		b := sp.bounds
		cpu := int64((b.CPU + time.Second - 1) / time.Second)
		out = append(out, iso.prlimit,
			// The hard limit a second later: SIGXCPU first, which says
			// why, then SIGKILL for a run that ignores it.
			"--cpu="+strconv.FormatInt(cpu, 10)+":"+strconv.FormatInt(cpu+1, 10),
			"--data="+strconv.FormatInt(b.Memory, 10),
			"--nofile="+strconv.Itoa(b.OpenFiles),
			"--fsize="+strconv.FormatInt(b.FileSize, 10))
		if uid > 0 {
			out = append(out, "--nproc="+strconv.Itoa(b.Processes))
		}
		out = append(out, "--")
	}
	if uid > 0 {
		id := strconv.Itoa(uid)
		out = append(out, iso.setpriv, "--reuid="+id, "--regid="+id, "--clear-groups")
	}
	return append(out, sp.argv...)
}

// systemDirs are what a run sees read-only: runtimes and their libraries.
var systemDirs = []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"}

// visible lists the folders outside systemDirs a run needs read-only: each
// PATH folder's installation (~/.pyenv for ~/.pyenv/shims, ~/go for
// ~/go/bin), the resolved program's, and the site's readOnly folders.
func visible(path, exe string, extra []string) []string {
	home, _ := os.UserHomeDir()
	covered := func(d string, list []string) bool {
		for _, c := range list {
			if d == c || strings.HasPrefix(d, c+"/") {
				return true
			}
		}
		return false
	}
	install := func(d string) string {
		base, parent := filepath.Base(d), filepath.Dir(d)
		if (base == "bin" || base == "shims") && parent != "/" && parent != home {
			return parent
		}
		return d
	}
	var cands []string
	for _, d := range filepath.SplitList(path) {
		if filepath.IsAbs(d) {
			cands = append(cands, install(filepath.Clean(d)))
		}
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		cands = append(cands, install(filepath.Dir(real)))
	}
	cands = append(cands, extra...)
	var out []string
	for _, d := range cands {
		if real, err := filepath.EvalSymlinks(d); err == nil {
			d = real
		}
		if d == "/" || d == home || covered(d, systemDirs) || covered(d, out) {
			continue
		}
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		out = append(out, d)
	}
	return out
}

// bwrapArgs is the bubblewrap command line around cmd: new pid, network
// (unless network), IPC and UTS namespaces; the system folders and
// readOnly read-only; box writable at its own path; a fresh /tmp, /proc and
// /dev; nothing else of the machine.
func (iso *isolation) bwrapArgs(sp *spec, cmd []string, infoFD int) []string {
	args := []string{iso.bwrap, "--die-with-parent", "--new-session",
		"--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
		"--hostname", "sample"}
	if !sp.network {
		args = append(args, "--unshare-net")
	}
	if !iso.root {
		args = append(args, "--unshare-user")
	}
	for _, d := range systemDirs {
		fi, err := os.Lstat(d)
		switch {
		case err != nil:
		case fi.Mode()&os.ModeSymlink != 0:
			if target, err := os.Readlink(d); err == nil {
				args = append(args, "--symlink", target, d)
			}
		case fi.IsDir():
			args = append(args, "--ro-bind", d, d)
		}
	}
	// bubblewrap would create the folders on the way to a mount with
	// the modes of the originals (/root is 0700): the run's own user id
	// could not pass them, so they are made 0755 first.
	made := map[string]bool{"/": true, "/tmp": true}
	parents := func(d string) {
		var up []string
		for p := filepath.Dir(d); !made[p]; p = filepath.Dir(p) {
			up = append(up, p)
			made[p] = true
		}
		for i := len(up) - 1; i >= 0; i-- {
			args = append(args, "--perms", "0755", "--dir", up[i])
		}
	}
	// The fresh /tmp comes first, so that a runtime installed under /tmp
	// (a test's fake one) is bound over it rather than hidden by it.
	args = append(args, "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm", "--perms", "1777", "--tmpfs", "/tmp")
	for _, d := range sp.readOnly {
		parents(d)
		args = append(args, "--ro-bind", d, d)
	}
	parents(sp.box)
	args = append(args, "--bind", sp.box, sp.box, "--chdir", sp.dir, "--info-fd", strconv.Itoa(infoFD))
	if iso.root {
		args = append(args, "--cap-add", "CAP_SETUID,CAP_SETGID")
	}
	return append(append(args, "--"), cmd...)
}

// command returns the argv that runs sp as this machine contains it.
func (iso *isolation) command(sp *spec) []string {
	cmd := iso.chain(sp, sp.uid)
	if iso.bwrap == "" {
		return cmd
	}
	return iso.bwrapArgs(sp, cmd, 3)
}

// Isolation says in one line what this machine cannot contain of a sample
// run, with bwrap as in Runner.Bwrap; "" when runs are fully contained.
func Isolation(bwrap string) string { return probe(bwrap).warning }

// probe finds how runs can be contained here: bwrap at bwrap (looked up on
// the system folders when ""; "-" never), tried once with the namespaces a
// run gets.
func probe(bwrap string) *isolation {
	iso := &isolation{root: os.Geteuid() == 0}
	find := func(name string) string {
		for _, d := range []string{"/usr/bin", "/bin", "/usr/sbin", "/sbin"} {
			if p := filepath.Join(d, name); isExecutable(p) {
				return p
			}
		}
		return ""
	}
	iso.prlimit = find("prlimit")
	iso.setpriv = find("setpriv")
	var missing []string
	if iso.prlimit == "" {
		missing = append(missing, "the CPU, memory, process, open file and file size bounds (prlimit from util-linux is missing)")
	}
	if iso.root && iso.setpriv == "" {
		iso.root = false
		missing = append(missing, "a user id of each run's own (setpriv from util-linux is missing)")
	}
	if reason := iso.tryBwrap(bwrap, find); reason != "" {
		missing = append([]string{"network, file and process isolation (" + reason + ")"}, missing...)
	}
	if len(missing) > 0 {
		iso.warning = "samples run without " + strings.Join(missing, ", ") + "; see \"Running untrusted samples\" in docs/samples.md"
	}
	return iso
}

func (iso *isolation) tryBwrap(bwrap string, find func(string) string) string {
	switch bwrap {
	case "-":
		return "turned off"
	case "":
		bwrap = find("bwrap")
		if bwrap == "" {
			return "bubblewrap is not installed: apt-get install bubblewrap"
		}
	}
	if !isExecutable(bwrap) {
		return bwrap + " is not an executable file"
	}
	try := &isolation{bwrap: bwrap, root: iso.root}
	tmp, err := os.MkdirTemp("", "versus-probe-*")
	if err != nil {
		return err.Error()
	}
	defer os.RemoveAll(tmp)
	args := try.bwrapArgs(&spec{box: tmp, dir: tmp}, []string{"true"}, 2)
	cmd := exec.Command(args[0], args[1:]...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if msg == "" {
			msg = err.Error()
		}
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return fmt.Sprintf("bubblewrap cannot create namespaces here: %s", msg)
	}
	iso.bwrap = bwrap
	return ""
}

// nextUID gives each contained run of this Verify a user id of its own, so
// the process bound of one run does not count another's processes. The
// range is far above any real account's; the process id keeps two versus
// processes on one machine apart.
func (iso *isolation) nextUID() int {
	n := iso.uids.Add(1)
	return 1_500_000_000 + (os.Getpid()%100_000)*10_000 + int(n%10_000)
}

// chownAll gives the run's user id its own folder.
func chownAll(dir string, uid int) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
}

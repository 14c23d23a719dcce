package remote

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/target"
)

// EnvSocket names the environment variable through which a launched target learns the path
// of the unix socket it must serve on.
const EnvSocket = "CHIMNEY_TARGET_SOCKET"

// stderrTail is how much of a launched target's output a Launcher keeps.
const stderrTail = 64 << 10

// ExecConfig configures a launched target.
type ExecConfig struct {
	Path string   // the binary
	Args []string // its arguments, passed as they are
	// PassEnv names the variables of the suite's environment that the target gets as well (a
	// name the suite's environment lacks is skipped). Nothing else of it passes: the target
	// sees CHIMNEY_TARGET_SOCKET, these, and Env.
	PassEnv []string
	// Env sets variables for the target ("KEY=value"), after PassEnv. CHIMNEY_TARGET_SOCKET is
	// set by the launcher and cannot be overridden.
	Env []string
	// Dir is the target's working directory. Empty: a fresh directory inside the launcher's
	// private directory, emptied at every (re)start and removed at the end.
	Dir string
	// StartTimeout bounds how long the binary may take to accept on its socket; default 10 s.
	StartTimeout time.Duration
	// CallTimeout bounds every RPC (see ClientOptions); default 10 s.
	CallTimeout time.Duration
	// OnFault is passed to every client (see ClientOptions).
	OnFault func(error)
	Bounds  Bounds
}

// Launcher runs a target binary that serves the protocol on a unix socket in a private
// directory, and makes clients of it.
//
// The target is a guest: it runs in its own process group (Setpgid) with the minimal
// environment of ExecConfig, in its own working directory, and the launcher kills the whole
// group (the target and everything it started that stayed in the group) on every way out:
// Close, a restart after a crash, a failed start, a start timeout. On Linux the target also
// gets SIGKILL when the suite's process dies (Pdeathsig), and a watchdog process (/bin/sh,
// in a process group of its own) kills the group and removes the private directory when the
// suite dies without closing the launcher (SIGKILL, a crash, os.Exit). What cannot be caught
// is a descendant that leaves the group (setsid, setpgid: a daemon); run such a target in a
// container or a cgroup.
type Launcher struct {
	cfg    ExecConfig
	dir    string // private (0700): the socket and, unless cfg.Dir, the working directory
	sock   string
	work   string
	stderr *tail
	guard  *watchdog // nil where there is none

	mu       sync.Mutex
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	exited   chan struct{}
	endpoint *Endpoint
	closed   bool
}

// Exec starts the binary once, with the path of a unix socket in a fresh private directory
// (mode 0700, the only access path to the socket) in CHIMNEY_TARGET_SOCKET, and waits for it
// to accept. The binary runs as a guest (see Launcher) with a pipe as stdin, which closes when
// the launcher stops it.
func Exec(cfg ExecConfig) (*Launcher, error) {
	if cfg.Path == "" {
		return nil, errors.New("exec target: no binary")
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 10 * time.Second
	}
	for _, kv := range cfg.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" || k == EnvSocket {
			return nil, fmt.Errorf("exec target: Env %q: want KEY=value, and not %s, which the launcher sets", kv, EnvSocket)
		}
	}
	dir, err := os.MkdirTemp("", "chimney-target-")
	if err != nil {
		return nil, fmt.Errorf("exec target: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("exec target: %w", err)
	}
	l := &Launcher{cfg: cfg, dir: dir, sock: filepath.Join(dir, "target.sock"), work: cfg.Dir, stderr: &tail{}}
	if l.work == "" {
		l.work = filepath.Join(dir, "work")
	}
	if l.guard, err = startWatchdog(dir); err != nil {
		fmt.Fprintf(l.stderr, "exec target: no watchdog (the target's group is still killed when the launcher closes): %v\n", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.start(); err != nil {
		l.guard.done()
		os.RemoveAll(dir)
		return nil, err
	}
	return l, nil
}

// environ is the target's whole environment.
func (l *Launcher) environ() []string {
	var env []string
	for _, name := range l.cfg.PassEnv {
		if v, ok := os.LookupEnv(name); ok && name != EnvSocket {
			env = append(env, name+"="+v)
		}
	}
	env = append(env, l.cfg.Env...)
	return append(env, EnvSocket+"="+l.sock)
}

// start runs the binary and waits until it accepts; l.mu is held. On failure the process
// group is killed.
func (l *Launcher) start() error {
	os.Remove(l.sock)
	if l.cfg.Dir == "" {
		if err := os.RemoveAll(l.work); err != nil {
			return fmt.Errorf("exec target: emptying its working directory: %w", err)
		}
		if err := os.Mkdir(l.work, 0o700); err != nil {
			return fmt.Errorf("exec target: %w", err)
		}
	}
	cmd := exec.Command(l.cfg.Path, l.cfg.Args...)
	cmd.Env = l.environ()
	cmd.Dir = l.work
	cmd.Stdout, cmd.Stderr = l.stderr, l.stderr
	cmd.SysProcAttr = guestAttr()
	// Wait returns at most this long after the target exits even if a process it started
	// still holds its output open (the group is killed anyway).
	cmd.WaitDelay = time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("exec target: %w", err)
	}
	if err := startGuest(cmd); err != nil {
		return fmt.Errorf("exec target %s: %w", l.cfg.Path, err)
	}
	l.guard.group(cmd.Process.Pid)
	exited := make(chan struct{})
	go func() { waitGuest(cmd); close(exited) }() // a target that dies takes its group with it
	l.cmd, l.stdin, l.exited = cmd, stdin, exited
	if err := l.waitReady(); err != nil {
		l.kill()
		return err
	}
	ep, err := dial("unix://"+l.sock, ClientOptions{CallTimeout: l.cfg.CallTimeout, OnFault: l.cfg.OnFault, Bounds: l.cfg.Bounds})
	if err != nil {
		l.kill()
		return err
	}
	l.endpoint = ep
	return nil
}

func (l *Launcher) waitReady() error {
	deadline := time.NewTimer(l.cfg.StartTimeout)
	defer deadline.Stop()
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case <-l.exited:
			return fmt.Errorf("exec target %s exited before serving (%s); its output ends:\n%s", l.cfg.Path, l.cmd.ProcessState, l.stderr)
		case <-deadline.C:
			return fmt.Errorf("exec target %s did not accept on %s within %s; its output ends:\n%s", l.cfg.Path, l.sock, l.cfg.StartTimeout, l.stderr)
		case <-poll.C:
		}
		fi, err := os.Stat(l.sock)
		if err != nil || fi.Mode()&os.ModeSocket == 0 {
			continue
		}
		if di, err := os.Stat(l.dir); err != nil || di.Mode().Perm() != 0o700 {
			return fmt.Errorf("exec target: the socket directory %s is no longer private (mode %v)", l.dir, di.Mode().Perm())
		}
		if c, err := net.DialTimeout("unix", l.sock, time.Second); err == nil {
			c.Close()
			return nil
		}
	}
}

// kill stops the target and every process of its group, and waits for the target; l.mu is
// held. The target first gets EOF on stdin and a second to exit, then SIGKILL; either way its
// group gets SIGKILL (from waitGuest), so that nothing it started survives it.
func (l *Launcher) kill() {
	if l.endpoint != nil {
		l.endpoint.Close()
		l.endpoint = nil
	}
	if l.cmd == nil {
		return
	}
	l.stdin.Close()
	select {
	case <-l.exited: // waitGuest killed the group before reaping the target
	case <-time.After(time.Second):
		killGroup(l.cmd.Process) // not reaped yet: its group ID cannot have been reused
		<-l.exited
	}
	l.guard.clear()
}

// Factory returns the function the suite makes targets with: each call returns a new,
// unopened client (one session), restarting the binary first if it has died.
func (l *Launcher) Factory() func() (target.Target, error) {
	return func() (target.Target, error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.closed {
			return nil, errors.New("exec target: launcher closed")
		}
		select {
		case <-l.exited:
			l.kill() // the group: a crashed target may have left processes behind
			if err := l.start(); err != nil {
				return nil, fmt.Errorf("restarting: %w", err)
			}
		default:
		}
		return l.endpoint.Factory()()
	}
}

// Pid returns the process ID of the running binary, which is also its process group ID.
func (l *Launcher) Pid() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cmd.Process.Pid
}

// Dir returns the launcher's private directory: it holds the socket and, unless
// ExecConfig.Dir names another, the target's working directory. Close removes it.
func (l *Launcher) Dir() string { return l.dir }

// Stderr returns the last 64 KiB of the binary's output (stdout and stderr), for failure
// reports.
func (l *Launcher) Stderr() string { return l.stderr.String() }

// Close stops the binary and its process group (closing its stdin, then killing the group
// after a second), stops the watchdog and removes the private directory.
func (l *Launcher) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	l.kill()
	l.guard.done()
	return os.RemoveAll(l.dir)
}

// tail keeps the last stderrTail bytes written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - stderrTail; over > 0 {
		t.buf = append(t.buf[:0:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

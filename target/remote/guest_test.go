//go:build linux

package remote_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/ndis-chimney/conformance/target/hosttest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/target/remote"
)

// The launcher's tests launch testdata/forking-target, which starts a child that would sleep
// for an hour, and check that neither outlives the run, whichever way the run ends.

// helperEnv makes the test binary a launcher that is then killed (see TestMain).
const helperEnv = "CHIMNEY_GUEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		runLauncherHelper(mode)
		return
	}
	code := m.Run()
	if forking.dir != "" {
		os.RemoveAll(forking.dir)
	}
	os.Exit(code)
}

var forking struct {
	once     sync.Once
	dir, bin string
	err      error
}

// forkingTarget builds testdata/forking-target once per test binary.
func forkingTarget(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a binary")
	}
	forking.once.Do(func() {
		if forking.dir, forking.err = os.MkdirTemp("", "forking-target-"); forking.err != nil {
			return
		}
		forking.bin = filepath.Join(forking.dir, "forking-target")
		out, err := exec.Command("go", "build", "-o", forking.bin, "./testdata/forking-target").CombinedOutput()
		if err != nil {
			forking.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if forking.err != nil {
		t.Fatal(forking.err)
	}
	return forking.bin
}

// forkReport mirrors the report testdata/forking-target writes.
type forkReport struct {
	Pid, Pgid, Child int
	Cwd              string
	Leftover         bool
	Env              []string
}

func readReport(t *testing.T, path string) forkReport {
	t.Helper()
	var r forkReport
	deadline := time.Now().Add(wait)
	for {
		data, err := os.ReadFile(path)
		if err == nil && json.Unmarshal(data, &r) == nil {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("no report from the forking target in %s: %v", path, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// alive reports whether pid is a running process (a zombie nobody has reaped is not: PID 1 in
// a container may never reap the orphans it inherits).
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) state ...; comm may contain spaces and parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// gone waits (at most d) until none of pids is alive and returns those still alive.
func gone(d time.Duration, pids ...int) []int {
	deadline := time.Now().Add(d)
	for {
		var left []int
		for _, p := range pids {
			if alive(p) {
				left = append(left, p)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mustBeGone fails the test (and kills them) if any of pids outlives d.
func mustBeGone(t *testing.T, d time.Duration, what string, pids ...int) {
	t.Helper()
	if left := gone(d, pids...); len(left) > 0 {
		for _, p := range left {
			syscall.Kill(p, syscall.SIGKILL)
		}
		t.Errorf("%s: processes %v still running %s later", what, left, d)
	}
}

func mustNotExist(t *testing.T, d time.Duration, path string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		_, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			return
		}
		if time.Now().After(deadline) {
			os.RemoveAll(path)
			t.Errorf("%s still exists %s later (err %v)", path, d, err)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A launched target runs in its own process group, in its own working directory inside the
// launcher's private directory, with only CHIMNEY_TARGET_SOCKET, the variables passed through
// and those set; at Close its child is gone and so is the directory.
func TestExecRunsTheTargetAsAGuest(t *testing.T) {
	bin := forkingTarget(t)
	report := filepath.Join(t.TempDir(), "report.json")
	t.Setenv("CHIMNEY_SUITE_SECRET", "not for the target")
	t.Setenv("CHIMNEY_PASSED", "passed through")
	l, err := remote.Exec(remote.ExecConfig{
		Path: bin, PassEnv: []string{"CHIMNEY_PASSED", "CHIMNEY_UNSET_IN_THE_SUITE"},
		Env: []string{"FORK_REPORT=" + report, "CHIMNEY_SET=set"}, StartTimeout: wait,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := readReport(t, report)
	dir := l.Dir()
	sock := filepath.Join(dir, "target.sock")
	want := []string{"CHIMNEY_PASSED=passed through", "FORK_REPORT=" + report, "CHIMNEY_SET=set", remote.EnvSocket + "=" + sock}
	if !slices.Equal(r.Env, want) {
		t.Errorf("the target's environment:\n got %q\nwant %q", r.Env, want)
	}
	if r.Pgid != r.Pid || r.Pgid == syscall.Getpgrp() {
		t.Errorf("the target's process group is %d (its pid %d, the suite's group %d): want its own", r.Pgid, r.Pid, syscall.Getpgrp())
	}
	if r.Cwd != filepath.Join(dir, "work") {
		t.Errorf("the target's working directory is %s, want %s", r.Cwd, filepath.Join(dir, "work"))
	}
	if !alive(r.Child) {
		t.Fatalf("the target's child %d is not running", r.Child)
	}
	start := time.Now()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Close took %s", time.Since(start).Round(time.Millisecond))
	mustBeGone(t, time.Second, "after Close", r.Pid, r.Child)
	mustNotExist(t, 0, dir)
}

// A target that crashes takes its child with it at once (not at the next restart), and the
// restarted target starts in an empty working directory.
func TestACrashedTargetTakesItsChildWithItAndRestartsClean(t *testing.T) {
	bin := forkingTarget(t)
	report := filepath.Join(t.TempDir(), "report.json")
	l, err := remote.Exec(remote.ExecConfig{Path: bin, Env: []string{"FORK_REPORT=" + report}, StartTimeout: wait, CallTimeout: wait})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	first := readReport(t, report)
	os.Remove(report)
	if err := syscall.Kill(first.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	mustBeGone(t, 2*time.Second, "after the target was killed", first.Child)

	deadline := time.Now().Add(wait)
	for {
		tgt, err := l.Factory()()
		if err == nil {
			host := make(recorder, 4)
			if _, err = tgt.Open(hosttest.StateOnly(host)); err == nil {
				initiate(t, tgt, host)
				tgt.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no target after the crash: %v\n%s", err, l.Stderr())
		}
		time.Sleep(20 * time.Millisecond)
	}
	second := readReport(t, report)
	if second.Leftover {
		t.Error("the restarted target found the first one's file in its working directory")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	mustBeGone(t, time.Second, "after Close", second.Pid, second.Child)
}

// A target that never serves is killed at the start timeout, with its child, and the
// launcher's directory is removed; so is it when the binary cannot be started at all.
func TestAFailedStartLeavesNothingBehind(t *testing.T) {
	bin := forkingTarget(t)
	report := filepath.Join(t.TempDir(), "report.json")
	before := launcherDirs(t)
	_, err := remote.Exec(remote.ExecConfig{Path: bin, Env: []string{"FORK_REPORT=" + report, "FORK_NO_SERVE=1"}, StartTimeout: 500 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "did not accept") {
		t.Fatalf("got %v, want a start timeout", err)
	}
	r := readReport(t, report)
	mustBeGone(t, time.Second, "after the start timeout", r.Pid, r.Child)
	if _, err := remote.Exec(remote.ExecConfig{Path: filepath.Join(t.TempDir(), "no-such-binary")}); err == nil {
		t.Fatal("a missing binary started")
	}
	if after := launcherDirs(t); len(after) > len(before) {
		t.Errorf("launcher directories left behind: before %v, after %v", before, after)
	}
}

// launcherDirs lists the launchers' private directories in the temporary directory.
func launcherDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), "chimney-target-*"))
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// A suite process that dies without closing its launcher (SIGKILL, or os.Exit) leaves no
// target, no child of it and no directory behind: Pdeathsig kills the target, the watchdog
// kills its group and removes the directory.
func TestADeadSuiteLeavesNoTargetBehind(t *testing.T) {
	bin := forkingTarget(t)
	for _, mode := range []string{"sigkill", "exit"} {
		t.Run(mode, func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "report.json")
			helper := exec.Command(os.Args[0], "-test.run=^$")
			helper.Env = append(os.Environ(), helperEnv+"="+mode, "FORK_BIN="+bin, "FORK_REPORT="+report)
			out, err := helper.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			helper.Stderr = os.Stderr
			if err := helper.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(out).ReadString('\n')
			dir, ok := strings.CutPrefix(strings.TrimSpace(line), "ready ")
			if err != nil || !ok {
				helper.Process.Kill()
				helper.Wait()
				t.Fatalf("the helper launcher did not start the target: %q %v", line, err)
			}
			r := readReport(t, report)
			if mode == "sigkill" {
				helper.Process.Signal(syscall.SIGKILL)
			}
			helper.Wait()
			mustBeGone(t, 5*time.Second, "after the suite process died", r.Pid, r.Child)
			mustNotExist(t, 5*time.Second, dir)
		})
	}
}

// runLauncherHelper is the test binary as a suite that launches the forking target and then
// dies: killed by the test ("sigkill") or exiting without closing the launcher ("exit").
func runLauncherHelper(mode string) {
	l, err := remote.Exec(remote.ExecConfig{Path: os.Getenv("FORK_BIN"), Env: []string{"FORK_REPORT=" + os.Getenv("FORK_REPORT")}, StartTimeout: wait})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	fmt.Println("ready", l.Dir())
	if mode == "exit" {
		time.Sleep(200 * time.Millisecond) // the test reads the report meanwhile
		os.Exit(0)
	}
	time.Sleep(time.Minute)
	os.Exit(2)
}

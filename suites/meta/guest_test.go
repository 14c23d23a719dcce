//go:build linux

package meta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

var misbehaving struct {
	once sync.Once
	path string
	err  error
}

// misbehavingTarget builds testdata/misbehaving-target once for the tests of this file, next
// to the suite binary, whose directory TestMain removes.
func misbehavingTarget(t *testing.T) string {
	t.Helper()
	dir := filepath.Dir(buildSuite(t))
	misbehaving.once.Do(func() {
		misbehaving.path = filepath.Join(dir, "misbehaving-target")
		if out, err := exec.Command("go", "build", "-o", misbehaving.path, "./testdata/misbehaving-target").CombinedOutput(); err != nil {
			misbehaving.err = fmt.Errorf("building the misbehaving target: %v\n%s", err, out)
		}
	})
	if misbehaving.err != nil {
		t.Fatal(misbehaving.err)
	}
	return misbehaving.path
}

// hostileRun is one run of the suite binary against the misbehaving target in a mode.
type hostileRun struct {
	out     string
	err     error
	took    time.Duration
	maxRSS  int64 // the suite process's peak resident set, bytes
	specs   types.SpecReports
	reports string
}

// runAgainst runs the specs of filter against the misbehaving target in mode, with
// MISBEHAVE_REPORT=report, and fails the test if the run does not end within two minutes.
func runAgainst(t *testing.T, mode, filter, report string) hostileRun {
	t.Helper()
	bin := buildSuite(t)
	dir := t.TempDir()
	cfg := writeExecConfig(t, dir, misbehavingTarget(t))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-config="+cfg, "-ginkgo.label-filter="+filter)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "MISBEHAVE="+mode, "MISBEHAVE_REPORT="+report)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := hostileRun{out: string(out), err: err, took: time.Since(start), reports: filepath.Join(dir, "reports")}
	if ctx.Err() != nil {
		t.Fatalf("the run against a %q target did not end within 2 minutes:\n%s", mode, tail(out))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	r.specs = readSpecs(t, filepath.Join(r.reports, "ginkgo.json"))
	return r
}

// targetReport is what the misbehaving target writes to MISBEHAVE_REPORT.
type targetReport struct {
	Pid, Child  int
	Cwd, Socket string
}

func readTargetReport(t *testing.T, path string) targetReport {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the target wrote no report: %v", err)
	}
	var r targetReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// running reports whether pid is a running process (an orphaned zombie that PID 1 has not
// reaped is not running).
func running(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// TestExecTargetsLeaveNothingBehind runs specs against a target that starts a child which
// would sleep for an hour: after the run neither process is running, and the launcher's
// socket directory and the target's working directory (by the paths the target saw) are gone.
func TestExecTargetsLeaveNothingBehind(t *testing.T) {
	report := filepath.Join(t.TempDir(), "target.json")
	r := runAgainst(t, "fork", "rule:INIT-003 && !generated", report)
	if r.err != nil {
		t.Fatalf("the run against the reference (with a forked child) failed: %v\n%s", r.err, tail([]byte(r.out)))
	}
	tr := readTargetReport(t, report)
	if tr.Child == 0 || tr.Socket == "" || tr.Cwd == "" {
		t.Fatalf("incomplete report from the target: %+v", tr)
	}
	deadline := time.Now().Add(2 * time.Second)
	for _, pid := range []int{tr.Pid, tr.Child} {
		for running(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if running(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("process %d (the target %d or its child %d) outlived the run", pid, tr.Pid, tr.Child)
		}
	}
	for _, dir := range []string{filepath.Dir(tr.Socket), tr.Cwd} {
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			os.RemoveAll(dir)
			t.Errorf("%s is left behind after the run (err %v)", dir, err)
		}
	}
	t.Logf("target %d, its child %d, socket directory %s, working directory %s: all gone; the run took %s",
		tr.Pid, tr.Child, filepath.Dir(tr.Socket), tr.Cwd, r.took.Round(time.Millisecond))
}

// TestTheSuiteSurvivesHostileTrees runs a spec against targets that complete with a
// self-linked tree, a cyclic tree, a message that would decode into gigabytes, or a flood of
// completions. Each run ends quickly with the spec failed by a protocol fault that says what
// happened, and the suite process's peak memory stays near that of a run against the
// reference (the figures are logged).
func TestTheSuiteSurvivesHostileTrees(t *testing.T) {
	baseline := runAgainst(t, "", "rule:INIT-003 && !generated", "")
	if baseline.err != nil {
		t.Fatalf("the baseline run against the reference failed: %v\n%s", baseline.err, tail([]byte(baseline.out)))
	}
	t.Logf("baseline (the reference through exec): %s, peak RSS %d MiB", baseline.took.Round(time.Millisecond), baseline.maxRSS>>20)
	for _, c := range []struct{ mode, says string }{
		{"self-linked", "next_block_id 1 links the block to itself"},
		{"cyclic", "next_block_id 1 closes a cycle back to block 1"},
		{"amplify", "more than 4096 blocks in one tree"},
		{"flood", "(a completion flood)"},
	} {
		t.Run(c.mode, func(t *testing.T) {
			r := runAgainst(t, c.mode, "rule:INIT-003 && !generated", "")
			if r.err == nil {
				t.Fatalf("the run against a %s target passed:\n%s", c.mode, tail([]byte(r.out)))
			}
			failed, said := 0, strings.Contains(r.out, c.says)
			for _, s := range r.specs {
				if s.State.Is(types.SpecStateFailureStates) {
					failed++
					for _, e := range s.ReportEntries {
						said = said || strings.Contains(e.StringRepresentation(), c.says)
					}
				}
			}
			if failed == 0 || !said {
				t.Errorf("against a %s target: %d specs failed, none saying %q:\n%s", c.mode, failed, c.says, tail([]byte(r.out)))
			}
			for _, name := range []string{"junit.xml", "ginkgo.json", "conformance.md", "conformance.json"} {
				if _, err := os.Stat(filepath.Join(r.reports, name)); err != nil {
					t.Errorf("no %s: %v", name, err)
				}
			}
			t.Logf("%s: the run took %s, peak RSS %d MiB (baseline %d MiB)", c.mode, r.took.Round(time.Millisecond), r.maxRSS>>20, baseline.maxRSS>>20)
			if r.maxRSS > baseline.maxRSS+128<<20 {
				t.Errorf("peak RSS %d MiB, more than 128 MiB above the baseline's %d MiB", r.maxRSS>>20, baseline.maxRSS>>20)
			}
			if r.took > time.Minute {
				t.Errorf("the run took %s", r.took)
			}
		})
	}
}

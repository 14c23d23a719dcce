package meta

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// TestTheSuiteSurvivesAMisbehavingTarget runs specs against a launched target that crashes,
// never starts, never completes, does not speak the protocol, sends a malformed message,
// completes twice or completes a tree it was never handed. Each time the run must end
// within a bound, fail the specs it touched with a message that says what happened, go on
// with the next spec, and write its reports.
func TestTheSuiteSurvivesAMisbehavingTarget(t *testing.T) {
	bin := buildSuite(t)
	target := filepath.Join(t.TempDir(), "misbehaving-target")
	build := exec.Command("go", "build", "-o", target, "./testdata/misbehaving-target")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the misbehaving target: %v\n%s", err, out)
	}
	cases := []struct {
		mode, filter string
		// what the failure messages must say, and whether some spec must pass after a failure
		says      string
		continues bool
	}{
		{"crash", "op:initiate && layer:tcp", "adapter error", true},
		{"slow-start", "rule:INIT-003", "cannot create the target", false},
		{"hang", "rule:INIT-003", "[INIT-003]", false},
		{"garbage", "rule:INIT-003", "[harness]", false},
		{"malformed", "rule:INIT-003", "block 7", false},
		{"fault:initiate-completes-twice", "rule:INIT-003", "[INIT-003]", false},
		{"fault:initiate-completes-with-a-copy", "rule:INIT-010", "[INIT-010]", false},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg := writeExecConfig(t, dir, target)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "-config="+cfg, "-ginkgo.label-filter="+c.filter)
			cmd.Dir = ".."
			cmd.Env = append(os.Environ(), "MISBEHAVE="+c.mode)
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("the run against a %s target did not end within 2 minutes:\n%s", c.mode, tail(out))
			}
			if err == nil {
				t.Fatalf("the run against a %s target passed:\n%s", c.mode, tail(out))
			}
			for _, name := range []string{"junit.xml", "ginkgo.json", "conformance.md", "conformance.json"} {
				if _, err := os.Stat(filepath.Join(dir, "reports", name)); err != nil {
					t.Errorf("no %s after the run against a %s target: %v", name, c.mode, err)
				}
			}
			specs := readSpecs(t, filepath.Join(dir, "reports", "ginkgo.json"))
			failedThenPassed, said := false, false
			seenFailure := false
			for _, s := range specs {
				switch {
				case s.State.Is(types.SpecStateFailureStates):
					seenFailure = true
					said = said || strings.Contains(s.Failure.Message, c.says)
				case s.State == types.SpecStatePassed && seenFailure:
					failedThenPassed = true
				}
			}
			if !said && !strings.Contains(string(out), c.says) {
				t.Errorf("no failure against a %s target says %q:\n%s", c.mode, c.says, tail(out))
			}
			if c.continues && !failedThenPassed {
				t.Errorf("against a %s target no spec passed after the first failure: the run did not go on with a fresh target", c.mode)
			}
			if c.mode == "crash" && !strings.Contains(string(out), "crashing on purpose") {
				t.Errorf("the crashed target's stderr is not in the failed spec's report")
			}
		})
	}
}

// writeExecConfig writes a ginkgo.yml that launches target with a short start timeout and
// reports into dir/reports, and returns its path. The target runs in a working directory of
// its own, so it is told where the file is (-config), and gets MISBEHAVE and MISBEHAVE_REPORT
// from the suite's environment (nothing else passes).
func writeExecConfig(t *testing.T, dir, target string) string {
	t.Helper()
	data, err := os.ReadFile("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "ginkgo.yml")
	s := strings.Replace(string(data), "  kind: reference\n",
		fmt.Sprintf("  kind: exec\n  exec:\n    path: %s\n    args: [-config=%s]\n    env: [MISBEHAVE, MISBEHAVE_REPORT]\n    start: 2s\n", target, cfg), 1)
	if s == string(data) {
		t.Fatal("ginkgo.yml no longer has 'kind: reference' to replace")
	}
	if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func readSpecs(t *testing.T, path string) types.SpecReports {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("reading %s: %v", path, err)
	}
	return reports[0].SpecReports
}

// TestAnInterruptedRunStillWritesItsReports interrupts a run (SIGINT) once specs are under
// way and requires the reports, marked as interrupted.
func TestAnInterruptedRunStillWritesItsReports(t *testing.T) {
	bin := buildSuite(t)
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-report-dir="+dir, "-ginkgo.no-color")
	cmd.Dir = ".."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until some specs have passed, then interrupt.
	buf := make([]byte, 4096)
	var seen strings.Builder
	for strings.Count(seen.String(), "•") < 20 {
		n, err := out.Read(buf)
		if err != nil {
			t.Fatalf("the run ended before it could be interrupted: %v\n%s", err, seen.String())
		}
		seen.Write(buf[:n])
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if err := cmd.Wait(); err == nil {
		t.Fatal("an interrupted run exited 0")
	}
	if ctx.Err() != nil {
		t.Fatal("the interrupted run did not end within 2 minutes")
	}
	md, err := os.ReadFile(filepath.Join(dir, "conformance.md"))
	if err != nil {
		t.Fatalf("no conformance report after the interrupt: %v", err)
	}
	if !strings.Contains(string(md), "Interrupted") || !strings.Contains(string(md), "INCOMPLETE") {
		t.Errorf("the report of an interrupted run must say so and be incomplete:\n%s", firstLines(string(md), 12))
	}
	for _, name := range []string{"junit.xml", "ginkgo.json", "conformance.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("no %s after the interrupt: %v", name, err)
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

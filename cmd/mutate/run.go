package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// builder compiles the suite's test binary with overlay sources.
type builder struct {
	moduleRoot string
	suite      string // the suite package, e.g. ./suites
	work       string // scratch directory
}

// build writes the overlay sources under dir and compiles the suite into dir/suites.test with
// go test -c -overlay, so that nothing in the working tree changes.
func (b *builder) build(dir string, overlay map[string][]byte) (string, time.Duration, error) {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, err
	}
	replace := map[string]string{}
	i := 0
	for path, src := range overlay {
		tmp := filepath.Join(dir, fmt.Sprintf("%d-%s", i, filepath.Base(path)))
		i++
		if err := os.WriteFile(tmp, src, 0o644); err != nil {
			return "", 0, err
		}
		replace[path] = tmp
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", 0, err
	}
	overlayJSON := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayJSON, data, 0o644); err != nil {
		return "", 0, err
	}
	bin := filepath.Join(dir, "suites.test")
	cmd := exec.Command("go", "test", "-c", "-overlay="+overlayJSON, "-o", bin, b.suite)
	cmd.Dir = b.moduleRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", time.Since(start), fmt.Errorf("go test -c: %v\n%s", err, out)
	}
	return bin, time.Since(start), nil
}

// runner runs a suite binary against the in-process reference.
type runner struct {
	suiteDir string // the suite package's directory: the binary runs there, as go test would
	work     string // scratch directory for reports
	timeout  time.Duration
	// labelFilter, when set, narrows every run to the specs it selects: the wire specs alone
	// reach the TCP engine, and the rest of the suite cannot kill its mutants.
	labelFilter string
}

// verdict is how one run of the suite ended.
type verdict struct {
	failed   bool
	timedOut bool   // killed by the runner's timeout: a hang, not a failed spec
	detail   string // the first failed spec, or how the run ended (timeout, crash)
	took     time.Duration
	// skipped are the full texts of the specs a passing run skipped, with why.
	skipped map[string]string
}

// run runs bin with the given mutant selected (0: none) under one configuration. Reports go to
// a fresh directory under the scratch directory, removed afterwards. A run that exceeds the
// timeout is killed and counts as failed, like a crash.
func (r *runner) run(bin string, mutant int, v preparedVariant) (verdict, error) {
	reports, err := os.MkdirTemp(r.work, "reports-")
	if err != nil {
		return verdict{}, err
	}
	defer os.RemoveAll(reports)
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	jsonReport := filepath.Join(reports, "mutate-ginkgo.json")
	// The suite, and the pin of what the reference declares, which lives beside it.
	args := append([]string{"-test.run=^(TestConformance|TestTheReferenceDeclaresWhatItImplements)$", "-report-dir=" + reports, "-ginkgo.json-report=" + jsonReport,
		// A failed property spec need not be shrunk: the first failure kills the mutant.
		"-ginkgo.fail-fast", "-ginkgo.no-color", "-rapid.shrinktime=1ms"}, v.args...)
	if r.labelFilter != "" {
		args = append(args, "-ginkgo.label-filter="+r.labelFilter)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = r.suiteDir
	cmd.Env = append(os.Environ(), schemaEnv+"="+strconv.Itoa(mutant))
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start)
	if ctx.Err() == context.DeadlineExceeded {
		return verdict{failed: true, timedOut: true, detail: fmt.Sprintf("timed out after %s", r.timeout), took: took}, nil
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return verdict{}, fmt.Errorf("running the suite: %v", err)
	}
	if err == nil {
		skipped, err := skippedSpecs(jsonReport)
		if err != nil {
			return verdict{}, err
		}
		return verdict{took: took, skipped: skipped}, nil
	}
	return verdict{failed: true, detail: failureLine(out.String(), exit), took: took}, nil
}

// skippedSpecs reads the specs a run skipped, with their skip messages, from its Ginkgo JSON
// report.
func skippedSpecs(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the suite passed but wrote no JSON report: %v", err)
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		return nil, fmt.Errorf("reading %s: %v", path, err)
	}
	out := map[string]string{}
	for _, r := range reports {
		for _, s := range r.SpecReports {
			if s.LeafNodeType == types.NodeTypeIt && s.State == types.SpecStateSkipped {
				out[s.FullText()] = s.Failure.Message
			}
		}
	}
	return out, nil
}

// failureLine picks the line that says why a run failed: Ginkgo's summary of the first spec
// that failed, panicked or timed out, else a panic or fatal error (which may follow a progress
// dot on its line), else the last line of output.
func failureLine(out string, exit *exec.ExitError) string {
	lines := strings.Split(out, "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		for _, prefix := range []string{"[FAIL]", "[PANICKED!]", "[TIMEDOUT]", "[INTERRUPTED]", "[ABORTED]"} {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
	}
	for _, marker := range []string{"panic:", "fatal error:"} {
		for _, l := range lines {
			if i := strings.Index(l, marker); i >= 0 {
				return strings.TrimSpace(l[i:])
			}
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && l != "FAIL" {
			return fmt.Sprintf("%s (%v)", l, exit)
		}
	}
	return fmt.Sprint(exit)
}

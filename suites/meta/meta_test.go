// Package meta proves the specs can fail: it runs the suite against every fault of
// suites/faults, selecting the specs of the rules the fault breaks, and requires each of those
// rules to have a failing spec. The reference passing the same specs under the default
// readings is proved by the bootstrap suite itself; here it is proved under the other readings.
package meta

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ndis-chimney/conformance/suites/faults"
	"github.com/ndis-chimney/conformance/suites/report"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/onsi/ginkgo/v2/types"
)

func TestEveryFaultIsCaughtByTheSpecsOfTheRulesItBreaks(t *testing.T) {
	all := faults.All()
	if len(all) == 0 {
		t.Fatal("the fault catalogue is empty")
	}
	dir := t.TempDir()
	bin := buildSuite(t)
	var mu sync.Mutex
	killed := map[string]bool{}
	ran := 0
	// The score is reported once every fault's subtest, running in parallel, has finished; a
	// testable rule no fault kills fails the test when every fault ran (not under -run).
	t.Cleanup(func() { reportScore(t, killed, ran == len(all)) })
	for _, f := range all {
		t.Run(f.Name, func(t *testing.T) {
			mu.Lock()
			ran++
			mu.Unlock()
			t.Parallel()
			if len(f.Breaks) == 0 {
				t.Fatalf("fault %s names no rule it breaks", f.Name)
			}
			failed := runFault(t, bin, filepath.Join(dir, f.Name), f, false)
			if f.Configure != nil {
				// The fault's specs run under another configuration than the bootstrap's: the
				// reference must pass them there, or the fault proves nothing.
				if bad := runFault(t, bin, filepath.Join(dir, f.Name+"-control"), f, true); len(bad) > 0 {
					t.Errorf("under the configuration of fault %s, the reference itself fails %v", f.Name, sortedKeys(bad))
				}
			}
			for _, r := range f.Breaks {
				if failed[r.ID] {
					mu.Lock()
					killed[r.ID] = true
					mu.Unlock()
					continue
				}
				t.Errorf("fault %s breaks %s, but no spec of %s failed against it", f.Name, r.ID, r.ID)
			}
		})
	}
}

// reportScore logs how many testable rules have a fault their specs catch, and which do not.
func reportScore(t *testing.T, killed map[string]bool, complete bool) {
	var testable, survivors []string
	for _, r := range rules.All() {
		if r.Testable() {
			testable = append(testable, r.ID)
			if !killed[r.ID] {
				survivors = append(survivors, r.ID)
			}
		}
	}
	sort.Strings(survivors)
	score := 100 * float64(len(testable)-len(survivors)) / float64(len(testable))
	t.Logf("mutation score: %d of %d testable rules have a fault their specs catch (%.1f%%)", len(testable)-len(survivors), len(testable), score)
	if len(survivors) > 0 {
		report := t.Logf
		if complete {
			report = t.Errorf
		}
		report("testable rules no fault of suites/faults kills: %s", strings.Join(survivors, " "))
	}
}

// runFault runs the specs of the rules f breaks against the faulty target and returns the rule
// IDs that had a failing spec.
func runFault(t *testing.T, bin, reportDir string, f *faults.Fault, control bool) map[string]bool {
	t.Helper()
	labels := make([]string, len(f.Breaks))
	for i, r := range f.Breaks {
		labels[i] = r.Label()
	}
	jsonPath := filepath.Join(reportDir, "ginkgo.json")
	cmd := exec.Command(bin, "-fault="+f.Name, fmt.Sprintf("-fault-control=%t", control), "-report-dir="+reportDir,
		// The hand-written and the property specs of the rules, every judge running in each;
		// a failing property spec shrinks briefly here (shrink_test.go shows shrinking).
		"-ginkgo.label-filter="+strings.Join(labels, " || "), "-rapid.shrinktime=200ms", "-ginkgo.json-report="+jsonPath, "-ginkgo.junit-report="+filepath.Join(reportDir, "junit.xml"))
	cmd.Dir = ".."
	if strings.Contains(f.Name, "-later") {
		cmd.Env = append(os.Environ(), "CHIMNEY_AFTER_CLOSE=1s") // what these faults are caught by
	}
	out, err := cmd.CombinedOutput()
	if err == nil && !control {
		t.Logf("the suite passed against fault %s:\n%s", f.Name, tail(out))
	}
	data, rerr := os.ReadFile(jsonPath)
	if rerr != nil {
		t.Fatalf("no JSON report from the run against %s (%v):\n%s", f.Name, rerr, tail(out))
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("reading %s: %v", jsonPath, err)
	}
	failed := map[string]bool{}
	for _, s := range reports[0].SpecReports {
		if s.State.Is(types.SpecStateFailureStates) {
			for _, id := range report.RuleLabels(s.Labels()) {
				failed[id] = true
			}
		}
	}
	// Also the rules the conformance report counts as failed: what the run judged after the
	// last spec (a completion long after its target was closed) belongs to no spec.
	if data, err := os.ReadFile(filepath.Join(reportDir, "conformance.json")); err == nil {
		var c report.Conformance
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatalf("reading the conformance report of the run against %s: %v", f.Name, err)
		}
		for _, r := range c.Rules {
			if r.Outcome == report.Failed {
				failed[r.ID] = true
			}
		}
	}
	return failed
}

func tail(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return fmt.Sprint(strings.Join(lines, "\n"))
}

// buildSuite compiles the suite's test binary once for all tests of this package.
func buildSuite(t testing.TB) string {
	t.Helper()
	suiteBinary.once.Do(func() {
		dir, err := os.MkdirTemp("", "conformance-meta-")
		if err != nil {
			suiteBinary.err = err
			return
		}
		suiteBinary.path = filepath.Join(dir, "suites.test")
		build := exec.Command("go", "test", "-c", "-o", suiteBinary.path, ".")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			suiteBinary.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if suiteBinary.err != nil {
		t.Fatalf("building the suite: %v", suiteBinary.err)
	}
	return suiteBinary.path
}

var suiteBinary struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	// Every run of the suite here watches for late completions only briefly after its last
	// spec (timeouts.afterClose is 1s); the faults that complete late restore the default.
	os.Setenv("CHIMNEY_AFTER_CLOSE", "10ms")
	code := m.Run()
	if suiteBinary.path != "" {
		os.RemoveAll(filepath.Dir(suiteBinary.path))
	}
	os.Exit(code)
}

// TestTheOtherReadingsHoldTogether runs the whole suite against the reference with every
// interpretation switch of ginkgo.yml set to the reading that is not the default: the
// reference and the specs must agree on every reading a user can select, not only the default.
func TestTheOtherReadingsHoldTogether(t *testing.T) {
	bin := buildSuite(t)
	data, err := os.ReadFile("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inInterpretations, flipped := false, 0
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, " ") && strings.TrimSpace(line) != "" {
			inInterpretations = strings.HasPrefix(line, "interpretations:")
		}
		if inInterpretations {
			for _, swap := range [][2]string{{": false", ": true"}, {": true", ": false"}, {": maxRtRestart", ": keepAliveRestart"}} {
				if strings.Contains(line, swap[0]) {
					line = strings.Replace(line, swap[0], swap[1], 1)
					flipped++
					break
				}
			}
		}
		out = append(out, line)
	}
	if flipped == 0 {
		t.Fatal("found no interpretation switch to flip in ginkgo.yml")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ginkgo.yml")
	if err := os.WriteFile(cfg, []byte(strings.Join(out, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-config="+cfg)
	cmd.Dir = ".."
	if res, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("with the %d other readings, the suite fails against the reference: %v\n%s", flipped, err, tail(res))
	}
	t.Logf("the suite passes against the reference under the %d other readings", flipped)
}

// TestEachOtherReadingHoldsAlone runs the whole suite against the reference once per
// interpretation switch of ginkgo.yml, with that switch alone set to its other reading (either
// way: a switch whose default is on is turned off). Flipped together, one reading can hide
// another: with linkerAllDependentsFailedPartialSuccess no linker fails, so no run showed
// rootFailureStopsWholeTree or placeholderStatusFollowsDependents with a failed linker.
func TestEachOtherReadingHoldsAlone(t *testing.T) {
	bin := buildSuite(t)
	data, err := os.ReadFile("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	others := map[string]string{"false": "true", "true": "false", "maxRtRestart": "keepAliveRestart", "keepAliveRestart": "maxRtRestart"}
	inInterpretations, flipped := false, 0
	dir := t.TempDir()
	for i, line := range lines {
		if !strings.HasPrefix(line, " ") && strings.TrimSpace(line) != "" {
			inInterpretations = strings.HasPrefix(line, "interpretations:")
		}
		key, value, ok := strings.Cut(line, ":")
		bare, comment, _ := strings.Cut(value, "#")
		other, known := others[strings.TrimSpace(bare)]
		if !inInterpretations || !ok || !known {
			continue
		}
		flipped++
		out := append([]string(nil), lines...)
		out[i] = key + ": " + other
		if comment != "" {
			out[i] += " #" + comment
		}
		key = strings.TrimSpace(key)
		cfg := filepath.Join(dir, key+".yml")
		if err := os.WriteFile(cfg, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(bin, "-config="+cfg, "-report-dir="+filepath.Join(dir, key))
			cmd.Dir = ".."
			if res, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("with %s alone at its other reading (%s), the suite fails against the reference: %v\n%s", key, strings.TrimSpace(out[i]), err, tail(res))
			}
		})
	}
	if flipped == 0 {
		t.Fatal("found no interpretation switch to flip in ginkgo.yml")
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

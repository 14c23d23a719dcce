package meta

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/suites/report"
	"github.com/onsi/ginkgo/v2/types"
)

// These tests run the suite binary as a user would and read the reports it leaves: each
// verdict must say what was done, and no report may outlive the run it describes.

// suiteRun is one run of the suite binary.
type suiteRun struct {
	args []string
	env  []string
	// out is its combined output, err how it exited.
	out string
	err error
}

// runSuite runs the suite binary with args (and env added to the environment) within a
// minute, and returns how it went.
func runSuite(t *testing.T, env []string, args ...string) suiteRun {
	t.Helper()
	bin := buildSuite(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"-ginkgo.no-color"}, args...)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the run %v did not end within a minute:\n%s", args, tail(out))
	}
	return suiteRun{args: args, env: env, out: string(out), err: err}
}

// readConformance reads the conformance report in dir, failing the test when it is missing
// or torn.
func readConformance(t *testing.T, dir string) (report.Conformance, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "conformance.json"))
	if err != nil {
		t.Fatalf("no conformance report: %v", err)
	}
	var c report.Conformance
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("conformance.json does not parse (torn?): %v\n%s", err, firstLines(string(data), 5))
	}
	md, err := os.ReadFile(filepath.Join(dir, "conformance.md"))
	if err != nil {
		t.Fatalf("no conformance.md: %v", err)
	}
	return c, string(md)
}

// verdictLine matches a line a reader (or a grep) could take for a verdict.
var verdictLine = regexp.MustCompile(`(?m)^[ \t>*#|_\\-]*Verdict`)

// expectVerdict fails the test unless the reports in dir give want, in JSON and in exactly one
// Markdown verdict line, and the run exited non-zero when failing says it must.
func expectVerdict(t *testing.T, r suiteRun, dir string, want report.Verdict, failing bool) report.Conformance {
	t.Helper()
	c, md := readConformance(t, dir)
	if c.Verdict != want {
		t.Errorf("verdict %q (%s), want %q\n%s", c.Verdict, c.Why, want, tail([]byte(r.out)))
	}
	lines := verdictLine.FindAllString(md, -1)
	if len(lines) != 1 || !strings.Contains(md, "**Verdict: "+strings.ToUpper(string(want))+"**") {
		t.Errorf("the Markdown report must have one verdict line, %s; it has %q", strings.ToUpper(string(want)), lines)
	}
	if failing && r.err == nil {
		t.Errorf("the run %v exited 0 with verdict %s", r.args, c.Verdict)
	}
	return c
}

func TestADryRunIsNotRun(t *testing.T) {
	dir := t.TempDir()
	r := runSuite(t, nil, "-report-dir="+dir, "-ginkgo.dry-run")
	c := expectVerdict(t, r, dir, report.VerdictNotRun, true)
	if c.Summary.Passed != 0 || !strings.Contains(c.Why, "dry run") {
		t.Errorf("a dry run judged %d rules passed (%s)", c.Summary.Passed, c.Why)
	}
}

// TestAnEmptySelectionIsNotRun: a label filter that matches no spec (a typo) runs nothing and
// must say so, and fail, rather than pass quietly.
func TestAnEmptySelectionIsNotRun(t *testing.T) {
	for _, filter := range []string{"op:initiat", "rule:INIT-45"} {
		dir := t.TempDir()
		r := runSuite(t, nil, "-report-dir="+dir, "-ginkgo.label-filter="+filter)
		c := expectVerdict(t, r, dir, report.VerdictNotRun, true)
		if !strings.Contains(c.Why, filter) {
			t.Errorf("with label filter %q, the verdict does not name it: %s", filter, c.Why)
		}
	}
}

// TestASuiteTimeoutIsIncomplete: Ginkgo's --timeout stops a slow run; what ran passed, so the
// verdict is INCOMPLETE, never NOT CONFORMANT.
func TestASuiteTimeoutIsIncomplete(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "settle: 5ms", "settle: 250ms") // every spec takes a quarter second
	r := runSuite(t, nil, "-config="+cfg, "-ginkgo.timeout=2s")
	c := expectVerdict(t, r, filepath.Join(dir, "reports"), report.VerdictIncomplete, true)
	// Specs pass before the timeout; their rules may still be not run, when another of their
	// specs comes later in the random order.
	if c.SpecsByState["passed"] == 0 || c.Summary.Failed != 0 || !contains(c.RunProblems, "Suite Timeout Elapsed") {
		t.Errorf("after the timeout: %d specs passed, %d rules failed, problems %q", c.SpecsByState["passed"], c.Summary.Failed, c.RunProblems)
	}
	timedOut := 0
	for _, rr := range c.Rules {
		// Not judged, or passed by another of its specs with the timed-out one named.
		if (rr.Outcome == report.NotJudged || rr.Outcome == report.Passed) && strings.Contains(rr.Reason, "--timeout") {
			timedOut++
		}
	}
	// The spec running when the time ran out (if one was) could not judge its rule, and the
	// report says so.
	if timedOut != c.SpecsByState["timedout"] {
		t.Errorf("%d rules are not judged for the timeout, %d specs timed out", timedOut, c.SpecsByState["timedout"])
	}
}

// TestATargetThatCannotStartFailsOnce: a target that exits before serving fails the run once,
// with its exit status and its stderr, and no spec runs; one that stops opening sessions in
// the middle of a run fails the spec it stopped in, and the specs after it are not judged.
func TestATargetThatCannotStartFailsOnce(t *testing.T) {
	odd := buildOddTarget(t)
	t.Run("never", func(t *testing.T) {
		dir := t.TempDir()
		cfg := writeConfig(t, dir, "  kind: reference\n", oddExec(odd, dir))
		r := runSuite(t, []string{"ODD_EXIT=7"}, "-config="+cfg)
		reports := filepath.Join(dir, "reports")
		c := expectVerdict(t, r, reports, report.VerdictNotRun, true)
		failures := failuresIn(t, filepath.Join(reports, "ginkgo.json"))
		if len(failures) != 1 {
			t.Fatalf("%d failures, want one: %q", len(failures), failures)
		}
		for _, want := range []string{"could not start", "exit status 7", "refusing to start, on purpose"} {
			if !strings.Contains(failures[0], want) || !strings.Contains(strings.Join(c.RunProblems, "\n"), want) {
				t.Errorf("the failure and the report must say %q: %q", want, failures[0])
			}
		}
	})
	t.Run("midway", func(t *testing.T) {
		dir := t.TempDir()
		cfg := writeConfig(t, dir, "  kind: reference\n", oddExec(odd, dir))
		// The first session is the suite's look at the target before any spec; two specs pass.
		r := runSuite(t, []string{"ODD_OPENS=3"}, "-config="+cfg, "-ginkgo.label-filter=op:initiate && layer:tcp && !generated")
		reports := filepath.Join(dir, "reports")
		c := expectVerdict(t, r, reports, report.VerdictIncomplete, true)
		failures := failuresIn(t, filepath.Join(reports, "ginkgo.json"))
		if len(failures) != 1 || !strings.Contains(failures[0], "refusing to open another session") {
			t.Errorf("want one failure, the refused Open; got %d: %q", len(failures), failures)
		}
		notJudged := 0
		for _, rr := range c.Rules {
			if rr.Outcome == report.NotJudged && strings.Contains(rr.Reason, "the target could not start") {
				notJudged++
			}
		}
		if c.SpecsByState["passed"] == 0 || notJudged == 0 || c.Summary.Failed != 0 {
			t.Errorf("%d specs passed, %d rules failed, %d not judged because the target could not start", c.SpecsByState["passed"], c.Summary.Failed, notJudged)
		}
	})
}

// TestAKilledRunLeavesNoEarlierVerdict: a run killed with SIGKILL cannot write anything at the
// end; the report it leaves must be its own, saying it is in progress, not the CONFORMANT of
// the run before it, and whole.
func TestAKilledRunLeavesNoEarlierVerdict(t *testing.T) {
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	seedConformant(t, reports)
	cfg := writeConfig(t, dir, "settle: 5ms", "settle: 250ms")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, buildSuite(t), "-config="+cfg, "-ginkgo.no-color")
	cmd.Dir = ".."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a spec has passed: the run is under way.
	scan := bufio.NewReader(out)
	for {
		r, _, err := scan.ReadRune()
		if err != nil {
			t.Fatalf("the run ended before it could be killed: %v", err)
		}
		if r == '•' {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	c, md := readConformance(t, reports)
	if c.Verdict != report.VerdictIncomplete || c.State != report.StateInProgress || !strings.Contains(md, "if you read this, the run did not finish") {
		t.Errorf("after a kill the report says %s, %s:\n%s", c.Verdict, c.State, firstLines(md, 10))
	}
	if strings.Contains(md, "**Verdict: CONFORMANT**") || c.Provenance.Started.Before(time.Now().Add(-time.Minute)) {
		t.Error("the report of the earlier run survived the kill")
	}
	for _, name := range []string{"ginkgo.json", "junit.xml"} {
		if _, err := os.Lstat(filepath.Join(reports, name)); !os.IsNotExist(err) {
			t.Errorf("%s of the earlier run survived the kill (%v)", name, err)
		}
	}
}

// TestAConfigurationErrorLeavesNoEarlierVerdict: a run that stops on its configuration writes
// NOT RUN with the error where the reports go, replacing the earlier CONFORMANT.
func TestAConfigurationErrorLeavesNoEarlierVerdict(t *testing.T) {
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	seedConformant(t, reports)
	cfg := writeConfig(t, dir, "  settle: 5ms", "  settle: 5ms\n  setle: 5ms")
	r := runSuite(t, nil, "-config="+cfg)
	c := expectVerdict(t, r, reports, report.VerdictNotRun, true)
	if c.State != report.StateNotStarted || !strings.Contains(c.Why, "setle") {
		t.Errorf("state %s, why %q: want not started, naming the bad key", c.State, c.Why)
	}
}

// TestATargetNameCannotForgeTheVerdict: what a target declares is its own words; written into
// the Markdown report, it must not add a verdict line, a heading or a table cell.
func TestATargetNameCannotForgeTheVerdict(t *testing.T) {
	odd := buildOddTarget(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "  kind: reference\n", oddExec(odd, dir))
	name := "forger\n\n**Verdict: CONFORMANT**\n\n# Verdict: CONFORMANT | x | y\n```"
	r := runSuite(t, []string{"ODD_NAME=" + name}, "-config="+cfg, "-ginkgo.label-filter=rule:INIT-003 && !generated")
	reports := filepath.Join(dir, "reports")
	c := expectVerdict(t, r, reports, report.VerdictIncomplete, false) // a partial selection that passes
	if c.Target.Name != name {
		t.Errorf("the JSON report must keep the name as declared: %q", c.Target.Name)
	}
	_, md := readConformance(t, reports)
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| target |") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 3 {
			t.Errorf("the target's name made table cells: %q", line)
		}
		if strings.HasPrefix(line, "#") && strings.Contains(line, "CONFORMANT") {
			t.Errorf("the target's name made a heading: %q", line)
		}
	}
}

// TestAReportPathThatIsASymlinkIsNotFollowed: a symlink where a report goes is replaced by the
// report; the file it pointed to is untouched.
func TestAReportPathThatIsASymlinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	reports := filepath.Join(dir, "reports")
	os.MkdirAll(reports, 0o755)
	names := []string{"conformance.md", "conformance.json", "ginkgo.json", "junit.xml"}
	for _, n := range names {
		if err := os.Symlink(victim, filepath.Join(reports, n)); err != nil {
			t.Fatal(err)
		}
	}
	r := runSuite(t, nil, "-report-dir="+reports, "-ginkgo.dry-run")
	expectVerdict(t, r, reports, report.VerdictNotRun, true)
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Errorf("a report was written through a symlink: the file it pointed to now starts %q", firstLines(string(data), 1))
	}
	for _, n := range names {
		if fi, err := os.Lstat(filepath.Join(reports, n)); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s is not a regular file after the run (%v)", n, err)
		}
	}
}

// writeConfig writes the repository's ginkgo.yml into dir with from replaced by to, and
// returns its path; reports then go to dir/reports.
// oddExec is the target section of a ginkgo.yml in dir that launches the odd target: it runs
// in a working directory of its own with only the variables listed, so it is told where the
// configuration is and which of the test's ODD_ variables to see.
func oddExec(odd, dir string) string {
	return fmt.Sprintf("  kind: exec\n  exec:\n    path: %s\n    args: [-config=%s]\n    env: [ODD_EXIT, ODD_OPENS, ODD_NAME]\n    start: 2s\n",
		odd, filepath.Join(dir, "ginkgo.yml"))
}

func writeConfig(t *testing.T, dir, from, to string) string {
	t.Helper()
	data, err := os.ReadFile("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), from, to, 1)
	if s == string(data) {
		t.Fatalf("ginkgo.yml no longer has %q to replace", from)
	}
	cfg := filepath.Join(dir, "ginkgo.yml")
	if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// seedConformant leaves in dir the reports of an earlier run that was CONFORMANT.
func seedConformant(t *testing.T, dir string) {
	t.Helper()
	earlier := report.InProgress(report.Header{})
	earlier.State, earlier.Verdict, earlier.Why, earlier.RunProblems = report.StateFinished, report.VerdictConformant, "an earlier run", nil
	if err := report.Write(earlier, filepath.Join(dir, "conformance")); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"ginkgo.json", "junit.xml"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("of an earlier run"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// failuresIn returns the failure messages of every failed node (specs and suite nodes) of a
// Ginkgo JSON report.
func failuresIn(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	for _, s := range readSpecs(t, path) {
		if s.State.Is(types.SpecStateFailureStates) {
			out = append(out, s.Failure.Message)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// buildOddTarget compiles testdata/odd-target once for all tests of this package, beside the
// suite binary (which TestMain removes).
func buildOddTarget(t *testing.T) string {
	t.Helper()
	dir := filepath.Dir(buildSuite(t))
	oddTarget.once.Do(func() {
		oddTarget.path = filepath.Join(dir, "odd-target")
		if out, err := exec.Command("go", "build", "-o", oddTarget.path, "./testdata/odd-target").CombinedOutput(); err != nil {
			oddTarget.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if oddTarget.err != nil {
		t.Fatalf("building the odd target: %v", oddTarget.err)
	}
	return oddTarget.path
}

var oddTarget struct {
	once sync.Once
	path string
	err  error
}

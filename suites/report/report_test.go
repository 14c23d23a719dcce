package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/onsi/ginkgo/v2/types"
)

func spec(text string, state types.SpecState, msg string, labels ...string) types.SpecReport {
	return types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: text, LeafNodeLabels: labels, State: state,
		Failure: types.Failure{Message: msg},
	}
}

// withViolations adds ViolationEntry report entries to s, the first held as a value (as in
// the process that ran the spec), the others as JSON only (as from another parallel process).
func withViolations(s types.SpecReport, vs ...Violation) types.SpecReport {
	for i, v := range vs {
		value := types.WrapEntryValue(v)
		if i > 0 {
			data, _ := json.Marshal(v)
			value = types.ReportEntryValue{AsJSON: string(data)}
		}
		s.ReportEntries = append(s.ReportEntries, types.ReportEntry{Name: ViolationEntry, Value: value})
	}
	return s
}

// testable returns n testable rules of the catalog at the given levels (any level when none
// is given), failing the test when the catalog has too few.
func testable(t *testing.T, n int, levels ...rules.Level) []*rules.Rule {
	t.Helper()
	var out []*rules.Rule
	for _, r := range rules.All() {
		if r.Testable() && (len(levels) == 0 || contains(levelNames(levels), r.Level.String())) {
			out = append(out, r)
		}
	}
	if len(out) < n {
		t.Skipf("the catalog has fewer than %d testable rules at %v", n, levels)
	}
	return out[:n]
}

func levelNames(ls []rules.Level) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.String())
	}
	return out
}

// wholeRun is a report of a run of every spec in which every testable rule has one spec,
// which passes, except that change replaces the spec of the rules it names.
func wholeRun(change map[string]types.SpecReport) types.Report {
	var specs types.SpecReports
	for _, r := range rules.All() {
		if !r.Testable() {
			continue
		}
		if s, ok := change[r.ID]; ok {
			specs = append(specs, s)
			continue
		}
		specs = append(specs, spec("checks "+r.ID, types.SpecStatePassed, "", r.Label()))
	}
	return types.Report{SpecReports: specs, PreRunStats: types.PreRunStats{TotalSpecs: len(specs), SpecsThatWillRun: len(specs)}}
}

func byID(c Conformance) map[string]RuleResult {
	out := map[string]RuleResult{}
	for _, rr := range c.Rules {
		out[rr.ID] = rr
	}
	return out
}

func TestRulesTakeTheOutcomesOfTheirSpecs(t *testing.T) {
	rs := testable(t, 4, rules.Must, rules.MustNot)
	a, b, c := rs[0], rs[1], rs[2]
	r := types.Report{SpecReports: types.SpecReports{
		spec("passes", types.SpecStatePassed, "", a.Label()),
		spec("fails", types.SpecStateFailed, "["+b.ID+"] MiniportInitiateOffload neighbor[0]: bad", b.Label()),
		spec("also passes", types.SpecStatePassed, "", b.Label()),
		spec("skips", types.SpecStateSkipped, "target does not declare tcpEntries", c.Label()),
		spec("has no rule", types.SpecStatePassed, ""),
	}}
	got := Build(r, Header{Target: target.Info{Name: "t"}})
	rr := byID(got)
	if rr[a.ID].Outcome != Passed || rr[b.ID].Outcome != Failed || rr[c.ID].Outcome != Skipped {
		t.Errorf("outcomes: %s %s, %s %s, %s %s", a.ID, rr[a.ID].Outcome, b.ID, rr[b.ID].Outcome, c.ID, rr[c.ID].Outcome)
	}
	if !strings.Contains(rr[c.ID].Reason, "tcpEntries") {
		t.Errorf("a skipped rule must carry the skip reason, got %q", rr[c.ID].Reason)
	}
	if len(rr[b.ID].Violations) != 1 || !strings.Contains(rr[b.ID].Violations[0].Message, "bad") {
		t.Errorf("a failed rule lists what was found: %+v", rr[b.ID].Violations)
	}
	if got.Verdict != VerdictNotConformant || len(got.Unattributed) != 1 {
		t.Errorf("verdict %q, unattributed %d", got.Verdict, len(got.Unattributed))
	}
	if rr[rs[3].ID].Outcome != NotRun {
		t.Errorf("a testable rule with no spec in the run is %q, want %q", rr[rs[3].ID].Outcome, NotRun)
	}
	dir := t.TempDir()
	if err := Write(got, filepath.Join(dir, "conformance")); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "conformance.md"))
	if !strings.Contains(string(md), "**Verdict: NOT CONFORMANT**") || !strings.Contains(string(md), "### "+b.ID) {
		t.Error("the Markdown report must show the verdict and the failed rule")
	}
}

func TestAnInterruptedRunIsIncompleteNotAFailure(t *testing.T) {
	rs := testable(t, 3)
	a, b, c := rs[0], rs[1], rs[2]
	r := types.Report{
		SpecialSuiteFailureReasons: []string{"Interrupted by User"},
		SpecReports: types.SpecReports{
			spec("passes", types.SpecStatePassed, "", a.Label()),
			spec("was running", types.SpecStateInterrupted, "Interrupted by User", b.Label()),
			spec("never started", types.SpecStateSkipped, "", c.Label()),
		},
	}
	got := Build(r, Header{})
	rr := byID(got)
	if rr[b.ID].Outcome != NotJudged || rr[c.ID].Outcome != NotRun {
		t.Errorf("interrupted %s is %q, never started %s is %q; want %q and %q", b.ID, rr[b.ID].Outcome, c.ID, rr[c.ID].Outcome, NotJudged, NotRun)
	}
	if got.Verdict != VerdictIncomplete {
		t.Errorf("verdict %q, want %q", got.Verdict, VerdictIncomplete)
	}
	if !strings.Contains(Markdown(got), "Interrupted by User") {
		t.Error("the Markdown report must say the run was interrupted")
	}
}

// TestAViolationEntryFailsTheRuleItNames: the contract with the harness. A judge that finds a
// rule broken records a ViolationEntry naming it; that rule fails whatever spec met it, and the
// spec's own rule, which the run never got to check, is not judged.
func TestAViolationEntryFailsTheRuleItNames(t *testing.T) {
	rs := testable(t, 5, rules.Must, rules.MustNot)
	own, other, third, selfish, both := rs[0], rs[1], rs[2], rs[3], rs[4]
	got := Build(wholeRun(map[string]types.SpecReport{
		// fails on another rule's violation: that rule fails, its own is not judged
		own.ID: withViolations(spec("meets another rule", types.SpecStateFailed, "["+other.ID+"] MiniportInitiateOffload neighbor[0]: wrong", own.Label()),
			Violation{Rule: other.ID, Op: "MiniportInitiateOffload", Block: "neighbor[0]", Message: "wrong"},
			Violation{Rule: third.ID, Op: "MiniportInitiateOffload", Block: "neighbor[0]/path[0]", Message: "also wrong"}),
		// its own rule's violation entry
		selfish.ID: withViolations(spec("breaks its own rule", types.SpecStateFailed, "["+selfish.ID+"] x", selfish.Label()),
			Violation{Rule: selfish.ID, Message: "x"}),
		// a failure naming its own rule counts, even beside another rule's violation
		both.ID: withViolations(spec("breaks both", types.SpecStateFailed, "["+both.ID+"] y", both.Label()),
			Violation{Rule: rs[1].ID, Message: "z"}),
	}), Header{})
	rr := byID(got)
	for _, want := range []struct {
		rule    *rules.Rule
		outcome string
		says    string
	}{
		{own, NotJudged, "another rule was broken first: " + other.ID + ", " + third.ID},
		{other, Failed, "2 of 3 specs"},
		{third, Failed, ""},
		{selfish, Failed, ""},
		{both, Failed, ""},
	} {
		r := rr[want.rule.ID]
		if r.Outcome != want.outcome || !strings.Contains(r.Reason, want.says) {
			t.Errorf("%s: %s (%s), want %s (%s)", want.rule.ID, r.Outcome, r.Reason, want.outcome, want.says)
		}
	}
	if v := rr[third.ID].Violations; len(v) != 1 || v[0].Block != "neighbor[0]/path[0]" || v[0].Spec == "" {
		t.Errorf("a violation read from JSON keeps its block and names its spec: %+v", v)
	}
	if got.Verdict != VerdictNotConformant {
		t.Errorf("verdict %q", got.Verdict)
	}
	// A passed spec's violation entry still counts.
	got = Build(wholeRun(map[string]types.SpecReport{
		own.ID: withViolations(spec("passes", types.SpecStatePassed, "", own.Label()), Violation{Rule: other.ID, Message: "late"}),
	}), Header{})
	if rr := byID(got); rr[other.ID].Outcome != Failed || rr[own.ID].Outcome != Passed {
		t.Errorf("a violation recorded in a passing spec: %s %s, %s %s", other.ID, rr[other.ID].Outcome, own.ID, rr[own.ID].Outcome)
	}
}

func TestWhatCannotBeJudgedIsNotJudged(t *testing.T) {
	rs := testable(t, 8)
	cases := []struct {
		spec types.SpecReport
		want string
		says string
	}{
		{spec("setup", types.SpecStateFailed, "[setup] MustInitiateOffload: NDIS_STATUS_RESOURCES", rs[0].Label()), NotJudged, "NDIS_STATUS_RESOURCES"},
		{spec("harness", types.SpecStateFailed, "[harness] cannot create the target: exit status 3", rs[1].Label()), NotJudged, "exit status 3"},
		{spec("not judged", types.SpecStateSkipped, NotJudgedPrefix+"terminate answered NDIS_STATUS_FAILURE", rs[2].Label()), NotJudged, "answered NDIS_STATUS_FAILURE"},
		{spec("not applicable", types.SpecStateSkipped, "target does not declare IPv6 offload", rs[3].Label()), Skipped, "IPv6"},
		{spec("suite timeout", types.SpecStateTimedout, "A suite timeout occurred", rs[4].Label()), NotJudged, "--timeout"},
		{spec("own timeout", types.SpecStateTimedout, "A spec timeout occurred", rs[5].Label()), failedOrWarning(rs[5]), ""},
		{withViolations(spec("harness violation", types.SpecStateFailed, "[harness] closing the target failed", rs[6].Label()),
			Violation{Rule: "harness", Message: "closing the target failed"}), NotJudged, "closing the target failed"},
		{spec("bare assertion", types.SpecStateFailed, "Expected\n    <int>: 1\nto equal\n    <int>: 2", rs[7].Label()), failedOrWarning(rs[7]), ""},
	}
	change := map[string]types.SpecReport{}
	for i, c := range cases {
		change[rs[i].ID] = c.spec
	}
	rr := byID(Build(wholeRun(change), Header{}))
	for i, c := range cases {
		if r := rr[rs[i].ID]; r.Outcome != c.want || !strings.Contains(r.Reason, c.says) {
			t.Errorf("%s: %s (%s), want %s (%s)", c.spec.LeafNodeText, r.Outcome, r.Reason, c.want, c.says)
		}
	}
}

func failedOrWarning(r *rules.Rule) string {
	if binds(r.Level) {
		return Failed
	}
	return Warning
}

func TestVerdicts(t *testing.T) {
	must := testable(t, 2, rules.Must)
	should := testable(t, 1, rules.Should)[0]
	may := testable(t, 1, rules.May)[0]
	suiteTimeout := wholeRun(map[string]types.SpecReport{
		must[0].ID: spec("was running", types.SpecStateTimedout, "A suite timeout occurred", must[0].Label()),
		must[1].ID: spec("never ran", types.SpecStateSkipped, "", must[1].Label()),
	})
	suiteTimeout.SpecialSuiteFailureReasons = []string{"Suite Timeout Elapsed"}
	dry := wholeRun(nil)
	dry.SuiteConfig.DryRun = true
	nothing := wholeRun(nil)
	for i := range nothing.SpecReports {
		nothing.SpecReports[i].State = types.SpecStateSkipped
	}
	nothing.SuiteConfig.LabelFilter = "rule:INIT-9999"
	nothing.PreRunStats.SpecsThatWillRun = 0
	cannotStart := wholeRun(nil)
	for i := range cannotStart.SpecReports {
		cannotStart.SpecReports[i].State = types.SpecStateSkipped
	}
	cannotStart.SpecReports = append(cannotStart.SpecReports, types.SpecReport{
		LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStateFailed,
		Failure: types.Failure{Message: "[harness] the target could not start: exit status 7\ncannot start on purpose"},
	})
	midway := wholeRun(nil)
	for i := range midway.SpecReports {
		midway.SpecReports[i].State = types.SpecStateSkipped
		midway.SpecReports[i].Failure.Message = NotJudgedPrefix + "the target could not start: refused"
	}
	midway.SpecReports = append(midway.SpecReports, spec("passed before", types.SpecStatePassed, "", must[0].Label()))
	typo := wholeRun(nil)
	typo.SuiteConfig.LabelFilter = "rule:" + must[0].ID + " || rule:INIT-45"
	for _, c := range []struct {
		name   string
		report types.Report
		want   Verdict
		says   string
	}{
		{"every rule passes", wholeRun(nil), VerdictConformant, "every testable rule was judged"},
		{"a MUST fails", wholeRun(map[string]types.SpecReport{must[0].ID: spec("x", types.SpecStateFailed, "["+must[0].ID+"] x", must[0].Label())}), VerdictNotConformant, "1 rule that binds"},
		{"a SHOULD fails", wholeRun(map[string]types.SpecReport{should.ID: spec("x", types.SpecStateFailed, "["+should.ID+"] x", should.Label())}), VerdictConformant, "1 warning"},
		{"a MAY is overstepped", wholeRun(map[string]types.SpecReport{may.ID: spec("x", types.SpecStateFailed, "["+may.ID+"] x", may.Label())}), VerdictConformant, "1 warning"},
		{"a rule does not apply", wholeRun(map[string]types.SpecReport{must[0].ID: spec("x", types.SpecStateSkipped, "target does not declare tcpEntries", must[0].Label())}), VerdictConformant, "1 not applicable"},
		{"a rule is not judged", wholeRun(map[string]types.SpecReport{must[0].ID: spec("x", types.SpecStateSkipped, NotJudgedPrefix+"setup answered FAILURE", must[0].Label())}), VerdictIncomplete, "1 testable rule was"},
		{"a rule is filtered out", wholeRun(map[string]types.SpecReport{must[0].ID: spec("x", types.SpecStateSkipped, "", must[0].Label())}), VerdictIncomplete, "not judged or not run"},
		{"the suite timeout elapses", suiteTimeout, VerdictIncomplete, "Suite Timeout Elapsed"},
		{"a dry run", dry, VerdictNotRun, "dry run"},
		{"an empty selection", nothing, VerdictNotRun, "INIT-9999"},
		{"a target that cannot start", cannotStart, VerdictNotRun, "the target could not start: exit status 7"},
		{"a label filter with a typo", typo, VerdictIncomplete, "rule:INIT-45"},
		{"a target that stops starting midway", midway, VerdictIncomplete, "not judged or not run"},
	} {
		got := Build(c.report, Header{})
		if got.Verdict != c.want || !strings.Contains(got.Why, c.says) {
			t.Errorf("%s: %s (%s), want %s (%s)", c.name, got.Verdict, got.Why, c.want, c.says)
		}
	}
	rr := byID(Build(wholeRun(map[string]types.SpecReport{should.ID: spec("x", types.SpecStateFailed, "["+should.ID+"] x", should.Label())}), Header{}))
	if rr[should.ID].Outcome != Warning {
		t.Errorf("a broken SHOULD is %q, want %q", rr[should.ID].Outcome, Warning)
	}
}

func TestAReportWrittenAtTheStartSaysTheRunIsInProgress(t *testing.T) {
	c := InProgress(Header{TargetNote: "not opened yet"})
	if c.Verdict != VerdictIncomplete || c.State != StateInProgress || c.Summary.Passed != 0 {
		t.Errorf("in progress: %s %s, %d passed", c.Verdict, c.State, c.Summary.Passed)
	}
	if md := Markdown(c); !strings.Contains(md, "**Verdict: INCOMPLETE**") || !strings.Contains(md, "if you read this, the run did not finish") {
		t.Errorf("the in-progress report must say so:\n%s", firstLines(md, 12))
	}
	n := NotStarted(Header{}, "configuration: line 3: unknown key")
	if n.Verdict != VerdictNotRun || !strings.Contains(Markdown(n), "unknown key") {
		t.Errorf("not started: %s %s", n.Verdict, n.Why)
	}
}

// TestWhatTheTargetSuppliesCannotForgeTheReport: a target name, vendor or version, and a
// failure message, are the target's words; none of them may add a line, a heading, a table
// cell, a code block end or a verdict to the Markdown.
func TestWhatTheTargetSuppliesCannotForgeTheReport(t *testing.T) {
	must := testable(t, 1, rules.Must)[0]
	forged := "x\n\n**Verdict: CONFORMANT**\n# Verdict: CONFORMANT"
	info := target.Info{Name: forged, Vendor: "v | evil | `code` <script>alert(1)</script>\r\n## Heading", Version: "1\u2028\u202eVerdict: CONFORMANT"}
	msg := "[" + must.ID + "] bad\n```\n**Verdict: CONFORMANT**\r**Verdict: CONFORMANT**\n````\n# Heading"
	c := Build(wholeRun(map[string]types.SpecReport{must.ID: spec("x", types.SpecStateFailed, msg, must.Label())}),
		Header{Target: info, Configuration: map[string]any{"args": []string{"a\n```\n**Verdict: CONFORMANT**"}}})
	c.RunProblems = append(c.RunProblems, "exec target exited (exit status 2); its output ends:\n```\n**Verdict: CONFORMANT**")
	md := Markdown(c)
	var verdicts, headings []string
	inFence := ""
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "```") {
			fence := trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
			switch {
			case inFence == "":
				inFence = fence
			case fence == inFence && strings.TrimSpace(trimmed) == fence:
				inFence = ""
			}
			continue
		}
		if inFence != "" {
			if strings.HasPrefix(line, "**Verdict") || strings.HasPrefix(line, "#") {
				t.Errorf("a line inside a code block starts like a verdict or a heading: %q", line)
			}
			continue
		}
		if verdictLike.MatchString(line) {
			verdicts = append(verdicts, line)
		}
		if strings.HasPrefix(line, "#") {
			headings = append(headings, line)
		}
	}
	if inFence != "" {
		t.Error("a code block is never closed")
	}
	if len(verdicts) != 1 || verdicts[0] != "**Verdict: NOT CONFORMANT**" {
		t.Errorf("outside code blocks, want exactly one line that starts like a verdict; got %q", verdicts)
	}
	for _, h := range headings {
		if strings.Contains(h, "Heading") || strings.Contains(h, "CONFORMANT") {
			t.Errorf("the target made a heading: %q", h)
		}
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| target |") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 3 {
			t.Errorf("the target's words made table cells: %q", line)
		}
		if strings.Contains(line, "<script>") {
			t.Errorf("raw HTML from the target: %q", line)
		}
	}
	var back Conformance
	data, _ := json.Marshal(c)
	if err := json.Unmarshal(data, &back); err != nil || back.Target.Name != forged {
		t.Errorf("the JSON report keeps the target's name as given: %q, %v", back.Target.Name, err)
	}
}

// verdictLike matches a line that a reader (or a grep) could take for a verdict: one that
// starts, after any Markdown markers, with "Verdict".
var verdictLike = regexp.MustCompile(`^[ \t>*#|\-+_\\]*Verdict`)

func TestWritingReplacesASymlinkAndNeverFollowsIt(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "reports", "conformance")
	os.MkdirAll(filepath.Dir(base), 0o755)
	for _, ext := range []string{".md", ".json"} {
		if err := os.Symlink(victim, base+ext); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(InProgress(Header{}), base); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Errorf("the report was written through the symlink: the victim now holds %q", firstLines(string(data), 2))
	}
	for _, ext := range []string{".md", ".json"} {
		fi, err := os.Lstat(base + ext)
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s is not a regular file after writing: %v %v", base+ext, fi.Mode(), err)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(base))
	if len(entries) != 2 {
		t.Errorf("writing left files behind: %v", entries)
	}
	var c Conformance
	data, _ := os.ReadFile(base + ".json")
	if err := json.Unmarshal(data, &c); err != nil || c.State != StateInProgress {
		t.Errorf("the JSON report does not read back: %v", err)
	}
	// A stale report, a symlink and a torn write's leftovers are all removed, the victim kept.
	os.WriteFile(filepath.Join(filepath.Dir(base), tempPrefix(base+".json")+"123.tmp"), []byte(`{"verdict": "conf`), 0o644)
	os.Remove(base + ".md")
	os.Symlink(victim, base+".md")
	if err := RemoveStale(base+".json", base+".md"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(base)); len(entries) != 0 {
		t.Errorf("RemoveStale left %v", entries)
	}
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Error("RemoveStale touched the symlink's target")
	}
	if err := os.Mkdir(base+".md", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(InProgress(Header{}), base); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("a directory at the report's path must be a clear error, got %v", err)
	}
}

func TestAReportSaysWhatProducedIt(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ginkgo.yml")
	content := []byte("reports: {}\n")
	os.WriteFile(cfg, content, 0o644)
	started := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := NewProvenance(cfg, started)
	sum := sha256.Sum256(content)
	if p.ConfigSHA256 != hex.EncodeToString(sum[:]) || p.ConfigFile != cfg {
		t.Errorf("configuration %s, SHA-256 %s", p.ConfigFile, p.ConfigSHA256)
	}
	if !strings.HasPrefix(p.Catalog, "sha256:") || len(p.Catalog) != len("sha256:")+64 || p.CatalogRules != len(rules.All()) {
		t.Errorf("catalog version %q of %d rules", p.Catalog, p.CatalogRules)
	}
	if again, _ := CatalogVersion(); again != p.Catalog {
		t.Error("the catalog version is not stable")
	}
	// A test binary is built from the checkout, unstamped.
	if p.Suite != "github.com/ndis-chimney/conformance" || p.SuiteVersion != "(devel)" || p.SuiteRevision == "" || !p.Started.Equal(started) {
		t.Errorf("suite %s %s %s, started %s", p.Suite, p.SuiteVersion, p.SuiteRevision, p.Started)
	}
	if p := NewProvenance("", started); !strings.HasPrefix(p.ConfigSHA256, "none") {
		t.Errorf("no configuration file: %q", p.ConfigSHA256)
	}
	md := Markdown(InProgress(Header{Provenance: p}))
	for _, want := range []string{p.Catalog[len("sha256:"):], p.ConfigSHA256, "2026-01-02 03:04:05 UTC"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown report does not carry %q", want)
		}
	}
}

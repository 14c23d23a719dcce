package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func TestRulesTakeTheOutcomesOfTheirSpecs(t *testing.T) {
	var testable []*rules.Rule
	for _, r := range rules.All() {
		if r.Testable() {
			testable = append(testable, r)
		}
	}
	if len(testable) < 3 {
		t.Skip("the catalog has fewer than three testable rules")
	}
	a, b, c := testable[0], testable[1], testable[2]
	r := types.Report{SpecReports: types.SpecReports{
		spec("passes", types.SpecStatePassed, "", a.Label()),
		spec("fails", types.SpecStateFailed, "["+b.ID+"] MiniportInitiateOffload neighbor[0]: bad", b.Label()),
		spec("also passes", types.SpecStatePassed, "", b.Label()),
		spec("skips", types.SpecStateSkipped, "target does not declare tcpEntries", c.Label()),
		spec("has no rule", types.SpecStatePassed, ""),
	}}
	got := Build(r, target.Info{Name: "t"}, nil)
	byID := map[string]RuleResult{}
	for _, rr := range got.Rules {
		byID[rr.ID] = rr
	}
	if byID[a.ID].Outcome != Passed || byID[b.ID].Outcome != Failed || byID[c.ID].Outcome != Skipped {
		t.Errorf("outcomes: %s %s, %s %s, %s %s", a.ID, byID[a.ID].Outcome, b.ID, byID[b.ID].Outcome, c.ID, byID[c.ID].Outcome)
	}
	if !strings.Contains(byID[c.ID].Reason, "tcpEntries") {
		t.Errorf("a skipped rule must carry the skip reason, got %q", byID[c.ID].Reason)
	}
	if got.Verdict != NotConformant || len(got.Unattributed) != 1 {
		t.Errorf("verdict %q, unattributed %d", got.Verdict, len(got.Unattributed))
	}
	if len(testable) > 3 && byID[testable[3].ID].Outcome != NotRun {
		t.Errorf("a testable rule with no spec in the run is %q, want %q", byID[testable[3].ID].Outcome, NotRun)
	}
	dir := t.TempDir()
	if err := Write(got, filepath.Join(dir, "conformance")); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "conformance.md"))
	if !strings.Contains(string(md), "NOT CONFORMANT") || !strings.Contains(string(md), b.ID) {
		t.Error("the Markdown report must show the verdict and the failed rule")
	}
}

func TestAnInterruptedRunIsIncompleteNotAFailure(t *testing.T) {
	var testable []*rules.Rule
	for _, r := range rules.All() {
		if r.Testable() {
			testable = append(testable, r)
		}
	}
	if len(testable) < 3 {
		t.Skip("the catalog has fewer than three testable rules")
	}
	a, b, c := testable[0], testable[1], testable[2]
	r := types.Report{
		SpecialSuiteFailureReasons: []string{"Interrupted by User"},
		SpecReports: types.SpecReports{
			spec("passes", types.SpecStatePassed, "", a.Label()),
			spec("was running", types.SpecStateInterrupted, "Interrupted by User", b.Label()),
			spec("never started", types.SpecStateSkipped, "", c.Label()),
		},
	}
	got := Build(r, target.Info{Name: "t"}, nil)
	byID := map[string]RuleResult{}
	for _, rr := range got.Rules {
		byID[rr.ID] = rr
	}
	if byID[b.ID].Outcome != NotRun || byID[c.ID].Outcome != NotRun {
		t.Errorf("interrupted %s is %q, never started %s is %q; both want %q", b.ID, byID[b.ID].Outcome, c.ID, byID[c.ID].Outcome, NotRun)
	}
	if got.Verdict != Incomplete {
		t.Errorf("verdict %q, want %q", got.Verdict, Incomplete)
	}
	if !strings.Contains(Markdown(got), "Interrupted by User") {
		t.Error("the Markdown report must say the run was interrupted")
	}
}

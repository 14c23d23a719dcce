// Package report writes the conformance report: every rule of the catalog with what the run
// found (passed, failed, warning, not judged and why, skipped as not applicable and why, not
// run, not testable and why), the target's identity and declared capabilities, the
// configuration in force, what produced the report, and a verdict. It is written as JSON for
// machines and Markdown for people.
//
// A report is written when a run starts, saying it is in progress, and replaced when the run
// ends; each write goes through a temporary file renamed into place, so the file at the
// report's path is always a whole report of the latest run.
package report

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/onsi/ginkgo/v2/types"
)

// Outcomes of a rule.
const (
	Passed = "passed"
	// Failed: a MUST, MUST NOT or definition was broken. It makes the target non-conformant.
	Failed = "failed"
	// Warning: a SHOULD, SHOULD NOT or MAY was broken. It never makes a target non-conformant.
	Warning = "warning"
	// NotJudged: specs of the rule ran but could not judge it (a setup step, another rule
	// broken first, a target that could not start, an interrupt); Reason says why.
	NotJudged = "not judged"
	// Skipped: not applicable; every spec of the rule that ran skipped itself with a reason,
	// such as a limit the target does not declare.
	Skipped = "skipped"
	// NotRun: some spec of the rule did not run (filtered out, a dry run, or the run ended
	// first).
	NotRun = "not run"
	// NotTestable: no host can check the rule today; Reason says why.
	NotTestable = "not testable"
)

// Verdict is what a run concludes about the target.
type Verdict string

// Verdicts.
const (
	// Conformant: every testable rule was judged, and none that binds failed (warnings and
	// rules that do not apply are allowed).
	VerdictConformant Verdict = "conformant"
	// NotConformant: a rule that binds (MUST, MUST NOT, definition) failed.
	VerdictNotConformant Verdict = "not conformant"
	// Incomplete: nothing that binds failed, but some testable rule was not judged or not run,
	// or the run did not finish normally (interrupted, timed out, still in progress).
	VerdictIncomplete Verdict = "incomplete"
	// NotRun: nothing was judged: a dry run, a selection of no specs, a target that could not
	// start, or a run stopped before its first spec.
	VerdictNotRun Verdict = "not run"
)

// States of the run a report describes.
const (
	StateInProgress = "in progress" // written as the run starts; replaced when it ends
	StateFinished   = "finished"
	StateNotStarted = "not started" // stopped before any spec, e.g. by a configuration error
)

// InProgressProblem is what a report written at the start of a run says until the run ends.
const InProgressProblem = "run in progress; if you read this, the run did not finish"

// ViolationEntry names the Ginkgo report entry in which a spec records a rule it found broken.
// Its value is a Violation; the entry fails the rule it names, whatever rule the spec is
// labelled with.
const ViolationEntry = "rule violation"

// Violation is the value of a ViolationEntry: plain strings, so that it survives the JSON
// between parallel processes.
type Violation struct {
	Rule    string `json:"rule"`            // the rule's ID
	Op      string `json:"op,omitempty"`    // the handler, e.g. MiniportInitiateOffload
	Block   string `json:"block,omitempty"` // the block's path, e.g. neighbor[0]/path[1]
	Message string `json:"message"`         // what was found
}

// NotJudgedPrefix starts the message of a spec that skips because it cannot judge its rule (a
// setup step got an outcome the pages allow, the target could not start): the rule is then
// not judged, not "not applicable".
const NotJudgedPrefix = "[not judged] "

// Conformance is the whole report.
type Conformance struct {
	State      string      `json:"state"`
	Verdict    Verdict     `json:"verdict"`
	Why        string      `json:"why"` // the verdict in one sentence
	Provenance Provenance  `json:"provenance"`
	Generated  time.Time   `json:"generated"`
	Target     target.Info `json:"target"`
	// TargetNote says why Target is empty: no target was opened in this run.
	TargetNote    string            `json:"targetNote,omitempty"`
	Configuration any               `json:"configuration"`
	Selection     Selection         `json:"selection"`
	Summary       Summary           `json:"summary"`
	Rules         []RuleResult      `json:"rules"`
	Conflicts     []*rules.Conflict `json:"conflicts"`
	Unattributed  []SpecResult      `json:"unattributedSpecs,omitempty"`
	RunTime       string            `json:"runTime"`
	Suite         string            `json:"suite"`
	SpecsByState  map[string]int    `json:"specsByState"`
	Extra         map[string]string `json:"extra,omitempty"`
	// RunProblems say why the run as a whole did not finish normally: Ginkgo's reasons (e.g.
	// "Interrupted by User", "Suite Timeout Elapsed"), a failed suite node (a target that could
	// not start), a dry run, a selection of no specs, a run still in progress.
	RunProblems []string `json:"runProblems,omitempty"`
}

// Selection is which specs the run selected.
type Selection struct {
	LabelFilter string   `json:"labelFilter,omitempty"`
	Focus       []string `json:"focus,omitempty"`
	Skip        []string `json:"skip,omitempty"`
	FocusFiles  []string `json:"focusFiles,omitempty"`
	SkipFiles   []string `json:"skipFiles,omitempty"`
	DryRun      bool     `json:"dryRun,omitempty"`
	// Specs is how many specs the suite has, Selected how many the selection let run.
	Specs    int `json:"specs"`
	Selected int `json:"selected"`
}

// Whole reports whether the selection is every spec of the suite.
func (s Selection) Whole() bool { return s.Selected == s.Specs && s.Specs > 0 }

// Summary counts rules by outcome.
type Summary struct {
	Rules       int `json:"rules"`
	Testable    int `json:"testable"`
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	Warnings    int `json:"warnings"`
	NotJudged   int `json:"notJudged"`
	Skipped     int `json:"skipped"`
	NotRun      int `json:"notRun"`
	NotTestable int `json:"notTestable"`
}

// RuleResult is one rule and what the run found.
type RuleResult struct {
	ID            string   `json:"id"`
	Level         string   `json:"level"`
	Text          string   `json:"text"`
	Sources       []string `json:"sources"`
	Observability string   `json:"observability"`
	Conflict      string   `json:"conflict,omitempty"`
	Outcome       string   `json:"outcome"`
	Reason        string   `json:"reason,omitempty"`
	// Specs are the specs labelled with the rule.
	Specs []SpecResult `json:"specs,omitempty"`
	// Violations are what the specs (its own or others) found broken of it.
	Violations []RuleViolation `json:"violations,omitempty"`
}

// RuleViolation is one violation of a rule, with the spec that met it.
type RuleViolation struct {
	Spec string `json:"spec"`
	Violation
}

// SpecResult is one spec's outcome.
type SpecResult struct {
	Name    string      `json:"name"`
	State   string      `json:"state"`
	Message string      `json:"message,omitempty"`
	Broke   []string    `json:"rulesNamedInFailure,omitempty"`
	Found   []Violation `json:"violations,omitempty"`
	RunTime string      `json:"runTime"`
}

// Header is what a report says about a run beyond Ginkgo's report of it.
type Header struct {
	Target target.Info
	// TargetNote says why Target is empty, e.g. "no target was opened: dry run".
	TargetNote    string
	Configuration any
	Provenance    Provenance
}

var ruleInFailure = regexp.MustCompile(`\[([A-Z]+-[0-9]{3})\]`)

// InProgress is the report written as a run starts, before any spec: it stands until the run
// ends and replaces it, so that a run that never ends (killed, crashed) leaves this behind and
// never the verdict of an earlier run.
func InProgress(h Header) Conformance {
	c := skeleton(h, StateInProgress)
	c.Verdict, c.Why = VerdictIncomplete, InProgressProblem
	c.RunProblems = []string{InProgressProblem}
	return c
}

// NotStarted is the report of a run stopped before any spec, by why (a configuration error, a
// rule catalog that does not validate).
func NotStarted(h Header, why string) Conformance {
	c := skeleton(h, StateNotStarted)
	c.Verdict, c.Why = VerdictNotRun, "the run stopped before any spec: "+why
	c.RunProblems = []string{why}
	return c
}

// skeleton is a report with every rule not run (or not testable).
func skeleton(h Header, state string) Conformance {
	c := Conformance{
		State: state, Provenance: h.Provenance, Generated: time.Now().UTC(), Target: h.Target, TargetNote: h.TargetNote,
		Configuration: h.Configuration, Conflicts: rules.Conflicts(), SpecsByState: map[string]int{}, RunTime: "0s",
	}
	for _, rule := range rules.All() {
		c.add(newRuleResult(rule), rule)
	}
	return c
}

func newRuleResult(rule *rules.Rule) RuleResult {
	rr := RuleResult{
		ID: rule.ID, Level: rule.Level.String(), Text: rule.Text, Sources: rule.Sources,
		Observability: rule.Observability.String(), Conflict: rule.Conflict,
	}
	rr.Outcome, rr.Reason = NotRun, "the run did not reach it"
	if !rule.Testable() {
		rr.Outcome, rr.Reason = NotTestable, rule.Observability.String()+": "+rule.Note
	}
	return rr
}

// add appends rr and counts it.
func (c *Conformance) add(rr RuleResult, rule *rules.Rule) {
	c.Summary.Rules++
	if rule.Testable() {
		c.Summary.Testable++
	}
	switch rr.Outcome {
	case Passed:
		c.Summary.Passed++
	case Failed:
		c.Summary.Failed++
	case Warning:
		c.Summary.Warnings++
	case NotJudged:
		c.Summary.NotJudged++
	case Skipped:
		c.Summary.Skipped++
	case NotRun:
		c.Summary.NotRun++
	case NotTestable:
		c.Summary.NotTestable++
	}
	c.Rules = append(c.Rules, rr)
}

// Build turns Ginkgo's report of a finished run into the conformance report.
func Build(r types.Report, h Header) Conformance {
	c := Conformance{
		State: StateFinished, Provenance: h.Provenance, Generated: time.Now().UTC(), Target: h.Target,
		TargetNote: h.TargetNote, Configuration: h.Configuration, Conflicts: rules.Conflicts(),
		Suite: r.SuiteDescription, RunTime: r.RunTime.Round(time.Millisecond).String(), SpecsByState: map[string]int{},
		Selection: selectionOf(r),
	}
	dry := r.SuiteConfig.DryRun
	if dry {
		c.RunProblems = append(c.RunProblems, "dry run: Ginkgo listed the specs without running any")
	}
	c.RunProblems = append(c.RunProblems, r.SpecialSuiteFailureReasons...)
	findings := map[string][]finding{}
	byRule := map[string][]SpecResult{}
	ran, judged := 0, 0
	for _, s := range r.SpecReports {
		if s.LeafNodeType.Is(types.NodeTypesForSuiteLevelNodes) && s.State.Is(types.SpecStateFailureStates) {
			// A suite node that found violations (late completions, judged after the last
			// spec) counts them against their rules; any other failure there is a problem of
			// the run.
			if vs := violationsOf(s); len(vs) > 0 {
				for _, v := range vs {
					if _, ok := rules.ByID(v.Rule); ok {
						findings[v.Rule] = append(findings[v.Rule], finding{rule: v.Rule, kind: violated, spec: "after the last spec (" + s.LeafNodeType.String() + ")", violation: v})
						continue
					}
					c.RunProblems = append(c.RunProblems, suiteNodeProblem(s))
				}
				continue
			}
			c.RunProblems = append(c.RunProblems, suiteNodeProblem(s))
		}
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		res, fs := assess(s, dry)
		c.SpecsByState[res.State]++
		if !dry && !(s.State == types.SpecStateSkipped && s.Failure.Message == "") && s.State != types.SpecStatePending {
			ran++
		}
		ids := RuleLabels(s.Labels())
		if len(ids) == 0 {
			c.Unattributed = append(c.Unattributed, res)
			if s.State.Is(types.SpecStateFailureStates) && !dry {
				c.RunProblems = append(c.RunProblems, "a spec with no rule failed: "+res.Name)
			}
		}
		for _, id := range ids {
			byRule[id] = append(byRule[id], res)
		}
		judgedHere := false
		for _, f := range fs {
			findings[f.rule] = append(findings[f.rule], f)
			judgedHere = judgedHere || f.kind == passed || f.kind == violated
		}
		if judgedHere {
			judged++
		}
	}
	for _, id := range unknownRulesIn(c.Selection.LabelFilter) {
		c.RunProblems = append(c.RunProblems, "the label filter names rule:"+id+", which is not in the rule catalog")
	}
	for _, rule := range rules.All() {
		rr := newRuleResult(rule)
		rr.Specs = byRule[rule.ID]
		for _, f := range findings[rule.ID] {
			if f.kind == violated {
				rr.Violations = append(rr.Violations, RuleViolation{Spec: f.spec, Violation: f.violation})
			}
		}
		rr.Outcome, rr.Reason = outcome(rule, findings[rule.ID])
		c.add(rr, rule)
	}
	c.Verdict, c.Why = verdict(c, ran, judged)
	return c
}

func selectionOf(r types.Report) Selection {
	sc := r.SuiteConfig
	return Selection{
		LabelFilter: sc.LabelFilter, Focus: sc.FocusStrings, Skip: sc.SkipStrings, FocusFiles: sc.FocusFiles,
		SkipFiles: sc.SkipFiles, DryRun: sc.DryRun, Specs: r.PreRunStats.TotalSpecs, Selected: r.PreRunStats.SpecsThatWillRun,
	}
}

func suiteNodeProblem(s types.SpecReport) string {
	msg := strings.TrimSpace(s.Failure.Message)
	if rest, ok := strings.CutPrefix(msg, "[harness] "); ok {
		msg = rest
	}
	return s.LeafNodeType.String() + " failed: " + firstLines(msg, 20)
}

var ruleInFilter = regexp.MustCompile(`rule:([A-Za-z0-9_-]+)`)

// unknownRulesIn returns the rule IDs a label filter names that the catalog does not have: a
// typo that selects nothing.
func unknownRulesIn(filter string) []string {
	var out []string
	for _, m := range ruleInFilter.FindAllStringSubmatch(filter, -1) {
		if _, ok := rules.ByID(m[1]); !ok {
			out = appendUnique(out, m[1])
		}
	}
	return out
}

// verdict concludes the run from its rules, its problems, how many specs ran and how many of
// them judged a rule (passed, or found one broken). Nothing judged is NOT RUN, even when rules
// were: every spec that ran could not judge its rule.
func verdict(c Conformance, ran, judged int) (Verdict, string) {
	s := c.Summary
	switch {
	case c.Selection.DryRun:
		return VerdictNotRun, "nothing was judged: this was a dry run, which lists the specs without running them"
	case s.Failed > 0:
		return VerdictNotConformant, plural(s.Failed, "rule that binds (MUST, MUST NOT, definition) failed", "rules that bind (MUST, MUST NOT, definition) failed")
	case judged == 0:
		switch {
		case len(c.RunProblems) > 0:
			return VerdictNotRun, "nothing was judged: " + firstLines(c.RunProblems[0], 1)
		case ran == 0:
			return VerdictNotRun, "nothing was judged: the selection ran no spec" + filterNote(c.Selection)
		case s.NotJudged > 0:
			return VerdictNotRun, "nothing was judged: every spec that ran could not judge its rule"
		}
		return VerdictNotRun, "nothing was judged: every spec that ran found its rule not applicable"
	case len(c.RunProblems) > 0:
		return VerdictIncomplete, "nothing that binds failed, but the run did not finish normally: " + firstLines(c.RunProblems[0], 1)
	case s.NotJudged > 0 || s.NotRun > 0:
		return VerdictIncomplete, "nothing that binds failed, but " + plural(s.NotJudged+s.NotRun, "testable rule was", "testable rules were") + " not judged or not run"
	}
	why := "every testable rule was judged: " + plural(s.Passed, "passed", "passed")
	if s.Skipped > 0 {
		why += ", " + plural(s.Skipped, "not applicable", "not applicable")
	}
	if s.Warnings > 0 {
		why += ", " + plural(s.Warnings, "warning (SHOULD, SHOULD NOT, MAY)", "warnings (SHOULD, SHOULD NOT, MAY)")
	}
	return VerdictConformant, why
}

func filterNote(s Selection) string {
	if s.LabelFilter != "" {
		return " (label filter " + s.LabelFilter + ")"
	}
	return ""
}

// RuleLabels returns the rule IDs among a spec's labels ("rule:INIT-001" gives "INIT-001").
func RuleLabels(labels []string) []string {
	var out []string
	for _, l := range labels {
		if id, ok := strings.CutPrefix(l, "rule:"); ok {
			out = append(out, id)
		}
	}
	return out
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

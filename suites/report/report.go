// Package report writes the conformance report: after a run, every rule of the catalog with
// what its specs found (passed, failed, skipped and why, not run, not testable and why), the
// target's identity and declared capabilities, the configuration in force, and a verdict. It
// is written as JSON for machines and Markdown for people.
package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/onsi/ginkgo/v2/types"
)

// Outcomes of a rule.
const (
	Passed      = "passed"
	Failed      = "failed"
	Skipped     = "skipped"      // every spec of the rule skipped itself, e.g. a limit is undeclared
	NotRun      = "not run"      // the rule's specs were filtered out of this run
	NotTestable = "not testable" // no host can check the rule today; Reason says why
)

// Verdicts.
const (
	Conformant    = "conformant"
	NotConformant = "not conformant"
	Incomplete    = "incomplete" // nothing failed, but some testable rules were not run
)

// Conformance is the whole report.
type Conformance struct {
	Generated     time.Time         `json:"generated"`
	Target        target.Info       `json:"target"`
	Configuration any               `json:"configuration"`
	Verdict       string            `json:"verdict"`
	Summary       Summary           `json:"summary"`
	Rules         []RuleResult      `json:"rules"`
	Conflicts     []*rules.Conflict `json:"conflicts"`
	Unattributed  []SpecResult      `json:"unattributedSpecs,omitempty"`
	RunTime       string            `json:"runTime"`
	Suite         string            `json:"suite"`
	SpecsByState  map[string]int    `json:"specsByState"`
	Extra         map[string]string `json:"extra,omitempty"`
	// RunProblems are Ginkgo's reasons the run as a whole failed (e.g. "Interrupted by User").
	RunProblems []string `json:"runProblems,omitempty"`
}

// Summary counts rules by outcome.
type Summary struct {
	Rules       int `json:"rules"`
	Testable    int `json:"testable"`
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	Skipped     int `json:"skipped"`
	NotRun      int `json:"notRun"`
	NotTestable int `json:"notTestable"`
}

// RuleResult is one rule and what its specs found.
type RuleResult struct {
	ID            string       `json:"id"`
	Level         string       `json:"level"`
	Text          string       `json:"text"`
	Sources       []string     `json:"sources"`
	Observability string       `json:"observability"`
	Conflict      string       `json:"conflict,omitempty"`
	Outcome       string       `json:"outcome"`
	Reason        string       `json:"reason,omitempty"`
	Specs         []SpecResult `json:"specs,omitempty"`
}

// SpecResult is one spec's outcome.
type SpecResult struct {
	Name    string   `json:"name"`
	State   string   `json:"state"`
	Message string   `json:"message,omitempty"`
	Broke   []string `json:"rulesNamedInFailure,omitempty"`
	RunTime string   `json:"runTime"`
}

var ruleInFailure = regexp.MustCompile(`\[([A-Z]+-[0-9]{3})\]`)

// Build turns a Ginkgo report into the conformance report.
func Build(r types.Report, info target.Info, configuration any) Conformance {
	c := Conformance{
		Generated: time.Now().UTC(), Target: info, Configuration: configuration, Conflicts: rules.Conflicts(),
		Suite: r.SuiteDescription, RunTime: r.RunTime.Round(time.Millisecond).String(), SpecsByState: map[string]int{},
		RunProblems: r.SpecialSuiteFailureReasons,
	}
	byRule := map[string][]SpecResult{}
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		c.SpecsByState[s.State.String()]++
		res := SpecResult{Name: s.FullText(), State: s.State.String(), RunTime: s.RunTime.Round(time.Microsecond).String()}
		if s.State.Is(types.SpecStateFailureStates | types.SpecStateSkipped) {
			res.Message = firstLines(s.Failure.Message, 6)
			for _, m := range ruleInFailure.FindAllStringSubmatch(s.Failure.Message, -1) {
				res.Broke = appendUnique(res.Broke, m[1])
			}
		}
		ids := RuleLabels(s.Labels())
		if len(ids) == 0 {
			c.Unattributed = append(c.Unattributed, res)
		}
		for _, id := range ids {
			byRule[id] = append(byRule[id], res)
		}
	}
	for _, rule := range rules.All() {
		rr := RuleResult{
			ID: rule.ID, Level: rule.Level.String(), Text: rule.Text, Sources: rule.Sources,
			Observability: rule.Observability.String(), Conflict: rule.Conflict, Specs: byRule[rule.ID],
		}
		rr.Outcome, rr.Reason = outcome(rule, rr.Specs)
		c.Summary.Rules++
		if rule.Testable() {
			c.Summary.Testable++
		}
		switch rr.Outcome {
		case Passed:
			c.Summary.Passed++
		case Failed:
			c.Summary.Failed++
		case Skipped:
			c.Summary.Skipped++
		case NotRun:
			c.Summary.NotRun++
		case NotTestable:
			c.Summary.NotTestable++
		}
		c.Rules = append(c.Rules, rr)
	}
	switch {
	case c.Summary.Failed > 0:
		c.Verdict = NotConformant
	case c.Summary.NotRun > 0:
		c.Verdict = Incomplete
	default:
		c.Verdict = Conformant
	}
	return c
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

func outcome(rule *rules.Rule, specs []SpecResult) (string, string) {
	if !rule.Testable() {
		return NotTestable, fmt.Sprintf("%s: %s", rule.Observability, rule.Note)
	}
	var failed, passed, skipped, interrupted int
	var reasons []string
	for _, s := range specs {
		switch s.State {
		case types.SpecStatePassed.String():
			passed++
		case types.SpecStateSkipped.String():
			// A spec that skipped itself says why; one with no message never ran (filtered
			// out, or the run ended first).
			if s.Message != "" {
				skipped++
				reasons = appendUnique(reasons, s.Message)
			}
		case types.SpecStateInterrupted.String(), types.SpecStateAborted.String():
			// Stopped from outside (SIGINT, an abort): says nothing about the target.
			interrupted++
		case types.SpecStatePending.String():
		default:
			failed++
		}
	}
	switch {
	case failed > 0:
		return Failed, fmt.Sprintf("%d of %d specs failed", failed, len(specs))
	case passed > 0:
		return Passed, ""
	case skipped > 0:
		return Skipped, strings.Join(reasons, "; ")
	case interrupted > 0:
		return NotRun, "the run was interrupted while its spec ran"
	}
	return NotRun, "no spec of this rule ran (filtered out, or the run ended first)"
}

// Write writes the report as <base>.json and <base>.md.
func Write(c Conformance, base string) error {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".json", data, 0o644); err != nil {
		return err
	}
	return os.WriteFile(base+".md", []byte(Markdown(c)), 0o644)
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

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/onsi/ginkgo/v2/types"
)

// kind is what one spec says about one rule.
type kind int

const (
	_ kind = iota
	passed
	violated
	notJudged
	skipped
	notRun
)

// finding is what one spec says about one rule.
type finding struct {
	rule      string
	kind      kind
	spec      string
	reason    string    // why not judged, skipped or not run
	violation Violation // what was broken, for violated
}

// leadingID matches a failure message that begins with the rule it is about: "[INIT-012] ...".
var leadingID = regexp.MustCompile(`^\[([A-Z]+-[0-9]{3})\]`)

// assess reads one spec's report: its result for the report, and what it says about each
// rule, namely every rule its violation entries name (broken, whatever the spec's own rule) and
// its own rules (its rule: labels):
//
//   - passed: the spec passed.
//   - broken: a violation entry names the rule, or the spec failed with no violation entry of
//     another rule and a message that does not begin with another own rule's "[ID]" (a
//     message that begins with the rule's own "[ID]" always counts).
//   - not judged: the spec failed while another rule was found broken first (it carries that
//     rule's violation entry), or in "[setup]" or the "[harness]"; it skipped with
//     NotJudgedPrefix or "[setup]", or because Ginkgo skipped it after a failure (an ordered
//     container); it was interrupted, aborted, or running when the suite timeout elapsed.
//   - skipped: the spec skipped itself with any other reason: the rule does not apply.
//   - not run: filtered out, pending, skipped with no message (the run ended first), or a dry
//     run.
func assess(s types.SpecReport, dry bool) (SpecResult, []finding) {
	name := s.FullText()
	msg := strings.TrimSpace(s.Failure.Message)
	res := SpecResult{Name: name, State: s.State.String(), RunTime: s.RunTime.Round(time.Microsecond).String()}
	if dry {
		res.State = "not run (dry run)"
	}
	if s.State.Is(types.SpecStateFailureStates|types.SpecStateSkipped) && !dry {
		res.Message = firstLines(msg, 12)
		for _, m := range ruleInFailure.FindAllStringSubmatch(msg, -1) {
			res.Broke = appendUnique(res.Broke, m[1])
		}
	}
	var fs []finding
	var broken []string // rules of the catalog the spec's violation entries name
	var odd []Violation // violation entries that name no rule of the catalog
	for _, v := range violationsOf(s) {
		res.Found = append(res.Found, v)
		if _, ok := rules.ByID(v.Rule); !ok {
			odd = append(odd, v)
			continue
		}
		fs = append(fs, finding{rule: v.Rule, kind: violated, spec: name, violation: v})
		broken = appendUnique(broken, v.Rule)
	}
	own := RuleLabels(s.Labels())
	for _, id := range own {
		if contains(broken, id) {
			continue // judged through its own violation entries
		}
		k, reason := ownFinding(s, id, own, msg, broken, odd, dry)
		f := finding{rule: id, kind: k, spec: name, reason: reason}
		if k == violated {
			f.violation = Violation{Rule: id, Message: firstLines(msg, 12)}
		}
		fs = append(fs, f)
	}
	return res, fs
}

func ownFinding(s types.SpecReport, id string, own []string, msg string, broken []string, odd []Violation, dry bool) (kind, string) {
	switch {
	case dry:
		return notRun, "dry run"
	case s.State == types.SpecStatePassed:
		return passed, ""
	case s.State == types.SpecStatePending:
		return notRun, "pending"
	case s.State == types.SpecStateSkipped:
		switch {
		case msg == "":
			return notRun, "not run (filtered out, or the run ended first)"
		case strings.HasPrefix(msg, NotJudgedPrefix):
			return notJudged, strings.TrimSpace(strings.TrimPrefix(msg, NotJudgedPrefix))
		case strings.HasPrefix(msg, "[setup]"): // a setup step the spec cannot get past
			return notJudged, msg
		case strings.HasPrefix(msg, "Spec skipped because"): // Ginkgo's, after a failure in an ordered container
			return notJudged, msg
		}
		return skipped, msg
	case s.State.Is(types.SpecStateInterrupted | types.SpecStateAborted):
		return notJudged, "the run was interrupted while it ran (" + firstLines(msg, 1) + ")"
	case s.State == types.SpecStateTimedout && (strings.HasPrefix(msg, "A suite timeout occurred") || strings.HasPrefix(msg, "A grace period timeout occurred")):
		return notJudged, "the suite timeout (--timeout) elapsed while it ran"
	case strings.HasPrefix(msg, "["+id+"]"):
		return violated, ""
	case len(broken) > 0:
		return notJudged, "another rule was broken first: " + strings.Join(broken, ", ")
	case strings.HasPrefix(msg, "[setup]"), strings.HasPrefix(msg, "[harness]"):
		return notJudged, firstLines(msg, 3)
	case len(odd) > 0:
		return notJudged, "the harness found: " + firstLines(odd[0].Message, 3)
	}
	if m := leadingID.FindStringSubmatch(msg); m != nil && m[1] != id && contains(own, m[1]) {
		return notJudged, "another rule was broken first: " + m[1]
	}
	return violated, ""
}

// violationsOf returns the violations a spec recorded as ViolationEntry report entries. In the
// process that ran the spec an entry holds the value itself; from another parallel process, or
// read back from JSON, only its JSON: both are read through JSON. An entry that cannot be read
// is a violation of no rule, which leaves the spec's own rule not judged.
func violationsOf(s types.SpecReport) []Violation {
	var out []Violation
	for _, e := range s.ReportEntries {
		if e.Name != ViolationEntry {
			continue
		}
		data := e.Value.AsJSON
		if data == "" {
			b, err := json.Marshal(e.Value.GetRawValue())
			if err != nil {
				out = append(out, Violation{Message: fmt.Sprintf("a %q entry that cannot be read: %v", ViolationEntry, err)})
				continue
			}
			data = string(b)
		}
		var v Violation
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			out = append(out, Violation{Message: fmt.Sprintf("a %q entry that cannot be read: %v", ViolationEntry, err)})
			continue
		}
		out = append(out, v)
	}
	return out
}

// binds reports whether breaking a rule of level l makes a target non-conformant.
func binds(l rules.Level) bool {
	return l == rules.Must || l == rules.MustNot || l == rules.Definition
}

// outcome decides a rule's outcome from what every spec says about it: broken beats everything
// (failed for a rule that binds, a warning for a SHOULD, SHOULD NOT or MAY); then not testable;
// then passed (some spec judged it and it held; the specs that could not judge it or did not
// run are named in the reason); then not judged (some spec could not judge it and none did);
// then not run; then skipped.
func outcome(rule *rules.Rule, fs []finding) (string, string) {
	var specs, broke, pass []string
	var skips, unjudged, unrun []string
	for _, f := range fs {
		specs = appendUnique(specs, f.spec)
		switch f.kind {
		case violated:
			broke = appendUnique(broke, f.spec)
		case passed:
			pass = appendUnique(pass, f.spec)
		case skipped:
			skips = appendUnique(skips, f.reason)
		case notJudged:
			unjudged = appendUnique(unjudged, f.reason)
		case notRun:
			unrun = appendUnique(unrun, f.reason)
		}
	}
	switch {
	case len(broke) > 0:
		why := fmt.Sprintf("%d of %d specs found it broken", len(broke), len(specs))
		if !binds(rule.Level) {
			why += fmt.Sprintf("; a %s is never a failure", rule.Level)
			return Warning, why
		}
		return Failed, why
	case !rule.Testable():
		return NotTestable, rule.Observability.String() + ": " + rule.Note
	case len(pass) > 0:
		// Judged and held wherever it was judged. A spec that could not judge it (a property
		// spec stopped by another rule first, a setup step) is named, not counted as a pass.
		why := ""
		if len(unjudged) > 0 {
			why = fmt.Sprintf("%d of %d specs passed, the others could not judge it: %s", len(pass), len(specs), reasons(unjudged))
		} else if len(unrun) > 0 {
			why = fmt.Sprintf("%d of %d specs passed, the others did not run", len(pass), len(specs))
		}
		return Passed, why
	case len(unjudged) > 0:
		return NotJudged, reasons(unjudged)
	case len(unrun) > 0:
		return NotRun, reasons(unrun)
	case len(skips) > 0:
		return Skipped, reasons(skips)
	}
	return NotRun, "no spec of this rule was in the run"
}

// reasons joins distinct reasons, the first three in full.
func reasons(list []string) string {
	if len(list) > 3 {
		return strings.Join(list[:3], "; ") + fmt.Sprintf("; and %d more", len(list)-3)
	}
	return strings.Join(list, "; ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TargetShortfall reports whether a spec's skip message says the target fell short of what the
// spec needs: it declared less, or answered a setup step with NDIS_STATUS_FAILURE, which the
// pages allow some operations without a stated cause. Against the reference, which declares
// all it implements and fails no healthy operation, such a skip means a spec went unrun.
func TargetShortfall(skipMessage string) bool {
	return strings.Contains(skipMessage, "NDIS_STATUS_FAILURE") || strings.Contains(skipMessage, "does not declare")
}

package harness

import (
	"fmt"
	"strings"

	"github.com/ndis-chimney/conformance/suites/report"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/onsi/ginkgo/v2"
)

// Violation is one breach of a rule that a judge found in what the host observed.
type Violation struct {
	Rule    *rules.Rule
	Op      Op     // zero when the rule concerns no one operation (a send completion)
	Path    string // the block, or "" for the tree or the session as a whole
	Message string // what was found, in terms of the observation
}

// Error renders the violation as a failure message: the rule, the handler and the block, what
// was found, then the rule's wording and page.
func (v Violation) Error() string {
	return fmt.Sprintf("%s: %s\n%s", Where(v.Rule, v.Op, v.Path), v.Message, ruleLine(v.Rule))
}

// Record returns the report entry's value for v (report.ViolationEntry), which the conformance
// report counts against the rule broken rather than the spec that ran.
func (v Violation) Record() report.Violation {
	r := report.Violation{Rule: ruleID(v.Rule), Block: v.Path, Message: v.Message}
	if v.Op != 0 {
		r.Op = v.Op.Handler()
	}
	return r
}

// JoinViolations renders several violations as one failure message, the first one first.
func JoinViolations(vs []Violation) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Error()
	}
	msg := strings.Join(parts, "\n")
	if len(vs) > 1 {
		msg = fmt.Sprintf("%s\n(%d rules broken in one observation)", msg, len(vs))
	}
	return msg
}

// FailWithViolations records every violation as a report entry and fails the running spec with
// all of them, followed by more: how a spec ends when a judge finds something.
func FailWithViolations(vs []Violation, more ...string) {
	ginkgo.GinkgoHelper()
	for _, v := range vs {
		ginkgo.AddReportEntry(report.ViolationEntry, v.Record(), ginkgo.ReportEntryVisibilityNever)
	}
	ginkgo.Fail(strings.Join(append([]string{JoinViolations(vs)}, more...), "\n"))
}

// fail hands violations to the session's sink: the property runner's when one is set, else
// the running spec fails.
func (s *Session) fail(vs ...Violation) {
	ginkgo.GinkgoHelper()
	if len(vs) == 0 {
		return
	}
	if s.OnViolation != nil {
		s.OnViolation(vs)
		return
	}
	FailWithViolations(vs)
}

// violate fails the session with one violation.
func (s *Session) violate(rule *rules.Rule, op Op, path, format string, args ...any) {
	ginkgo.GinkgoHelper()
	s.fail(Violation{Rule: rule, Op: op, Path: path, Message: fmt.Sprintf(format, args...)})
}

// Fail hands violations found outside the judges of this package (the wire's) to the
// session's sink, as the judges' own are.
func (s *Session) Fail(vs ...Violation) {
	ginkgo.GinkgoHelper()
	s.fail(vs...)
}

// Count records that r's situation arose in an observation judged outside this package.
func (s *Session) Count(r *rules.Rule) { s.judged(r) }

// AtEnd adds a judgment to the end of the session: f runs after the target is closed, with
// the session's own end-of-session judges, and what it returns fails the spec with theirs.
func (s *Session) AtEnd(f func() []Violation) {
	s.atEnd = append(s.atEnd, f)
}

package harness

import (
	"fmt"
	"sync"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// A judge checks its rules on every observation in which their situation arises, in every spec
// and in every generated scenario, not only in the spec written for them. Each judge is a
// function of the observation (an operation's outcome, with the host's model of what is
// offloaded as it stood before the operation) that reports the violations it finds and the
// rules whose situation arose, so that a rule never judged is known.
type judge struct {
	name  string
	rules []*rules.Rule
	check func(j *Judging)
}

var completionJudges []judge

// judgeCompletions registers a judge of operation outcomes. rules are those it may report, for
// the catalog check that every testable rule has a judge.
func judgeCompletions(name string, check func(j *Judging), rs ...*rules.Rule) {
	completionJudges = append(completionJudges, judge{name: name, rules: rs, check: check})
}

// elsewhere are judges that live outside this package (the wire's frame judge), registered
// by name with the rules they apply.
var elsewhere []judge

// JudgedElsewhere records a judge outside this package and the rules it applies, so that the
// catalog check knows them judged.
func JudgedElsewhere(name string, rs ...*rules.Rule) {
	elsewhere = append(elsewhere, judge{name: name, rules: rs})
}

// JudgedOnlyElsewhere reports whether every judge of the rule with ID id lives outside this
// package: the wire's rules, which no scenario of the state operations alone can bring about.
func JudgedOnlyElsewhere(id string) bool {
	names := JudgedRules()[id]
	if len(names) == 0 {
		return false
	}
	outside := map[string]bool{}
	for _, j := range elsewhere {
		outside[j.name] = true
	}
	for _, n := range names {
		if !outside[n] {
			return false
		}
	}
	return true
}

// JudgedRules returns the IDs of the rules some judge applies, each with the judges' names.
func JudgedRules() map[string][]string {
	out := map[string][]string{}
	for _, j := range elsewhere {
		for _, r := range j.rules {
			out[r.ID] = append(out[r.ID], j.name)
		}
	}
	for _, j := range completionJudges {
		for _, r := range j.rules {
			out[r.ID] = append(out[r.ID], j.name)
		}
	}
	for id, names := range sessionJudgedRules() {
		out[id] = append(out[id], names...)
	}
	return out
}

// Judging is one application of every judge to one outcome.
type Judging struct {
	S     *Session
	Out   Outcome
	Model *Model // as it stood before the operation
	views []blockView
	found []Violation
	// indexes of views, built when first needed
	parent  map[*ndis.MiniportOffloadBlockList]*ndis.MiniportOffloadBlockList
	byBlock map[*ndis.MiniportOffloadBlockList]int
}

// Views returns the outcome's blocks, each as handed over and as handed back.
func (j *Judging) Views() []blockView { return j.views }

// handedBack returns the blocks the tree handed back still reaches. A view of any other block
// has no After of its own (views counts it as never written), so judges that compare members
// skip it.
func (j *Judging) handedBack() map[*ndis.MiniportOffloadBlockList]bool {
	out := make(map[*ndis.MiniportOffloadBlockList]bool, len(j.Out.After.Blocks))
	for _, b := range j.Out.After.Blocks {
		out[b.Block] = true
	}
	return out
}

// Arose records that a rule's situation arose in this observation, so that it was judged.
func (j *Judging) Arose(r *rules.Rule) { j.S.judged(r) }

// Violate records a violation of r at the block at path.
func (j *Judging) Violate(r *rules.Rule, path, format string, args ...any) {
	j.S.judged(r)
	j.found = append(j.found, Violation{Rule: r, Op: j.Out.Op, Path: path, Message: fmt.Sprintf(format, args...)})
}

// judgeOutcome applies every completion judge to out and returns what they found.
func (s *Session) judgeOutcome(out Outcome) []Violation {
	j := &Judging{S: s, Out: out, Model: s.Model, views: views(out)}
	for _, jd := range completionJudges {
		jd.check(j)
	}
	return j.found
}

// judgeCounts counts, per rule ID, the observations in which each rule was judged.
type judgeCounts struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *Session) judged(r *rules.Rule) {
	if r == nil {
		return
	}
	s.counts.mu.Lock()
	if s.counts.n == nil {
		s.counts.n = map[string]int{}
	}
	s.counts.n[r.ID]++
	s.counts.mu.Unlock()
}

// Judged returns how many observations of this session judged the rule with ID id.
func (s *Session) Judged(id string) int {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	return s.counts.n[id]
}

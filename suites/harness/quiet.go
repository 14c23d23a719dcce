package harness

import (
	"context"
	"fmt"
	"strings"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/onsi/ginkgo/v2"
)

// settle runs when a spec ends, before its target is closed: for the Settle window it lets a
// second completion of a tree, a completion of a tree never handed over, a write to a tree
// already handed back, or a stray send completion arrive while the session still judges it
// (what arrives after the close is judged after the last spec: afterclose.go).
func (s *Session) settle() {
	ctx, cancel := context.WithTimeout(context.Background(), s.Timing.Settle)
	defer cancel()
	<-ctx.Done() // the settle window: late completions and writes are what is being watched for
}

func (s *Session) checkQuiet() {
	ginkgo.GinkgoHelper()
	s.fail(s.quietViolations()...)
}

// quietViolations judges the whole session so far: every completion against the trees handed
// over, every tree handed back against its snapshot at completion, every send completion
// against the ledger.
func (s *Session) quietViolations() []Violation {
	var found []Violation
	// A flood of bad completions must not become a flood of violations: each rule is shown
	// at most maxShown times, and the last one says how many more there were.
	const maxShown = 4
	shown := map[*rules.Rule]int{}
	add := func(rule *rules.Rule, op Op, path, format string, args ...any) {
		shown[rule]++
		switch n := shown[rule]; {
		case n <= maxShown:
			found = append(found, Violation{Rule: rule, Op: op, Path: path, Message: fmt.Sprintf(format, args...)})
		default:
			for i := len(found) - 1; i >= 0; i-- {
				if found[i].Rule == rule {
					base, _, _ := strings.Cut(found[i].Message, " (and ")
					found[i].Message = fmt.Sprintf("%s (and %d more like it)", base, n-maxShown)
					break
				}
			}
		}
	}
	counts := map[handover]int{}
	for _, e := range s.Host.Events() {
		h := handover{op: e.Op, tree: e.Tree}
		counts[h]++
		s.judged(contractOf(e.Op).SameTree)
		if !s.handedOver(e.Op, e.Tree) {
			add(contractOf(e.Op).SameTree, e.Op, "", "%s was called with a tree the host never handed to %s", e.Op.Completion(), e.Op.Handler())
		}
	}
	for _, h := range s.handed {
		n := counts[h]
		s.judged(contractOf(h.op).ExactlyOnce)
		if n > 1 {
			add(contractOf(h.op).ExactlyOnce, h.op, "", "%s was called %d times for the same tree", h.op.Completion(), n)
		}
		if n == 1 && contractOf(h.op).NoWriteAfterCompletion != nil {
			s.judged(contractOf(h.op).NoWriteAfterCompletion)
			e := s.Host.CompletionsOf(h.op, h.tree)[0]
			if changes := s.withoutOwnedLists(h, Diff(e.Snapshot, takeBlocks(h.tree))); len(changes) > 0 {
				add(contractOf(h.op).NoWriteAfterCompletion, h.op, changes[0].Path,
					"the tree changed after %s handed it back: %s", h.op.Completion(), joinChanges(changes))
			}
		}
	}
	s.SyncSendCompletions()
	// Every send completion is checked here, even those a spec already synchronised itself.
	for _, c := range s.Host.SendCompletions() {
		s.judged(sendRules.CompletesOnlyHandedOver)
		for _, l := range c.Lists {
			if _, ok := s.Ledger.Entry(l); !ok {
				add(sendRules.CompletesOnlyHandedOver, 0, "", "NdisTcpOffloadSendComplete returned %s, which the host never handed over", l)
			}
		}
	}
	for _, e := range s.Ledger.All() {
		s.judged(sendRules.ReturnedOnce)
		if e.Returns() > 1 {
			add(sendRules.ReturnedOnce, 0, "", "%s came back %d times (send-completed %d, handed back %d)", e.List, e.Returns(), e.SendCompleted, e.HandedBack)
		}
		if !e.Settled || e.Owner != OwnedByHost {
			continue
		}
		s.judged(sendRules.FailedNotCompleted)
		s.judged(sendRules.FailedKeepsStatus)
		path := e.List.String()
		if e.SendCompleted > 0 {
			add(sendRules.FailedNotCompleted, Initiate, "", "%s belongs to a connection the target did not offload, yet NdisTcpOffloadSendComplete returned it", path)
		}
		if e.List.Status != e.StatusGiven {
			add(sendRules.FailedKeepsStatus, Initiate, "", "%s belongs to a connection the target did not offload, yet its Status changed from %s to %s", path, e.StatusGiven, e.List.Status)
		}
	}
	found = append(found, s.sendDataSessionViolations()...) // judges_senddata.go
	found = append(found, s.declarationViolations()...)     // judges_declaration.go
	for _, f := range s.atEnd {
		found = append(found, f()...) // judges added from outside: the wire's
	}
	return found
}

// sessionJudgedRules returns the rules the end-of-session judging applies, with its name.
func sessionJudgedRules() map[string][]string {
	out := map[string][]string{}
	add := func(r *rules.Rule) {
		if r != nil {
			out[r.ID] = append(out[r.ID], "session")
		}
	}
	for _, c := range contracts {
		add(c.ExactlyOnce)
		add(c.SameTree)
		add(c.NoWriteAfterCompletion)
	}
	add(sendRules.CompletesOnlyHandedOver)
	add(sendRules.ReturnedOnce)
	add(sendRules.FailedNotCompleted)
	add(sendRules.FailedKeepsStatus)
	for _, r := range sendDataSessionRules {
		add(r)
	}
	for _, r := range declarationRules {
		add(r)
	}
	return out
}

// withoutOwnedLists drops, from the changes to an initiate tree after its completion, those to
// the lists of connections the target offloaded: they are the target's from then on, and it
// writes their Status and links when it completes or hands them back. The chain pointer of the
// block itself stays checked.
func (s *Session) withoutOwnedLists(h handover, changes []Change) []Change {
	if h.op != Initiate {
		return changes
	}
	paths := map[*ndis.MiniportOffloadBlockList]string{}
	for _, v := range ndis.Walk(h.tree) {
		paths[v.Block] = v.Path
	}
	owned := map[string]bool{}
	for _, e := range s.Ledger.All() {
		if e.Owner == OwnedByTarget {
			if p := paths[e.Connection]; p != "" {
				owned[p] = true
			}
		}
	}
	var out []Change
	for _, c := range changes {
		chainMember := strings.HasPrefix(c.Member, "NetBufferListChain[") || c.Member == "NetBufferListChain length"
		if owned[c.Path] && chainMember && c.Member != "NetBufferListChain[0]" { // [0] is the block's own pointer
			continue
		}
		out = append(out, c)
	}
	return out
}

func joinChanges(cs []Change) string {
	parts := make([]string, 0, len(cs))
	for i, c := range cs {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(cs)-i))
			break
		}
		parts = append(parts, c.String())
	}
	return strings.Join(parts, "; ")
}

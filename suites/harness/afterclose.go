package harness

import (
	"fmt"
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// A target is closed at the end of every spec, a few milliseconds after its last completion,
// but a faulty one may still complete a tree a second time long after: its goroutines, or the
// process behind an adapter, keep the host they were given. So a host remembers when its
// session closed, and every completion it gets afterwards is kept here, for the whole run, to
// be judged once the last spec has ended (LateViolations). Only the completions are kept, not
// the trees' snapshots, so a closed session costs nothing once its target lets go of it.

// closure is when and where a host's session ended, and what it had handed over.
type closure struct {
	spec   string
	at     time.Time
	handed map[handover]bool
}

// lateCall is one completion a host got after its session closed.
type lateCall struct {
	closure
	op      Op
	after   time.Duration // since the session closed
	earlier int           // completions of the same tree the session saw before
	handed  bool          // the tree was handed over in that session
}

// maxLateCalls bounds what a flood of late completions can hold: the rest are counted.
const maxLateCalls = 64

var late struct {
	mu      sync.Mutex
	calls   []lateCall
	dropped int
	closed  int // sessions closed in this process
}

// markClosed records that the host's session ended, in spec, having handed over the trees
// handed; completions from now on are late.
func (h *Host) markClosed(spec string, handed []handover) {
	c := &closure{spec: spec, at: time.Now(), handed: make(map[handover]bool, len(handed))}
	for _, x := range handed {
		c.handed[x] = true
	}
	h.mu.Lock()
	h.closed = c
	h.mu.Unlock()
	late.mu.Lock()
	late.closed++
	late.mu.Unlock()
}

// recordLate keeps a completion that arrived after the session closed, and reports whether
// it was one (the caller then records nothing else).
func (h *Host) recordLate(op Op, tree *ndis.MiniportOffloadBlockList) bool {
	h.mu.Lock()
	c := h.closed
	if c == nil {
		h.mu.Unlock()
		return false
	}
	call := lateCall{closure: *c, op: op, after: time.Since(c.at)}
	for _, e := range h.events {
		if e.Op == op && e.Tree == tree {
			call.earlier++
		}
	}
	call.handed = c.handed[handover{op: op, tree: tree}]
	h.mu.Unlock()
	late.mu.Lock()
	defer late.mu.Unlock()
	if len(late.calls) >= maxLateCalls {
		late.dropped++
		return true
	}
	late.calls = append(late.calls, call)
	return true
}

// SessionsClosed reports how many sessions this process has closed: when none has, nothing
// can arrive late and there is nothing to watch for.
func SessionsClosed() int {
	late.mu.Lock()
	defer late.mu.Unlock()
	return late.closed
}

// LateViolations judges the completions that arrived after their session closed, so far in
// this run: a tree completed again breaks its operation's exactly-once rule; a tree never
// handed over in that session, its same-tree rule.
func LateViolations() []Violation {
	late.mu.Lock()
	calls, dropped := late.calls, late.dropped
	late.calls, late.dropped = nil, 0
	late.mu.Unlock()
	var out []Violation
	for _, c := range calls {
		rs := contractOf(c.op)
		v := Violation{Op: c.op, Rule: rs.ExactlyOnce}
		switch {
		case !c.handed:
			v.Rule = rs.SameTree
			v.Message = fmt.Sprintf("%s was called, %s after the target was closed at the end of spec %q, with a tree the host never handed to %s in it", c.op.Completion(), c.after.Round(time.Millisecond), c.spec, c.op.Handler())
		case c.earlier > 0:
			v.Message = fmt.Sprintf("%s was called again for a tree it had completed %d time(s), %s after the target was closed at the end of spec %q", c.op.Completion(), c.earlier, c.after.Round(time.Millisecond), c.spec)
		default:
			v.Message = fmt.Sprintf("%s was called for the first time %s after the target was closed at the end of spec %q, which had given up waiting for it", c.op.Completion(), c.after.Round(time.Millisecond), c.spec)
		}
		if v.Rule != nil {
			out = append(out, v)
		}
	}
	if dropped > 0 && len(out) > 0 {
		out[len(out)-1].Message += fmt.Sprintf(" (and %d more late completions)", dropped)
	}
	return out
}

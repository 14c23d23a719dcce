package harness

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Event is one completion a target made through the host.
type Event struct {
	Op         Op
	Tree       *ndis.MiniportOffloadBlockList
	DuringCall bool // it was made from inside the handler call for its tree (see Host.InsideWait)
	At         time.Time
	Snapshot   Snapshot // the tree as it was handed back
	// SendsBefore is how many send completions the host had recorded when this completion
	// arrived: those at and after it came later.
	SendsBefore int
}

// SendCompletion is one NdisTcpOffloadSendComplete call.
type SendCompletion struct {
	Lists      []*ndis.NetBufferList
	Statuses   []ndis.Status
	DuringCall bool
}

// Host plays NDIS and the host stack towards a target: it records every completion, with a
// snapshot of the tree taken the moment it arrives, and every send completion.
type Host struct {
	mu     sync.Mutex
	events []Event
	sends  []SendCompletion
	notify chan struct{} // closed and replaced on every new event
	// inCall holds the trees whose handler call is in progress, so that a completion of a
	// tree arriving during its own handler call is seen (another tree's call does not count).
	inCall map[*ndis.MiniportOffloadBlockList]int
	// returned is closed when the handler call for a tree returns.
	returned map[*ndis.MiniportOffloadBlockList]chan struct{}
	// InsideWait is how long a completion that arrives while its tree's handler call is in
	// progress is held, waiting for the handler to return. A handler that returns meanwhile
	// did not depend on the completion: the two merely raced on different threads, which
	// is asynchronous completion. One that does not return completed from inside the call
	// (on its own thread, or by waiting for the completion), which the contract forbids.
	InsideWait time.Duration
	// calls counts handler calls in progress, for send completions, which name no tree.
	calls atomic.Int32
	// closed is set when the session ends; completions after it are kept apart (afterclose.go).
	closed *closure
	// Terse leaves snapshots unrendered (no Text): the property runner, which plays thousands
	// of operations and reports a failure as its scenario, sets it.
	Terse bool
	// inside, when set, runs inside every completion call, after it is recorded and before it
	// returns to the target: the host acting from its completion handler (OnCompletion).
	inside func(Op, *ndis.MiniportOffloadBlockList)
	// dataPath, answer and dataHook are the data path's record (datapath.go).
	dataPath             []DataPathCall
	answer               IndicationAnswer
	dataHook             func(DataPathCall)
	dataEnter, dataLeave func(DataPathKind)
}

// OnCompletion makes f run inside every later completion call, on the target's goroutine,
// after the completion is recorded and before the call returns to the target, as a host does
// that starts new work from its completion handler. f must not call Ginkgo or Gomega.
func (h *Host) OnCompletion(f func(Op, *ndis.MiniportOffloadBlockList)) {
	h.mu.Lock()
	h.inside = f
	h.mu.Unlock()
}

var _ target.Host = (*Host)(nil)

// NewHost returns a host with nothing recorded.
func NewHost() *Host {
	return &Host{
		notify:     make(chan struct{}),
		inCall:     map[*ndis.MiniportOffloadBlockList]int{},
		returned:   map[*ndis.MiniportOffloadBlockList]chan struct{}{},
		InsideWait: 500 * time.Millisecond,
	}
}

// enter and leave bracket a handler call for tree.
func (h *Host) enter(tree *ndis.MiniportOffloadBlockList) {
	h.mu.Lock()
	if h.inCall[tree] == 0 {
		h.returned[tree] = make(chan struct{})
	}
	h.inCall[tree]++
	h.mu.Unlock()
	h.calls.Add(1)
}

func (h *Host) leave(tree *ndis.MiniportOffloadBlockList) {
	h.calls.Add(-1)
	h.mu.Lock()
	h.inCall[tree]--
	if h.inCall[tree] == 0 {
		close(h.returned[tree])
		delete(h.returned, tree)
	}
	h.mu.Unlock()
}

// insideCall reports whether a completion of tree is made from inside its handler call: the
// call is in progress and does not return within InsideWait while the completion is held.
func (h *Host) insideCall(tree *ndis.MiniportOffloadBlockList) bool {
	h.mu.Lock()
	ch, inCall := h.returned[tree], h.inCall[tree] > 0
	h.mu.Unlock()
	if !inCall {
		return false
	}
	select {
	case <-ch:
		return false
	case <-time.After(h.InsideWait):
		return true
	}
}

func (h *Host) record(op Op, tree *ndis.MiniportOffloadBlockList) {
	if h.recordLate(op, tree) {
		return
	}
	e := Event{Op: op, Tree: tree, At: time.Now()}
	if tree != nil {
		e.Snapshot = h.take(tree)
	}
	e.DuringCall = h.insideCall(tree)
	h.mu.Lock()
	e.SendsBefore = len(h.sends)
	h.events = append(h.events, e)
	close(h.notify)
	h.notify = make(chan struct{})
	inside := h.inside
	h.mu.Unlock()
	if inside != nil {
		inside(op, tree)
	}
}

// NdisMInitiateOffloadComplete records an initiate completion.
func (h *Host) NdisMInitiateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.record(Initiate, tree)
}

// NdisMQueryOffloadStateComplete records a query completion.
func (h *Host) NdisMQueryOffloadStateComplete(tree *ndis.MiniportOffloadBlockList) {
	h.record(Query, tree)
}

// NdisMUpdateOffloadComplete records an update completion.
func (h *Host) NdisMUpdateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.record(Update, tree)
}

// NdisMInvalidateOffloadComplete records an invalidate completion.
func (h *Host) NdisMInvalidateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.record(Invalidate, tree)
}

// NdisMTerminateOffloadComplete records a terminate completion.
func (h *Host) NdisMTerminateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.record(Terminate, tree)
}

// NdisTcpOffloadSendComplete records the lists handed back and the Status of each.
func (h *Host) NdisTcpOffloadSendComplete(chain *ndis.NetBufferList) {
	c := SendCompletion{DuringCall: h.calls.Load() > 0}
	for _, l := range chain.Chain() {
		c.Lists = append(c.Lists, l)
		c.Statuses = append(c.Statuses, l.Status)
	}
	h.mu.Lock()
	h.sends = append(h.sends, c)
	close(h.notify)
	h.notify = make(chan struct{})
	h.mu.Unlock()
}

// Events returns every completion recorded so far.
func (h *Host) Events() []Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Event(nil), h.events...)
}

// SendCompletions returns every send completion recorded so far.
func (h *Host) SendCompletions() []SendCompletion {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]SendCompletion(nil), h.sends...)
}

// waitFor waits until a completion of op for tree is recorded and returns it. It gives up when
// ctx ends, returning false.
func (h *Host) waitFor(ctx context.Context, op Op, tree *ndis.MiniportOffloadBlockList) (Event, bool) {
	for {
		h.mu.Lock()
		for _, e := range h.events {
			if e.Op == op && e.Tree == tree {
				h.mu.Unlock()
				return e, true
			}
		}
		ch := h.notify
		h.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Event{}, false
		}
	}
}

// CompletionsOf returns the completions of op recorded for tree.
func (h *Host) CompletionsOf(op Op, tree *ndis.MiniportOffloadBlockList) []Event {
	var out []Event
	for _, e := range h.Events() {
		if e.Op == op && e.Tree == tree {
			out = append(out, e)
		}
	}
	return out
}

// take snapshots a tree, rendered unless the host is terse.
func (h *Host) take(tree *ndis.MiniportOffloadBlockList) Snapshot {
	if h.Terse {
		return takeBlocks(tree)
	}
	return Take(tree)
}

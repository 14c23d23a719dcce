package harness

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/onsi/ginkgo/v2"
)

// Outcome is what happened to one tree handed to a target.
type Outcome struct {
	Op     Op
	Tree   *ndis.MiniportOffloadBlockList
	Before Snapshot // as handed over, after the harness filled sentinels and canaries
	After  Snapshot // as handed back, taken the moment the completion arrived
	Event  Event
	// Concurrent reports whether another operation was outstanding while this one was, so
	// that counts of objects offloaded at once are not exact.
	Concurrent bool
	// Began is when the tree was handed over: judges of timers bound the time since by it.
	Began time.Time
}

// Changes returns what the target changed in the tree between hand-over and completion.
func (o Outcome) Changes() []Change { return Diff(o.Before, o.After) }

// ChangesAt returns the changes to the block at path.
func (o Outcome) ChangesAt(path string) []Change {
	var out []Change
	for _, c := range o.Changes() {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

// Path returns the Walk path of b in the outcome's tree.
func (o Outcome) Path(b *ndis.MiniportOffloadBlockList) string { return ndis.PathOf(o.Tree, b) }

// Do hands tree to the target's handler for op and waits for the completion. It fails the spec,
// naming the rule, when the handler does not return in time, the completion does not arrive,
// arrives during the handler call or with another tree, or leaves a block without a Status.
func (s *Session) Do(ctx context.Context, op Op, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	return s.Begin(op, tree).Await(ctx)
}

// Pending is an operation handed to the target whose completion has not been awaited yet.
type Pending struct {
	s      *Session
	op     Op
	tree   *ndis.MiniportOffloadBlockList
	before Snapshot
	// concurrent reports whether another operation was outstanding when it was handed over,
	// which makes counts of objects offloaded at once ambiguous.
	concurrent bool
	began      time.Time
}

// Begin prepares tree, hands it to the handler for op and returns once the handler has
// returned, without waiting for the completion: for specs that act while an operation is
// outstanding (concurrent operations, state seen between return and completion).
func (s *Session) Begin(op Op, tree *ndis.MiniportOffloadBlockList) *Pending {
	ginkgo.GinkgoHelper()
	p := s.Prepare(op, tree)
	if err := p.Call(); err != nil {
		// A handler that panics, errs (a dead or broken out-of-process target) or never
		// returns leaves the tree without the one completion the contract promises.
		s.violate(contractOf(op).ExactlyOnce, op, "", "%v, so no %s can be expected", err, op.Completion())
	}
	return p
}

// Prepare readies tree for op as Begin does (sentinels, canaries, the snapshot as handed over)
// and counts it as outstanding, but hands nothing over: Call does, on any goroutine. A spec
// that plays a host acting from inside a callback (a completion) prepares on its own goroutine
// and calls from the callback.
func (s *Session) Prepare(op Op, tree *ndis.MiniportOffloadBlockList) *Pending {
	ginkgo.GinkgoHelper()
	if op == Initiate && !s.Info.Capabilities.TCPConnectionOffload.SupportIPv6 && offloadsIPv6(tree) {
		// A target that does not declare IPv6 offload is not asked to offload IPv6 state; what
		// the spec checks needs a target that does.
		ginkgo.Skip("the spec offloads an IPv6 path, and the target does not declare IPv6 offload (SupportIPv6)")
	}
	s.prepare(op, tree)
	p := &Pending{s: s, op: op, tree: tree, before: s.Host.take(tree), began: time.Now()}
	s.handed = append(s.handed, handover{op: op, tree: tree})
	s.outstanding++
	p.concurrent = s.outstanding > 1
	if s.OnViolation == nil {
		ginkgo.AddReportEntry(fmt.Sprintf("%s tree handed over", op.Handler()), p.before.Text, ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
	return p
}

// Call hands a prepared tree to the handler for its op, once, and returns the handler's error,
// or an error when the handler panics or does not return within the handler timeout. It
// judges nothing and may run on any goroutine; Await (on the spec's) judges the completion.
func (p *Pending) Call() error {
	p.began = time.Now()
	return p.s.call(p.op, p.tree)
}

// Await waits for the completion of a pending operation and checks the completion contract.
func (p *Pending) Await(ctx context.Context) Outcome {
	ginkgo.GinkgoHelper()
	s, op, tree := p.s, p.op, p.tree
	rules := contractOf(op)
	out := Outcome{Op: op, Tree: tree, Before: p.before, Began: p.began}
	wait, cancel := context.WithTimeout(ctx, s.Timing.Completion)
	defer cancel()
	e, ok := s.Host.waitFor(wait, op, tree)
	s.outstanding--
	if !ok && ctx.Err() != nil {
		// The spec itself was stopped (interrupted, or out of its own time) while waiting:
		// the wait says nothing of the target.
		ginkgo.Fail(fmt.Sprintf("[harness] the spec was stopped (%v) while it waited for %s: nothing is concluded from it", context.Cause(ctx), op.Completion()))
	}
	if !ok {
		if other := s.otherTrees(op); len(other) > 0 {
			s.violate(rules.SameTree, op, "", "%s was called with another tree (%s) instead of the one handed over", op.Completion(), strings.Join(other, "; "))
		}
		s.violate(rules.ExactlyOnce, op, "", "no %s within %s", op.Completion(), s.Timing.Completion)
	}
	out.Event, out.After = e, e.Snapshot
	out.Concurrent = p.concurrent || s.outstanding > 0
	if s.OnViolation == nil {
		ginkgo.AddReportEntry(fmt.Sprintf("%s tree handed back", op.Completion()), out.After.Text, ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
	found := s.judgeOutcome(out)
	s.Model.apply(out)
	s.account(op, out)
	s.scribbleBufferedData(out)
	s.fail(found...)
	return out
}

// call runs the handler on its own goroutine so that a handler that never returns cannot hang
// the suite, and marks the call as in progress so that a completion made inside it is seen.
func (s *Session) call(op Op, tree *ndis.MiniportOffloadBlockList) error {
	done := make(chan error, 1)
	s.Host.enter(tree)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.Host.leave(tree)
				done <- fmt.Errorf("%s panicked: %v", op.Handler(), r)
			}
		}()
		err := s.handler(op)(tree)
		s.Host.leave(tree)
		if err != nil {
			err = fmt.Errorf("%s returned an adapter error: %w", op.Handler(), err)
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(s.Timing.Handler):
		return fmt.Errorf("%s did not return within %s", op.Handler(), s.Timing.Handler)
	}
}

func (s *Session) handler(op Op) func(*ndis.MiniportOffloadBlockList) error {
	switch op {
	case Initiate:
		return s.Target.MiniportInitiateOffload
	case Query:
		return s.Target.MiniportQueryOffload
	case Update:
		return s.Target.MiniportUpdateOffload
	case Invalidate:
		return s.Target.MiniportInvalidateOffload
	}
	return s.Target.MiniportTerminateOffload
}

// otherTrees describes completions of op whose tree the harness never handed over for op.
func (s *Session) otherTrees(op Op) []string {
	var out []string
	more := 0
	for _, e := range s.Host.Events() {
		if e.Op == op && !s.handedOver(op, e.Tree) {
			if len(out) < 4 {
				out = append(out, fmt.Sprintf("%p", e.Tree))
			} else {
				more++
			}
		}
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("and %d more", more))
	}
	return out
}

func (s *Session) handedOver(op Op, tree *ndis.MiniportOffloadBlockList) bool {
	for _, h := range s.handed {
		if h.op == op && h.tree == tree {
			return true
		}
	}
	return false
}

// account updates the ledger from a completion: lists of offloaded connections become the
// target's; lists chained back by a terminate are counted.
func (s *Session) account(op Op, out Outcome) {
	for _, b := range out.After.Blocks {
		switch op {
		case Initiate:
			if st := b.Members.Status; st == ndis.StatusSuccess || st == ndis.StatusOffloadPartialSuccess {
				s.Ledger.HandOver(b.Block)
			} else {
				s.Ledger.KeepWithHost(b.Block)
			}
		case Terminate:
			for _, l := range b.Chain {
				s.Ledger.handedBack(l.List)
			}
		}
	}
}

// SyncSendCompletions counts, in the ledger, the send completions recorded since the last call,
// and returns the lists completed that the ledger never handed over.
func (s *Session) SyncSendCompletions() []*ndis.NetBufferList {
	var unknown []*ndis.NetBufferList
	sends := s.Host.SendCompletions()
	for _, c := range sends[s.sendsSeen:] {
		for _, l := range c.Lists {
			if !s.Ledger.sendCompleted(l) {
				unknown = append(unknown, l)
			}
		}
	}
	s.sendsSeen = len(sends)
	return unknown
}

// Initiate hands tree to MiniportInitiateOffload and waits for its completion.
func (s *Session) Initiate(ctx context.Context, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	return s.Do(ctx, Initiate, tree)
}

// Query hands tree to MiniportQueryOffload and waits for its completion.
func (s *Session) Query(ctx context.Context, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	return s.Do(ctx, Query, tree)
}

// Update hands tree to MiniportUpdateOffload and waits for its completion.
func (s *Session) Update(ctx context.Context, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	return s.Do(ctx, Update, tree)
}

// Invalidate hands tree to MiniportInvalidateOffload and waits for its completion.
func (s *Session) Invalidate(ctx context.Context, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	return s.Do(ctx, Invalidate, tree)
}

// Terminate hands tree to MiniportTerminateOffload and waits for its completion.
func (s *Session) Terminate(ctx context.Context, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	return s.Do(ctx, Terminate, tree)
}

// MustDo is Do for a step that is setup rather than the subject of the spec: it also requires
// every block to end in NDIS_STATUS_SUCCESS. A setup step that fails breaks no rule by itself
// (a target may fail an offload it cannot categorize), so the failure is marked [setup].
func (s *Session) MustDo(ctx context.Context, op Op, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	out := s.Do(ctx, op, tree)
	for _, b := range out.After.Blocks {
		if b.Members.Status == ndis.StatusFailure && (op == Update || op != Initiate && s.AcceptFailureWithoutCause) {
			// An update may fail without a stated cause (UPD-019); query, invalidate and
			// terminate failures are taken at their word under acceptFailureWithoutCause
			// (CONFLICT-TERM-02). No violation, but nothing left to check either.
			ginkgo.Skip(fmt.Sprintf("[setup] %s %s: NDIS_STATUS_FAILURE, taken at its word; "+
				"the spec cannot check its rule past this step", op.Handler(), b.Path))
		}
		if b.Members.Status != ndis.StatusSuccess {
			why := "the declared limits allow this tree"
			if op != Initiate && b.Members.Status == ndis.StatusFailure {
				why = "FAILURE here reports corrupt hardware state or a catastrophic failure, which nothing in the spec causes " +
					"(CONFLICT-TERM-02; interpretations: acceptFailureWithoutCause makes such specs skip)"
			}
			ginkgo.Fail(fmt.Sprintf("[setup] %s %s: Status = %s, want NDIS_STATUS_SUCCESS; the spec needs this step to succeed "+
				"before it can check its rule (%s)\n%s", op.Handler(), b.Path, b.Members.Status, why, out.After.Text))
		}
	}
	return out
}

// MustInitiate offloads tree, requiring every block to succeed.
func (s *Session) MustInitiate(ctx context.Context, tree *ndis.MiniportOffloadBlockList) Outcome {
	ginkgo.GinkgoHelper()
	return s.MustDo(ctx, Initiate, tree)
}

// offloadsIPv6 reports whether tree carries new IPv6 path state.
func offloadsIPv6(tree *ndis.MiniportOffloadBlockList) bool {
	for _, b := range ndis.Blocks(tree) {
		if b.PathConst != nil && b.Header.Type.IsIPv6() {
			return true
		}
	}
	return false
}

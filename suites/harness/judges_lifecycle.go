package harness

import (
	"slices"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of an object's life after its offload: every query, invalidate and terminate of an
// object the target holds is served, whatever came before it (an update, an invalidate, a
// relink, a failure the pages let the target report), and a terminate completes only after
// the state operations handed over before it.

func init() {
	judgeCompletions("operations on offloaded objects", judgeLifecycle,
		rules.QueryAnyOffloadedState, rules.QueryTreeStandAloneOrRoot, rules.InvalidateAnyLayer,
		rules.InvalidateTreeStandAloneOrRoot, rules.TerminateAnyObjectOrCombination, rules.TerminateTreeStandAloneOrRoot,
		rules.UpdateTreeStandAloneOrRoot, rules.UpdateMayCarryVariablesAndLinks, rules.UpdateSuccessMeaning,
		rules.KeepInvalidatedObjectUntilTerminated, rules.InvalidateCorruptCompleteTerminate, rules.QueryCorruptCompleteTerminate,
		rules.ContinueNormallyAfterUpdateFailure, rules.RelinkedPathsLeaveOldNeighbor, rules.ContextStaysValidWhileOffloaded,
		rules.OperationsAllowedInAnyState, rules.TerminateInAnyConnectionState, rules.OnlyHostInitiatesTerminate,
		rules.LayerWidthIsUnbounded)
	judgeCompletions("terminate after outstanding operations", judgeTerminateOrder, rules.TerminateCompletesOutstandingStateOps)
	judgeCompletions("concurrent operations", judgeConcurrent,
		rules.InitiateConcurrentInitiates, rules.OverlappingQueriesOfOneObject, rules.ConcurrentUpdatesOfDistinctObjects)
}

// standAloneRule is the rule for op's "one block or a whole tree" form.
var standAloneRule = map[Op]*rules.Rule{
	Query: rules.QueryTreeStandAloneOrRoot, Invalidate: rules.InvalidateTreeStandAloneOrRoot,
	Terminate: rules.TerminateTreeStandAloneOrRoot, Update: rules.UpdateTreeStandAloneOrRoot,
}

// serveRule is the rule that requires op to be served on any offloaded object.
var serveRule = map[Op]*rules.Rule{
	Query: rules.QueryAnyOffloadedState, Invalidate: rules.InvalidateAnyLayer, Terminate: rules.TerminateAnyObjectOrCombination,
}

// judgeLifecycle: a block naming an object the target holds is served. NDIS_STATUS_FAILURE
// is allowed on an update (no cause given), and on a query, invalidate or terminate only under
// acceptFailureWithoutCause; the rule it breaks otherwise follows from the object's history.
func judgeLifecycle(j *Judging) {
	op := j.Out.Op
	if op == Initiate {
		return
	}
	widest := map[*ndis.MiniportOffloadBlockList]int{}
	for _, v := range j.views {
		widest[v.Parent]++
	}
	for _, n := range widest {
		if n > 2 {
			j.Arose(rules.LayerWidthIsUnbounded)
		}
	}
	for _, v := range j.views {
		if v.Role != ndis.RoleLinker {
			continue
		}
		o, live := j.Model.Object(v.Before.Slot)
		if !live {
			continue
		}
		st := v.After.Members.Status
		if st == StatusUnwritten {
			continue // the contract judge reports it
		}
		j.Arose(standAloneRule[op])
		j.Arose(rules.ContextStaysValidWhileOffloaded)
		state := ndis.TcpConnectionEstablished
		if d := o.State.TCPDelegated; d != nil {
			state = d.State
		}
		if state != ndis.TcpConnectionEstablished {
			j.Arose(rules.OperationsAllowedInAnyState)
		}
		if r, ok := serveRule[op]; ok {
			j.Arose(r)
			j.Arose(rules.OnlyHostInitiatesTerminate)
		}
		if op == Terminate && o.Invalidated {
			j.Arose(rules.KeepInvalidatedObjectUntilTerminated)
		}
		if op == Terminate && state != ndis.TcpConnectionEstablished {
			j.Arose(rules.TerminateInAnyConnectionState)
		}
		if len(o.FormerParents) > 0 || j.relinkedAway(o) {
			j.Arose(rules.RelinkedPathsLeaveOldNeighbor)
		}
		if o.FailedOp == Update {
			j.Arose(rules.ContinueNormallyAfterUpdateFailure)
		}
		if op == Update {
			j.Arose(rules.UpdateMayCarryVariablesAndLinks)
			j.Arose(rules.UpdateSuccessMeaning)
			continue // FAILURE needs no cause on an update (UPD-019)
		}
		if st != ndis.StatusFailure {
			continue
		}
		if o.Invalidated && op != Terminate {
			continue // no page says what a query or second invalidate of an invalidated object returns
		}
		if j.S.Readings.AcceptFailureWithoutCause {
			continue // taken as the corrupt hardware state it reports
		}
		rule := serveRule[op]
		j.Arose(rule)
		why := "a FAILURE here reports corrupt hardware state or a catastrophic failure, which nothing the host did causes (CONFLICT-TERM-02)"
		switch {
		case o.FailedOp == Update:
			rule = rules.ContinueNormallyAfterUpdateFailure
			why = "after an update it failed, the target keeps the object offloaded and serves it"
		case op == Terminate && o.FailedOp == Query:
			rule = rules.QueryCorruptCompleteTerminate
			why = "after failing a query, the target still completes the host's terminate"
		case op == Terminate && o.FailedOp == Invalidate && !j.S.Readings.InvalidateFailureHung:
			rule = rules.InvalidateCorruptCompleteTerminate
			why = "after failing an invalidate, the target still completes the host's terminate"
		case o.Invalidated:
			rule = rules.KeepInvalidatedObjectUntilTerminated
			why = "an invalidated object stays with the target until the host terminates it"
		case len(o.FormerParents) > 0 || j.relinkedAway(o):
			rule = rules.RelinkedPathsLeaveOldNeighbor
			why = "the path was relinked to another neighbor, and stays offloaded under it"
		case state != ndis.TcpConnectionEstablished:
			rule = rules.OperationsAllowedInAnyState
			if op == Terminate {
				rule = rules.TerminateInAnyConnectionState
			}
			why = "the connection is in " + state.String() + ", and an operation is served whatever the State"
		}
		j.Arose(rule)
		j.Violate(rule, v.Path, "Status = NDIS_STATUS_FAILURE on the %s the context names, which the target holds offloaded: %s", o.Layer, why)
		j.Arose(rules.OnlyHostInitiatesTerminate)
	}
}

// relinkedAway reports whether o is a connection on a path that was relinked.
func (j *Judging) relinkedAway(o *Object) bool {
	if o.Layer != ndis.LayerTCP {
		return false
	}
	p, ok := j.Model.Object(o.Parent)
	return ok && len(p.FormerParents) > 0
}

// judgeTerminateOrder: a terminate completes after every query, update and invalidate handed
// over before it.
func judgeTerminateOrder(j *Judging) {
	if j.Out.Op != Terminate {
		return
	}
	s := j.S
	var before []handover
	for _, h := range s.handed {
		if h.tree == j.Out.Tree && h.op == Terminate {
			break
		}
		if h.op == Query || h.op == Update || h.op == Invalidate {
			before = append(before, h)
		}
	}
	if len(before) == 0 {
		return
	}
	j.Arose(rules.TerminateCompletesOutstandingStateOps)
	events := s.Host.Events()
	at := -1
	for i, e := range events {
		if e.Op == Terminate && e.Tree == j.Out.Tree {
			at = i
			break
		}
	}
	for _, h := range before {
		done := false
		for _, e := range events[:max(at, 0)] {
			if e.Op == h.op && e.Tree == h.tree {
				done = true
				break
			}
		}
		if !done {
			j.Violate(rules.TerminateCompletesOutstandingStateOps, "", "%s completed before the %s handed over earlier", Terminate.Completion(), h.op.Handler())
		}
	}
}

// concurrencyRule is the rule for operations of op in progress at once.
var concurrencyRule = map[Op]*rules.Rule{
	Initiate: rules.InitiateConcurrentInitiates, Query: rules.OverlappingQueriesOfOneObject, Update: rules.ConcurrentUpdatesOfDistinctObjects,
}

// judgeConcurrent: an operation handed over while another was in progress completes like any
// other, with a Status from its list in every block.
func judgeConcurrent(j *Judging) {
	r, ok := concurrencyRule[j.Out.Op]
	if !ok || !j.Out.Concurrent {
		return
	}
	j.Arose(r)
	allowed := AllowedStatuses(j.Out.Op)
	for _, v := range j.views {
		st := v.After.Members.Status
		if st == StatusUnwritten || !slices.Contains(allowed, st) {
			j.Violate(r, v.Path, "Status = %s after operations overlapped", st.GomegaString())
		}
	}
}

package scenario

import (
	"context"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Play hands the scenario's steps to the session's target one by one, awaiting each completion
// unless the step overlaps the next. Every completion goes through the session's judges; a
// step with nothing to name (no object offloaded yet) is left out.
func Play(ctx context.Context, s *harness.Session, sc Scenario) {
	b := &builder{limits: s.Limits, ipv6: s.Info.Capabilities.TCPConnectionOffload.SupportIPv6,
		arbitraryTypes: s.Readings.PlaceholderTypeArbitrary}
	var pending []*harness.Pending
	for _, st := range sc.Steps {
		op, tree := b.step(s.Model, st)
		if tree == nil {
			continue
		}
		pending = append(pending, s.Begin(op, tree))
		if st.Overlap {
			continue
		}
		for _, p := range pending {
			p.Await(ctx)
		}
		pending = pending[:0]
	}
	for _, p := range pending {
		p.Await(ctx)
	}
}

var ops = map[string]harness.Op{
	OpInitiate: harness.Initiate, OpQuery: harness.Query, OpUpdate: harness.Update,
	OpInvalidate: harness.Invalidate, OpTerminate: harness.Terminate,
}

// step builds the tree of one step against the objects the target holds.
func (b *builder) step(m *harness.Model, st Step) (harness.Op, *ndis.MiniportOffloadBlockList) {
	op := ops[st.Op]
	if op == harness.Initiate {
		return op, b.initiateTree(m, st.Roots)
	}
	objs := picked(m, st)
	if len(objs) == 0 {
		return op, nil
	}
	var fill func(*ndis.MiniportOffloadBlockList, *harness.Object)
	switch op {
	case harness.Query:
		fill = withState(classes(st.Classes))
	case harness.Terminate:
		fill = withState(fixtures.DelegatedOnly)
	case harness.Invalidate:
		fill = func(*ndis.MiniportOffloadBlockList, *harness.Object) {}
	case harness.Update:
		fill = updated(st)
		if tree := b.relink(m, st, objs, fill); tree != nil {
			return op, tree
		}
	}
	var tree *ndis.MiniportOffloadBlockList
	if st.Alone && len(objs) == 1 {
		tree = alone(objs[0], fill)
	} else {
		tree = referenceTree(m, objs, fill)
	}
	if op == harness.Query || op == harness.Terminate {
		fixtures.Poison(tree) // a variable the target never writes cannot pass for one it wrote
	}
	return op, tree
}

// relink builds an update that moves the first picked path under another offloaded neighbor,
// or returns nil when the step asks for none or there is no path or other neighbor.
func (b *builder) relink(m *harness.Model, st Step, objs []*harness.Object, fill func(*ndis.MiniportOffloadBlockList, *harness.Object)) *ndis.MiniportOffloadBlockList {
	if st.Relink < 0 {
		return nil
	}
	var p *harness.Object
	for _, o := range objs {
		if o.Layer == ndis.LayerPath {
			p = o
			break
		}
	}
	if p == nil {
		return nil
	}
	var others []*harness.Object
	for _, n := range live(m, ndis.LayerNeighbor) {
		if n.Context != p.Parent && !n.Invalidated {
			others = append(others, n)
		}
	}
	if len(others) == 0 {
		return nil
	}
	to := others[st.Relink%len(others)]
	return fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, to.Context), alone(p, fill))
}

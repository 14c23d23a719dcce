package harness

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of an initiate's outcome: the contexts written, the status of each block from its
// own fate and its dependents', the subtree of a failed block, and every status whose cause
// the declared limits let the host know.

func init() {
	judgeCompletions("initiate contexts", judgeInitiateContexts,
		rules.TargetWritesContextOnOffload, rules.InitiateLeavesContextOnFailure, rules.OneContextAreaPerObject)
	judgeCompletions("initiate status from dependents", judgeStatusFromDependents,
		rules.InitiateSuccessCondition, rules.InitiatePartialSuccessCondition, rules.InitiateImmediatelyDependentDefinition,
		rules.PlaceholderAlwaysSucceedsOnInitiate, rules.LinkerSuccessWhenAllDependentsOffloaded,
		rules.LinkerPartialWhenSomeDependentsFail, rules.LinkerFailureWhenAllDependentsFail, rules.NewOffloadStatusReflectsOutcome)
	judgeCompletions("initiate failed subtrees", judgeFailedSubtrees,
		rules.InitiateNoOffloadUnderFailedBlock, rules.InitiateSkippedBlocksGetFailure, rules.InitiateRootFailureStopsTraversal)
	judgeCompletions("initiate traversal after a failure", judgeTraversalGoesOn, rules.InitiateFailureSkipsOnlyItsSubtree)
	judgeCompletions("initiate causes", judgeCauses, causeRules()...)
}

// initiating reports whether the judging is of an initiate.
func (j *Judging) initiating() bool { return j.Out.Op == Initiate }

// judgeInitiateContexts: a context is written for every block offloaded, none for a block not
// offloaded, and no two objects offloaded at once share one.
func judgeInitiateContexts(j *Judging) {
	if !j.initiating() {
		return
	}
	live := map[ndis.Context]string{}
	for _, o := range j.Model.Objects() {
		live[o.Context] = fmt.Sprintf("the %s offloaded earlier", o.Layer)
	}
	for _, v := range j.views {
		if v.Role != ndis.RoleNewOffload {
			continue
		}
		st, slot := v.After.Members.Status, v.After.Slot
		if Offloaded(st) {
			j.Arose(rules.TargetWritesContextOnOffload)
			if slot == 0 {
				j.Violate(rules.TargetWritesContextOnOffload, v.Path, "Status = %s but *MiniportOffloadContext is still NULL", st)
				continue
			}
			j.Arose(rules.OneContextAreaPerObject)
			if other, dup := live[slot]; dup {
				j.Violate(rules.OneContextAreaPerObject, v.Path, "*MiniportOffloadContext = %#x, the context of %s", slot, other)
			}
			live[slot] = v.Path
			continue
		}
		j.Arose(rules.InitiateLeavesContextOnFailure)
		if slot != 0 {
			j.Violate(rules.InitiateLeavesContextOnFailure, v.Path, "Status = %s, yet *MiniportOffloadContext was written (%#x)", st, slot)
		}
	}
}

// dependentsOf returns the views of the blocks immediately dependent on v's block (INIT-043).
func (j *Judging) dependentsOf(v blockView) []blockView {
	var out []blockView
	for _, d := range j.views {
		if d.Parent == v.Before.Block {
			out = append(out, d)
		}
	}
	return out
}

// judgeStatusFromDependents: SUCCESS when the block's own part and every immediately
// dependent block were offloaded, OFFLOAD_PARTIAL_SUCCESS when some dependent was not; for
// placeholders and linkers, the statuses their readings give them.
func judgeStatusFromDependents(j *Judging) {
	if !j.initiating() {
		return
	}
	skipped := j.notAttempted()
	for _, v := range j.views {
		st := v.After.Members.Status
		if st == StatusUnwritten || skipped[v.Before.Block] {
			continue // the contract judge, or the failed-subtree judge, reports it
		}
		deps := j.dependentsOf(v)
		ok, failed := 0, 0
		for _, d := range deps {
			if Offloaded(d.After.Members.Status) {
				ok++
			} else {
				failed++
			}
		}
		if len(deps) > 0 {
			j.Arose(rules.InitiateImmediatelyDependentDefinition)
		}
		var want ndis.Status
		var rule *rules.Rule
		switch v.Role {
		case ndis.RolePlaceholder:
			want, rule = ndis.StatusSuccess, rules.PlaceholderAlwaysSucceedsOnInitiate
			if j.S.Readings.PlaceholderStatusFollowsDependents && failed > 0 {
				want = ndis.StatusOffloadPartialSuccess
			}
		case ndis.RoleLinker:
			switch {
			case failed == 0:
				want, rule = ndis.StatusSuccess, rules.LinkerSuccessWhenAllDependentsOffloaded
			case ok > 0:
				want, rule = ndis.StatusOffloadPartialSuccess, rules.LinkerPartialWhenSomeDependentsFail
			default:
				want, rule = ndis.StatusFailure, rules.LinkerFailureWhenAllDependentsFail
				if j.S.Readings.LinkerAllDependentsFailedPartialSuccess {
					want = ndis.StatusOffloadPartialSuccess
				}
			}
		default:
			if !Offloaded(st) {
				continue // its own state was not offloaded: the cause judges decide its status
			}
			j.Arose(rules.NewOffloadStatusReflectsOutcome)
			want, rule = ndis.StatusSuccess, rules.InitiateSuccessCondition
			if failed > 0 {
				want, rule = ndis.StatusOffloadPartialSuccess, rules.InitiatePartialSuccessCondition
			}
		}
		j.Arose(rule)
		if st != want {
			j.Violate(rule, v.Path, "Status = %s, want %s: %d of its %d immediately dependent blocks were offloaded", st, want, ok, len(deps))
		}
	}
}

// judgeFailedSubtrees: nothing below a new-offload block that was not offloaded is offloaded,
// and every block there gets NDIS_STATUS_FAILURE; where the readings let the failure end the
// whole traversal (endsTraversal), neither is anything after it.
func judgeFailedSubtrees(j *Judging) {
	if !j.initiating() {
		return
	}
	for i, v := range j.views {
		if !failedNewOffload(v) {
			continue
		}
		for _, d := range j.subtree(v.Before.Block) {
			j.checkNotAttempted(d, v, rules.InitiateNoOffloadUnderFailedBlock, rules.InitiateSkippedBlocksGetFailure)
		}
		rule := rules.InitiateFailureSkipsOnlyItsSubtree
		if i == 0 && v.Parent == nil {
			j.Arose(rules.InitiateRootFailureStopsTraversal)
			rule = rules.InitiateRootFailureStopsTraversal
		}
		if !j.endsTraversal(i, v) {
			continue
		}
		for _, d := range j.views[i+1:] {
			if !j.inSubtree(d.Before.Block, v.Before.Block) {
				j.checkNotAttempted(d, v, rule, rule)
			}
		}
		return // nothing after it was attempted, so no later block failed on its own
	}
}

// failedNewOffload reports whether v is a new-offload block the target did not offload.
func failedNewOffload(v blockView) bool {
	st := v.After.Members.Status
	return v.Role == ndis.RoleNewOffload && !Offloaded(st) && st != StatusUnwritten
}

// endsTraversal reports whether the failed new-offload block v, i-th in depth-first/breadth-next
// order, ends the whole traversal under the selected readings: a failed root under
// rootFailureStopsWholeTree (CONFLICT-INIT-08), any other failed path or neighbor under
// pathOrNeighborFailureStopsWholeTree (CONFLICT-INIT-13).
func (j *Judging) endsTraversal(i int, v blockView) bool {
	if !failedNewOffload(v) {
		return false
	}
	if i == 0 && v.Parent == nil {
		return j.S.Readings.RootFailureStopsWholeTree
	}
	if v.Parent != nil && !j.attempted(j.viewOf(v.Parent)) {
		return false // never attempted, so it ends nothing
	}
	return v.Layer != ndis.LayerTCP && j.S.Readings.PathOrNeighborFailureStopsWholeTree
}

// attempted reports whether the traversal goes on into the dependents of parent: a placeholder
// always; a linker that names a live object of its layer; a new offload that was offloaded.
func (j *Judging) attempted(parent blockView) bool {
	switch parent.Role {
	case ndis.RolePlaceholder:
		return true
	case ndis.RoleLinker:
		o, ok := j.Model.Object(parent.Before.Slot)
		return ok && o.Layer == parent.Layer
	}
	return Offloaded(parent.After.Members.Status)
}

// judgeTraversalGoesOn: after a new-offload block fails, the traversal goes on past its
// subtree. A target may fail any block with NDIS_STATUS_FAILURE for a cause the host cannot
// know (INIT-047), so one such block proves nothing; what shows a traversal that stopped is
// every block after the failed one's subtree ending in NDIS_STATUS_FAILURE, none of them
// below a failed block, and at least one of them a new offload the declared limits allow.
func judgeTraversalGoesOn(j *Judging) {
	if !j.initiating() {
		return
	}
	skipped := j.notAttempted()
	for i, v := range j.views {
		if !failedNewOffload(v) {
			continue
		}
		if j.endsTraversal(i, v) {
			return // the reading has this failure end the traversal
		}
		var after []blockView
		for _, d := range j.views[i+1:] {
			if !j.inSubtree(d.Before.Block, v.Before.Block) && !skipped[d.Before.Block] {
				after = append(after, d)
			}
		}
		if len(after) == 0 {
			continue
		}
		j.Arose(rules.InitiateFailureSkipsOnlyItsSubtree)
		stopped, fresh := true, false
		for _, d := range after {
			if d.After.Members.Status != ndis.StatusFailure {
				stopped = false
				break
			}
			if d.Role == ndis.RoleNewOffload && !j.Out.Concurrent {
				fresh = true
			}
		}
		if stopped && fresh && !j.hasCauses(after) {
			j.Violate(rules.InitiateFailureSkipsOnlyItsSubtree, after[0].Path,
				"every one of the %d blocks after %s (Status = %s) outside its subtree ended in NDIS_STATUS_FAILURE: the traversal stopped at the failure instead of going on",
				len(after), v.Path, v.After.Members.Status)
		}
		return
	}
}

// hasCauses reports whether any of the new-offload blocks vs has a documented cause of failure
// with the objects the target held before the initiate.
func (j *Judging) hasCauses(vs []blockView) bool {
	t := newTally(j.Model, false)
	for _, v := range vs {
		if v.Role != ndis.RoleNewOffload {
			continue
		}
		state := stateAt(v.Before)
		if len(causes(j.S.Limits, t, v.Layer, &state)) > 0 {
			return true
		}
	}
	return false
}

// checkNotAttempted requires d, which the traversal should not have reached because failed
// was not offloaded, to be neither offloaded (noOffload) nor given a status other than FAILURE
// (failure).
func (j *Judging) checkNotAttempted(d, failed blockView, noOffload, failure *rules.Rule) {
	st := d.After.Members.Status
	j.Arose(noOffload)
	if d.Role == ndis.RoleNewOffload && (d.After.Slot != 0 || Offloaded(st)) {
		j.Violate(noOffload, d.Path, "offloaded (Status = %s, context %#x) although %s was not (Status = %s)", st, d.After.Slot, failed.Path, failed.After.Members.Status)
		return
	}
	j.Arose(failure)
	if st != ndis.StatusFailure && st != StatusUnwritten {
		j.Violate(failure, d.Path, "Status = %s, want NDIS_STATUS_FAILURE: %s was not offloaded (Status = %s), so this block was not to be attempted", st, failed.Path, failed.After.Members.Status)
	}
}

// notAttempted returns the blocks below a new-offload block that was not offloaded: the
// traversal does not reach them (INIT-030, INIT-031), so no other status rule applies there.
func (j *Judging) notAttempted() map[*ndis.MiniportOffloadBlockList]bool {
	out := map[*ndis.MiniportOffloadBlockList]bool{}
	stopped := false
	for i, v := range j.views {
		if stopped || v.Parent != nil && out[v.Parent] {
			out[v.Before.Block] = true
			continue
		}
		if j.initiating() && j.endsTraversal(i, v) {
			// The readings have this failure end the traversal: nothing after it is
			// attempted either.
			stopped = true
			continue
		}
		if v.Parent != nil {
			if p := j.viewOf(v.Parent); p.Role == ndis.RoleNewOffload && !Offloaded(p.After.Members.Status) {
				out[v.Before.Block] = true
			}
		}
	}
	return out
}

// viewOf returns the view of block b.
func (j *Judging) viewOf(b *ndis.MiniportOffloadBlockList) blockView {
	if j.byBlock == nil {
		j.byBlock = make(map[*ndis.MiniportOffloadBlockList]int, len(j.views))
		for i, v := range j.views {
			j.byBlock[v.Before.Block] = i
		}
	}
	if i, ok := j.byBlock[b]; ok {
		return j.views[i]
	}
	return blockView{}
}

// subtree returns the views of every block below b (its dependents, recursively).
func (j *Judging) subtree(b *ndis.MiniportOffloadBlockList) []blockView {
	var out []blockView
	for _, v := range j.views {
		if j.inSubtree(v.Before.Block, b) {
			out = append(out, v)
		}
	}
	return out
}

// inSubtree reports whether d lies below b.
func (j *Judging) inSubtree(d, b *ndis.MiniportOffloadBlockList) bool {
	if j.parent == nil {
		j.parent = make(map[*ndis.MiniportOffloadBlockList]*ndis.MiniportOffloadBlockList, len(j.views))
		for _, v := range j.views {
			j.parent[v.Before.Block] = v.Parent
		}
	}
	seen := 0
	for p := j.parent[d]; p != nil && seen <= len(j.views); p = j.parent[p] {
		if p == b {
			return true
		}
		seen++
	}
	return false
}

// A cause is a documented reason an initiate block cannot be offloaded that the host can
// know from the declared limits, with the status the pages tie to it.
type cause struct {
	status ndis.Status
	rule   *rules.Rule
	why    string
}

// specificStatuses maps each status with a documented cause to its rule and the layer it
// concerns.
var specificStatuses = map[ndis.Status]struct {
	rule  *rules.Rule
	layer ndis.Layer
}{
	ndis.StatusResources:                 {rules.InitiateResourcesCondition, 0},
	ndis.StatusOffloadTCPEntries:         {rules.InitiateTCPEntriesCondition, ndis.LayerTCP},
	ndis.StatusOffloadPathEntries:        {rules.InitiatePathEntriesCondition, ndis.LayerPath},
	ndis.StatusOffloadNeighborEntries:    {rules.InitiateNeighborEntriesCondition, ndis.LayerNeighbor},
	ndis.StatusOffloadHWAddressEntries:   {rules.InitiateHwAddressEntriesCondition, ndis.LayerNeighbor},
	ndis.StatusOffloadIPAddressEntries:   {rules.InitiateIPAddressEntriesCondition, ndis.LayerPath},
	ndis.StatusOffloadVLANEntries:        {rules.InitiateVlanEntriesStatus, ndis.LayerNeighbor},
	ndis.StatusOffloadVLANMismatch:       {rules.InitiateVlanMismatchStatus, ndis.LayerNeighbor},
	ndis.StatusOffloadTCPXmitBuffer:      {rules.InitiateTCPXmitBufferCondition, ndis.LayerTCP},
	ndis.StatusOffloadTCPRcvBuffer:       {rules.InitiateTCPRcvBufferCondition, ndis.LayerTCP},
	ndis.StatusOffloadTCPRcvWindow:       {rules.InitiateTCPRcvWindowCondition, ndis.LayerTCP},
	ndis.StatusOffloadPathMTU:            {rules.InitiatePathMTUCondition, ndis.LayerPath},
	ndis.StatusOffloadConnectionRejected: {rules.InitiateConnectionRejected, ndis.LayerTCP},
}

func causeRules() []*rules.Rule {
	out := []*rules.Rule{rules.InitiateFailureCondition, rules.NonZeroDlSourceAddressNeedsConfigurableMAC,
		rules.InitiateUntaggedInterfaceAcceptsVlanID, rules.InitiateZeroVlanIDAccepted, rules.InitiateMatchingVlanIDAccepted,
		rules.TerminateFreesResources, rules.DepthFirstBreadthNextOrder}
	for _, s := range specificStatuses {
		out = append(out, s.rule)
	}
	return out
}

// tally is what an initiate has in use at one point of its traversal: the live objects before
// it plus the blocks offloaded so far, in depth-first/breadth-next order.
type tally struct {
	count map[ndis.Layer]int
	total int
	macs  map[ndis.DlAddress]bool
	vlans map[uint16]bool
	ips   map[netip.Addr]bool
}

func newTally(m *Model, withTerminated bool) *tally {
	t := &tally{count: map[ndis.Layer]int{}, macs: m.SourceMACs(), vlans: m.VLANIDs(), ips: m.SourceIPs()}
	objs := m.Objects()
	if withTerminated {
		for _, o := range m.Terminated {
			objs = append(objs, o)
		}
	}
	for _, o := range objs {
		t.count[o.Layer]++
		t.total++
		if withTerminated {
			t.add(o.Layer, &o.State)
		}
	}
	return t
}

func (t *tally) add(l ndis.Layer, b *ndis.MiniportOffloadBlockList) {
	if c := b.NeighborConst; c != nil {
		if !c.DlSourceAddress.IsNull() {
			t.macs[c.DlSourceAddress] = true
		}
		if c.VlanID != 0 {
			t.vlans[c.VlanID] = true
		}
	}
	if c := b.PathConst; c != nil {
		t.ips[c.SourceAddress] = true
	}
}

func (t *tally) offloaded(l ndis.Layer, b *ndis.MiniportOffloadBlockList) {
	t.count[l]++
	t.total++
	t.add(l, b)
}

// full reports whether a declared limit of n objects is reached.
func full(l target.Limit, n int) bool { return l.Declared && n >= int(l.Value) }

// causes returns the documented causes that keep a new-offload block at layer l with state b
// from being offloaded, given what is in use.
func causes(lim target.Limits, t *tally, l ndis.Layer, b *ndis.MiniportOffloadBlockList) []cause {
	var out []cause
	add := func(st ndis.Status, why string, args ...any) {
		out = append(out, cause{status: st, rule: specificStatuses[st].rule, why: fmt.Sprintf(why, args...)})
	}
	if full(lim.HostMemoryObjects, t.total) {
		add(ndis.StatusResources, "%d objects are offloaded and the declared host memory holds %d", t.total, lim.HostMemoryObjects.Value)
	}
	switch l {
	case ndis.LayerNeighbor:
		if full(lim.NeighborEntries, t.count[l]) {
			add(ndis.StatusOffloadNeighborEntries, "%d neighbors are offloaded, the declared neighbor entries", t.count[l])
		}
		if c := b.NeighborConst; c != nil {
			if src := c.DlSourceAddress; !src.IsNull() {
				switch {
				case lim.ConfigurableSourceMAC.Declared && !lim.ConfigurableSourceMAC.Value:
					add(ndis.StatusOffloadHWAddressEntries, "DlSourceAddress %s is not NULL and the target declares no configurable source MACs", src)
				case !t.macs[src] && full(lim.SourceMACEntries, len(t.macs)):
					add(ndis.StatusOffloadHWAddressEntries, "DlSourceAddress %s would be source MAC %d of the %d declared", src, len(t.macs)+1, lim.SourceMACEntries.Value)
				}
			}
			if id := c.VlanID; id != 0 {
				if !t.vlans[id] && full(lim.VLANEntries, len(t.vlans)) {
					add(ndis.StatusOffloadVLANEntries, "VlanId %d would be VLAN ID %d of the %d declared entries", id, len(t.vlans)+1, lim.VLANEntries.Value)
				}
				if configured := nonZeroIDs(lim.InterfaceVLANIDs); lim.InterfaceVLANIDs.Declared && len(configured) > 0 && !slices.Contains(configured, id) {
					add(ndis.StatusOffloadVLANMismatch, "VlanId %d is not among the interface's VLAN IDs %v", id, configured)
				}
			}
		}
	case ndis.LayerPath:
		if full(lim.PathEntries, t.count[l]) {
			add(ndis.StatusOffloadPathEntries, "%d paths are offloaded, the declared path entries", t.count[l])
		}
		if c := b.PathConst; c != nil && !t.ips[c.SourceAddress] && full(lim.SourceIPAddressEntries, len(t.ips)) {
			add(ndis.StatusOffloadIPAddressEntries, "SourceAddress %s would be source address %d of the %d declared", c.SourceAddress, len(t.ips)+1, lim.SourceIPAddressEntries.Value)
		}
		if c := b.PathCached; c != nil && lim.MaxPathMTU.Declared && c.PathMTU > lim.MaxPathMTU.Value {
			add(ndis.StatusOffloadPathMTU, "PathMtu %d is above the declared largest, %d", c.PathMTU, lim.MaxPathMTU.Value)
		}
	case ndis.LayerTCP:
		n := t.count[l]
		if full(lim.TCPEntries, n) {
			add(ndis.StatusOffloadTCPEntries, "%d connections are offloaded, the declared TCP entries", n)
		}
		if c := b.TCPCached; c != nil && lim.MaxInitialRcvWnd.Declared && c.InitialRcvWnd > lim.MaxInitialRcvWnd.Value {
			add(ndis.StatusOffloadTCPRcvWindow, "InitialRcvWnd %d is above the declared largest, %d", c.InitialRcvWnd, lim.MaxInitialRcvWnd.Value)
		}
		if full(lim.TransmitBuffers, n) {
			add(ndis.StatusOffloadTCPXmitBuffer, "%d connections have transmit buffers, the declared number", n)
		}
		if full(lim.ReceiveBuffers, n) {
			add(ndis.StatusOffloadTCPRcvBuffer, "%d connections have receive buffers, the declared number", n)
		}
	}
	return out
}

func nonZeroIDs(v target.VLANIDs) []uint16 {
	var out []uint16
	for _, id := range v.IDs {
		if id != 0 {
			out = append(out, id)
		}
	}
	return out
}

// entryStatus reports whether st is a status of a per-layer entry or buffer limit, which
// acceptResourcesForEntryLimits lets NDIS_STATUS_RESOURCES stand in for.
func entryStatus(st ndis.Status) bool {
	return st != ndis.StatusResources && st != ndis.StatusOffloadVLANMismatch && st != ndis.StatusOffloadPathMTU &&
		st != ndis.StatusOffloadTCPRcvWindow && st != ndis.StatusOffloadConnectionRejected
}

// judgeCauses walks the initiate in depth-first/breadth-next order, as the target must
// (TREE-020), keeping count of what is in use, and holds every new-offload block's status
// against the causes the count gives: a block with a cause is not offloaded and carries a
// status of one of its causes; a status with a documented cause appears only where that cause
// holds, on a block of its layer.
func judgeCauses(j *Judging) {
	if !j.initiating() {
		return
	}
	lim := j.S.Limits
	now := newTally(j.Model, false)
	withTerminated := newTally(j.Model, true)
	notOffloaded := map[*ndis.MiniportOffloadBlockList]bool{}
	order := &traversal{}
	stopped := false
	for i, v := range j.views {
		if stopped {
			continue // not attempted: the failed-subtree judge holds the rest of the tree
		}
		if v.Parent != nil && notOffloaded[v.Parent] {
			notOffloaded[v.Before.Block] = true
			continue // judged as part of a failed subtree
		}
		if v.Role != ndis.RoleNewOffload {
			continue
		}
		st := v.After.Members.Status
		if st == StatusUnwritten {
			continue
		}
		state := stateAt(v.Before)
		cs := causes(lim, now, v.Layer, &state)
		if !Offloaded(st) {
			notOffloaded[v.Before.Block] = true
		}
		if !j.Out.Concurrent {
			j.judgeBlockCauses(v, st, cs, now, withTerminated, &state, order)
		}
		stopped = j.endsTraversal(i, v)
		if Offloaded(st) {
			now.offloaded(v.Layer, &state)
			withTerminated.offloaded(v.Layer, &state)
		}
	}
}

// judgeBlockCauses holds one new-offload block's status against its causes.
func (j *Judging) judgeBlockCauses(v blockView, st ndis.Status, cs []cause, now, withTerminated *tally, state *ndis.MiniportOffloadBlockList, order *traversal) {
	lim := j.S.Limits
	for _, c := range cs {
		j.Arose(c.rule)
	}
	if len(cs) > 0 {
		// A cause is known: FAILURE would be wrong here, and a target taking the blocks in
		// another order would show it.
		j.Arose(rules.InitiateFailureCondition)
		j.Arose(rules.DepthFirstBreadthNextOrder)
	}
	if len(j.Model.Terminated) > 0 {
		j.Arose(rules.TerminateFreesResources) // objects were freed before this initiate
	}
	if v.Layer == ndis.LayerNeighbor && state.NeighborConst != nil && lim.InterfaceVLANIDs.Declared {
		j.Arose(vlanAcceptanceRule(lim, state, rules.InitiateVlanMismatchStatus))
	}
	if v.Layer == ndis.LayerNeighbor && state.NeighborConst != nil && !state.NeighborConst.DlSourceAddress.IsNull() &&
		lim.ConfigurableSourceMAC.Declared && !lim.ConfigurableSourceMAC.Value {
		j.Arose(rules.NonZeroDlSourceAddressNeedsConfigurableMAC)
		if Offloaded(st) {
			j.Violate(rules.NonZeroDlSourceAddressNeedsConfigurableMAC, v.Path, "offloaded (Status = %s) a neighbor with DlSourceAddress %s, though the target declares no configurable source MACs", st, state.NeighborConst.DlSourceAddress)
		}
	}
	if len(cs) > 0 {
		allowed := make([]ndis.Status, 0, len(cs)+1)
		whys := make([]string, 0, len(cs))
		for _, c := range cs {
			allowed = append(allowed, c.status)
			whys = append(whys, c.why)
			if entryStatus(c.status) && j.S.Readings.AcceptResourcesForEntryLimits {
				allowed = append(allowed, ndis.StatusResources)
			}
		}
		if !slices.Contains(allowed, st) {
			if Offloaded(st) && order.refusedEarly != "" {
				j.Arose(rules.DepthFirstBreadthNextOrder)
				j.Violate(rules.DepthFirstBreadthNextOrder, v.Path, "offloaded (Status = %s) after %s was refused for a limit not yet reached in depth-first/breadth-next order: the target took the blocks in another order", st, order.refusedEarly)
			}
			j.Violate(cs[0].rule, v.Path, "Status = %s, want %s: %s", st, orList(allowed), whys)
			if st == ndis.StatusFailure {
				j.Violate(rules.InitiateFailureCondition, v.Path, "NDIS_STATUS_FAILURE where a more specific status names the cause (%s)", cs[0].status)
			}
		}
		return
	}
	spec, specific := specificStatuses[st]
	if !specific {
		return // SUCCESS, PARTIAL_SUCCESS (judged from the dependents) or FAILURE (cause unknown to the host)
	}
	if spec.layer != 0 && spec.layer != v.Layer {
		j.Violate(spec.rule, v.Path, "Status = %s on a %s block; the status concerns %s blocks only", st, v.Layer, spec.layer)
		return
	}
	if st == ndis.StatusOffloadConnectionRejected {
		j.Arose(spec.rule)
		return // a permission: the target may judge any connection a poor candidate
	}
	if !j.declaredFor(st, lim) {
		return // the limit behind it is undeclared: the host cannot know it was not reached
	}
	j.Arose(spec.rule)
	if st == ndis.StatusResources && j.S.Readings.AcceptResourcesForEntryLimits {
		return // may stand in for an entries status; any undeclared one could have bound
	}
	// The cause does not hold. Counting the objects terminated earlier, does it? Then the
	// target did not free them.
	for _, c := range causes(lim, withTerminated, v.Layer, state) {
		if c.status == st {
			j.Violate(rules.TerminateFreesResources, v.Path, "Status = %s although the objects terminated earlier were freed: %s only if they still count", st, c.why)
			return
		}
	}
	if order.refusedEarly == "" {
		order.refusedEarly = v.Path
	}
	rule := spec.rule
	if st == ndis.StatusOffloadVLANMismatch || st == ndis.StatusOffloadVLANEntries {
		rule = vlanAcceptanceRule(lim, state, spec.rule)
	}
	j.Arose(rule)
	j.Violate(rule, v.Path, "Status = %s, but its cause does not hold: when the depth-first/breadth-next traversal reached it, %d %s objects and %d in all were offloaded (declared: %s entries %s, host memory objects %s)",
		st, now.count[v.Layer], v.Layer, now.total, v.Layer, layerLimit(lim, v.Layer), lim.HostMemoryObjects)
}

// traversal remembers, along one initiate, the first block refused for a limit that had not
// been reached in depth-first/breadth-next order: a block offloaded later despite a cause
// shows the target walked the tree in another order.
type traversal struct{ refusedEarly string }

// vlanAcceptanceRule names the rule a VLAN refusal without cause breaks, from the VLAN IDs
// involved (INIT-017, INIT-018, INIT-019), or fallback.
func vlanAcceptanceRule(lim target.Limits, b *ndis.MiniportOffloadBlockList, fallback *rules.Rule) *rules.Rule {
	if b.NeighborConst == nil || !lim.InterfaceVLANIDs.Declared {
		return fallback
	}
	id, configured := b.NeighborConst.VlanID, nonZeroIDs(lim.InterfaceVLANIDs)
	switch {
	case id == 0:
		return rules.InitiateZeroVlanIDAccepted
	case len(configured) == 0:
		return rules.InitiateUntaggedInterfaceAcceptsVlanID
	case slices.Contains(configured, id):
		return rules.InitiateMatchingVlanIDAccepted
	}
	return fallback
}

// declaredFor reports whether the limits behind st are declared, so that the host can tell
// whether its cause holds.
func (j *Judging) declaredFor(st ndis.Status, lim target.Limits) bool {
	switch st {
	case ndis.StatusResources:
		return lim.HostMemoryObjects.Declared
	case ndis.StatusOffloadTCPEntries:
		return lim.TCPEntries.Declared
	case ndis.StatusOffloadPathEntries:
		return lim.PathEntries.Declared
	case ndis.StatusOffloadNeighborEntries:
		return lim.NeighborEntries.Declared
	case ndis.StatusOffloadHWAddressEntries:
		return lim.ConfigurableSourceMAC.Declared && (!lim.ConfigurableSourceMAC.Value || lim.SourceMACEntries.Declared)
	case ndis.StatusOffloadIPAddressEntries:
		return lim.SourceIPAddressEntries.Declared
	case ndis.StatusOffloadVLANEntries:
		return lim.VLANEntries.Declared
	case ndis.StatusOffloadVLANMismatch:
		return lim.InterfaceVLANIDs.Declared
	case ndis.StatusOffloadTCPXmitBuffer:
		return lim.TransmitBuffers.Declared
	case ndis.StatusOffloadTCPRcvBuffer:
		return lim.ReceiveBuffers.Declared
	case ndis.StatusOffloadTCPRcvWindow:
		return lim.MaxInitialRcvWnd.Declared
	case ndis.StatusOffloadPathMTU:
		return lim.MaxPathMTU.Declared
	}
	return false
}

func layerLimit(lim target.Limits, l ndis.Layer) target.Limit {
	switch l {
	case ndis.LayerNeighbor:
		return lim.NeighborEntries
	case ndis.LayerPath:
		return lim.PathEntries
	}
	return lim.TCPEntries
}

func orList(sts []ndis.Status) string {
	sts = slices.Compact(sts)
	if len(sts) == 1 {
		return sts[0].String()
	}
	return fmt.Sprintf("one of %v", sts)
}

package reference

import (
	"net/netip"
	"slices"

	"github.com/ndis-chimney/conformance/reference/tcp"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// initiate offloads the state in the tree in depth-first/breadth-next order
// (concepts/traversing-a-state-tree.md) and writes a status into every block.
func (t *Target) initiate(tree *ndis.MiniportOffloadBlockList) {
	t.stopped = false
	t.adopted = t.adopted[:0]
	t.offloadLevel(tree, 0, true)
}

// offloadLevel offloads first and the blocks linked from it through NextBlock, each block's
// dependents before its next sibling. parent is the context of the object the blocks depend on
// (zero at the root or under a placeholder). It returns how many blocks of the level were
// offloaded (or, for placeholders and linkers, handled) and how many failed.
func (t *Target) offloadLevel(first *ndis.MiniportOffloadBlockList, parent ndis.Context, root bool) (ok, failed int) {
	for b := first; b != nil; b = b.NextBlock {
		if t.stopped {
			// An earlier failure ended the traversal: this block is not attempted.
			failSubtree(b)
			failed++
			continue
		}
		if t.offloadBlock(b, parent) {
			ok++
			continue
		}
		failed++
		// concepts/partial-offloads-and-offload-failures.md: when the state of the root cannot
		// be offloaded, the traversal ends (CONFLICT-INIT-08), and under one reading of its
		// step 6 so it does when another path's or neighbor's cannot (CONFLICT-INIT-13). A linker
		// whose dependents all failed carries no state of its own, so it ends nothing.
		isRoot := root && b == first
		if b.Role() == ndis.RoleNewOffload && (isRoot && t.cfg.RootFailureStopsWholeTree ||
			!isRoot && b.Layer() != ndis.LayerTCP && t.cfg.PathOrNeighborFailureStopsWholeTree) {
			t.stopped = true
		}
	}
	return ok, failed
}

// offloadBlock handles one block and its dependents and reports whether the block itself
// succeeded (its status is SUCCESS or OFFLOAD_PARTIAL_SUCCESS).
func (t *Target) offloadBlock(b *ndis.MiniportOffloadBlockList, parent ndis.Context) bool {
	switch b.Role() {
	case ndis.RolePlaceholder:
		// A placeholder carries no state and names no object; its dependents hang from the
		// object below it, if any.
		_, failed := t.offloadLevel(b.DependentBlockList, parent, false)
		b.Status = ndis.StatusSuccess
		if t.cfg.PlaceholderStatusFromDependents && failed > 0 {
			// Read like any block whose own part went through: partial success when one or
			// more immediately dependent blocks failed, all of them included.
			b.Status = ndis.StatusOffloadPartialSuccess
		}
		return true
	case ndis.RoleLinker:
		ctx := *b.MiniportOffloadContext
		if l := t.objects.layerOf(ctx); l == 0 || l != b.Layer() {
			failSubtree(b)
			return false
		}
		ok, failed := t.offloadLevel(b.DependentBlockList, ctx, false)
		b.Status = t.statusFromDependents(ok, failed)
		return b.Status != ndis.StatusFailure
	default:
		ctx, status := t.allocate(b, parent)
		if status != ndis.StatusSuccess {
			b.Status = status
			failDependents(b)
			return false
		}
		// The context is written only on success, and before the dependents are offloaded,
		// since they link to it.
		*b.MiniportOffloadContext = ctx
		ok, failed := t.offloadLevel(b.DependentBlockList, ctx, false)
		b.Status = ndis.StatusSuccess
		if failed > 0 {
			b.Status = ndis.StatusOffloadPartialSuccess
		}
		_ = ok
		return true
	}
}

// statusFromDependents is the status of a block that carries no state of its own: SUCCESS
// when every dependent succeeded, FAILURE when all failed (or PARTIAL_SUCCESS under the other
// reading), PARTIAL_SUCCESS otherwise (concepts/placeholders--linkers--and-new-offloads.md).
func (t *Target) statusFromDependents(ok, failed int) ndis.Status {
	switch {
	case failed == 0:
		return ndis.StatusSuccess
	case ok == 0 && !t.cfg.LinkerAllFailedPartialSuccess:
		return ndis.StatusFailure
	}
	return ndis.StatusOffloadPartialSuccess
}

// failSubtree writes NDIS_STATUS_FAILURE into b and everything that depends on it: none of
// it was offloaded.
func failSubtree(b *ndis.MiniportOffloadBlockList) {
	b.Status = ndis.StatusFailure
	failDependents(b)
}

func failDependents(b *ndis.MiniportOffloadBlockList) {
	for _, d := range b.Dependents() {
		failSubtree(d)
	}
}

// allocate creates the object a new-offload block carries, or returns the status that says
// why it could not. Checks run from the most general resource to the most specific, so that
// each status appears exactly under its documented condition
// (concepts/returning-completion-status-of-an-initiate-offload-operation.md).
func (t *Target) allocate(b *ndis.MiniportOffloadBlockList, parent ndis.Context) (ndis.Context, ndis.Status) {
	lim := t.cfg.Limits
	r := t.objects
	if lim.HostMemoryObjects.Declared && r.total() >= int(lim.HostMemoryObjects.Value) {
		return 0, ndis.StatusResources
	}
	switch b.Layer() {
	case ndis.LayerNeighbor:
		return t.allocateNeighbor(b)
	case ndis.LayerPath:
		if r.neighbor(parent) == nil {
			return 0, ndis.StatusFailure // a new path needs an offloaded neighbor below it
		}
		return t.allocatePath(b, parent)
	case ndis.LayerTCP:
		if r.path(parent) == nil {
			return 0, ndis.StatusFailure // a new connection needs an offloaded path below it
		}
		return t.allocateConnection(b, parent)
	}
	return 0, ndis.StatusFailure
}

func (t *Target) allocateNeighbor(b *ndis.MiniportOffloadBlockList) (ndis.Context, ndis.Status) {
	lim, r := t.cfg.Limits, t.objects
	if b.NeighborConst == nil || b.NeighborCached == nil || b.NeighborDelegated == nil {
		return 0, ndis.StatusFailure
	}
	if lim.NeighborEntries.Declared && r.count(ndis.LayerNeighbor) >= int(lim.NeighborEntries.Value) {
		return 0, ndis.StatusOffloadNeighborEntries
	}
	if src := b.NeighborConst.DlSourceAddress; !src.IsNull() {
		macs := r.sourceMACs
		if !lim.ConfigurableSourceMAC.Value ||
			(macs[src] == 0 && lim.SourceMACEntries.Declared && len(macs) >= int(lim.SourceMACEntries.Value)) {
			return 0, ndis.StatusOffloadHWAddressEntries
		}
	}
	if vlan := b.NeighborConst.VlanID; vlan != 0 {
		ids := r.vlanIDs
		if ids[vlan] == 0 && lim.VLANEntries.Declared && len(ids) >= int(lim.VLANEntries.Value) {
			return 0, ndis.StatusOffloadVLANEntries
		}
		if configured := nonZero(lim.InterfaceVLANIDs.IDs); len(configured) > 0 && !slices.Contains(configured, vlan) {
			return 0, ndis.StatusOffloadVLANMismatch
		}
	}
	return r.addNeighbor(&neighbor{
		handle: b.NdisOffloadHandle, konst: *b.NeighborConst, cached: *b.NeighborCached, delegated: *b.NeighborDelegated,
	}), ndis.StatusSuccess
}

func (t *Target) allocatePath(b *ndis.MiniportOffloadBlockList, parent ndis.Context) (ndis.Context, ndis.Status) {
	lim, r := t.cfg.Limits, t.objects
	if b.PathConst == nil || b.PathCached == nil || b.PathDelegated == nil {
		return 0, ndis.StatusFailure
	}
	if lim.PathEntries.Declared && r.count(ndis.LayerPath) >= int(lim.PathEntries.Value) {
		return 0, ndis.StatusOffloadPathEntries
	}
	ips := r.sourceIPs
	if src := b.PathConst.SourceAddress; ips[src] == 0 && lim.SourceIPAddressEntries.Declared && len(ips) >= int(lim.SourceIPAddressEntries.Value) {
		return 0, ndis.StatusOffloadIPAddressEntries
	}
	if lim.MaxPathMTU.Declared && b.PathCached.PathMTU > lim.MaxPathMTU.Value {
		return 0, ndis.StatusOffloadPathMTU
	}
	return r.addPath(&path{
		handle: b.NdisOffloadHandle, ipv6: b.Header.Type.IsIPv6(), konst: *b.PathConst, cached: *b.PathCached,
		delegated: *b.PathDelegated, neighbor: parent,
	}), ndis.StatusSuccess
}

func (t *Target) allocateConnection(b *ndis.MiniportOffloadBlockList, parent ndis.Context) (ndis.Context, ndis.Status) {
	lim, r := t.cfg.Limits, t.objects
	if b.TCPConst == nil || b.TCPCached == nil || b.TCPDelegated == nil {
		return 0, ndis.StatusFailure
	}
	n := r.count(ndis.LayerTCP)
	switch {
	case lim.TCPEntries.Declared && n >= int(lim.TCPEntries.Value):
		return 0, ndis.StatusOffloadTCPEntries
	case lim.MaxInitialRcvWnd.Declared && b.TCPCached.InitialRcvWnd > lim.MaxInitialRcvWnd.Value:
		return 0, ndis.StatusOffloadTCPRcvWindow
	case lim.TransmitBuffers.Declared && n >= int(lim.TransmitBuffers.Value):
		return 0, ndis.StatusOffloadTCPXmitBuffer
	case lim.ReceiveBuffers.Declared && n >= int(lim.ReceiveBuffers.Value):
		return 0, ndis.StatusOffloadTCPRcvBuffer
	}
	c := &connection{
		handle: b.NdisOffloadHandle, konst: *b.TCPConst, cached: *b.TCPCached, delegated: *b.TCPDelegated, path: parent,
	}
	// Outstanding send data: the host hands over its chain with the connection; the target
	// owns it from now on (concepts/handling-outstanding-send-data-during-and-after-an-offload-operation.md).
	var sendData []*ndis.NetBufferList
	if b.NetBufferListChain != nil {
		sendData = b.NetBufferListChain.Chain()
	}
	// Buffered receive data is copied before the initiate completes, since the host frees it
	// on success (concepts/handling-buffered-receive-data-during-and-after-an-offload-operation.md).
	var buffered []byte
	for _, l := range c.delegated.BufferedData.Chain() {
		for nb := l.FirstNetBuffer; nb != nil; nb = nb.Next {
			buffered = append(buffered, nb.Data...)
		}
	}
	c.delegated.SendDataHead, c.delegated.SendDataTail, c.delegated.BufferedData = nil, nil, nil
	ctx := r.addConnection(c)
	p := r.path(parent)
	c.key = tcp.Key{
		Local:  netip.AddrPortFrom(p.konst.SourceAddress, c.konst.LocalPort),
		Remote: netip.AddrPortFrom(p.konst.DestinationAddress, c.konst.RemotePort),
	}
	link, clock := t.wire()
	c.engine = tcp.Adopt(tcp.Config{
		Handle: c.handle, Const: c.konst, Cached: c.cached, Delegated: c.delegated,
		SendData: sendData, BufferedData: buffered,
		Route: func() (tcp.Route, bool) { return t.route(ctx) },
		Host:  t.host, Link: link, Clock: clock,
	})
	t.byKey[c.key] = ctx
	t.adopted = append(t.adopted, c.engine)
	return ctx, ndis.StatusSuccess
}

func nonZero(ids []uint16) []uint16 {
	var out []uint16
	for _, id := range ids {
		if id != 0 {
			out = append(out, id)
		}
	}
	return out
}

package reference

import "github.com/ndis-chimney/conformance/target/ndis"

// query writes the current value of every variable of each referenced object into the state
// structures that follow its block (concepts/filling-in-the-queried-state.md). A block whose
// context names no offloaded object of its layer fails; a placeholder succeeds.
func (t *Target) query(tree *ndis.MiniportOffloadBlockList) {
	for _, b := range ndis.Blocks(tree) {
		b.Status = t.queryBlock(b)
	}
}

func (t *Target) queryBlock(b *ndis.MiniportOffloadBlockList) ndis.Status {
	if b.Role() == ndis.RolePlaceholder {
		return ndis.StatusSuccess
	}
	// Only the structures the block's Type names are the host's question; any other
	// structure after the block is left alone.
	ctx, r, want := b.Context(), t.objects, b.Header.Type.Classes()
	switch b.Layer() {
	case ndis.LayerNeighbor:
		n := r.neighbor(ctx)
		if n == nil {
			return ndis.StatusFailure
		}
		copyStateIf(want.Const, b.NeighborConst, n.konst)
		copyStateIf(want.Cached, b.NeighborCached, n.cached)
		copyStateIf(want.Delegated, b.NeighborDelegated, n.delegated)
	case ndis.LayerPath:
		p := r.path(ctx)
		if p == nil {
			return ndis.StatusFailure
		}
		copyStateIf(want.Const, b.PathConst, p.konst)
		copyStateIf(want.Cached, b.PathCached, p.cached)
		copyStateIf(want.Delegated, b.PathDelegated, p.delegated)
	case ndis.LayerTCP:
		c := r.connection(ctx)
		if c == nil {
			return ndis.StatusFailure
		}
		copyStateIf(want.Const, b.TCPConst, c.konst)
		copyStateIf(want.Cached, b.TCPCached, c.cached)
		if want.Delegated && b.TCPDelegated != nil {
			d := c.delegated
			// The reference has no send-backlog estimate, so it writes "not supported"; it
			// reports the receive data it buffers.
			d.SendBacklogSize = ndis.BacklogNotSupported
			d.ReceiveBacklogSize = uint32(len(c.receiveData))
			copyState(b.TCPDelegated, d)
		}
	default:
		return ndis.StatusFailure
	}
	return ndis.StatusSuccess
}

// copyStateIf writes v into the structure dst points to when the block's Type names its class.
func copyStateIf[T any](named bool, dst *T, v T) {
	if named {
		copyState(dst, v)
	}
}

// copyState writes v into the structure dst points to; a nil dst (the structure is not in
// the tree) is left alone.
func copyState[T any](dst *T, v T) {
	if dst != nil {
		*dst = v
	}
}

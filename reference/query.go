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
	ctx, r := b.Context(), t.objects
	switch b.Layer() {
	case ndis.LayerNeighbor:
		n := r.neighbors[ctx]
		if n == nil {
			return ndis.StatusFailure
		}
		copyState(b.NeighborConst, n.konst)
		copyState(b.NeighborCached, n.cached)
		copyState(b.NeighborDelegated, n.delegated)
	case ndis.LayerPath:
		p := r.paths[ctx]
		if p == nil {
			return ndis.StatusFailure
		}
		copyState(b.PathConst, p.konst)
		copyState(b.PathCached, p.cached)
		copyState(b.PathDelegated, p.delegated)
	case ndis.LayerTCP:
		c := r.connections[ctx]
		if c == nil {
			return ndis.StatusFailure
		}
		copyState(b.TCPConst, c.konst)
		copyState(b.TCPCached, c.cached)
		if b.TCPDelegated != nil {
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

// copyState writes v into the structure dst points to; a nil dst (the structure is not in
// the tree) is left alone.
func copyState[T any](dst *T, v T) {
	if dst != nil {
		*dst = v
	}
}

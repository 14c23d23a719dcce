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
			c.engine.Export(&d)
			// Flags is reserved for system use: the host's, left as it placed it.
			d.Flags = b.TCPDelegated.Flags
			// The reference has no send-backlog estimate, so it writes "not supported"; it
			// reports the receive data it buffers.
			d.SendBacklogSize = ndis.BacklogNotSupported
			d.ReceiveBacklogSize = uint32(c.engine.BufferedBytes())
			copyState(b.TCPDelegated, d)
		}
	default:
		return ndis.StatusFailure
	}
	return ndis.StatusSuccess
}

// stateStructure is a pointer to one of the nine state structures.
type stateStructure[T any] interface {
	*T
	StateHeader() *ndis.OffloadStateHeader
}

// copyStateIf writes v into the structure dst points to when the block's Type names its class.
func copyStateIf[T any, P stateStructure[T]](named bool, dst P, v T) {
	if named {
		copyState(dst, v)
	}
}

// copyState writes the variables of v into the structure dst points to and keeps the
// OFFLOAD_STATE_HEADER the host wrote there: NDIS sets its Length, and RecognizedOptions is
// reserved (suites/rules/duties.go). A nil dst (the structure is not in the tree) is left
// alone.
func copyState[T any, P stateStructure[T]](dst P, v T) {
	if dst == nil {
		return
	}
	h := *dst.StateHeader()
	*dst = v
	*dst.StateHeader() = h
}

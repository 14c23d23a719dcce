package reference

import "github.com/ndis-chimney/conformance/target/ndis"

// update applies the cached state that follows each referenced block and relinks path
// objects to the neighbor block they hang from in the tree
// (ddi/nc-ndischimney-w_update_offload_handler.md,
// concepts/linking-path-state-objects-to-a-new-neighbor-state-object.md). Constant and
// delegated structures in an update tree are ignored: only cached variables are updated.
func (t *Target) update(tree *ndis.MiniportOffloadBlockList) {
	for _, v := range ndis.Walk(tree) {
		v.Block.Status = t.updateBlock(v.Block, v.Parent)
	}
}

func (t *Target) updateBlock(b, parent *ndis.MiniportOffloadBlockList) ndis.Status {
	if b.Role() == ndis.RolePlaceholder {
		return ndis.StatusSuccess
	}
	ctx, r := b.Context(), t.objects
	switch b.Layer() {
	case ndis.LayerNeighbor:
		n := r.neighbor(ctx)
		if n == nil {
			return ndis.StatusFailure
		}
		if b.NeighborCached != nil {
			n.cached = *b.NeighborCached
		}
	case ndis.LayerPath:
		p := r.path(ctx)
		if p == nil {
			return ndis.StatusFailure
		}
		if parent != nil && parent.Role() != ndis.RolePlaceholder {
			if r.neighbor(parent.Context()) == nil {
				return ndis.StatusFailure
			}
			p.neighbor = parent.Context()
		}
		if b.PathCached != nil {
			p.cached = *b.PathCached
		}
	case ndis.LayerTCP:
		// A connection's link to its path is never updated; only its cached variables are.
		c := r.connection(ctx)
		if c == nil {
			return ndis.StatusFailure
		}
		if b.TCPCached != nil {
			t.applyTCPCached(c, *b.TCPCached)
			c.engine.SetCached(c.cached)
		}
	default:
		return ndis.StatusFailure
	}
	return ndis.StatusSuccess
}

// applyTCPCached takes a connection's new cached variables and applies the timer resets the
// cached flags ask for (ddi/ns-ndischimney-_tcp_offload_state_cached.md,
// concepts/updating-cached-variables.md). Without a clock, "restart a timer" means its
// TimeoutDelta becomes the whole timeout again.
func (t *Target) applyTCPCached(c *connection, cached ndis.TCPOffloadStateCached) {
	c.cached = cached
	d := &c.delegated
	resetFlag := ndis.TCPFlagMaxRTRestart
	if t.cfg.KeepaliveResetOnKeepAliveRestart {
		resetFlag = ndis.TCPFlagKeepAliveRestart
	}
	if cached.Flags&resetFlag != 0 {
		d.KeepAlive.ProbeCount = 0
		d.KeepAlive.TimeoutDelta = cached.KaTimeout
	}
	if cached.Flags&ndis.TCPFlagKeepAliveRestart != 0 {
		d.KeepAlive.TimeoutDelta = cached.KaTimeout
	}
	if cached.Flags&ndis.TCPFlagMaxRTRestart != 0 || cached.MaxRT != 0 {
		d.TotalRT = 0
	}
}

package reference

import "github.com/ndis-chimney/conformance/target/ndis"

// terminate uploads each referenced object: it writes the object's delegated state into the
// delegated structure after its block, hands outstanding send data back in the block's
// NetBufferListChain (NULL when there is none), and frees the object
// (ddi/nf-ndischimney-ndismterminateoffloadcomplete.md,
// concepts/handling-outstanding-send-data-during-a-terminate-offload-operation.md).
func (t *Target) terminate(tree *ndis.MiniportOffloadBlockList) {
	blocks := ndis.Blocks(tree)
	terminated := make([]ndis.Context, 0, len(blocks))
	for _, b := range blocks {
		b.Status = t.terminateBlock(b)
		if b.Status == ndis.StatusSuccess && b.Role() != ndis.RolePlaceholder {
			terminated = append(terminated, b.Context())
		}
	}
	// Objects are freed after the whole tree is handled, so that a connection and its path
	// terminated together are both still found while the tree is walked.
	for _, ctx := range terminated {
		if c := t.objects.connection(ctx); c != nil && t.byKey[c.key] == ctx {
			delete(t.byKey, c.key)
		}
		t.objects.free(ctx)
	}
}

func (t *Target) terminateBlock(b *ndis.MiniportOffloadBlockList) ndis.Status {
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
		copyStateIf(b.Header.Type.Classes().Delegated, b.NeighborDelegated, n.delegated)
		return ndis.StatusSuccess
	case ndis.LayerPath:
		p := r.path(ctx)
		if p == nil {
			return ndis.StatusFailure
		}
		copyStateIf(b.Header.Type.Classes().Delegated, b.PathDelegated, p.delegated)
		return ndis.StatusSuccess
	case ndis.LayerTCP:
		c := r.connection(ctx)
		if c == nil {
			return ndis.StatusFailure
		}
		t.handBack(b, c)
		return ndis.StatusSuccess
	}
	return ndis.StatusFailure
}

// handBack writes a terminated connection's delegated state, its outstanding send data in
// the original order, and the receive data it still buffers.
func (t *Target) handBack(b *ndis.MiniportOffloadBlockList, c *connection) {
	d := c.delegated
	d.SendDataHead, d.SendDataTail, d.BufferedData = nil, nil, nil
	b.NetBufferListChain = nil
	// The engine stops, completes the receive requests still posted and writes the
	// variables it keeps as the wire shows them.
	up := c.engine.Terminate(&d)
	if n := len(up.SendData); n > 0 && t.cfg.SendCompleteInitiateData {
		for _, l := range up.SendData {
			l.Status = ndis.StatusUploadInProgress
		}
		t.host.NdisTcpOffloadSendComplete(ndis.LinkNetBufferLists(up.SendData...))
		up.SendData = nil
	}
	if n := len(up.SendData); n > 0 {
		b.NetBufferListChain = ndis.LinkNetBufferLists(up.SendData...)
		d.SendDataHead, d.SendDataTail = up.SendData[0], up.SendData[n-1]
	}
	if len(up.Received) > 0 {
		d.BufferedData = &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: up.Received}}
	}
	if b.TCPDelegated != nil {
		d.Flags = b.TCPDelegated.Flags // reserved for system use: the host's, left as it placed it
	}
	copyStateIf(b.Header.Type.Classes().Delegated, b.TCPDelegated, d)
}

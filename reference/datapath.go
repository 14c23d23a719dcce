package reference

import (
	"github.com/ndis-chimney/conformance/reference/tcp"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// The data path (NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS): every handler posts the
// request to the loop and returns NDIS_STATUS_PENDING; on the loop, the connection's engine
// takes it. A request for a context that names no offloaded connection (never offloaded, or
// already terminated) completes with NDIS_STATUS_UPLOAD_IN_PROGRESS: as far as the target
// knows, the connection went back to the host
// (concepts/handling-send-requests-during-a-terminate-offload-operation.md).

// onConnection posts work for the connection ctx names, or gone when it names none.
func (t *Target) onConnection(ctx ndis.Context, live func(*tcp.Conn), gone func()) (ndis.Status, error) {
	err := t.post(func() {
		if c := t.objects.connection(ctx); c != nil {
			live(c.engine)
			return
		}
		gone()
	})
	if err != nil {
		return 0, err
	}
	return ndis.StatusPending, nil
}

// uploadInProgress writes NDIS_STATUS_UPLOAD_IN_PROGRESS, and no bytes transferred, into every
// list of the chain and returns its first.
func uploadInProgress(chain *ndis.NetBufferList) *ndis.NetBufferList {
	lists := chain.Chain()
	for _, l := range lists {
		l.Status, l.BytesTransferred = ndis.StatusUploadInProgress, 0
	}
	return ndis.LinkNetBufferLists(lists...)
}

// MiniportTcpOffloadSend queues send data on the connection.
func (t *Target) MiniportTcpOffloadSend(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	return t.onConnection(ctx, func(c *tcp.Conn) { c.Send(chain) },
		func() { t.host.NdisTcpOffloadSendComplete(uploadInProgress(chain)) })
}

// MiniportTcpOffloadReceive posts receive requests on the connection.
func (t *Target) MiniportTcpOffloadReceive(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	return t.onConnection(ctx, func(c *tcp.Conn) { c.PostReceive(chain) },
		func() { t.host.NdisTcpOffloadReceiveComplete(uploadInProgress(chain)) })
}

// MiniportTcpOffloadReceiveReturn takes back lists of receive indications (and of BufferedData
// handed back at terminate). The reference allocates a fresh list for every indication, so
// there is nothing to reuse: it always succeeds.
func (t *Target) MiniportTcpOffloadReceiveReturn(chain *ndis.NetBufferList) (ndis.Status, error) {
	t.mu.Lock()
	open := t.loop != nil
	t.mu.Unlock()
	if !open {
		return 0, ErrNotOpen
	}
	return ndis.StatusSuccess, nil
}

// MiniportTcpOffloadDisconnect closes the connection's send half, gracefully or abortively.
func (t *Target) MiniportTcpOffloadDisconnect(ctx ndis.Context, nbl *ndis.NetBufferList, flags ndis.DisconnectFlags) (ndis.Status, error) {
	return t.onConnection(ctx, func(c *tcp.Conn) { c.Disconnect(nbl, flags) },
		func() {
			nbl.Status, nbl.BytesTransferred = ndis.StatusUploadInProgress, 0
			t.host.NdisTcpOffloadDisconnectComplete(nbl)
		})
}

// MiniportTcpOffloadForward hands the connection segments the host received for it.
func (t *Target) MiniportTcpOffloadForward(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	return t.onConnection(ctx, func(c *tcp.Conn) { c.Forward(chain) },
		func() { t.host.NdisTcpOffloadForwardComplete(uploadInProgress(chain)) })
}

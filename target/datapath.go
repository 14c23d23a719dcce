package target

import "github.com/ndis-chimney/conformance/target/ndis"

// DataPath mirrors the handlers of NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS: the data
// path of offloaded connections. ctx is the context the target wrote through
// MiniportOffloadContext when it offloaded the connection. Each handler returns the
// NDIS_STATUS the handler returns (the pages allow only NDIS_STATUS_PENDING, and SUCCESS for
// ReceiveReturn); the error is for adapter and transport failures only. The target owns each
// list from the call until it passes it back through the matching Host callback.
type DataPath interface {
	// MiniportTcpOffloadSend queues send data (a Next-linked chain) for transmission in list
	// order; completes through Host.NdisTcpOffloadSendComplete.
	MiniportTcpOffloadSend(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error)
	// MiniportTcpOffloadReceive posts receive requests (a chain of buffers to fill);
	// completes through Host.NdisTcpOffloadReceiveComplete.
	MiniportTcpOffloadReceive(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error)
	// MiniportTcpOffloadReceiveReturn returns lists the host accepted from receive
	// indications.
	MiniportTcpOffloadReceiveReturn(chain *ndis.NetBufferList) (ndis.Status, error)
	// MiniportTcpOffloadDisconnect closes the send half gracefully or aborts the connection;
	// completes through Host.NdisTcpOffloadDisconnectComplete.
	MiniportTcpOffloadDisconnect(ctx ndis.Context, nbl *ndis.NetBufferList, flags ndis.DisconnectFlags) (ndis.Status, error)
	// MiniportTcpOffloadForward hands the target TCP segments the host received for the
	// connection (each NET_BUFFER starts at the TCP header); completes through
	// Host.NdisTcpOffloadForwardComplete.
	MiniportTcpOffloadForward(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error)
}

// DataPathCompleter mirrors the completion callbacks of NDIS_TCP_OFFLOAD_EVENT_HANDLERS other
// than send completion (SendCompleter), which a target calls to hand requests back with their
// Status (and BytesTransferred) written.
type DataPathCompleter interface {
	NdisTcpOffloadReceiveComplete(chain *ndis.NetBufferList)
	NdisTcpOffloadDisconnectComplete(nbl *ndis.NetBufferList)
	NdisTcpOffloadForwardComplete(chain *ndis.NetBufferList)
}

// ReceiveIndicator mirrors NdisTcpOffloadReceiveHandler (NDIS_TCP_OFFLOAD_RECEIVE_INDICATE):
// the target indicates received data in one stand-alone list, with status
// NDIS_STATUS_SUCCESS. The host answers NDIS_STATUS_SUCCESS (it consumed everything and keeps
// the list until MiniportTcpOffloadReceiveReturn), NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED (it
// took nothing; the list is the target's again) or NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED
// with the bytes it consumed.
type ReceiveIndicator interface {
	NdisTcpOffloadReceiveHandler(handle ndis.Handle, nbl *ndis.NetBufferList, status ndis.Status) (answer ndis.Status, bytesConsumed uint32)
}

// EventIndicator mirrors NdisTcpOffloadEventHandler (NDIS_TCP_OFFLOAD_EVENT_INDICATE): a
// connection event with its EventSpecificInformation (a TCPUploadReason for
// TcpIndicateRetrieve, the preferred backlog in bytes for TcpIndicateSendBacklogChange).
type EventIndicator interface {
	NdisTcpOffloadEventHandler(handle ndis.Handle, event ndis.TCPOffloadEventType, info uint32)
}

// NonOffloadReceiver mirrors NdisMIndicateReceiveNetBufferLists, the ordinary receive path:
// frames the target hands to the host stack unprocessed (segments received while a
// connection is being terminated, data received in CLOSED). Each list carries one whole
// Ethernet frame.
type NonOffloadReceiver interface {
	NdisMIndicateReceiveNetBufferLists(chain *ndis.NetBufferList)
}

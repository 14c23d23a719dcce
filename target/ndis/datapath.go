package ndis

import "fmt"

// DisconnectFlags mirrors the Flags of MiniportTcpOffloadDisconnect (TCP_DISCONNECT_*,
// ndischimney.h; NUMERIC-VALUES.md section 3.6).
type DisconnectFlags uint32

// Disconnect flags.
const (
	// DisconnectGracefulClose mirrors TCP_DISCONNECT_GRACEFUL_CLOSE: send the data queued
	// before the request, then a FIN.
	DisconnectGracefulClose DisconnectFlags = 0x01
	// DisconnectAbortiveClose mirrors TCP_DISCONNECT_ABORTIVE_CLOSE: send a RST and abort
	// every outstanding request.
	DisconnectAbortiveClose DisconnectFlags = 0x02
)

func (f DisconnectFlags) String() string {
	switch f {
	case DisconnectGracefulClose:
		return "TCP_DISCONNECT_GRACEFUL_CLOSE"
	case DisconnectAbortiveClose:
		return "TCP_DISCONNECT_ABORTIVE_CLOSE"
	}
	return fmt.Sprintf("TCP_DISCONNECT(0x%x)", uint32(f))
}

// TCPOffloadEventType mirrors TCP_OFFLOAD_EVENT_TYPE (ndischimney.h), the EventType of
// NdisTcpOffloadEventHandler. It starts at 1, so zero reads as unset.
type TCPOffloadEventType uint32

// Event types (NUMERIC-VALUES.md section 3.2).
const (
	TcpIndicateSendBacklogChange TCPOffloadEventType = 1 // info: preferred outstanding send bytes
	TcpIndicateDisconnect        TCPOffloadEventType = 2 // the peer sent a FIN
	TcpIndicateRetrieve          TCPOffloadEventType = 3 // info: a TCPUploadReason
	TcpIndicateAbort             TCPOffloadEventType = 4 // the peer sent an acceptable RST
)

var eventTypeNames = map[TCPOffloadEventType]string{
	TcpIndicateSendBacklogChange: "TcpIndicateSendBacklogChange",
	TcpIndicateDisconnect:        "TcpIndicateDisconnect",
	TcpIndicateRetrieve:          "TcpIndicateRetrieve",
	TcpIndicateAbort:             "TcpIndicateAbort",
}

func (e TCPOffloadEventType) String() string {
	if s, ok := eventTypeNames[e]; ok {
		return s
	}
	return fmt.Sprintf("TCP_OFFLOAD_EVENT_TYPE(%d)", uint32(e))
}

// TCPUploadReason mirrors TCP_UPLOAD_REASON (ndischimney.h), the EventSpecificInformation of
// a TcpIndicateRetrieve event. It starts at 1.
type TCPUploadReason uint32

// Upload reasons (NUMERIC-VALUES.md section 3.3).
const (
	LowActivity           TCPUploadReason = 1
	HighDropRate          TCPUploadReason = 2
	SmallIO               TCPUploadReason = 3
	NoBufferPreposting    TCPUploadReason = 4
	ReceivedUrgentData    TCPUploadReason = 5
	HighFragmentation     TCPUploadReason = 6
	HighOutOfOrderPackets TCPUploadReason = 7
	TimeoutExpiration     TCPUploadReason = 8
	InvalidState          TCPUploadReason = 9
	UploadRequested       TCPUploadReason = 10
	HardwareFailure       TCPUploadReason = 11
	MaxUploadReason       TCPUploadReason = 12 // sentinel, never a reason
)

var uploadReasonNames = map[TCPUploadReason]string{
	LowActivity: "LowActivity", HighDropRate: "HighDropRate", SmallIO: "SmallIO",
	NoBufferPreposting: "NoBufferPreposting", ReceivedUrgentData: "ReceivedUrgentData",
	HighFragmentation: "HighFragmentation", HighOutOfOrderPackets: "HighOutOfOrderPackets",
	TimeoutExpiration: "TimeoutExpiration", InvalidState: "InvalidState",
	UploadRequested: "UploadRequested", HardwareFailure: "HardwareFailure",
	MaxUploadReason: "MaxUploadReason",
}

func (r TCPUploadReason) String() string {
	if s, ok := uploadReasonNames[r]; ok {
		return s
	}
	return fmt.Sprintf("TCP_UPLOAD_REASON(%d)", uint32(r))
}

// Valid reports whether r is one of the defined reasons (the sentinel is not).
func (r TCPUploadReason) Valid() bool { return r >= LowActivity && r < MaxUploadReason }

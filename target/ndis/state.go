package ndis

import (
	"fmt"
	"net/netip"
)

// OffloadStateHeader mirrors OFFLOAD_STATE_HEADER (ndischimney.h), which begins every state
// structure. Length is the size of the whole structure; RecognizedOptions is reserved.
type OffloadStateHeader struct {
	Length            uint32
	RecognizedOptions uint32
}

// Sizes of the state structures on x64 (NUMERIC-VALUES, ndis.sys type dumps): the value the
// host writes into OffloadStateHeader.Length.
const (
	SizeofNeighborOffloadStateConst     = 0x2C
	SizeofNeighborOffloadStateCached    = 0x2C
	SizeofNeighborOffloadStateDelegated = 0x0C
	SizeofPathOffloadStateConst         = 0x18
	SizeofPathOffloadStateCached        = 0x0C
	SizeofPathOffloadStateDelegated     = 0x08
	SizeofTCPOffloadStateConst          = 0x18
	SizeofTCPOffloadStateCached         = 0x2C
	SizeofTCPOffloadStateDelegated      = 0x80
	SizeofMiniportOffloadBlockList      = 0x98
)

// DlAddress mirrors the UCHAR[32] data-link address arrays of the neighbor state. An address
// of all zeros is the NULL address the pages speak of.
type DlAddress [32]byte

// IsNull reports whether the address is all zeros.
func (a DlAddress) IsNull() bool { return a == DlAddress{} }

// MAC returns a data-link address holding a 6-byte Ethernet MAC.
func MAC(b0, b1, b2, b3, b4, b5 byte) DlAddress {
	return DlAddress{b0, b1, b2, b3, b4, b5}
}

func (a DlAddress) String() string {
	if a.IsNull() {
		return "NULL"
	}
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5])
}

// NeighborOffloadStateConst mirrors NEIGHBOR_OFFLOAD_STATE_CONST (ndischimney.h).
type NeighborOffloadStateConst struct {
	Header          OffloadStateHeader
	DlSourceAddress DlAddress
	VlanID          uint16 // a 12-bit field; zero means no VLAN
}

// NeighborOffloadStateCached mirrors NEIGHBOR_OFFLOAD_STATE_CACHED (ndischimney.h).
type NeighborOffloadStateCached struct {
	Header                OffloadStateHeader
	DlDestinationAddress  DlAddress
	HostReachabilityDelta uint32
}

// NeighborOffloadStateDelegated mirrors NEIGHBOR_OFFLOAD_STATE_DELEGATED (ndischimney.h).
type NeighborOffloadStateDelegated struct {
	Header               OffloadStateHeader
	NicReachabilityDelta uint32
}

// PathOffloadStateConst mirrors PATH_OFFLOAD_STATE_CONST (ndischimney.h). The C structure
// holds pointers to 4- or 16-byte addresses in network byte order; the zero Addr is NULL.
type PathOffloadStateConst struct {
	Header             OffloadStateHeader
	SourceAddress      netip.Addr
	DestinationAddress netip.Addr
}

// PathOffloadStateCached mirrors PATH_OFFLOAD_STATE_CACHED (ndischimney.h).
type PathOffloadStateCached struct {
	Header  OffloadStateHeader
	PathMTU uint32
}

// PathOffloadStateDelegated mirrors PATH_OFFLOAD_STATE_DELEGATED (ndischimney.h): a header
// and no variables.
type PathOffloadStateDelegated struct {
	Header OffloadStateHeader
}

// TCP_FLAG_* values of TCP_OFFLOAD_STATE_CONST.Flags (ndischimney.h).
const (
	TCPFlagTimestampEnabled     uint16 = 0x01
	TCPFlagSackEnabled          uint16 = 0x02
	TCPFlagWindowScalingEnabled uint16 = 0x04
)

// TCP_FLAG_* values of TCP_OFFLOAD_STATE_CACHED.Flags (ndischimney.h). They share numbers
// with the constant flags; the structure decides the meaning.
const (
	TCPFlagKeepAliveEnabled uint16 = 0x01
	TCPFlagNaglingEnabled   uint16 = 0x02
	TCPFlagKeepAliveRestart uint16 = 0x04
	TCPFlagMaxRTRestart     uint16 = 0x08
	TCPFlagUpdateRcvWnd     uint16 = 0x10
)

// TCPOffloadStateConst mirrors TCP_OFFLOAD_STATE_CONST (ndischimney.h).
type TCPOffloadStateConst struct {
	Header       OffloadStateHeader
	Flags        uint16
	RemotePort   uint16
	LocalPort    uint16
	SndWindScale uint8 // 4 bits
	RcvWindScale uint8 // 4 bits
	RemoteMss    uint16
	HashValue    uint32
}

// TCPOffloadStateCached mirrors TCP_OFFLOAD_STATE_CACHED (ndischimney.h).
type TCPOffloadStateCached struct {
	Header            OffloadStateHeader
	Flags             uint16
	InitialRcvWnd     uint32
	RcvIndicationSize uint32
	KaProbeCount      uint8
	KaTimeout         uint32
	KaInterval        uint32
	MaxRT             uint32
	FlowLabel         uint32 // 20 bits
	TtlOrHopLimit     uint8
	TosOrTrafficClass uint8
	UserPriority      uint8 // 3 bits
}

// TCPOffloadConnectionState mirrors TCP_OFFLOAD_CONNECTION_STATE (ndischimney.h).
type TCPOffloadConnectionState uint32

// TCP_OFFLOAD_CONNECTION_STATE values (RFC 793 states), numbered as in ndischimney.h.
const (
	TcpConnectionClosed TCPOffloadConnectionState = iota
	TcpConnectionListen
	TcpConnectionSynSent
	TcpConnectionSynRcvd
	TcpConnectionEstablished
	TcpConnectionFinWait1
	TcpConnectionFinWait2
	TcpConnectionCloseWait
	TcpConnectionClosing
	TcpConnectionLastAck
	TcpConnectionTimeWait
	TcpConnectionMaxState
)

var connStateNames = []string{
	"TcpConnectionClosed", "TcpConnectionListen", "TcpConnectionSynSent", "TcpConnectionSynRcvd",
	"TcpConnectionEstablished", "TcpConnectionFinWait1", "TcpConnectionFinWait2", "TcpConnectionCloseWait",
	"TcpConnectionClosing", "TcpConnectionLastAck", "TcpConnectionTimeWait", "TcpConnectionMaxState",
}

func (s TCPOffloadConnectionState) String() string {
	if int(s) < len(connStateNames) {
		return connStateNames[s]
	}
	return fmt.Sprintf("TCP_OFFLOAD_CONNECTION_STATE(%d)", uint32(s))
}

// Offloadable reports whether the host may offload a connection in this state: any state but
// Closed, Listen, SynSent, SynRcvd and TimeWait (TCP_OFFLOAD_STATE_DELEGATED page).
func (s TCPOffloadConnectionState) Offloadable() bool {
	switch s {
	case TcpConnectionEstablished, TcpConnectionFinWait1, TcpConnectionFinWait2,
		TcpConnectionCloseWait, TcpConnectionClosing, TcpConnectionLastAck:
		return true
	}
	return false
}

// TimerNotRunning is the TimeoutDelta value (-1 as a ULONG) that says a timer is not running.
const TimerNotRunning uint32 = 0xFFFFFFFF

// BacklogNotSupported is the SendBacklogSize/ReceiveBacklogSize value written by a target that
// does not support the backlog feature.
const BacklogNotSupported uint32 = 0xFFFFFFFF

// TCPKeepAlive mirrors the KeepAlive member of TCP_OFFLOAD_STATE_DELEGATED.
type TCPKeepAlive struct {
	ProbeCount   uint8
	TimeoutDelta uint32
}

// TCPRetransmit mirrors the Retransmit member of TCP_OFFLOAD_STATE_DELEGATED.
type TCPRetransmit struct {
	Count        uint8
	TimeoutDelta uint32
}

// TCPOffloadStateDelegated mirrors TCP_OFFLOAD_STATE_DELEGATED (ndischimney.h).
//
// The C structure overlays SendDataHead/SendDataTail with SendBacklogSize, and BufferedData
// with ReceiveBacklogSize. The model keeps them apart: which one is meaningful depends on the
// operation (the pointers at initiate and terminate, the sizes on query).
type TCPOffloadStateDelegated struct {
	Header             OffloadStateHeader
	State              TCPOffloadConnectionState
	Flags              uint16 // reserved for system use
	RcvNxt             SeqNum
	RcvWnd             uint32
	SndUna             SeqNum
	SndNxt             SeqNum
	SndMax             SeqNum
	SndWnd             uint32
	MaxSndWnd          uint32
	SendWL1            SeqNum
	CWnd               uint32
	SsThresh           uint32
	SRtt               uint16
	RttVar             uint16
	TsRecent           uint32
	TsRecentAge        uint32
	TsTime             uint32
	TotalRT            uint32
	DupAckCount        uint8
	SndWndProbeCount   uint8
	KeepAlive          TCPKeepAlive
	Retransmit         TCPRetransmit
	SendDataHead       *NetBufferList
	SendDataTail       *NetBufferList
	SendBacklogSize    uint32
	BufferedData       *NetBufferList
	ReceiveBacklogSize uint32
	DWnd               uint32
}

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure, for code that
// handles every state structure alike. The header is the host's: NDIS sets Length, and
// RecognizedOptions is reserved.
func (s *NeighborOffloadStateConst) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *NeighborOffloadStateCached) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *NeighborOffloadStateDelegated) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *PathOffloadStateConst) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *PathOffloadStateCached) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *PathOffloadStateDelegated) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *TCPOffloadStateConst) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *TCPOffloadStateCached) StateHeader() *OffloadStateHeader { return &s.Header }

// StateHeader returns the OFFLOAD_STATE_HEADER that begins the structure.
func (s *TCPOffloadStateDelegated) StateHeader() *OffloadStateHeader { return &s.Header }

package target

import "fmt"

// Info is what a target declares when opened.
type Info struct {
	Name         string // product or implementation name
	Vendor       string
	Version      string
	Capabilities Capabilities
}

// Capabilities is what a target declares it supports. The fields of TCPConnectionOffload mirror
// NDIS_TCP_CONNECTION_OFFLOAD (ntddndis.h); Limits are the bounds the documents tie
// initiate statuses to.
type Capabilities struct {
	TCPConnectionOffload TCPConnectionOffload
	Limits               Limits
}

// TCPConnectionOffload mirrors NDIS_TCP_CONNECTION_OFFLOAD (ntddndis.h), the connection
// offload capabilities a miniport reports.
type TCPConnectionOffload struct {
	Encapsulation                uint32 // NDIS_ENCAPSULATION_* mask
	SupportIPv4                  bool
	SupportIPv6                  bool
	SupportIPv6ExtensionHeaders  bool
	SupportSack                  bool
	CongestionAlgorithm          uint8 // 4 bits; no values are published
	TCPConnectionOffloadCapacity uint32
	Flags                        uint32
}

// Limit is a bound a target may declare. An undeclared limit makes the specs that need it
// skip, with the reason in the report.
type Limit struct {
	Value    uint32
	Declared bool
}

// Declare returns a declared limit of v.
func Declare(v uint32) Limit { return Limit{Value: v, Declared: true} }

func (l Limit) String() string {
	if !l.Declared {
		return "undeclared"
	}
	return fmt.Sprint(l.Value)
}

// Limits are the resource bounds behind the initiate statuses of
// concepts/returning-completion-status-of-an-initiate-offload-operation.md and the 802.1Q page.
// Counts are of objects offloaded at once.
type Limits struct {
	TCPEntries      Limit // TCP connection state objects: NDIS_STATUS_OFFLOAD_TCP_ENTRIES
	PathEntries     Limit // path state objects: NDIS_STATUS_OFFLOAD_PATH_ENTRIES
	NeighborEntries Limit // neighbor state objects: NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES
	// HostMemoryObjects bounds the offload context areas of all layers together that the
	// target can allocate in host memory: NDIS_STATUS_RESOURCES.
	HostMemoryObjects Limit
	// SourceIPAddressEntries bounds the distinct path source IP addresses:
	// NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES.
	SourceIPAddressEntries Limit
	// ConfigurableSourceMAC declares whether a neighbor may carry a DlSourceAddress, and
	// SourceMACEntries how many distinct ones: NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES.
	ConfigurableSourceMAC Flag
	SourceMACEntries      Limit
	// InterfaceVLANIDs are the VLAN IDs configured on the interface (a zero ID means none):
	// NDIS_STATUS_OFFLOAD_VLAN_MISMATCH. VLANEntries bounds the distinct VLAN IDs tracked:
	// NDIS_STATUS_OFFLOAD_VLAN_ENTRIES.
	InterfaceVLANIDs VLANIDs
	VLANEntries      Limit
	// MaxInitialRcvWnd is the largest InitialRcvWnd supported: NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW.
	MaxInitialRcvWnd Limit
	// MaxPathMTU is the largest path MTU supported: NDIS_STATUS_OFFLOAD_PATH_MTU.
	MaxPathMTU Limit
	// TransmitBuffers and ReceiveBuffers bound the connections that can be given TCP transmit
	// and receive buffers: NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER and _TCP_RCV_BUFFER.
	TransmitBuffers Limit
	ReceiveBuffers  Limit
}

// Flag is a yes/no capability a target may leave undeclared.
type Flag struct {
	Value    bool
	Declared bool
}

// DeclareFlag returns a declared flag.
func DeclareFlag(v bool) Flag { return Flag{Value: v, Declared: true} }

func (f Flag) String() string {
	if !f.Declared {
		return "undeclared"
	}
	return fmt.Sprint(f.Value)
}

// VLANIDs is the list of VLAN IDs configured on the interface, which a target may leave
// undeclared.
type VLANIDs struct {
	IDs      []uint16
	Declared bool
}

func (v VLANIDs) String() string {
	if !v.Declared {
		return "undeclared"
	}
	return fmt.Sprint(v.IDs)
}

// Encapsulation flags of TCPConnectionOffload.Encapsulation, mirroring the NDIS_ENCAPSULATION_*
// values of ntddndis.h (NUMERIC-VALUES.md, section 3.8).
const (
	EncapsulationIEEE8023          uint32 = 0x00000002 // NDIS_ENCAPSULATION_IEEE_802_3
	EncapsulationIEEELLCSNAPRouted uint32 = 0x00000010 // NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED
)

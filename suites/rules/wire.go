// Rules of the frames an offload target transmits for an offloaded connection: what each
// frame's headers must carry given the offloaded neighbor, path and TCP state, and what its
// TCP segment may send and acknowledge.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	wirePgRFCs          = "concepts/required-and-suggested-tcp-ip-protocol-support.md"
	wirePgSending       = "concepts/sending-data-from-an-offload-target.md"
	wirePgTagging       = "concepts/sending-802-1q-marked-and-802-1p-marked-packets-on-an-offloaded-tcp-co.md"
	wirePg8021Q         = "concepts/802-1q-and-802-1p-processing-on-an-offloaded-tcp-connection.md"
	wirePgNeighborConst = "ddi/ns-ndischimney-_neighbor_offload_state_const.md"
	wirePgNeighborCache = "ddi/ns-ndischimney-_neighbor_offload_state_cached.md"
	wirePgPathConst     = "ddi/ns-ndischimney-_path_offload_state_const.md"
	wirePgPathCached    = "ddi/ns-ndischimney-_path_offload_state_cached.md"
	wirePgTCPConst      = "ddi/ns-ndischimney-_tcp_offload_state_const.md"
	wirePgTCPCached     = "ddi/ns-ndischimney-_tcp_offload_state_cached.md"
	wirePgTCPDelegated  = "ddi/ns-ndischimney-_tcp_offload_state_delegated.md"
	wirePgSendHandler   = "ddi/nc-ndischimney-w_tcp_offload_send_handler.md"
	wirePgMapping       = "concepts/mapping-snduna--sndnxt--and-sndmax-to-the-mdls.md"
	wirePgRetrans       = "concepts/send-data-that-contains-data-to-be-retransmitted.md"
	wirePgDisconnect    = "ddi/nc-ndischimney-w_tcp_offload_disconnect_handler.md"
)

// CONFLICT-WIRE-01: DF is a SHOULD on one page and a MUST on another.
var _ = DefineConflict(Conflict{
	ID:      "CONFLICT-WIRE-01",
	Pages:   []string{wirePgSending, wirePgRFCs},
	Summary: "The sending page says an offload target should always set Don't Fragment on the IPv4 datagrams it sends; the RFC-compliance page lists setting DF among what a TOE NIC must do.",
	Reading: "The suite takes the stronger page: DF is required (WIRE-005), since a target that meets the MUST also meets the SHOULD.",
})

// WIRE: the headers of every frame a target transmits for an offloaded connection.
var (
	// FrameChecksums: a receiver drops a frame whose checksums are wrong.
	FrameChecksums = Define(Rule{
		ID:            "WIRE-001",
		Level:         Must,
		Text:          "Every IPv4 header checksum and every TCP checksum (over its IPv4 or IPv6 pseudo-header) of a frame the target transmits is correct.",
		Sources:       []string{wirePgRFCs},
		Observability: Observable,
		Note:          "The page requires conformance to RFC 791, 793 and 2460, which define the checksums; gopacket does not verify them, the wire harness recomputes them for every frame.",
	})

	// FrameDestinationMAC: the next hop's MAC.
	FrameDestinationMAC = Define(Rule{
		ID:            "WIRE-002",
		Level:         Must,
		Text:          "A frame the target transmits for an offloaded connection is addressed to the DlDestinationAddress of the connection's neighbor, as last offloaded or updated.",
		Sources:       []string{wirePgNeighborCache, wirePgRFCs},
		Observability: Observable,
		Note:          "DlDestinationAddress is defined as the MAC of the next hop; the RFC page requires using the remote MAC as the host updates it.",
	})

	// FrameVLANTag: the neighbor's VlanId in an 802.1Q tag.
	FrameVLANTag = Define(Rule{
		ID:            "WIRE-003",
		Level:         Must,
		Text:          "A frame for a connection whose neighbor has a non-zero VlanId carries an 802.1Q tag with that VLAN ID and CFI zero; with VlanId zero and UserPriority zero it carries no tag.",
		Sources:       []string{wirePgTagging, wirePg8021Q, wirePgNeighborConst},
		Observability: Observable,
		Note:          "The priority bits are checked only where the target supports 802.1p, which it need not (the 802.1Q page); the suite does not judge them until a target can declare that support.",
	})

	// FrameAddressesAndPorts: the path's addresses and the connection's ports.
	FrameAddressesAndPorts = Define(Rule{
		ID:            "WIRE-004",
		Level:         Must,
		Text:          "A frame for an offloaded connection carries the path's source and destination IP addresses and the connection's LocalPort as TCP source port and RemotePort as TCP destination port.",
		Sources:       []string{wirePgPathConst, wirePgTCPConst},
		Observability: Observable,
		Note:          "The const structures define the addresses and ports of the connection the target sends on.",
	})

	// FrameDontFragment: DF set, never a fragment.
	FrameDontFragment = Define(Rule{
		ID:            "WIRE-005",
		Level:         Must,
		Text:          "Every IPv4 datagram the target sends has Don't Fragment set and is not a fragment (More Fragments clear, offset zero).",
		Sources:       []string{wirePgSending, wirePgRFCs},
		Observability: Observable,
		Conflict:      "CONFLICT-WIRE-01",
		Note:          "The sending page also says the target should generate no IP fragments; DF set and no fragment is the one check.",
	})

	// FrameIPID: the upper half of the IP ID space.
	FrameIPID = Define(Rule{
		ID:            "WIRE-006",
		Level:         Must,
		Text:          "The IP identification of every IPv4 datagram the target sends is in 0x8000 through 0xFFFF, the upper half, which is the target's; the lower half is the host stack's.",
		Sources:       []string{wirePgSending},
		Observability: Observable,
		Note:          "Stated as what the target does ('generates IP ID values from the upper half'), and the lower half is reserved for the host: read as binding.",
	})

	// FrameTTLAndTOS: TtlOrHopLimit, TosOrTrafficClass and FlowLabel as offloaded.
	FrameTTLAndTOS = Define(Rule{
		ID:            "WIRE-007",
		Level:         Must,
		Text:          "A datagram for an offloaded connection carries the connection's TtlOrHopLimit as IPv4 TTL or IPv6 hop limit, its TosOrTrafficClass as IPv4 type of service or IPv6 traffic class, and over IPv6 its FlowLabel.",
		Sources:       []string{wirePgTCPCached},
		Observability: Observable,
		Note:          "The cached structure gives each as the value the connection's packets carry, set by the host through socket options.",
	})

	// FrameSegmentSize: the MSS and the path MTU bound every segment.
	FrameSegmentSize = Define(Rule{
		ID:            "WIRE-008",
		Level:         Must,
		Text:          "No segment the target sends carries more TCP data plus TCP options than the peer's RemoteMss, and no datagram is longer than the path's PathMtu.",
		Sources:       []string{wirePgTCPConst, wirePgPathCached, wirePgRFCs},
		Observability: Observable,
		Note:          "RFC 1122 and 1191, which the RFC page requires, bound segments by the MSS and datagrams by the path MTU; options count against the MSS (RFC 6691's reading of RFC 1122).",
	})

	// FrameNegotiatedOptions: timestamps when enabled, SACK only when enabled, no SYN options.
	FrameNegotiatedOptions = Define(Rule{
		ID:            "WIRE-009",
		Level:         Must,
		Text:          "On an offloaded connection no segment carries a timestamp option while TCP_FLAG_TIMESTAMP_ENABLED is clear or SACK blocks while TCP_FLAG_SACK_ENABLED is clear, and none is a SYN or carries the MSS, window-scale or SACK-permitted options.",
		Sources:       []string{wirePgTCPConst, wirePgRFCs},
		Observability: Observable,
		Note:          "The const flags say what the handshake negotiated (RFC 1323, RFC 2018, required by the RFC page), and an option not negotiated is not sent; SYN-only options have no place on an established connection. Timestamps on every segment while the flag is set: STATE-043.",
	})
)

// WIRE: what a segment sends and acknowledges.
var (
	// SegmentDataIsTheHosts: the bytes at each sequence number are the host's.
	SegmentDataIsTheHosts = Define(Rule{
		ID:            "WIRE-010",
		Level:         Must,
		Text:          "The data of every segment the target sends is the host's send data at those sequence numbers: SndUna is the first byte of the initiate chain, and each MiniportTcpOffloadSend continues the stream; nothing is sent beyond the last byte handed over.",
		Sources:       []string{wirePgMapping, wirePgRetrans, wirePgSendHandler},
		Observability: Observable,
		Note:          "Data past the end of what was handed over (past SndMax at offload, before any send) can only be invented.",
	})

	// SegmentWithinPeerWindow: the peer's advertised window bounds what is sent.
	SegmentWithinPeerWindow = Define(Rule{
		ID:            "WIRE-011",
		Level:         Must,
		Text:          "No data segment ends beyond the right edge of the largest window the peer has advertised (its acknowledgment plus its window, scaled by SndWindScale when window scaling is enabled).",
		Sources:       []string{wirePgRFCs, wirePgTCPConst},
		Observability: Observable,
		Note:          "RFC 793 section 3.7 and RFC 1122 4.2.2.16 (required by the RFC page); the right edge the peer offered at offload is the delegated SndWnd from SndUna.",
	})

	// SegmentAcksOnlyReceived: acknowledge nothing the peer did not send.
	SegmentAcksOnlyReceived = Define(Rule{
		ID:            "WIRE-012",
		Level:         Must,
		Text:          "The acknowledgment number of every segment the target sends lies between the RcvNxt it was offloaded with and the end of what the peer has sent (its FIN counted).",
		Sources:       []string{wirePgRFCs, wirePgTCPDelegated},
		Observability: Observable,
		Note:          "RFC 793 acknowledges only received sequence numbers; RcvNxt at offload is what the host already acknowledged.",
	})

	// ResetOnlyOnAbortiveDisconnect: the target sends a RST only when asked.
	ResetOnlyOnAbortiveDisconnect = Define(Rule{
		ID:            "WIRE-013",
		Level:         MustNot,
		Text:          "On an offloaded connection the target sends no RST segment except in answer to an abortive MiniportTcpOffloadDisconnect.",
		Sources:       []string{wirePgDisconnect},
		Observability: Observable,
		Note:          "The disconnect page makes the abortive disconnect the only case in which the target sends a RST. Answers to segments outside any connection are not judged.",
	})
)

// WIRE: handing a live connection back.
var (
	// UploadKeepsTheStream: a terminate mid-transfer loses, repeats and reorders nothing.
	UploadKeepsTheStream = Define(Rule{
		ID:            "WIRE-014",
		Level:         Must,
		Text:          "The delegated state, send data and BufferedData a terminate hands back let the host carry the connection on: sending from the returned SndNxt with the returned data and receiving from the returned RcvNxt, no byte is lost, repeated or reordered in either direction.",
		Sources:       []string{"ddi/nf-ndischimney-ndismterminateoffloadcomplete.md", "concepts/handling-outstanding-send-data-during-a-terminate-offload-operation.md", "concepts/handling-buffered-receive-data-during-a-terminate-offload-operation.md", wirePgTCPDelegated},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "The pages have the target return the connection's delegated state, its outstanding send data and its undelivered receive data so that the host stack takes the connection over; the byte ledgers of both directions show whether it can.",
	})

	// TerminateStateMatchesWire: SndMax and RcvNxt as the wire shows them.
	TerminateStateMatchesWire = Define(Rule{
		ID:            "WIRE-015",
		Level:         Must,
		Text:          "The SndMax a terminate returns is one past the highest sequence number the connection has sent (the target's frames or, before them, the offload's SndMax), and SndNxt lies between the returned SndUna and SndMax.",
		Sources:       []string{wirePgTCPDelegated, "ddi/nf-ndischimney-ndismterminateoffloadcomplete.md"},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "SndMax is defined as the highest sequence number sent on the connection; the frames on the wire show it.",
	})
)

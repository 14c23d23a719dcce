// Rules of the frames an offload target transmits for an offloaded connection that the pages
// take from the RFCs they require (checksums, windows, acknowledgments) or from what the
// delegated state means (the data sent, the state handed back at terminate). The headers the
// offloaded state fixes are the FRAME rules (frames.go) and the STATE definitions.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	wirePgRFCs         = "concepts/required-and-suggested-tcp-ip-protocol-support.md"
	wirePgTCPConst     = "ddi/ns-ndischimney-_tcp_offload_state_const.md"
	wirePgTCPDelegated = "ddi/ns-ndischimney-_tcp_offload_state_delegated.md"
	wirePgSendHandler  = "ddi/nc-ndischimney-w_tcp_offload_send_handler.md"
	wirePgMapping      = "concepts/mapping-snduna--sndnxt--and-sndmax-to-the-mdls.md"
	wirePgRetrans      = "concepts/send-data-that-contains-data-to-be-retransmitted.md"
)

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
)

// WIRE: what a segment sends and acknowledges.
var (
	// SegmentDataIsTheHosts: the target sends no byte the host did not hand it.
	SegmentDataIsTheHosts = Define(Rule{
		ID:            "WIRE-002",
		Level:         Must,
		Text:          "Every data byte the target sends is a byte of the host's send data: the initiate chain from SndUna on, then the data of each MiniportTcpOffloadSend call; it sends nothing the host did not hand over.",
		Sources:       []string{wirePgMapping, wirePgRetrans, wirePgSendHandler},
		Observability: Observable,
		Note:          "The order of the host's bytes is XMIT-003 (within a call) and XMIT-004 (across calls): a byte found elsewhere in the host's data is judged as misordered under those; a byte found nowhere is this rule.",
	})

	// SegmentWithinPeerWindow: the peer's advertised window bounds what is sent.
	SegmentWithinPeerWindow = Define(Rule{
		ID:            "WIRE-003",
		Level:         Must,
		Text:          "No data segment ends beyond the right edge of the largest window the peer has advertised (its acknowledgment plus its window, scaled by SndWindScale when window scaling is enabled).",
		Sources:       []string{wirePgRFCs, wirePgTCPConst},
		Observability: Observable,
		Note:          "RFC 793 section 3.7 and RFC 1122 4.2.2.16 (required by the RFC page); the right edge the peer offered at offload is the delegated SndWnd from SndUna.",
	})

	// SegmentAcksOnlyReceived: acknowledge nothing the peer did not send.
	SegmentAcksOnlyReceived = Define(Rule{
		ID:            "WIRE-004",
		Level:         Must,
		Text:          "The acknowledgment number of every segment the target sends lies between the RcvNxt it was offloaded with and the end of what the peer has sent (its FIN counted).",
		Sources:       []string{wirePgRFCs, wirePgTCPDelegated},
		Observability: Observable,
		Note:          "RFC 793 acknowledges only received sequence numbers; RcvNxt at offload is what the host already acknowledged.",
	})
)

// WIRE: handing a live connection back.
var (
	// UploadKeepsTheStream: a terminate mid-transfer loses, repeats and reorders nothing.
	UploadKeepsTheStream = Define(Rule{
		ID:            "WIRE-005",
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
		ID:            "WIRE-006",
		Level:         Must,
		Text:          "The SndMax a terminate returns is one past the highest sequence number the connection has sent (the target's frames or, before them, the offload's SndMax), and SndNxt lies between the returned SndUna and SndMax.",
		Sources:       []string{wirePgTCPDelegated, "ddi/nf-ndischimney-ndismterminateoffloadcomplete.md"},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "SndMax is defined as the highest sequence number sent on the connection; the frames on the wire show it.",
	})
)

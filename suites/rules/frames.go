// Rules of the frames a target exchanges with the peer of an offloaded connection, as the
// offloaded state and the data-path pages tie them: IP identification, fragments and DF, the
// IP header fields taken from path and TCP state, the TCP options the constant flags switch
// off, segment sizes, and 802.1Q tagging on transmit and filtering on receive.
//
// Frame fields already catalogued with their variables are not repeated here: source MAC
// (STATE-011), destination MAC (STATE-004, UPD-011, UPD-033, ROLE-010), ports (STATE-046),
// timestamps, SACK and window scaling when enabled (STATE-043 to STATE-045), TS.Recent
// (STATE-056), sequence and acknowledgment numbers (STATE-052, SEND-016 to SEND-018), VLAN ID
// and user priority as variables (STATE-014, STATE-016, STATE-039, STATE-040), the receive
// window after an update (STATE-030, UPD-048).
package rules

// FRAME: IP identification, fragments, Don't Fragment.
var (
	// FrameNoIPFragments: no fragments.
	FrameNoIPFragments = Define(Rule{
		ID:            "FRAME-001",
		Level:         ShouldNot,
		Text:          "The target generates no IP fragments when it sends on an offloaded connection.",
		Sources:       []string{dpPgSending},
		Observability: Observable,
		Layers:        []string{LayerPath, LayerTCP},
		Note:          "Checked on every frame of the wire specs: no IPv4 datagram with MF set or a non-zero fragment offset, no IPv6 fragment header. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameIPIDSupplied: an IP ID per datagram.
	FrameIPIDSupplied = Define(Rule{
		ID:            "FRAME-002",
		Level:         Must,
		Text:          "The target supplies an IP identification for every IPv4 datagram it sends and for every IPv6 datagram it sends that carries a fragment header.",
		Sources:       []string{dpPgSending},
		Observability: NeedsWire,
		Layers:        []string{LayerPath, LayerTCP},
		Note:          "The IPv4 header always has the field; 'supplies' is read as taking it from the target's range (FRAME-003, FRAME-004).",
	})

	// FrameIPv4IDUpperHalf: 0x8000 to 0xFFFF.
	FrameIPv4IDUpperHalf = Define(Rule{
		ID:            "FRAME-003",
		Level:         Must,
		Text:          "The target takes the IP ID of every IPv4 datagram it sends from the upper half of the ID space, 0x8000 to 0xFFFF; the lower half is reserved for the host stack.",
		Sources:       []string{dpPgSending},
		Observability: Observable,
		Layers:        []string{LayerPath, LayerTCP},
		Note:          "Descriptive ('generates IP ID values from the upper half'), read as a duty. Checked on every IPv4 frame of an offloaded connection. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameIPv6FragmentIDUpperHalf: 0x80000000 to 0xFFFFFFFF.
	FrameIPv6FragmentIDUpperHalf = Define(Rule{
		ID:            "FRAME-004",
		Level:         Must,
		Text:          "The target takes the identification of every IPv6 fragment header it sends from the upper half of the fragment ID space, 0x80000000 to 0xFFFFFFFF; the lower half is reserved for the host stack.",
		Sources:       []string{dpPgSending},
		Observability: NeedsWire,
		Layers:        []string{LayerPath, LayerTCP},
		Conflict:      "CONFLICT-FRAME-01",
		Note:          "Descriptive, read as a duty. Arises only if the target fragments despite FRAME-001.",
	})

	// FrameIPv4DontFragment: DF always set.
	FrameIPv4DontFragment = Define(Rule{
		ID:            "FRAME-005",
		Level:         Must,
		Text:          "The target sets the Don't Fragment flag in the IP header of every IPv4 datagram it sends.",
		Sources:       []string{dpPgSending, dpPgRFCs},
		Observability: Observable,
		Layers:        []string{LayerPath, LayerTCP},
		Conflict:      "CONFLICT-FRAME-02",
		Note:          "Checked on every IPv4 frame of an offloaded connection. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})
)

// FRAME: header fields from the offloaded path and TCP state.
var (
	// FrameIPAddressesFromPath: source and destination IP addresses.
	FrameIPAddressesFromPath = Define(Rule{
		ID:            "FRAME-006",
		Level:         Definition,
		Text:          "The datagrams the target sends on an offloaded connection go from its path's SourceAddress to the path's DestinationAddress, over IPv4 or IPv6 as the path is.",
		Sources:       []string{dpPgPathConst, dpPgStateObjects},
		Observability: Observable,
		Layers:        []string{LayerPath, LayerTCP},
		Note:          "The page defines the two as the connection's source and destination IP addresses; the suite reads that as binding the headers of the connection's datagrams. STATE-024 is the host's side (4 or 16 bytes, network byte order). Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameTTLFromCachedState: TTL or hop limit.
	FrameTTLFromCachedState = Define(Rule{
		ID:            "FRAME-007",
		Level:         Definition,
		Text:          "The TTL of each IPv4 datagram, or the hop limit of each IPv6 datagram, that the target sends on a connection is the connection's current TtlOrHopLimit.",
		Sources:       []string{dpPgTCPCached, dpPgStateObjects},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "The page says the member 'specifies the time to live' or 'the number of routers the packet can pass through'. 'Current': it may change by update (STATE-038), after which later datagrams carry the new value. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameTOSFromCachedState: TOS or traffic class.
	FrameTOSFromCachedState = Define(Rule{
		ID:            "FRAME-008",
		Level:         Definition,
		Text:          "The type-of-service byte of each IPv4 datagram, or the traffic class of each IPv6 datagram, that the target sends on a connection is the connection's current TosOrTrafficClass.",
		Sources:       []string{dpPgTCPCached, dpPgStateObjects},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "As FRAME-007; the page cites RFC 2474 for IPv4 (which the obsolete-RFC page lists), read as the whole TOS octet. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameFlowLabelFromCachedState: IPv6 flow label.
	FrameFlowLabelFromCachedState = Define(Rule{
		ID:            "FRAME-009",
		Level:         Definition,
		Text:          "The flow label of each IPv6 datagram the target sends on a connection is the connection's current FlowLabel; for an IPv4 connection FlowLabel means nothing.",
		Sources:       []string{dpPgTCPCached, dpPgStateObjects},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "As FRAME-007; FlowLabel is 20 bits (STATE-015). Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameNoTimestampWhenDisabled: timestamps off.
	FrameNoTimestampWhenDisabled = Define(Rule{
		ID:            "FRAME-010",
		Level:         Definition,
		Text:          "While TCP_FLAG_TIMESTAMP_ENABLED is clear in the connection's constant Flags, the timestamp option is disabled: the target puts no TCP timestamp option in the segments it sends.",
		Sources:       []string{dpPgTCPConst},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "'The host stack clears this flag to disable the TCP timestamp option', read as the option never being sent. The set case is STATE-043. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameNoSACKWhenDisabled: SACK off.
	FrameNoSACKWhenDisabled = Define(Rule{
		ID:            "FRAME-011",
		Level:         Definition,
		Text:          "While TCP_FLAG_SACK_ENABLED is clear in the connection's constant Flags, SACK is disabled: the target sends no SACK blocks on the connection.",
		Sources:       []string{dpPgTCPConst},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "As FRAME-010; the set case is STATE-044. Checked with out-of-order data from the peer. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameNoWindowScalingWhenDisabled: window scaling off.
	FrameNoWindowScalingWhenDisabled = Define(Rule{
		ID:            "FRAME-012",
		Level:         Definition,
		Text:          "While TCP_FLAG_WINDOW_SCALING_ENABLED is clear in the connection's constant Flags, the target scales neither window: the window field it sends is its receive window itself, and it reads the peer's window fields unscaled.",
		Sources:       []string{dpPgTCPConst},
		Observability: NeedsWire,
		Layers:        []string{LayerTCP},
		Note:          "As FRAME-010; the set case is STATE-045.",
	})

	// FrameSegmentSizeBounds: RemoteMss and PathMtu.
	FrameSegmentSizeBounds = Define(Rule{
		ID:            "FRAME-013",
		Level:         Must,
		Text:          "The target sends no segment carrying more data than the peer's RemoteMss allows, and no IP datagram longer than the path's PathMtu.",
		Sources:       []string{dpPgTCPConst, dpPgPathCached, dpPgRFCs},
		Observability: Observable,
		Layers:        []string{LayerPath, LayerTCP},
		Conflict:      "CONFLICT-FRAME-05",
		Note:          "Through the RFCs the target must follow (RFC 1122 4.2.2.6, RFC 1191 and RFC 1981). TCP options reduce the data a segment may carry; the check bounds the data by RemoteMss and the datagram by PathMtu, the current one after an update. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})
)

// FRAME: 802.1Q and 802.1p.
var (
	// FrameUntaggedWhenNoVlanNoPriority: VlanId 0 and UserPriority 0.
	FrameUntaggedWhenNoVlanNoPriority = Define(Rule{
		ID:            "FRAME-014",
		Level:         Must,
		Text:          "When the neighbor's VlanId and the connection's UserPriority are both zero, the target sends the connection's frames without an 802.1Q tag header.",
		Sources:       []string{dpPgVLANSending},
		Observability: Observable,
		Layers:        []string{LayerNeighbor, LayerTCP},
		Conflict:      "CONFLICT-FRAME-04",
		Note:          "The sending page's algorithm, descriptive, read as a duty. CONFLICT-STATE-05 records that STATE-039's 'all packets' yields to it. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameVlanZeroTagForPriority: VlanId 0, UserPriority set.
	FrameVlanZeroTagForPriority = Define(Rule{
		ID:            "FRAME-015",
		Level:         Must,
		Text:          "When the neighbor's VlanId is zero and the connection's UserPriority is not, the target tags the connection's frames with VLAN ID 0 and priority UserPriority.",
		Sources:       []string{dpPgVLANSending},
		Observability: NeedsWire,
		Layers:        []string{LayerNeighbor, LayerTCP},
		Conflict:      "CONFLICT-FRAME-03",
		Note:          "Descriptive, read as a duty; for a target that supports 802.1p (see the conflict).",
	})

	// FrameVlanTagFromNeighbor: VlanId set.
	FrameVlanTagFromNeighbor = Define(Rule{
		ID:            "FRAME-016",
		Level:         Must,
		Text:          "When the neighbor's VlanId is not zero, the target tags the connection's frames with VLAN ID VlanId and priority UserPriority.",
		Sources:       []string{dpPgVLANSending, dpPgNeighborConst},
		Observability: Observable,
		Layers:        []string{LayerNeighbor, LayerTCP},
		Conflict:      "CONFLICT-FRAME-03",
		Note:          "Descriptive, read as a duty. A target without 802.1p support puts priority 0 (see the conflict). Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// FrameTagCFIZero: CFI.
	FrameTagCFIZero = Define(Rule{
		ID:            "FRAME-017",
		Level:         Must,
		Text:          "The CFI bit of every 802.1Q tag header (the IEEE 802.3ac header) the target inserts is zero.",
		Sources:       []string{dpPgVLANSending},
		Observability: Observable,
		Layers:        []string{LayerNeighbor},
		Note:          "'A bit called CFI, which is always set to zero.' Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// Frame8021QSupported: 802.1Q is mandatory.
	Frame8021QSupported = Define(Rule{
		ID:            "FRAME-018",
		Level:         Must,
		Text:          "The target supports 802.1Q processing on offloaded connections, with VLAN ID 0 and at least one non-zero VLAN ID per network interface.",
		Sources:       []string{dpPgVLANProcessing},
		Observability: NeedsWire,
		Layers:        []string{LayerNeighbor},
		Note:          "The initiate side (offloads with such VLAN IDs do not fail) is INIT-016 to INIT-020; this is the frames: FRAME-014 to FRAME-017 and FRAME-021 to FRAME-023 hold for VLAN 0 and for one non-zero VLAN ID of the interface.",
	})

	// Frame8021pOptional: 802.1p is optional.
	Frame8021pOptional = Define(Rule{
		ID:            "FRAME-019",
		Level:         May,
		Text:          "The target may support 802.1p (user priorities) on offloaded connections, or not.",
		Sources:       []string{dpPgVLANProcessing, dpPgTCPCached},
		Observability: Permission,
		Layers:        []string{LayerTCP},
		Note:          "Support is not declared in ginkgo.yml yet; the specs of FRAME-015 and FRAME-016's priority need a declaration (see CONFLICT-FRAME-03).",
	})

	// FrameInterfaceVLANsFromRegistry: configured VLAN IDs.
	FrameInterfaceVLANsFromRegistry = Define(Rule{
		ID:            "FRAME-020",
		Level:         Must,
		Text:          "When VLAN IDs are configured for the network interface, the target's MiniportInitializeEx reads them from the registry.",
		Sources:       []string{dpPgVLANSupplied, dpPgNeighborConst},
		Observability: Internal,
		Layers:        []string{LayerNeighbor},
		Note:          "Descriptive, read as a duty. Where the target gets them is internal; the suite is told them in declared.interfaceVLANIDs. That a filter or intermediate driver may set VlanId and UserPriority is INIT-014.",
	})

	// FrameNoVlanFilterWhenZero: VlanId 0 on receive.
	FrameNoVlanFilterWhenZero = Define(Rule{
		ID:            "FRAME-021",
		Level:         MustNot,
		Text:          "When the neighbor's VlanId is zero, the target drops no received packet of the connection for its VLAN tag: not for lacking one, nor for a VLAN ID of zero or a non-zero one.",
		Sources:       []string{dpPgVLANReceiving},
		Observability: NeedsWire,
		Layers:        []string{LayerNeighbor, LayerTCP},
		Conflict:      "CONFLICT-FRAME-04",
		Note:          "Checked by the peer sending untagged, VLAN-0 and other-VLAN frames: each is acknowledged and its data delivered.",
	})

	// FrameVlanMatchAccepted: matching VLAN ID on receive.
	FrameVlanMatchAccepted = Define(Rule{
		ID:            "FRAME-022",
		Level:         Must,
		Text:          "When the neighbor's VlanId is not zero, the target accepts received packets of the connection whose VLAN ID equals it.",
		Sources:       []string{dpPgVLANReceiving},
		Observability: NeedsWire,
		Layers:        []string{LayerNeighbor, LayerTCP},
		Note:          "Descriptive, read as a duty.",
	})

	// FrameVlanMismatchDropped: other or no VLAN ID on receive.
	FrameVlanMismatchDropped = Define(Rule{
		ID:            "FRAME-023",
		Level:         Must,
		Text:          "When the neighbor's VlanId is not zero, the target drops received packets of the connection that have no tag header or another VLAN ID.",
		Sources:       []string{dpPgVLANReceiving},
		Observability: NeedsWire,
		Layers:        []string{LayerNeighbor, LayerTCP},
		Note:          "Descriptive, read as a duty. Checked by the peer sending the connection's data untagged or on another VLAN: it is neither acknowledged nor delivered.",
	})

	// FrameMayPrioritizeByPriority: receive prioritization.
	FrameMayPrioritizeByPriority = Define(Rule{
		ID:            "FRAME-024",
		Level:         May,
		Text:          "The target may prioritize the delivery of an accepted packet by its non-zero 802.1p priority.",
		Sources:       []string{dpPgVLANReceiving},
		Observability: Permission,
		Layers:        []string{LayerTCP},
		Note:          "Permission; delivery order within a connection stays the byte-stream order.",
	})
)

// Conflicts of the frames.
var (
	ConflictIPv6FragmentIDRange = DefineConflict(Conflict{
		ID:      "CONFLICT-FRAME-01",
		Pages:   []string{dpPgSending},
		Summary: "The sending page gives the IPv6 range as 0x8000000 through 0xFFFFFFFF (seven hex digits at the low end), while the same paragraph calls it the upper half of the fragment ID space and reserves the lower half for the host; 0x8000000 lies in the lower half.",
		Reading: "The upper half, 0x80000000 to 0xFFFFFFFF (FRAME-004). No switch.",
	})

	ConflictDontFragmentLevel = DefineConflict(Conflict{
		ID:      "CONFLICT-FRAME-02",
		Pages:   []string{dpPgSending, dpPgRFCs},
		Summary: "The sending page says the target should always set DF in IPv4 datagrams; the required-protocol-support page lists setting DF among the things a TOE NIC must do.",
		Reading: "MUST, as the requirements page says (FRAME-005). Proposed switch (not in ginkgo.yml yet): dontFragmentShould, which reports a missing DF as a SHOULD failure.",
	})

	ConflictPriorityWithout8021p = DefineConflict(Conflict{
		ID:      "CONFLICT-FRAME-03",
		Pages:   []string{dpPgVLANSending, dpPgVLANProcessing, dpPgTCPCached},
		Summary: "The sending algorithm puts UserPriority into tags (and tags VLAN 0 frames for a non-zero UserPriority) without condition; 802.1p support is optional, and a target without it should ignore UserPriority (STATE-040).",
		Reading: "The algorithm's UserPriority parts bind targets that support 802.1p; a target without it treats UserPriority as zero: untagged frames when VlanId is zero, priority 0 in VlanId tags (FRAME-015, FRAME-016). Support must be declared before these specs can run. No switch.",
	})

	ConflictZeroVlanIdOnTheWire = DefineConflict(Conflict{
		ID:      "CONFLICT-FRAME-04",
		Pages:   []string{dpPgNeighborConst, dpPgVLANSending, dpPgVLANReceiving, dpPgStateObjects},
		Summary: "For a zero VlanId the const DDI page says the target should use the VLAN IDs configured for its interface, both for packets sent and received through the neighbor; the sending page then sends untagged frames (or VLAN 0 tags for a user priority) and the receiving page filters nothing. CONFLICT-STATE-04 recorded the sending half and left the wire reading open.",
		Reading: "The sending and receiving algorithms, the most specific pages (FRAME-014, FRAME-015, FRAME-021). Proposed switch (not in ginkgo.yml yet): zeroVlanIdUsesInterfaceVlan, under which, with one VLAN ID configured for the interface, a zero-VlanId connection's frames carry that VLAN ID and only frames on it are accepted.",
	})

	ConflictSegmentSizeUnstated = DefineConflict(Conflict{
		ID:      "CONFLICT-FRAME-05",
		Pages:   []string{dpPgTCPConst, dpPgPathCached, dpPgRFCs, dpPgSending},
		Summary: "The state pages define RemoteMss (the MSS the peer advertised) and PathMtu, but no chimney page says the target sizes its segments by them; only the requirements page binds the target to RFC 1122, 1191 and 1981, and the sending page forbids fragments only as a 'should not'.",
		Reading: "The RFCs govern: no segment's data beyond RemoteMss, no datagram beyond PathMtu (FRAME-013). No switch.",
	})
)

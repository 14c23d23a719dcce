// Rules of offload state variables: the nine state structures, the meaning and value conventions of every field, the constant/cached/delegated classes, who owns each class when, and what goes back on query and terminate.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	statePgNeighborCached    = "ddi/ns-ndischimney-_neighbor_offload_state_cached.md"
	statePgNeighborConst     = "ddi/ns-ndischimney-_neighbor_offload_state_const.md"
	statePgNeighborDelegated = "ddi/ns-ndischimney-_neighbor_offload_state_delegated.md"
	statePgHeader            = "ddi/ns-ndischimney-_offload_state_header.md"
	statePgPathCached        = "ddi/ns-ndischimney-_path_offload_state_cached.md"
	statePgPathConst         = "ddi/ns-ndischimney-_path_offload_state_const.md"
	statePgPathDelegated     = "ddi/ns-ndischimney-_path_offload_state_delegated.md"
	statePgTCPCached         = "ddi/ns-ndischimney-_tcp_offload_state_cached.md"
	statePgTCPConst          = "ddi/ns-ndischimney-_tcp_offload_state_const.md"
	statePgTCPDelegated      = "ddi/ns-ndischimney-_tcp_offload_state_delegated.md"
	statePgClasses           = "concepts/classes-of-offload-state-variables.md"
	statePgObjects           = "concepts/offload-state-objects.md"
	statePgStructures        = "concepts/offload-state-structures.md"
	statePgBlockList         = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	statePgNumericValues     = "NUMERIC-VALUES.md"

	// Pages outside this file's set, cited only where they repeat or contradict one of its statements.
	statePgUpdatingCached  = "concepts/updating-cached-variables.md"
	statePgKeepaliveTimer  = "concepts/keepalive-timer.md"
	statePgRetransmitTimer = "concepts/retransmit-timer.md"
	statePgSending8021Q    = "concepts/sending-802-1q-marked-and-802-1p-marked-packets-on-an-offloaded-tcp-co.md"
	statePgQueryingState   = "concepts/querying-offloaded-state.md"
	statePgTerminateDDI    = "ddi/nc-ndischimney-w_terminate_offload_handler.md"
	statePgQueryDDI        = "ddi/nc-ndischimney-w_query_offload_handler.md"
	statePgConnOffloadPar  = "ddi/ns-ndischimney-_ndis_tcp_connection_offload_parameters.md"
)

// STATE: headers, classes and ownership, neighbor and path variables.
var (
	// StateHeaderLengthIsWholeStructure: Length of OFFLOAD_STATE_HEADER.
	StateHeaderLengthIsWholeStructure = Define(Rule{
		ID:            "STATE-001",
		Level:         Must,
		Text:          "The host starts each of the nine state structures with an OFFLOAD_STATE_HEADER whose Length it sets to the byte size of that whole structure, header included.",
		Sources:       []string{statePgNeighborCached, statePgNeighborConst, statePgNeighborDelegated, statePgHeader, statePgPathCached, statePgPathConst, statePgPathDelegated, statePgTCPCached, statePgTCPConst, statePgTCPDelegated},
		Observability: HostObligation,
		Note:          "NDIS sets it. The suite writes the x64 sizes of NUMERIC-VALUES 4.6/4.7 (TCP delegated 0x80, the NDIS 6.1+ layout with DWnd) and, in composite blocks, places structures by Length since padding is undocumented (4.8).",
	})

	// StateHeaderRecognizedOptionsReserved: RecognizedOptions is reserved.
	StateHeaderRecognizedOptionsReserved = Define(Rule{
		ID:            "STATE-002",
		Level:         Definition,
		Text:          "RecognizedOptions of OFFLOAD_STATE_HEADER is reserved in every state structure; it has no defined meaning.",
		Sources:       []string{statePgNeighborCached, statePgNeighborConst, statePgNeighborDelegated, statePgHeader, statePgPathCached, statePgPathConst, statePgPathDelegated, statePgTCPCached, statePgTCPConst, statePgTCPDelegated},
		Observability: HostObligation,
		Note:          "The suite writes zero. The target's side, writing nothing into it, is RSV-015.",
	})

	// StateStructureRevisionInBlockHeader: the block header's Revision is the state structure's.
	StateStructureRevisionInBlockHeader = Define(Rule{
		ID:            "STATE-003",
		Level:         Definition,
		Text:          "The Revision in the NDIS_OBJECT_HEADER of the block list that a state structure follows is the revision number of that state structure.",
		Sources:       []string{statePgNeighborCached, statePgNeighborDelegated, statePgPathCached, statePgPathConst, statePgTCPCached, statePgTCPConst, statePgTCPDelegated},
		Observability: HostObligation,
		Note:          "No revision constant for any state structure is published (NUMERIC-VALUES 5.3); the value the suite writes is a harness choice.",
	})

	// NeighborDlDestinationAddressMeaning: the next-hop MAC.
	NeighborDlDestinationAddressMeaning = Define(Rule{
		ID:            "STATE-004",
		Level:         Definition,
		Text:          "DlDestinationAddress, a cached neighbor variable (DestinationAddress on the concept pages), is the MAC address of the next hop, held in a 32-byte array.",
		Sources:       []string{statePgNeighborCached, statePgObjects},
		Observability: Observable,
		Note:          "Its effect is the destination MAC of frames sent through the neighbor. Naming difference: CONFLICT-STATE-09. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-STATE-09",
	})

	// NeighborHostReachabilityDeltaMeaning: host's last reachability confirmation.
	NeighborHostReachabilityDeltaMeaning = Define(Rule{
		ID:            "STATE-005",
		Level:         Definition,
		Text:          "HostReachabilityDelta counts clock ticks: the host's current time minus it is when the host last confirmed the neighbor reachable (forward reachability, RFC 2461).",
		Sources:       []string{statePgNeighborCached, statePgObjects},
		Observability: NeedsDataPath,
		Note:          "The target uses it for NdisMOffloadEventIndicate reachability events, which the contract does not carry yet.",
		Layers:        []string{LayerNeighbor},
	})

	// CachedVariablesOwnedByHost: host owns cached state and pushes changes by update.
	CachedVariablesOwnedByHost = Define(Rule{
		ID:            "STATE-006",
		Level:         Must,
		Text:          "The host owns and maintains cached variables; whenever one changes, the host requests an update so that the target gets the new value through MiniportUpdateOffload.",
		Sources:       []string{statePgNeighborCached, statePgPathCached, statePgTCPCached, statePgClasses, updPgCached, updPgClasses},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
	})

	// TargetNeverChangesCachedVariables: cached values move only by host update.
	TargetNeverChangesCachedVariables = Define(Rule{
		ID:            "STATE-007",
		Level:         MustNot,
		Text:          "The target does not change the value of a cached variable on its own; a cached variable takes a new value only when the host updates it.",
		Sources:       []string{statePgNeighborCached, statePgPathCached, statePgTCPCached, statePgClasses, updPgCached, updPgClasses, updPgTCPCached},
		Observability: Observable,
		Note:          "Checked: cached structures in initiate/update trees come back unchanged, and a query of cached state (allowed by querying-offloaded-state.md) returns exactly the last values offloaded or updated, Flags included.",
	})

	// ConstantAndCachedNotReturnedAtTerminate: only delegated values go back at terminate.
	ConstantAndCachedNotReturnedAtTerminate = Define(Rule{
		ID:            "STATE-008",
		Level:         Definition,
		Text:          "At terminate the target returns no constant and no cached variable values to the host; only delegated values go back.",
		Sources:       []string{statePgNeighborCached, statePgPathCached, statePgPathConst, statePgTCPCached, statePgTCPConst, statePgClasses},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Conflict:      "CONFLICT-STATE-01",
		Note:          "The terminate tree carries only XXX_OFFLOAD_STATE_DELEGATED structures (terminate handler page), so the suite builds no place for such values. Not a limit on query: the host may query constant and cached state.",
	})

	// NullNonPointerMeansZero: how 'NULL' reads for array, bit-field and ULONG members.
	NullNonPointerMeansZero = Define(Rule{
		ID:            "STATE-009",
		Level:         Definition,
		Text:          "Where the pages call a non-pointer member NULL or non-NULL (DlSourceAddress, VlanId, RcvIndicationSize), they mean zero (all bytes zero) or non-zero.",
		Sources:       []string{statePgNeighborConst, statePgTCPCached, statePgObjects, statePgBlockList},
		Observability: HostObligation,
		Note:          "DlSourceAddress is UCHAR[32], VlanId a 12-bit field, RcvIndicationSize a ULONG (NUMERIC-VALUES 4.6/4.7); the const page itself also says 'zero' and the block list page 'non-zero VlanId'.",
	})

	// NeighborDlSourceAddressLayout: 32-byte source MAC array.
	NeighborDlSourceAddressLayout = Define(Rule{
		ID:            "STATE-010",
		Level:         Definition,
		Text:          "DlSourceAddress, a constant neighbor variable, is a 32-byte array that, when non-zero, holds the source MAC address the host asks the neighbor's connections to use.",
		Sources:       []string{statePgNeighborConst, statePgObjects},
		Observability: HostObligation,
		Note:          "No page says where a 6-byte MAC sits in the 32 bytes; the suite puts it in the first six bytes and zeroes the rest.",
		Layers:        []string{LayerNeighbor},
	})

	// SourceMACOfSentFrames: DlSourceAddress or the interface MAC.
	SourceMACOfSentFrames = Define(Rule{
		ID:            "STATE-011",
		Level:         Must,
		Text:          "The target sets the source MAC of every frame it sends on an offloaded connection to the neighbor's DlSourceAddress if non-zero, else to the MAC configured for the interface.",
		Sources:       []string{statePgNeighborConst, statePgObjects},
		Observability: Observable,
		Note:          "Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
		Layers:        []string{LayerNeighbor},
	})

	// NonZeroDlSourceAddressNeedsConfigurableMAC: fail the offload without MAC support.
	NonZeroDlSourceAddressNeedsConfigurableMAC = Define(Rule{
		ID:            "STATE-012",
		Level:         Must,
		Text:          "A target that does not support software-configurable MAC addresses fails the offload of a neighbor whose DlSourceAddress is non-zero.",
		Sources:       []string{statePgNeighborConst, statePgObjects, statePgBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-STATE-03",
		Note:          "Uses the declared ConfigurableSourceMAC flag; the exact status (NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES) is checked by the initiate-status rules.",
	})

	// ReceiveOnConfiguredOrMulticastMAC: receive filtering of an offloaded connection.
	ReceiveOnConfiguredOrMulticastMAC = Define(Rule{
		ID:            "STATE-013",
		Level:         Must,
		Text:          "With multicast addresses enabled on the interface, an offloaded connection accepts frames sent to its configured MAC (DlSourceAddress, or the interface MAC if zero) or to those addresses.",
		Sources:       []string{statePgNeighborConst},
		Observability: NeedsWire,
		Note:          "Needs injected frames and receive indications.",
		Layers:        []string{LayerNeighbor},
	})

	// VlanIDMeaning: 12-bit VLAN ID scoped to the neighbor.
	VlanIDMeaning = Define(Rule{
		ID:            "STATE-014",
		Level:         Definition,
		Text:          "VlanId, a constant neighbor variable, is an unsigned 12-bit VLAN identifier that applies only to frames sent or received through that neighbor state object.",
		Sources:       []string{statePgNeighborConst, statePgObjects},
		Observability: NeedsWire,
		Note:          "Its effect is the 802.1Q tag of frames; the initiate-time VLAN statuses are rules of the initiate and 802.1Q pages.",
		Layers:        []string{LayerNeighbor},
	})

	// StateFieldWidths: widths of the bit-fields and narrow members.
	StateFieldWidths = Define(Rule{
		ID:            "STATE-015",
		Level:         Definition,
		Text:          "Widths: VlanId 12 bits, FlowLabel 20, UserPriority 3, SndWindScale and RcvWindScale 4 each, SRtt and RttVar 16, KaProbeCount and the delegated counters 8, TimeoutDelta 32.",
		Sources:       []string{statePgNeighborConst, statePgTCPCached, statePgObjects, statePgNumericValues},
		Observability: HostObligation,
		Note:          "Delegated 8-bit counters: DupAckCount, SndWndProbeCount, KeepAlive.ProbeCount, Retransmit.Count. The suite never encodes a value wider than its field and decodes returned values at these widths.",
	})

	// ZeroVlanIDUsesInterfaceVLANs: what a zero VlanId means.
	ZeroVlanIDUsesInterfaceVLANs = Define(Rule{
		ID:            "STATE-016",
		Level:         Should,
		Text:          "When a neighbor's VlanId is zero, the target should use whichever VLAN IDs are configured for its interface (read from the registry by MiniportInitializeEx).",
		Sources:       []string{statePgNeighborConst},
		Observability: NeedsWire,
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-STATE-04",
		Note:          "Visible only in the tags of sent frames.",
	})

	// NeighborNicReachabilityDeltaMeaning: target's last reachability confirmation.
	NeighborNicReachabilityDeltaMeaning = Define(Rule{
		ID:            "STATE-017",
		Level:         Definition,
		Text:          "NicReachabilityDelta, the one delegated neighbor variable, counts clock ticks: the NIC's current time minus it is when the target last confirmed the neighbor reachable (RFC 2461).",
		Sources:       []string{statePgNeighborDelegated, statePgObjects},
		Observability: NeedsDataPath,
		Note:          "Its use is in NdisMOffloadEventIndicate reachability events; its round trip on query/terminate is covered by STATE-021/022.",
		Layers:        []string{LayerNeighbor},
	})

	// HostSuppliesInitialDelegatedValues: initial delegated values come from the host.
	HostSuppliesInitialDelegatedValues = Define(Rule{
		ID:            "STATE-018",
		Level:         Must,
		Text:          "When it offloads delegated variables (NicReachabilityDelta, the TCP delegated state), the host supplies their initial values.",
		Sources:       []string{statePgNeighborDelegated, statePgTCPDelegated, statePgClasses},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
	})

	// DelegatedVariablesOwnedByTarget: ownership between offload and terminate.
	DelegatedVariablesOwnedByTarget = Define(Rule{
		ID:            "STATE-019",
		Level:         Definition,
		Text:          "Once offloaded, delegated variables are owned and maintained by the target: only the target changes them, and the host never writes them into an offloaded object.",
		Sources:       []string{statePgNeighborDelegated, statePgTCPDelegated, statePgClasses},
		Observability: HostObligation,
		Note:          "The suite never puts delegated state into an update tree.",
	})

	// DelegatedChangesNotNotified: the host learns delegated values by asking.
	DelegatedChangesNotNotified = Define(Rule{
		ID:            "STATE-020",
		Level:         Definition,
		Text:          "The target does not notify the host when an offloaded delegated variable changes; the host obtains delegated values by query or at terminate.",
		Sources:       []string{statePgNeighborDelegated, statePgTCPDelegated, statePgClasses},
		Observability: NeedsDataPath,
		Conflict:      "CONFLICT-STATE-07",
		Note:          "A notification would be an indication; SendBacklogSize changes are the documented exception (STATE-065).",
	})

	// QueryReturnsCurrentDelegatedValues: query fills the delegated structure.
	QueryReturnsCurrentDelegatedValues = Define(Rule{
		ID:            "STATE-021",
		Level:         Must,
		Text:          "On a query of delegated state, the target writes the current value of every delegated variable into the delegated structure that follows the block.",
		Sources:       []string{statePgNeighborDelegated, statePgTCPDelegated, statePgClasses, statePgObjects, statePgQueryDDI},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Note:          "Operation mechanics (status, completion) are the query rules; this rule is about the field values.",
	})

	// TerminateReturnsDelegatedValues: terminate hands delegated values back.
	TerminateReturnsDelegatedValues = Define(Rule{
		ID:            "STATE-022",
		Level:         Must,
		Text:          "On terminate, the target writes the value of every delegated variable of each terminated object into the delegated structure that follows its block.",
		Sources:       []string{statePgNeighborDelegated, statePgTCPDelegated, statePgClasses, statePgTerminateDDI},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Note:          "Send-data and buffered-receive-data members are checked by their own rules.",
	})

	// PathMTUMeaning: PathMtu.
	PathMTUMeaning = Define(Rule{
		ID:            "STATE-023",
		Level:         Definition,
		Text:          "PathMtu, the one cached path variable, is the maximum transmission unit of the path (RFC 1191 for IPv4, RFC 1981 for IPv6).",
		Sources:       []string{statePgPathCached, statePgObjects},
		Observability: NeedsWire,
		Note:          "Its effect is the size of sent segments; the initiate-time PATH_MTU status is an initiate rule.",
		Layers:        []string{LayerPath},
	})

	// PathAddressesMeaning: source and destination IP addresses.
	PathAddressesMeaning = Define(Rule{
		ID:            "STATE-024",
		Level:         Definition,
		Text:          "SourceAddress and DestinationAddress, the constant path variables, point to the connection's IP addresses: 4 bytes for IPv4, 16 for IPv6, always in network byte order.",
		Sources:       []string{statePgPathConst, statePgObjects},
		Observability: HostObligation,
		Layers:        []string{LayerPath},
	})

	// ConstantVariablesNeverChange: nobody changes constant state.
	ConstantVariablesNeverChange = Define(Rule{
		ID:            "STATE-025",
		Level:         MustNot,
		Text:          "Neither the host nor the target changes a constant variable during the life of the connection; the target never alters a constant state structure it is given.",
		Sources:       []string{statePgPathConst, statePgTCPConst, statePgClasses},
		Observability: Observable,
		Note:          "Checked: constant structures in initiate trees come back unchanged, and a query of constant state returns exactly the values offloaded.",
	})

	// NoDelegatedPathVariables: PATH_OFFLOAD_STATE_DELEGATED is a bare header.
	NoDelegatedPathVariables = Define(Rule{
		ID:            "STATE-026",
		Level:         Definition,
		Text:          "PATH_OFFLOAD_STATE_DELEGATED holds only its OFFLOAD_STATE_HEADER: there are currently no delegated path variables.",
		Sources:       []string{statePgPathDelegated, statePgObjects, statePgBlockList, treePgBlockList},
		Observability: HostObligation,
		Layers:        []string{LayerPath},
		Note:          "Query and terminate of a path have no variable to write; the suite supplies an 8-byte structure.",
	})
)

// STATE: TCP_OFFLOAD_STATE_CACHED.
var (
	// KeepAliveAndNaglingFlags: keepalive and Nagle follow the cached flags.
	KeepAliveAndNaglingFlags = Define(Rule{
		ID:            "STATE-027",
		Level:         Must,
		Text:          "The target runs keepalive (RFC 1122) only while TCP_FLAG_KEEP_ALIVE_ENABLED is set, and the Nagle algorithm (RFC 896) only while TCP_FLAG_NAGLING_ENABLED is set.",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsWire,
		Note:          "Visible only in sent segments (probes, coalescing).",
		Layers:        []string{LayerTCP},
	})

	// KeepAliveRestartFlagRestartsTimer: TCP_FLAG_KEEP_ALIVE_RESTART.
	KeepAliveRestartFlagRestartsTimer = Define(Rule{
		ID:            "STATE-028",
		Level:         Must,
		Text:          "When the host sets TCP_FLAG_KEEP_ALIVE_RESTART in a connection's cached Flags, the target resets its keepalive timer to zero.",
		Sources:       []string{statePgTCPCached, statePgKeepaliveTimer},
		Observability: Observable,
		Ops:           []string{OpInitiate, OpUpdate},
		Layers:        []string{LayerTCP},
		Note:          "Read as: the inactivity timer restarts from 0 (keepalive-timer.md), so a later query shows KeepAlive.TimeoutDelta above its running value and not above KaTimeout. Checked on update only: at initiate the host also hands over KeepAlive.TimeoutDelta, and no page says which of the two wins.",
	})

	// MaxRTRestartFlagZeroesTotalRT: TCP_FLAG_MAX_RT_RESTART.
	MaxRTRestartFlagZeroesTotalRT = Define(Rule{
		ID:            "STATE-029",
		Level:         Must,
		Text:          "When the host sets TCP_FLAG_MAX_RT_RESTART in a connection's cached Flags, the target resets the connection's delegated TotalRT to zero.",
		Sources:       []string{statePgTCPCached, statePgRetransmitTimer},
		Observability: Observable,
		Ops:           []string{OpInitiate, OpUpdate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-10",
		Note:          "Checked on update (MaxRT left 0, so that STATE-037 does not apply) then query. Not checked at initiate: the host hands over TotalRT itself there, and no page says which of the two wins.",
	})

	// UpdateRcvWndAdvertisesWindow: TCP_FLAG_UPDATE_RCV_WND.
	UpdateRcvWndAdvertisesWindow = Define(Rule{
		ID:            "STATE-030",
		Level:         Must,
		Text:          "When the host sets TCP_FLAG_UPDATE_RCV_WND (InitialRcvWnd changed) and InitialRcvWnd differs from the delegated RcvWnd, the target advertises a new receive window to the peer.",
		Sources:       []string{statePgTCPCached},
		Observability: NeedsWire,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerTCP},
		Note:          "The advertisement is in segments sent to the peer.",
	})

	// InitialRcvWndMeaning: default receive window.
	InitialRcvWndMeaning = Define(Rule{
		ID:            "STATE-031",
		Level:         Definition,
		Text:          "InitialRcvWnd is the connection's default receive window, taken from the SO_RCVBUF socket option.",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsWire,
		Note:          "The initiate-time TCP_RCV_WINDOW status is an initiate rule.",
		Layers:        []string{LayerTCP},
	})

	// RcvIndicationSizeIsAHint: non-zero RcvIndicationSize.
	RcvIndicationSizeIsAHint = Define(Rule{
		ID:            "STATE-032",
		Level:         Should,
		Text:          "When RcvIndicationSize is non-zero, the target should indicate that many data bytes per NdisTcpOffloadReceiveHandler call; it is a hint, and more or fewer bytes are allowed.",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsDataPath,
		Note:          "Needs receive indications.",
		Layers:        []string{LayerTCP},
	})

	// ZeroRcvIndicationSizeIndicatesAll: zero RcvIndicationSize.
	ZeroRcvIndicationSizeIndicatesAll = Define(Rule{
		ID:            "STATE-033",
		Level:         Should,
		Text:          "When RcvIndicationSize is zero (unspecified), the target should ignore it and indicate as much data as it can per NdisTcpOffloadReceiveHandler call.",
		Sources:       []string{statePgTCPCached},
		Observability: NeedsDataPath,
		Note:          "Needs receive indications.",
		Layers:        []string{LayerTCP},
	})

	// KeepaliveParametersGovernProbing: KaProbeCount, KaTimeout, KaInterval.
	KeepaliveParametersGovernProbing = Define(Rule{
		ID:            "STATE-034",
		Level:         Should,
		Text:          "The target should send KaProbeCount keepalive probes to test the connection: the first after KaTimeout clock ticks idle, each next after KaInterval ticks without reply (RFC 1122).",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsWire,
		Note:          "Probes are frames on the wire.",
		Layers:        []string{LayerTCP},
	})

	// MaxRTValueConventions: MaxRT 0 and 0xFFFFFFFF.
	MaxRTValueConventions = Define(Rule{
		ID:            "STATE-035",
		Level:         Definition,
		Text:          "MaxRT is in clock ticks: 0 (the default) leaves the retransmission limit to TcpMaximumRetransmissions, 0xFFFFFFFF means no limit, any other value overrides TcpMaximumRetransmissions.",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsWire,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-08",
		Note:          "The limit shows only in retransmissions on the wire.",
	})

	// MaxRTBoundsRetransmissionTime: the retransmission time bound.
	MaxRTBoundsRetransmissionTime = Define(Rule{
		ID:            "STATE-036",
		Level:         Should,
		Text:          "When MaxRT is set (neither 0 nor 0xFFFFFFFF), the target should spend at most MaxRT clock ticks retransmitting a segment.",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsWire,
		Note:          "Visible only as retransmissions on the wire.",
		Layers:        []string{LayerTCP},
	})

	// NonZeroMaxRTResetsTotalRT: a non-zero MaxRT resets TotalRT.
	NonZeroMaxRTResetsTotalRT = Define(Rule{
		ID:            "STATE-037",
		Level:         Should,
		Text:          "When MaxRT is non-zero, the target should reset the connection's delegated TotalRT.",
		Sources:       []string{statePgTCPCached},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerTCP},
		Note:          "The page gives no moment; the suite checks after an update that sets a non-zero MaxRT, reading 'reset' as zero.",
	})

	// IPHeaderCachedFieldsMeaning: FlowLabel, TtlOrHopLimit, TosOrTrafficClass.
	IPHeaderCachedFieldsMeaning = Define(Rule{
		ID:            "STATE-038",
		Level:         Definition,
		Text:          "FlowLabel (IPv6 only), TtlOrHopLimit (IPv4 TTL or IPv6 hop limit) and TosOrTrafficClass (IPv4 TOS or IPv6 traffic class) come from socket options and may change while the connection lives.",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsWire,
		Note:          "They end up in IP headers of sent packets; changes arrive by update.",
		Layers:        []string{LayerTCP},
	})

	// UserPriorityTaggedWith8021p: 802.1p support inserts UserPriority.
	UserPriorityTaggedWith8021p = Define(Rule{
		ID:            "STATE-039",
		Level:         Must,
		Text:          "A target that supports 802.1p inserts the 3-bit UserPriority into the tag header of every frame it sends on the offloaded connection.",
		Sources:       []string{statePgTCPCached, statePgObjects},
		Observability: NeedsWire,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-05",
		Note:          "Visible only in sent frames.",
	})

	// UserPriorityIgnoredWithout8021p: no 802.1p support.
	UserPriorityIgnoredWithout8021p = Define(Rule{
		ID:            "STATE-040",
		Level:         Should,
		Text:          "A target that does not support 802.1p should ignore UserPriority.",
		Sources:       []string{statePgTCPCached},
		Observability: NeedsWire,
		Note:          "Visible only in sent frames.",
		Layers:        []string{LayerTCP},
	})
)

// STATE: TCP_OFFLOAD_STATE_CONST.
var (
	// TimestampFlagStampsEverySegment: TCP_FLAG_TIMESTAMP_ENABLED.
	TimestampFlagStampsEverySegment = Define(Rule{
		ID:            "STATE-043",
		Level:         Must,
		Text:          "While TCP_FLAG_TIMESTAMP_ENABLED is set in the constant Flags, the target puts a TCP timestamp (RFC 1323) in every segment it sends on the connection.",
		Sources:       []string{statePgTCPConst, statePgObjects},
		Observability: Observable,
		Note:          "Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
		Layers:        []string{LayerTCP},
	})

	// SackFlagEnablesSackBlocks: TCP_FLAG_SACK_ENABLED.
	SackFlagEnablesSackBlocks = Define(Rule{
		ID:            "STATE-044",
		Level:         Must,
		Text:          "While TCP_FLAG_SACK_ENABLED is set in the constant Flags, the target sends and receives SACK blocks (RFC 2018) on the connection.",
		Sources:       []string{statePgTCPConst, statePgObjects},
		Observability: NeedsWire,
		Note:          "Visible only in segments exchanged with the peer.",
		Layers:        []string{LayerTCP},
	})

	// WindowScalingFlagUsesScaleFactors: TCP_FLAG_WINDOW_SCALING_ENABLED.
	WindowScalingFlagUsesScaleFactors = Define(Rule{
		ID:            "STATE-045",
		Level:         Must,
		Text:          "While TCP_FLAG_WINDOW_SCALING_ENABLED is set in the constant Flags, the target computes the connection's send and receive windows with SndWindScale and RcvWindScale.",
		Sources:       []string{statePgTCPConst, statePgObjects},
		Observability: NeedsWire,
		Note:          "Visible only in window fields of segments.",
		Layers:        []string{LayerTCP},
	})

	// TCPConstantVariablesMeaning: ports, scale factors, RemoteMss.
	TCPConstantVariablesMeaning = Define(Rule{
		ID:            "STATE-046",
		Level:         Definition,
		Text:          "RemotePort and LocalPort are the destination and source ports, SndWindScale and RcvWindScale the RFC 1323 scale factors, RemoteMss the MSS the peer advertised at setup.",
		Sources:       []string{statePgTCPConst, statePgObjects},
		Observability: Observable,
		Note:          "Their effects are in segments exchanged with the peer. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
		Layers:        []string{LayerTCP},
	})

	// HashValueForRSS: RSS hash of the connection.
	HashValueForRSS = Define(Rule{
		ID:            "STATE-047",
		Level:         Definition,
		Text:          "HashValue is the 32-bit hash that a target supporting receive side scaling uses for RSS processing of the connection.",
		Sources:       []string{statePgTCPConst, statePgObjects},
		Observability: NeedsDataPath,
		Note:          "RSS shows only in how receive indications are spread; RSS support is not a declared capability.",
		Layers:        []string{LayerTCP},
	})
)

// STATE: TCP_OFFLOAD_STATE_DELEGATED.
var (
	// ConnectionStateValues: State values.
	ConnectionStateValues = Define(Rule{
		ID:            "STATE-048",
		Level:         Definition,
		Text:          "State holds the connection's RFC 793 state as a TCP_OFFLOAD_CONNECTION_STATE value, TcpConnectionClosed (0) through TcpConnectionTimeWait (10).",
		Sources:       []string{statePgTCPDelegated, statePgObjects, statePgNumericValues},
		Observability: Observable,
		Ops:           []string{OpQuery, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Checked: every State written back on query or terminate is one of the eleven values.",
	})

	// OffloadOnlyInSynchronizedStates: which states the host offloads in.
	OffloadOnlyInSynchronizedStates = Define(Rule{
		ID:            "STATE-049",
		Level:         MustNot,
		Text:          "The host never offloads a connection in TcpConnectionClosed, Listen, SynSent, SynRcvd or TimeWait; Established, FinWait1, FinWait2, CloseWait, Closing and LastAck may be offloaded.",
		Sources:       []string{statePgTCPDelegated},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The suite offloads connections in each of the six allowed states.",
	})

	// OperationsAllowedInAnyState: query/update/invalidate/terminate regardless of State.
	OperationsAllowedInAnyState = Define(Rule{
		ID:            "STATE-050",
		Level:         Must,
		Text:          "The target completes a query, update, invalidate or terminate of an offloaded TCP connection, with a status in every block, whatever State the connection is in.",
		Sources:       []string{statePgTCPDelegated},
		Observability: Observable,
		Ops:           []string{OpQuery, OpUpdate, OpInvalidate, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "The page lets the host issue these in any State (a host permission); the target's duty to handle them then follows. Checked: for connections offloaded in each allowed State, every operation completes with a status in every block; SUCCESS is not required here.",
	})

	// DelegatedFlagsReserved: Flags of the delegated structure.
	DelegatedFlagsReserved = Define(Rule{
		ID:            "STATE-051",
		Level:         Definition,
		Text:          "Flags of TCP_OFFLOAD_STATE_DELEGATED is reserved for system use; no flag values are defined for it.",
		Sources:       []string{statePgTCPDelegated, statePgObjects, statePgNumericValues},
		Observability: HostObligation,
		Layers:        []string{LayerTCP},
		Note:          "The suite writes zero, and the harness a canary in its place (RSV-016 is the target's side; CONFLICT-RSV-01).",
	})

	// SequenceVariablesMeaning: sequence-number variables.
	SequenceVariablesMeaning = Define(Rule{
		ID:            "STATE-052",
		Level:         Definition,
		Text:          "RcvNxt, SndUna, SndNxt and SendWL1 carry their RFC 793 meanings (RCV.NXT, SND.UNA, SND.NXT, SND.WL1); SndMax is the highest sequence number sent on the connection.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: NeedsWire,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-09",
		Note:          "Values follow the exchange with the peer; their round trip is STATE-021/022 and their send-data mapping belongs to the outstanding-send-data rules.",
	})

	// WindowVariablesInBytes: window-size variables.
	WindowVariablesInBytes = Define(Rule{
		ID:            "STATE-053",
		Level:         Definition,
		Text:          "RcvWnd and SndWnd (RFC 793), MaxSndWnd (RFC 813), CWnd and SsThresh (RFC 2581) are sizes in bytes.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: NeedsWire,
		Note:          "Values follow the exchange with the peer.",
		Layers:        []string{LayerTCP},
	})

	// SRttScaledByEight: SRtt scaling.
	SRttScaledByEight = Define(Rule{
		ID:            "STATE-054",
		Level:         Must,
		Text:          "SRtt, the per-connection smoothed RTT in clock ticks, travels as 8 times its value: the host passes it so, and the target passes it back as 8 times its value.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: Observable,
		Ops:           []string{OpInitiate, OpQuery, OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-06",
		Note:          "Checked: with no traffic, SRtt queried or terminated equals the scaled value offloaded (not a eighth of it).",
	})

	// RttVarScaledByFour: RttVar scaling.
	RttVarScaledByFour = Define(Rule{
		ID:            "STATE-055",
		Level:         Must,
		Text:          "RttVar, the RTT variation in clock ticks, travels as 4 times its value: the host passes it so, and the target passes it back as 4 times its value.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: Observable,
		Ops:           []string{OpInitiate, OpQuery, OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-06",
		Note:          "Checked: with no traffic, RttVar queried or terminated equals the scaled value offloaded (not a quarter of it).",
	})

	// TimestampVariablesMeaning: TsRecent, TsRecentAge, TsTime.
	TimestampVariablesMeaning = Define(Rule{
		ID:            "STATE-056",
		Level:         Definition,
		Text:          "TsRecent is the timestamp to echo in the next ACK (TS.Recent, RFC 1323), TsRecentAge the clock ticks since the last timestamp arrived, TsTime the current adjusted timestamp.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: NeedsWire,
		Note:          "Values follow the exchange with the peer.",
		Layers:        []string{LayerTCP},
	})

	// RetransmitAndProbeCountersMeaning: TotalRT, DupAckCount, SndWndProbeCount.
	RetransmitAndProbeCountersMeaning = Define(Rule{
		ID:            "STATE-057",
		Level:         Definition,
		Text:          "TotalRT is the clock ticks spent retransmitting the current segment, DupAckCount the ACKs accepted for one sequence number, SndWndProbeCount the current persist-probe round.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: NeedsWire,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-09",
		Note:          "Values follow the exchange with the peer; the resets of TotalRT are STATE-029/037.",
	})

	// TimerVariablesMeaning: KeepAlive and Retransmit members.
	TimerVariablesMeaning = Define(Rule{
		ID:            "STATE-058",
		Level:         Definition,
		Text:          "KeepAlive.ProbeCount counts unanswered keepalive probes, Retransmit.Count retransmits sent; each TimeoutDelta is the clock ticks left until that timer next expires.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: NeedsWire,
		Note:          "Values follow the exchange with the peer; the -1 convention is STATE-059/060.",
		Layers:        []string{LayerTCP},
	})

	// MinusOneTimeoutDeltaAtOffload: host-side -1 convention.
	MinusOneTimeoutDeltaAtOffload = Define(Rule{
		ID:            "STATE-059",
		Level:         Definition,
		Text:          "A KeepAlive or Retransmit TimeoutDelta of -1 (0xFFFFFFFF) at offload means that timer was not running; the retransmit timer is stopped when no send data is outstanding.",
		Sources:       []string{statePgTCPDelegated},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The suite passes -1 for the retransmit timer exactly when it hands over no outstanding send data.",
	})

	// StoppedTimerReturnedAsMinusOne: target-side -1 convention.
	StoppedTimerReturnedAsMinusOne = Define(Rule{
		ID:            "STATE-060",
		Level:         Should,
		Text:          "When its keepalive or retransmit timer is not running, the target should return -1 (0xFFFFFFFF) in that TimeoutDelta on query and on terminate.",
		Sources:       []string{statePgTCPDelegated},
		Observability: Observable,
		Ops:           []string{OpQuery, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Checked on connections offloaded with keepalive disabled and no outstanding send data (both deltas -1): query and terminate must give -1, not 0.",
	})

	// DelegatedUnionMembersByOperation: which overlaid members each operation uses.
	DelegatedUnionMembersByOperation = Define(Rule{
		ID:            "STATE-062",
		Level:         Definition,
		Text:          "SendDataHead, SendDataTail and BufferedData are used only in initiate and terminate; SendBacklogSize and ReceiveBacklogSize only when the TCP delegated state is queried.",
		Sources:       []string{statePgTCPDelegated, statePgObjects, statePgNumericValues, sendPgDelegated},
		Observability: Observable,
		Ops:           []string{OpInitiate, OpQuery, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "In C the pointers share storage with the sizes (a union), so a C adapter maps the query's sizes and the initiate/terminate pointers onto the same bytes. In the model they are separate fields: a query leaves the pointer fields NULL; at terminate only the pointers are read.",
	})

	// SendBacklogSizeMeaning: what SendBacklogSize is.
	SendBacklogSizeMeaning = Define(Rule{
		ID:            "STATE-063",
		Level:         Definition,
		Text:          "SendBacklogSize is the count of send bytes the target wants outstanding at it (posted, not yet completed); its computation is up to the target and does not depend on bytes now posted.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "Independence from posted bytes can only be tested by posting sends.",
	})

	// SendBacklogSizeAimsAtThroughput: how to pick it.
	SendBacklogSizeAimsAtThroughput = Define(Rule{
		ID:            "STATE-064",
		Level:         Should,
		Text:          "The target should choose a SendBacklogSize that maximizes throughput while consuming as few resources as possible.",
		Sources:       []string{statePgObjects},
		Observability: Internal,
		Layers:        []string{LayerTCP},
		Note:          "A performance goal inside the target.",
	})

	// SendBacklogChangeMayBeIndicated: NdisTcpOffloadEventHandler.
	SendBacklogChangeMayBeIndicated = Define(Rule{
		ID:            "STATE-065",
		Level:         May,
		Text:          "Besides answering queries with it, the target may announce a changed send backlog size through NdisTcpOffloadEventHandler.",
		Sources:       []string{statePgTCPDelegated},
		Observability: Permission,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-STATE-07",
		Note:          "An event indication (TcpIndicateSendBacklogChange).",
	})

	// UnsupportedSendBacklogIsAllOnes: 0xFFFFFFFF without the feature.
	UnsupportedSendBacklogIsAllOnes = Define(Rule{
		ID:            "STATE-066",
		Level:         Must,
		Text:          "A target that does not support the send-backlog-size feature writes 0xFFFFFFFF to SendBacklogSize whenever the TCP delegated state is queried.",
		Sources:       []string{statePgTCPDelegated},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Layers:        []string{LayerTCP},
		Note:          "Support is not a declared capability: the suite pre-fills a sentinel and requires it overwritten (by 0xFFFFFFFF or a backlog value); exact 0xFFFFFFFF only if support is declared absent.",
	})

	// BufferedDataMeaning: BufferedData.
	BufferedDataMeaning = Define(Rule{
		ID:            "STATE-067",
		Level:         Definition,
		Text:          "BufferedData points to buffered receive data: the host may hand such data to the target at initiate, and the target may hand such data back at terminate.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: Observable,
		Ops:           []string{OpInitiate, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "How it is copied, delivered and returned is the buffered-receive-data rules'. Checked at terminate: a non-NULL BufferedData holds exactly the bytes handed over at initiate (the contract has no receive indication, so none can have been delivered); the spec skips when it is NULL.",
	})

	// ReceiveBacklogSizeMeaning: ReceiveBacklogSize.
	ReceiveBacklogSizeMeaning = Define(Rule{
		ID:            "STATE-068",
		Level:         Definition,
		Text:          "ReceiveBacklogSize is the number of received bytes the target holds buffered for the connection; the host posts receive requests large enough to take them all.",
		Sources:       []string{statePgTCPDelegated, statePgObjects},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "Its accuracy needs received data and posted receives.",
	})

	// UnsupportedReceiveBacklogIsAllOnes: 0xFFFFFFFF without the feature.
	UnsupportedReceiveBacklogIsAllOnes = Define(Rule{
		ID:            "STATE-069",
		Level:         Should,
		Text:          "A target that does not support the receive-backlog-size feature should write 0xFFFFFFFF to ReceiveBacklogSize.",
		Sources:       []string{statePgTCPDelegated},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Layers:        []string{LayerTCP},
		Note:          "Support is not a declared capability: the suite can check exact 0xFFFFFFFF only if support is declared absent; with no receive traffic a supporting target reports 0.",
	})

	// DWndUndocumented: DWnd.
	DWndUndocumented = Define(Rule{
		ID:            "STATE-070",
		Level:         Definition,
		Text:          "DWnd, the last member of TCP_OFFLOAD_STATE_DELEGATED, has no documented meaning and exists only in NDIS 6.1 and later layouts.",
		Sources:       []string{statePgTCPDelegated, statePgNumericValues},
		Observability: HostObligation,
		Layers:        []string{LayerTCP},
		Note:          "The suite writes zero and asserts nothing about it. No target-side rule either: with no meaning and no owner on any page, nothing says whether a target may write it.",
	})
)

// STATE: classes, state objects and structures.
var (
	// StateObjectsAndClasses: what a state object and a variable class are.
	StateObjectsAndClasses = Define(Rule{
		ID:            "STATE-071",
		Level:         Definition,
		Text:          "Every offload state variable is constant, cached or delegated; a state object is one instance of all the variables of one layer (neighbor, path or TCP).",
		Sources:       []string{statePgClasses, statePgObjects},
		Observability: HostObligation,
	})

	// LayerClassStructures: which structure carries which state.
	LayerClassStructures = Define(Rule{
		ID:            "STATE-073",
		Level:         Definition,
		Text:          "Each layer's constant, cached and delegated state travels in its own NEIGHBOR_, PATH_ or TCP_OFFLOAD_STATE_CONST/CACHED/DELEGATED structure, always right after a block list.",
		Sources:       []string{statePgStructures, statePgBlockList},
		Observability: HostObligation,
		Conflict:      "CONFLICT-STATE-02",
		Note:          "Which Header.Type announces which structures is the tree rules'.",
	})
)

var (
	// ConflictTerminateNotReturnedClass: cached pages say 'constant'.
	ConflictTerminateNotReturnedClass = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-01",
		Pages:   []string{statePgNeighborCached, statePgPathCached, statePgTCPCached, statePgClasses},
		Summary: "The three cached-structure pages end their ownership paragraph by saying that at terminate the target does not return offloaded constant variables; the classes page says, for the cached class, that cached variables are not returned.",
		Reading: "A copy-over slip on the cached pages: neither constant nor cached values are returned at terminate (STATE-008); the terminate tree carries only delegated structures.",
	})

	// ConflictPathDelegatedStructureName: table names the cached structure.
	ConflictPathDelegatedStructureName = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-02",
		Pages:   []string{statePgStructures, statePgPathDelegated, statePgBlockList},
		Summary: "The structures table names PATH_OFFLOAD_STATE_CACHED for delegated path state; the delegated page and the block list page (Ip4/Ip6OffloadDelegatedState) name PATH_OFFLOAD_STATE_DELEGATED.",
		Reading: "Delegated path state is PATH_OFFLOAD_STATE_DELEGATED, a bare header.",
	})

	// ConflictDlSourceAddressSupport: must support vs may fail.
	ConflictDlSourceAddressSupport = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-03",
		Pages:   []string{statePgNeighborConst, statePgObjects, statePgBlockList},
		Summary: "The const DDI page says that for a non-NULL DlSourceAddress the target must support software-configurable MACs and use it; the objects page lets a target lack that support and then requires it to fail the offload; the block list page gives HW_ADDRESS_ENTRIES when support is missing or full.",
		Reading: "A target may lack the support (declared ConfigurableSourceMAC=false) and then fails the neighbor offload (STATE-012); a supporting target uses the address (STATE-011).",
	})

	// ConflictZeroVlanID: what a zero VlanId means.
	ConflictZeroVlanID = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-04",
		Pages:   []string{statePgNeighborConst, statePgObjects, statePgSending8021Q},
		Summary: "For a NULL (zero) VlanId the const DDI page says the target should use the VLAN IDs configured on its interface; the objects page says the member is then not significant; the 802.1Q sending page tags frames with VLAN ID 0 when UserPriority is non-zero and sends them untagged otherwise.",
		Reading: "STATE-016 records the DDI wording; all three are wire behaviour, so no spec asserts either today. A wire spec will need to pick one (likely the sending page's algorithm, which is the most specific).",
	})

	// ConflictUserPriorityEveryFrame: tag on every frame vs no tag when both zero.
	ConflictUserPriorityEveryFrame = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-05",
		Pages:   []string{statePgTCPCached, statePgSending8021Q},
		Summary: "The cached DDI page has an 802.1p-capable target put UserPriority in the tag header of all frames of the connection; the 802.1Q sending page sends no tag header at all when both VlanId and UserPriority are zero.",
		Reading: "The sending page refines the DDI: a zero priority with a zero VlanId means no tag. Wire behaviour; STATE-039 is not asserted today.",
	})

	// ConflictRttScaling: scaling given only on the concept page.
	ConflictRttScaling = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-06",
		Pages:   []string{statePgTCPDelegated, statePgObjects},
		Summary: "The delegated DDI page gives SRtt and RttVar plainly in clock ticks; the objects page says they are passed in and must be passed back as 8 and 4 times their values.",
		Reading: "Scaled (STATE-054/055): the host offloads 8*SRTT and 4*RTTVAR and expects the same scale back. A host-visible round trip asserts the same in either reading; only the target's use of the values on the wire differs.",
	})

	// ConflictDelegatedNotification: no notification vs backlog indication.
	ConflictDelegatedNotification = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-07",
		Pages:   []string{statePgClasses, statePgNeighborDelegated, statePgTCPDelegated},
		Summary: "The classes page and the delegated remarks say the target does not notify the host of changes to delegated variables; the SendBacklogSize field text lets the target indicate a change of that delegated value through NdisTcpOffloadEventHandler.",
		Reading: "The send backlog size indication is the one exception (STATE-065); no other delegated change is indicated.",
	})

	// ConflictTcpMaximumRetransmissionsSource: which structure holds it.
	ConflictTcpMaximumRetransmissionsSource = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-08",
		Pages:   []string{statePgTCPCached, statePgConnOffloadPar, statePgRetransmitTimer},
		Summary: "MaxRT's text places TcpMaximumRetransmissions in NDIS_TASK_TCP_CONNECTION_OFFLOAD (an NDIS 5 structure with no page), while its link and the DDI set carry it in NDIS_TCP_CONNECTION_OFFLOAD_PARAMETERS.",
		Reading: "TcpMaximumRetransmissions of NDIS_TCP_CONNECTION_OFFLOAD_PARAMETERS (OID_TCP_CONNECTION_OFFLOAD_PARAMETERS).",
	})

	// ConflictStateWording: naming and wording differences without a change of meaning.
	ConflictStateWording = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-09",
		Pages:   []string{statePgNeighborCached, statePgTCPDelegated, statePgObjects},
		Summary: "The objects page calls DlDestinationAddress 'DestinationAddress', SendWL1 'SndWL1', the KeepAlive/Retransmit members 'Keepalive ProbeCount' etc., and describes TotalRT as time spent 'transmitting' where the DDI says 'retransmitting'.",
		Reading: "The DDI member names and the DDI wording (TotalRT counts retransmission time).",
	})

	// ConflictMaxRTRestartStrength: must vs should for the TotalRT reset.
	ConflictMaxRTRestartStrength = DefineConflict(Conflict{
		ID:      "CONFLICT-STATE-10",
		Pages:   []string{statePgTCPCached, statePgRetransmitTimer},
		Summary: "The cached DDI page says TCP_FLAG_MAX_RT_RESTART causes the target to reset TotalRT to zero; the retransmit-timer page says the flag means MaxRT changed and the target should reset TotalRT.",
		Reading: "Must (STATE-029), as the DDI states it without hedging; the check itself is the same either way, only the reported level differs.",
	})
)

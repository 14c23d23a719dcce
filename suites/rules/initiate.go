// Rules of initiate offload: MiniportInitiateOffload, NdisMInitiateOffloadComplete, the per-block initiate statuses and their conditions, failures, buffered receive data and events during an offload.
package rules

// Page paths used by the initiate rules.
const (
	pgInitHandler     = "ddi/nc-ndischimney-w_initiate_offload_handler.md"
	pgInitComplete    = "ddi/nf-ndischimney-ndisminitiateoffloadcomplete.md"
	pgInit8021Q       = "concepts/determining-whether-to-fail-an-offload-request-because-of-802-1q-infor.md"
	pgInitBuffered    = "concepts/handling-buffered-receive-data-during-and-after-an-offload-operation.md"
	pgInitSequence    = "concepts/initiate-offload-call-sequence.md"
	pgInitPartial     = "concepts/partial-offloads-and-offload-failures.md"
	pgInitEvents      = "concepts/processing-events-that-occur-during-an-offload.md"
	pgInitStatus      = "concepts/returning-completion-status-of-an-initiate-offload-operation.md"
	pgInitBlockList   = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	pgInitProtoBlocks = "ddi/ns-ndischimney-_ndis_protocol_offload_block_list.md"
	pgInitRoles       = "concepts/placeholders--linkers--and-new-offloads.md"
	pgInitTraverse    = "concepts/traversing-a-state-tree.md"
)

var (
	// InitiateHandlerArguments says what the host hands to MiniportInitiateOffload.
	InitiateHandlerArguments = Define(Rule{
		ID:            "INIT-001",
		Level:         Definition,
		Text:          "The host calls MiniportInitiateOffload with the adapter's MiniportAdapterContext and an OffloadBlockList pointer to a lone block or to the root block of an offload state tree.",
		Sources:       []string{pgInitHandler, pgInitSequence},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Note:          "The suite builds every initiate call this way.",
	})

	// InitiateHandlerReturnsBeforeCompleting: store the pointer, return, complete later.
	InitiateHandlerReturnsBeforeCompleting = Define(Rule{
		ID:            "INIT-002",
		Level:         Must,
		Text:          "MiniportInitiateOffload keeps the OffloadBlockList pointer and returns; the target calls NdisMInitiateOffloadComplete only after the handler returned, never from inside it.",
		Sources:       []string{pgInitHandler, pgInitSequence},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "'Always completes asynchronously': a completion that arrives before the handler returned breaks it, and so does a handler that blocks until the offload is done.",
	})

	// InitiateCompletedExactlyOnce: one initiate, one NdisMInitiateOffloadComplete.
	InitiateCompletedExactlyOnce = Define(Rule{
		ID:            "INIT-003",
		Level:         Must,
		Text:          "The target finishes every initiate, whatever its outcome, with exactly one call to NdisMInitiateOffloadComplete.",
		Sources:       []string{pgInitHandler, pgInitComplete, pgInitSequence},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "The pages say the target always completes the operation by calling NdisMInitiateOffloadComplete; one operation has one completion. None within the suite's timeout, or a second one, breaks it.",
	})

	// InitiateHostKeepsTreeValid: the tree lives until the completion call.
	InitiateHostKeepsTreeValid = Define(Rule{
		ID:            "INIT-004",
		Level:         Must,
		Text:          "The host keeps the tree passed to MiniportInitiateOffload, with the state structures after its blocks, valid until the target calls NdisMInitiateOffloadComplete.",
		Sources:       []string{pgInitHandler},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Note:          "The harness keeps the tree alive and unmoved until the completion arrives.",
	})

	// InitiateTreeUntouchedAfterCompletion: the validity window closes at completion.
	InitiateTreeUntouchedAfterCompletion = Define(Rule{
		ID:            "INIT-005",
		Level:         MustNot,
		Text:          "The target does not touch the initiate tree after it has called NdisMInitiateOffloadComplete, since the tree is valid only until that call.",
		Sources:       []string{pgInitHandler},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "Implied by the validity window. Writes after completion show when the tree is compared later with its content at completion; reads after completion do not show.",
	})

	// InitiateOffloadsStateAfterReturn: the work happens after the handler returns.
	InitiateOffloadsStateAfterReturn = Define(Rule{
		ID:            "INIT-006",
		Level:         Definition,
		Text:          "After MiniportInitiateOffload returns, the target offloads the state that follows each new-offload block of the tree into an offload context area of its own.",
		Sources:       []string{pgInitHandler, pgInitSequence},
		Observability: Internal,
		Ops:           []string{OpInitiate},
		Note:          "Where the state is kept is internal. Cross-reference: block roles (placeholder, linker, new offload), Header.Type to state-structure mapping, and the depth-first/breadth-next order the handler page makes critical are tree.go rules (TREE-019 to TREE-021 overlap this one).",
	})

	// InitiateCopiesBufferedReceiveData: copy BufferedData before completing.
	InitiateCopiesBufferedReceiveData = Define(Rule{
		ID:            "INIT-007",
		Level:         Must,
		Text:          "Before completing the initiate, the target copies the receive data that TCP_OFFLOAD_STATE_DELEGATED.BufferedData points to into a buffer of its own.",
		Sources:       []string{pgInitHandler, pgInitBuffered},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The host overwrites its buffer after the initiate completes (it may free it, INIT-024); the bytes handed back in BufferedData at terminate must still be the original ones. Delivery through the receive path shows it too, later.",
	})

	// InitiateLeavesContextOnFailure: no context written for state that was not offloaded.
	InitiateLeavesContextOnFailure = Define(Rule{
		ID:            "INIT-009",
		Level:         ShouldNot,
		Text:          "When the target did not offload a block's state, it does not write to the location MiniportOffloadContext points to, which keeps the NULL the host put there.",
		Sources:       []string{pgInitHandler},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "The handler page says 'should not'. Applies to new-offload blocks with a failure status (INIT-046); a linker's slot already holds a PVOID and stays untouched either way.",
	})

	// InitiateCompletionSamePointer: the tree comes back through the same pointer.
	InitiateCompletionSamePointer = Define(Rule{
		ID:            "INIT-010",
		Level:         Must,
		Text:          "The target passes NdisMInitiateOffloadComplete the very OffloadBlockList pointer it received in MiniportInitiateOffload for that initiate.",
		Sources:       []string{pgInitComplete, pgInitSequence, pgInitBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
	})

	// InitiateCompletionMiniportHandle: the handle argument of the completion.
	InitiateCompletionMiniportHandle = Define(Rule{
		ID:            "INIT-011",
		Level:         Must,
		Text:          "The target passes NdisMInitiateOffloadComplete its NDIS miniport handle as NdisMiniportHandle.",
		Sources:       []string{pgInitComplete},
		Observability: Internal,
		Ops:           []string{OpInitiate},
		Note:          "The page says the handle came from NdisMRegisterMiniportDriver. The contract's completions carry no handle: a target completes through the Host it was opened with, so a wrong handle is the target's own bookkeeping and cannot reach the host. Observable again if the contract grows a handle argument.",
	})

	// InitiateStatusInEveryBlock: a status in every block, placeholders included.
	InitiateStatusInEveryBlock = Define(Rule{
		ID:            "INIT-012",
		Level:         Must,
		Text:          "Before calling NdisMInitiateOffloadComplete, the target writes a completion status into Status of every block of the tree: new-offload blocks, linkers and placeholders alike.",
		Sources:       []string{pgInitComplete, pgInitSequence, pgInitStatus, pgInitBlockList, pgInitPartial, pgInitRoles},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "The partial-offload page adds that a failed initiate is reported through the block Status. The suite fills Status with a sentinel before the call and checks no block still holds it when the completion arrives.",
	})

	// InitiateStatusFromInitiateList: only documented initiate statuses.
	InitiateStatusFromInitiateList = Define(Rule{
		ID:            "INIT-013",
		Level:         Must,
		Text:          "Each initiate Status is SUCCESS, OFFLOAD_PARTIAL_SUCCESS, FAILURE, RESOURCES, OFFLOAD_{TCP,PATH,NEIGHBOR,HW_ADDRESS,IP_ADDRESS,VLAN}_ENTRIES, OFFLOAD_TCP_{XMIT,RCV}_BUFFER, OFFLOAD_TCP_RCV_WINDOW, OFFLOAD_VLAN_MISMATCH, OFFLOAD_PATH_MTU or OFFLOAD_CONNECTION_REJECTED.",
		Sources:       []string{pgInitComplete, pgInitStatus, pgInitBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-02",
		Note:          "All names are NDIS_STATUS_ / NDIS_STATUS_OFFLOAD_ values; the union of the three lists. Names: CONFLICT-INIT-01 and -04; PATH_MTU value: CONFLICT-INIT-03.",
	})

	// Initiate8021QSetByFilters: filters/IMs may fill VlanId and UserPriority.
	Initiate8021QSetByFilters = Define(Rule{
		ID:            "INIT-014",
		Level:         May,
		Text:          "During an initiate, a filter or intermediate driver between host stack and target may set NEIGHBOR_OFFLOAD_STATE_CONST.VlanId, TCP_OFFLOAD_STATE_CACHED.UserPriority, or both.",
		Sources:       []string{pgInit8021Q},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Note:          "The suite may play such a driver by setting these members itself.",
	})

	// InitiateDecidesOn8021Q: the target weighs the 802.1Q information.
	InitiateDecidesOn8021Q = Define(Rule{
		ID:            "INIT-015",
		Level:         Must,
		Text:          "While processing an initiate, the target decides from the supplied 802.1Q information (neighbor VlanId, interface VLAN IDs, its VLAN resources) whether to fail it.",
		Sources:       []string{pgInit8021Q},
		Observability: Internal,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Note:          "The decision is internal; its outcomes are checked by INIT-016 to INIT-020.",
	})

	// InitiateVlanEntriesStatus: out of VLAN tracking resources.
	InitiateVlanEntriesStatus = Define(Rule{
		ID:            "INIT-016",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_VLAN_ENTRIES, in the neighbor block, when it lacks the resources to track another VLAN ID the initiate needs, and for no other cause.",
		Sources:       []string{pgInit8021Q, pgInitStatus, pgInitBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-INIT-04",
		Note:          "Provoked with one neighbor VlanId more than the declared VLAN entries (target.Limits.VLANEntries), each among the interface VLAN IDs so that VLAN_MISMATCH cannot bind first; no other block of that tree may carry the status.",
	})

	// InitiateUntaggedInterfaceAcceptsVlanID: interface VLAN ID zero.
	InitiateUntaggedInterfaceAcceptsVlanID = Define(Rule{
		ID:            "INIT-017",
		Level:         MustNot,
		Text:          "When the interface VLAN ID read from the registry is zero, the target does not fail an initiate because of the neighbor VlanId, unless it is out of VLAN ID resources (INIT-016).",
		Sources:       []string{pgInit8021Q},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-INIT-05",
	})

	// InitiateZeroVlanIDAccepted: neighbor VlanId zero on a VLAN interface.
	InitiateZeroVlanIDAccepted = Define(Rule{
		ID:            "INIT-018",
		Level:         MustNot,
		Text:          "When one or more interface VLAN IDs are non-zero and the neighbor VlanId is zero, the target does not fail the initiate because of the neighbor VlanId.",
		Sources:       []string{pgInit8021Q},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Note:          "No resource exception is given for this case.",
	})

	// InitiateMatchingVlanIDAccepted: neighbor VlanId equals an interface VLAN ID.
	InitiateMatchingVlanIDAccepted = Define(Rule{
		ID:            "INIT-019",
		Level:         MustNot,
		Text:          "When the neighbor VlanId is non-zero and equals one of the interface VLAN IDs, the target does not fail the initiate because of it, unless it is out of VLAN ID resources (INIT-016).",
		Sources:       []string{pgInit8021Q},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
	})

	// InitiateVlanMismatchStatus: neighbor VlanId not configured on the interface.
	InitiateVlanMismatchStatus = Define(Rule{
		ID:            "INIT-020",
		Level:         Must,
		Text:          "The target fails a neighbor block with NDIS_STATUS_OFFLOAD_VLAN_MISMATCH exactly when its VlanId is non-zero, the interface has VLAN IDs configured, and none equals it.",
		Sources:       []string{pgInit8021Q, pgInitStatus, pgInitBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-INIT-05",
		Note:          "The 802.1Q page names no block for the mismatch; VlanId is neighbor state, so the suite expects it on that neighbor's block. Name on the 802.1Q page: CONFLICT-INIT-04.",
	})

	// InitiateBufferedDataDefinition: what buffered receive data is.
	InitiateBufferedDataDefinition = Define(Rule{
		ID:            "INIT-021",
		Level:         Definition,
		Text:          "Buffered receive data is data the host stack received, processed and acknowledged but not yet delivered; the host passes it as a NET_BUFFER_LIST chain in TCP_OFFLOAD_STATE_DELEGATED.BufferedData.",
		Sources:       []string{pgInitBuffered, pgInitHandler},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The suite supplies BufferedData on some TCP blocks to exercise INIT-007 and INIT-024.",
	})

	// InitiateBufferedDataEndsAtRcvNxt: the newest bytes, just left of RcvNxt.
	InitiateBufferedDataEndsAtRcvNxt = Define(Rule{
		ID:            "INIT-022",
		Level:         Definition,
		Text:          "Buffered receive data is always the most recently received bytes of the connection and lies immediately before (to the left of) the RcvNxt the host supplies.",
		Sources:       []string{pgInitBuffered},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The suite builds BufferedData so that its last byte is RcvNxt-1.",
	})

	// InitiateBufferedCopyAllocationFailure: no memory for the copy.
	InitiateBufferedCopyAllocationFailure = Define(Rule{
		ID:            "INIT-023",
		Level:         Should,
		Text:          "If the target cannot allocate memory for its copy of the buffered receive data, it fails that connection's block by writing NDIS_STATUS_FAILURE to its Status.",
		Sources:       []string{pgInitBuffered},
		Observability: Internal,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-INIT-06",
		Note:          "The host cannot make the target's allocation fail nor tell why a block failed.",
	})

	// InitiateHostFreesBufferedData: the host reclaims BufferedData on success.
	InitiateHostFreesBufferedData = Define(Rule{
		ID:            "INIT-024",
		Level:         Definition,
		Text:          "Once the target reports the connection offloaded, the host frees the buffer holding the buffered receive data, so the target cannot rely on it after completing.",
		Sources:       []string{pgInitBuffered},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The suite frees or poisons BufferedData after a SUCCESS completion, which exposes a target breaking INIT-007 once the data path exists.",
	})

	// InitiateBufferedDataToPostedReceives: fill posted receives first.
	InitiateBufferedDataToPostedReceives = Define(Rule{
		ID:            "INIT-025",
		Level:         Must,
		Text:          "After the offload, the target waits for receive requests posted to MiniportTcpOffloadReceive, copies the buffered data into them and completes them with NdisTcpOffloadReceiveComplete.",
		Sources:       []string{pgInitBuffered},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "Receive posting and completion are data-path calls.",
	})

	// InitiateBufferedDataOverflowIndicated: what does not fit is indicated.
	InitiateBufferedDataOverflowIndicated = Define(Rule{
		ID:            "INIT-026",
		Level:         Must,
		Text:          "Buffered data that does not fit into the posted receive requests is indicated by the target through NdisTcpOffloadReceiveHandler.",
		Sources:       []string{pgInitBuffered},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "Receive indications are data-path calls.",
	})

	// InitiateBufferedDataFirst: buffered data precedes newer data.
	InitiateBufferedDataFirst = Define(Rule{
		ID:            "INIT-027",
		Level:         Must,
		Text:          "The target indicates the remaining buffered receive data before any other data it receives on the connection.",
		Sources:       []string{pgInitBuffered},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "Ordering of receive indications is data-path. The complete receive order is the delivery algorithm (delivery-algorithm.md, flowcharts), owned elsewhere.",
	})

	// InitiateNoOffloadUnderFailedBlock: a failed block's dependents are not offloaded.
	InitiateNoOffloadUnderFailedBlock = Define(Rule{
		ID:            "INIT-030",
		Level:         MustNot,
		Text:          "The target offloads no state from the dependent subtree of a block it failed to offload: the blocks of its DependentBlockList list and, recursively, their dependents.",
		Sources:       []string{pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "Worked example: Path2 fails, the target makes no attempt at TCP3. Visible as: no context written and a failure status on every block of that subtree.",
	})

	// InitiateSkippedBlocksGetFailure: skipped dependents carry NDIS_STATUS_FAILURE.
	InitiateSkippedBlocksGetFailure = Define(Rule{
		ID:            "INIT-031",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_FAILURE into each block it did not attempt because a block it depends on failed.",
		Sources:       []string{pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-09",
		Note:          "From the worked example: TCP3 ('no attempt to offload' in the figure) carries NDIS_STATUS_FAILURE in the table.",
	})

	// InitiateFailureSkipsOnlyItsSubtree: a failure does not end the whole traversal.
	InitiateFailureSkipsOnlyItsSubtree = Define(Rule{
		ID:            "INIT-032",
		Level:         Must,
		Text:          "A failed block ends only the traversal of its own dependent subtree; the target still attempts the blocks that follow in depth-first/breadth-next order outside that subtree.",
		Sources:       []string{pgInitPartial, pgInitTraverse},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-08",
		Note:          "Worked example: after TCP2 fails the target still offloads Path2's state. A later block may still fail for its own documented cause. Under pathOrNeighborFailureStopsWholeTree (CONFLICT-INIT-13) a failed path or neighbor ends the whole traversal instead, and this rule holds for failed connections only. Traversal order itself: tree.go.",
	})

	// InitiateRootFailureStopsTraversal: root failure ends the traversal.
	InitiateRootFailureStopsTraversal = Define(Rule{
		ID:            "INIT-033",
		Level:         Must,
		Text:          "If the target cannot offload the state of the root block list, it stops traversing the tree.",
		Sources:       []string{pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-08",
		Note:          "Default reading (rootFailureStopsWholeTree on, CONFLICT-INIT-08): no other block of the tree is attempted. With the switch off, nothing in the failed root's dependent subtree is attempted (INIT-030) and its next-linked top-level blocks follow INIT-032.",
	})

	// InitiateInProgressDefinition: when an offload counts as in progress.
	InitiateInProgressDefinition = Define(Rule{
		ID:            "INIT-034",
		Level:         Definition,
		Text:          "An offload is in progress from the call to MiniportInitiateOffload until the target's call to NdisMInitiateOffloadComplete for it has returned.",
		Sources:       []string{pgInitEvents},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Note:          "The suite times its follow-up operations on the offloaded objects by it (INIT-040, INIT-041).",
	})

	// InitiateConcurrentInitiates: more initiates while one is pending.
	InitiateConcurrentInitiates = Define(Rule{
		ID:            "INIT-035",
		Level:         Must,
		Text:          "While an initiate is in progress, the target accepts further MiniportInitiateOffload calls for other state objects and handles each through to its own completion.",
		Sources:       []string{pgInitEvents},
		Observability: Observable,
		Ops:           []string{OpInitiate},
	})

	// InitiateHostNoDuplicateOffload: no second offload of an object in flight.
	InitiateHostNoDuplicateOffload = Define(Rule{
		ID:            "INIT-036",
		Level:         MustNot,
		Text:          "The host does not start an offload of a state object whose offload is already in progress.",
		Sources:       []string{pgInitEvents},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Note:          "Concurrent initiates built by the suite use disjoint state objects.",
	})

	// InitiateEarlyReceiveProcessing: receive processing may start before completion.
	InitiateEarlyReceiveProcessing = Define(Rule{
		ID:            "INIT-037",
		Level:         May,
		Text:          "The target may start processing receive segments of a connection as soon as the state objects that connection needs are offloaded, before the initiate completes.",
		Sources:       []string{pgInitEvents},
		Observability: Permission,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Only segments on the wire and later indications show it.",
	})

	// InitiateNoReceiveIndicationBeforeCompletion: indications wait for the completion.
	InitiateNoReceiveIndicationBeforeCompletion = Define(Rule{
		ID:            "INIT-038",
		Level:         MustNot,
		Text:          "The target does not indicate receive segments of a connection an initiate offloaded until its NdisMInitiateOffloadComplete call for that initiate has returned.",
		Sources:       []string{pgInitEvents},
		Observability: NeedsDataPath,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Receive indications are data-path calls.",
	})

	// InitiateReceiveIndicationsThroughHandler: NdisTcpOffloadReceiveHandler only.
	InitiateReceiveIndicationsThroughHandler = Define(Rule{
		ID:            "INIT-039",
		Level:         Must,
		Text:          "The target indicates receive segments on offloaded connections by calling NdisTcpOffloadReceiveHandler.",
		Sources:       []string{pgInitEvents},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "Receive indications are data-path calls.",
	})

	// InitiateHostNoDataPathDuringOffload: no send/receive/forward while offloading.
	InitiateHostNoDataPathDuringOffload = Define(Rule{
		ID:            "INIT-040",
		Level:         MustNot,
		Text:          "Before an initiate completes, the host makes no MiniportTcpOffloadSend, MiniportTcpOffloadReceive or MiniportTcpOffloadForward call on a connection it is offloading.",
		Sources:       []string{pgInitEvents},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The suite issues no data-path call on a connection before its initiate completion has returned.",
	})

	// InitiateHostNoStateOpsDuringOffload: no update/query/invalidate/terminate while offloading.
	InitiateHostNoStateOpsDuringOffload = Define(Rule{
		ID:            "INIT-041",
		Level:         MustNot,
		Text:          "Before an initiate completes, the host makes no MiniportUpdateOffload, MiniportQueryOffload, MiniportInvalidateOffload or MiniportTerminateOffload call on a state object it is offloading.",
		Sources:       []string{pgInitEvents},
		Observability: HostObligation,
		Ops:           []string{OpInitiate, OpUpdate, OpQuery, OpInvalidate, OpTerminate},
		Note:          "The suite sequences query/update/invalidate/terminate of an object only after its initiate completion has returned.",
	})

	// InitiateNoIndicationsDuringOffload: recommended silence while an offload is pending.
	InitiateNoIndicationsDuringOffload = Define(Rule{
		ID:            "INIT-042",
		Level:         ShouldNot,
		Text:          "While an offload is in progress, the target avoids calling NdisMIndicateStatusEx, NdisMOffloadEventIndicate, NdisTcpOffloadEventHandler and NdisTcpOffloadReceiveHandler.",
		Sources:       []string{pgInitEvents},
		Observability: NeedsDataPath,
		Ops:           []string{OpInitiate},
		Note:          "Status, event and receive indications are not carried by the contract yet. The same page requires receive indications to stay possible during an offload (INIT-059); the suite reads this as a recommendation that yields to that duty (CONFLICT-INIT-12).",
		Conflict:      "CONFLICT-INIT-12",
	})

	// InitiateImmediatelyDependentDefinition: what "immediately dependent" means.
	InitiateImmediatelyDependentDefinition = Define(Rule{
		ID:            "INIT-043",
		Level:         Definition,
		Text:          "A block's immediately dependent blocks are the block its DependentBlockList points to and every block reached from that one through NextBlock links, directly or in a chain.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "Not deeper layers: Path1's TCP2 failure does not make Neighbor1 partial in the worked example; Path2 (next of Path1) does.",
	})

	// InitiateSuccessCondition: when SUCCESS is right.
	InitiateSuccessCondition = Define(Rule{
		ID:            "INIT-044",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_SUCCESS on a block exactly when it offloaded the block's own state and the state of every immediately dependent block.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete, pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-10",
		Note:          "A block without dependents whose state was offloaded gets SUCCESS (TCP1 in the example). Placeholders: CONFLICT-INIT-10; linkers: CONFLICT-INIT-11.",
	})

	// InitiatePartialSuccessCondition: when OFFLOAD_PARTIAL_SUCCESS is right.
	InitiatePartialSuccessCondition = Define(Rule{
		ID:            "INIT-045",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS on a block exactly when it offloaded the block's own state but not that of one or more immediately dependent blocks.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete, pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-01",
		Note:          "Example: Neighbor1 (Path2 failed) and Path1 (TCP2 failed) are partial. Linker whose dependents all failed: CONFLICT-INIT-11.",
	})

	// InitiateFailureStatusMeansNotOffloaded: every other status is a failure.
	InitiateFailureStatusMeansNotOffloaded = Define(Rule{
		ID:            "INIT-046",
		Level:         Definition,
		Text:          "On a block that carried new state, any initiate status other than SUCCESS and OFFLOAD_PARTIAL_SUCCESS means that state was not offloaded; the host keeps it as its own.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInit8021Q, pgInitPartial},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Note:          "The suite never queries, updates, invalidates or terminates an object it got a failure status for. Target-side consequences: INIT-009, INIT-030, INIT-031, SEND-045, SEND-046.",
	})

	// InitiateFailureCondition: FAILURE is for uncategorised causes.
	InitiateFailureCondition = Define(Rule{
		ID:            "INIT-047",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_FAILURE only on a block whose state it did not offload, for a cause that none of the more specific initiate statuses names.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-11",
		Note:          "Hence a categorised cause gets its own status (INIT-016, INIT-020, INIT-049..057). Buffered-data copy failure: CONFLICT-INIT-06. Skipped dependents are uncategorised (INIT-031).",
	})

	// InitiateResourcesCondition: RESOURCES means host memory.
	InitiateResourcesCondition = Define(Rule{
		ID:            "INIT-048",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_RESOURCES only on a block whose state it could not offload because it could not allocate enough host memory.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitPartial},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-07",
		Note:          "Checked against a declared bound on host-memory objects: within it no block gets RESOURCES, and the first block past it (no other declared limit reached) gets RESOURCES. Skipped when the bound is undeclared.",
	})

	// InitiateTCPEntriesCondition: no TCP connection state object.
	InitiateTCPEntriesCondition = Define(Rule{
		ID:            "INIT-049",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_TCP_ENTRIES on a TCP block exactly when it could not offload it for lack of a TCP connection state object.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-INIT-07",
		Note:          "The layer follows from the cause. TCP entries, transmit buffers and receive buffers all bound the connections offloaded at once, so only the smallest declared one can be exceeded: the suite offloads one connection past it and requires this status when TCP entries are that bound, and its absence otherwise (the target still had state objects).",
	})

	// InitiatePathEntriesCondition: no path state object.
	InitiatePathEntriesCondition = Define(Rule{
		ID:            "INIT-050",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_PATH_ENTRIES on a path block exactly when it could not offload it for lack of a path state object.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerPath},
		Conflict:      "CONFLICT-INIT-07",
		Note:          "The layer follows from the cause. Provoked by exceeding the declared path capacity.",
	})

	// InitiateNeighborEntriesCondition: no neighbor state object.
	InitiateNeighborEntriesCondition = Define(Rule{
		ID:            "INIT-051",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES on a neighbor block exactly when it could not offload it for lack of a neighbor state object.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-INIT-07",
		Note:          "The layer follows from the cause. Provoked by exceeding the declared neighbor capacity.",
	})

	// InitiateHwAddressEntriesCondition: source MAC not configurable or table full.
	InitiateHwAddressEntriesCondition = Define(Rule{
		ID:            "INIT-052",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES on a neighbor block exactly when its DlSourceAddress is non-NULL and the target cannot use configurable source MACs or take one more.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerNeighbor},
		Note:          "DlSourceAddress of NEIGHBOR_OFFLOAD_STATE_CONST. Never for a NULL DlSourceAddress.",
	})

	// InitiateIPAddressEntriesCondition: no room for the source IP address.
	InitiateIPAddressEntriesCondition = Define(Rule{
		ID:            "INIT-053",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES on a path block exactly when it could not allocate a structure for the source IP address PATH_OFFLOAD_STATE_CONST.SourceAddress points to.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerPath},
		Conflict:      "CONFLICT-INIT-07",
		Note:          "Provoked by more distinct source addresses than the declared source IP address entries.",
	})

	// InitiateTCPXmitBufferCondition: not enough transmit buffers.
	InitiateTCPXmitBufferCondition = Define(Rule{
		ID:            "INIT-054",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER on a TCP block exactly when it could not offload it for lack of enough TCP transmit buffers.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-INIT-07",
		Note:          "Provoked against the declared transmit buffer limit; when another connection bound is smaller, the suite requires the status to be absent (see INIT-049).",
	})

	// InitiateTCPRcvBufferCondition: not enough receive buffers.
	InitiateTCPRcvBufferCondition = Define(Rule{
		ID:            "INIT-055",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER on a TCP block exactly when it could not offload it for lack of enough TCP receive buffers.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-INIT-07",
		Note:          "Provoked against the declared receive buffer limit; when another connection bound is smaller, the suite requires the status to be absent (see INIT-049).",
	})

	// InitiateTCPRcvWindowCondition: InitialRcvWnd too large.
	InitiateTCPRcvWindowCondition = Define(Rule{
		ID:            "INIT-056",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW on a TCP block exactly when TCP_OFFLOAD_STATE_CACHED.InitialRcvWnd is larger than the target supports.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Provoked with InitialRcvWnd one above the declared largest value.",
	})

	// InitiatePathMTUCondition: path MTU too large.
	InitiatePathMTUCondition = Define(Rule{
		ID:            "INIT-057",
		Level:         Must,
		Text:          "The target writes NDIS_STATUS_OFFLOAD_PATH_MTU exactly when the path MTU of the TCP connection is larger than the target supports.",
		Sources:       []string{pgInitStatus, pgInitBlockList, pgInitComplete, pgInitProtoBlocks},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerPath, LayerTCP},
		Conflict:      "CONFLICT-INIT-03",
		Note:          "PathMtu lives in PATH_OFFLOAD_STATE_CACHED while the page speaks of the TCP connection: the suite accepts it on the path block or on TCP blocks below it. Provoked with PathMtu one above the declared largest; OFFLOAD_PATH_MTU and FAILURE are both accepted (CONFLICT-INIT-03).",
	})

	// InitiateConnectionRejected: the target may turn a connection down.
	InitiateConnectionRejected = Define(Rule{
		ID:            "INIT-058",
		Level:         May,
		Text:          "The target may fail a TCP block with NDIS_STATUS_OFFLOAD_CONNECTION_REJECTED when it judges the connection a poor candidate for offload; the status concerns connections only.",
		Sources:       []string{pgInitStatus},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-INIT-02",
		Note:          "The judgement is the target's; the host checks that the status appears only on TCP blocks and that such a block was not offloaded.",
	})

	// InitiateKeepsReceivingDuringOffload: offloaded connections do not stall.
	InitiateKeepsReceivingDuringOffload = Define(Rule{
		ID:            "INIT-059",
		Level:         Must,
		Text:          "While an initiate is in progress, the target goes on receiving segments on connections already offloaded and indicating their receive data.",
		Sources:       []string{pgInitEvents},
		Observability: NeedsWire,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Only frames and receive indications show it.",
	})
)

var (
	ConflictInitPartialSuccessName = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-01",
		Pages:   []string{pgInitComplete, pgInitRoles, pgInitBlockList, pgInitStatus, pgInitPartial},
		Summary: "The NdisMInitiateOffloadComplete page (and the placeholders page) call the partial status NDIS_STATUS_PARTIAL_SUCCESS, which no header defines; the block-list page, the status page and the partial-offload example call it NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS.",
		Reading: "One status: NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS = 0x40020004 (informational severity, so NT_SUCCESS is true; the suite compares exact values).",
	})

	ConflictInitStatusLists = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-02",
		Pages:   []string{pgInitComplete, pgInitBlockList, pgInitProtoBlocks, pgInitStatus},
		Summary: "The NdisMInitiateOffloadComplete page lists 14 initiate statuses, without OFFLOAD_VLAN_MISMATCH and OFFLOAD_CONNECTION_REJECTED; both block-list pages list 15, without CONNECTION_REJECTED; the status concept page lists all 16.",
		Reading: "The union of the lists is allowed. CONNECTION_REJECTED (0xC0231012, NDIS 6.20 and later) is accepted on TCP blocks.",
	})

	ConflictInitPathMTUValue = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-03",
		Pages:   []string{pgInitComplete, pgInitBlockList, pgInitProtoBlocks, pgInitStatus},
		Summary: "All four pages list NDIS_STATUS_OFFLOAD_PATH_MTU as an initiate status, but no header defines a value for it, so a real target cannot write it.",
		Reading: "For the path-MTU cause (INIT-057) the suite accepts NDIS_STATUS_FAILURE or NDIS_STATUS_OFFLOAD_PATH_MTU under the value it assigns privately (0xC02310FF, which the reference target writes); no switch, since both are accepted.",
		Switch:  "",
	})

	ConflictInit8021QNames = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-04",
		Pages:   []string{pgInit8021Q, pgInitStatus, pgInitBlockList, pgInitComplete},
		Summary: "The 802.1Q page names the statuses NDIS_STATUS_OFFLOAD_VLAN_TAG_ENTRIES and NDIS_STATUS_VLAN_MISMATCH; the DDI and status pages name them NDIS_STATUS_OFFLOAD_VLAN_ENTRIES and NDIS_STATUS_OFFLOAD_VLAN_MISMATCH; only the latter exist in headers.",
		Reading: "Same statuses: OFFLOAD_VLAN_ENTRIES = 0xC0231009, OFFLOAD_VLAN_MISMATCH = 0xC023100D.",
	})

	ConflictInitVlanMismatchUntagged = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-05",
		Pages:   []string{pgInit8021Q, pgInitStatus, pgInitBlockList},
		Summary: "The status and block-list pages define VLAN_MISMATCH as a non-zero neighbor VlanId matching none of the interface VLAN IDs, with no qualifier; the 802.1Q page forbids failing because of the neighbor VlanId when the interface VLAN ID is zero (no VLANs configured), whatever that VlanId is.",
		Reading: "The explicit 802.1Q rule wins: an interface VLAN ID of zero means no VLAN IDs are configured, so there is nothing to mismatch; VLAN_MISMATCH is required only when the interface has VLAN IDs and the non-zero VlanId is not among them, and is wrong on an untagged interface.",
	})

	ConflictInitBufferedCopyStatus = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-06",
		Pages:   []string{pgInitBuffered, pgInitStatus, pgInitBlockList},
		Summary: "The buffered-receive page says a target that cannot allocate memory for its copy of BufferedData fails the block with NDIS_STATUS_FAILURE; the status pages reserve FAILURE for uncategorised causes and define RESOURCES as failure to allocate sufficient host memory.",
		Reading: "For that cause both FAILURE and RESOURCES are accepted. The case cannot be provoked by the host, so no spec depends on it.",
	})

	ConflictInitResourceConstraint = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-07",
		Pages:   []string{pgInitPartial, pgInitStatus, pgInitBlockList},
		Summary: "The partial-offload example gives NDIS_STATUS_RESOURCES for TCP2, failed 'because of a resource constraint' (figure legend: failure because of resource constraint); the status pages narrow RESOURCES to host memory and give TCP/PATH/NEIGHBOR/IP_ADDRESS_ENTRIES and TCP_XMIT/RCV_BUFFER for specific resources.",
		Reading: "Default: RESOURCES means host memory; when the suite exceeds a declared limit (entries, buffers) it requires the specific status. With the switch, RESOURCES is also accepted for those causes, since a target may run out of host memory at the same point.",
		Switch:  "acceptResourcesForEntryLimits",
	})

	ConflictInitRootFailureScope = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-08",
		Pages:   []string{pgInitPartial, pgInitTraverse},
		Summary: "The partial-offload page says that if the root block list cannot be offloaded the target stops traversing the tree; taken literally, a failed root ends the whole traversal, next-linked top-level blocks included. Its own example shows a non-root failure (Path2) stopping only that block's subtree and another (TCP2) not stopping anything, and the traversal page aims at offloading as many connections as possible.",
		Reading: "Default (rootFailureStopsWholeTree on), the page's own words: a root whose state cannot be offloaded (a new offload at the block OffloadBlockList points to) ends the traversal; every other block must carry a failure status and have no context written. A failure anywhere else skips only its dependent subtree (INIT-030, INIT-032). With the switch off, 'root' is read as the root of the failed block's subtree: a failed root skips only its dependent subtree and the target still attempts the next-linked top-level blocks. A linker or placeholder root carries no state of its own, and the first block of a lower level is no root, under either reading.",
		Switch:  "rootFailureStopsWholeTree",
	})

	ConflictInitFailureFigure = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-09",
		Pages:   []string{pgInitPartial},
		Summary: "failure-case.png numbers the steps Neighbor1 1, Path1 2, TCP1 3, Path2 4 and leaves TCP2 unnumbered, and marks TCP3 'X = no attempt to offload'; the text lists TCP2 as step 4 and Path2 as step 5, and the table gives TCP3 NDIS_STATUS_FAILURE.",
		Reading: "The text's order (TCP2 before Path2, as depth-first/breadth-next demands) holds. TCP3 is not attempted and its Status is NDIS_STATUS_FAILURE: the two are compatible.",
	})

	ConflictInitPlaceholderStatus = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-10",
		Pages:   []string{pgInitRoles, pgInitStatus, pgInitBlockList},
		Summary: "The placeholders page says a placeholder always gets NDIS_STATUS_SUCCESS; the status pages give SUCCESS only when every immediately dependent block was offloaded and PARTIAL_SUCCESS when one or more was not.",
		Reading: "Default: a placeholder always gets SUCCESS, whatever its dependents did. With the switch, a placeholder's status follows its immediately dependent blocks like any other block's (SUCCESS or OFFLOAD_PARTIAL_SUCCESS).",
		Switch:  "placeholderStatusFollowsDependents",
	})

	ConflictInitLinkerAllFailed = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-11",
		Pages:   []string{pgInitRoles, pgInitStatus, pgInitBlockList},
		Summary: "The placeholders page gives a linker SUCCESS if all dependents were offloaded, PARTIAL_SUCCESS if one or more failed, and FAILURE if all failed; the status pages reserve FAILURE for a block whose own state was not offloaded and give PARTIAL_SUCCESS whenever one or more immediately dependent blocks failed, which includes all of them.",
		Reading: "Default: the linker-specific table holds; a linker whose immediately dependent blocks all failed gets NDIS_STATUS_FAILURE, one with some (not all) failed gets OFFLOAD_PARTIAL_SUCCESS. With the switch, it gets OFFLOAD_PARTIAL_SUCCESS in both cases.",
		Switch:  "linkerAllDependentsFailedPartialSuccess",
	})

	ConflictReceiveIndicationsDuringOffload = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-12",
		Pages:   []string{pgInitEvents},
		Summary: "The processing-events page requires the target to keep receiving and indicating receive segments while an offload is in progress, then recommends not calling NdisTcpOffloadReceiveHandler (or the status and event indications) while an offload is in progress.",
		Reading: "The duty (INIT-059) holds for connections already offloaded; the recommendation (INIT-042) is a SHOULD that yields to it, and INIT-038 (nothing for the connections of the pending initiate) is the hard limit. No switch: both rules need the data path.",
	})

	ConflictInitPathFailureScope = DefineConflict(Conflict{
		ID:      "CONFLICT-INIT-13",
		Pages:   []string{pgInitPartial, pgInitTraverse},
		Summary: "Step 6 of the partial-offload example says that once Path2 fails the target 'stops traversing the state tree' and does not attempt TCP3; taken literally, a failed path ends the whole traversal. The note that follows singles out a failed root as the case that stops the traversal, step 4 to 5 shows the traversal going on after a failed block (TCP2), and the traversal page orders the tree so that as many connections as possible are offloaded. Path2 is the last top-level block of the example, so it cannot settle the question.",
		Reading: "Default: a failed path or neighbor that is not the root ends only the traversal of its own dependent subtree (TCP3 in the example); the target still attempts the blocks after it (INIT-032). With the switch, it ends the whole traversal: every block after it in depth-first/breadth-next order must carry a failure status and have no context written.",
		Switch:  "pathOrNeighborFailureStopsWholeTree",
	})
)

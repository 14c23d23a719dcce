// Rules of terminate offload: MiniportTerminateOffload and NdisMTerminateOffloadComplete, the terminate statuses, who starts a terminate and in which order, and what the target does with traffic and resources while and after an object is uploaded.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	termPgHandler   = "ddi/nc-ndischimney-w_terminate_offload_handler.md"
	termPgComplete  = "ddi/nf-ndischimney-ndismterminateoffloadcomplete.md"
	termPgBuffered  = "concepts/handling-buffered-receive-data-during-a-terminate-offload-operation.md"
	termPgSegments  = "concepts/handling-segments-received-during-a-terminate-offload-operation.md"
	termPgSends     = "concepts/handling-send-requests-during-a-terminate-offload-operation.md"
	termPgStatus    = "concepts/returning-the-completion-status-of-a-terminate-offload-operation.md"
	termPgByHost    = "concepts/terminate-offload-initiated-by-the-host-stack.md"
	termPgByTarget  = "concepts/terminate-offload-requested-by-an-offload-target.md"
	termPgSequence  = "concepts/terminate-offload-sequence.md"
	termPgSection   = "concepts/terminating-offload-state.md"
	termPgResources = "concepts/terminating-the-offload-of-a-connection-because-of-resource-constraint.md"
	termPgBlockList = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
)

// TERM: the handler and its completion contract.
var (
	// TerminateHandlerParameters: what MiniportTerminateOffload is given.
	TerminateHandlerParameters = Define(Rule{
		ID:            "TERM-001",
		Level:         Definition,
		Text:          "NDIS calls MiniportTerminateOffload with MiniportAdapterContext (set by NdisMSetMiniportAttributes in MiniportInitializeEx) and OffloadBlockList, an in-out tree naming the objects to terminate.",
		Sources:       []string{termPgHandler, termPgSequence},
		Observability: Internal,
		Ops:           []string{OpTerminate},
		Note:          "The Go contract binds a target to its adapter at Open and passes no adapter context; only the tree argument is modelled.",
	})

	// TerminateHandlerReturnsBeforeCompletion: the completion is always asynchronous.
	TerminateHandlerReturnsBeforeCompletion = Define(Rule{
		ID:            "TERM-002",
		Level:         Must,
		Text:          "MiniportTerminateOffload keeps the OffloadBlockList pointer and returns; the target always completes the terminate later, never calling NdisMTerminateOffloadComplete before the handler returns.",
		Sources:       []string{termPgHandler},
		Observability: Observable,
		Ops:           []string{OpTerminate},
	})

	// TerminateTreeStandAloneOrRoot: the two forms a terminate tree takes.
	TerminateTreeStandAloneOrRoot = Define(Rule{
		ID:            "TERM-003",
		Level:         Definition,
		Text:          "The OffloadBlockList given to MiniportTerminateOffload is either one stand-alone block or the root of an offload state tree of several blocks; the target handles both forms.",
		Sources:       []string{termPgHandler, termPgSequence},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Note:          "Checked by terminating a one-block tree and a multi-level tree with NextBlock siblings; each completes with a legal status in every block.",
	})

	// HostKeepsTerminateTreeValid: the tree lives until the completion.
	HostKeepsTerminateTreeValid = Define(Rule{
		ID:            "TERM-004",
		Level:         Must,
		Text:          "The host keeps every block of a terminate tree and the delegated structures after them valid from the MiniportTerminateOffload call until NdisMTerminateOffloadComplete.",
		Sources:       []string{termPgHandler},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
	})

	// TargetLeavesTerminateTreeAfterCompletion: the tree is not valid after the completion.
	TargetLeavesTerminateTreeAfterCompletion = Define(Rule{
		ID:            "TERM-005",
		Level:         MustNot,
		Text:          "Once it has called NdisMTerminateOffloadComplete, the target no longer writes the terminate tree's blocks or the delegated structures after them.",
		Sources:       []string{termPgHandler},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Note:          "The tree is valid only until the completion. Writes are detectable by snapshotting at completion and comparing later; late reads are not visible.",
	})

	// TerminateTreeCarriesDelegatedState: what follows a terminate block.
	TerminateTreeCarriesDelegatedState = Define(Rule{
		ID:            "TERM-006",
		Level:         Definition,
		Text:          "In a terminate tree a block may be followed in memory by the host-supplied XXX_OFFLOAD_STATE_DELEGATED structure of its layer, into which the target copies the object's delegated values.",
		Sources:       []string{termPgHandler, termPgSequence, termPgBlockList},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Note:          "The suite lays out each naming block with its delegated structure. That the target fills it is STATE-022; no constant or cached state goes back (STATE-008).",
	})

	// HostTerminatesOnlyQuiescedConnections: preconditions of a TCP terminate.
	HostTerminatesOnlyQuiescedConnections = Define(Rule{
		ID:            "TERM-007",
		Level:         MustNot,
		Text:          "The host does not terminate a TCP connection until every invalidate, query and update of it has completed and every receive and disconnect call on it has returned.",
		Sources:       []string{termPgHandler},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "The suite terminates a connection only after its other operations have completed.",
	})

	// TerminateAnyIRQL: IRQL of the handler and the completion.
	TerminateAnyIRQL = Define(Rule{
		ID:            "TERM-008",
		Level:         Definition,
		Text:          "MiniportTerminateOffload can be called, and NdisMTerminateOffloadComplete can be called, at any IRQL.",
		Sources:       []string{termPgHandler, termPgComplete},
		Observability: Internal,
		Ops:           []string{OpTerminate},
		Note:          "IRQL has no counterpart in the Go contract.",
	})

	// TerminateCompleteMiniportHandle: the first argument of the completion.
	TerminateCompleteMiniportHandle = Define(Rule{
		ID:            "TERM-009",
		Level:         Definition,
		Text:          "The target passes NdisMTerminateOffloadComplete, as NdisMiniportHandle, the handle it obtained from its earlier NdisMRegisterMiniportDriver call.",
		Sources:       []string{termPgComplete},
		Observability: Internal,
		Ops:           []string{OpTerminate},
		Note:          "The Go Host.NdisMTerminateOffloadComplete takes no handle; not checkable until the contract carries one.",
	})

	// TerminateCompletionSamePointer: the same tree comes back.
	TerminateCompletionSamePointer = Define(Rule{
		ID:            "TERM-010",
		Level:         Must,
		Text:          "The target passes NdisMTerminateOffloadComplete the very OffloadBlockList pointer that MiniportTerminateOffload received, returning the blocks and their delegated structures.",
		Sources:       []string{termPgComplete, termPgSequence},
		Observability: Observable,
		Ops:           []string{OpTerminate},
	})

	// TerminateCompletesExactlyOnce: one NdisMTerminateOffloadComplete per terminate.
	TerminateCompletesExactlyOnce = Define(Rule{
		ID:            "TERM-011",
		Level:         Must,
		Text:          "The target completes every terminate it is given by exactly one call to NdisMTerminateOffloadComplete (not by another operation's completion function).",
		Sources:       []string{termPgHandler, termPgComplete, termPgSequence},
		Observability: Observable,
		Ops:           []string{OpTerminate},
	})

	// TerminateStatusInEveryBlock: no block is left without a status.
	TerminateStatusInEveryBlock = Define(Rule{
		ID:            "TERM-012",
		Level:         Must,
		Text:          "Before calling NdisMTerminateOffloadComplete, the target writes a Status into every block of the terminate tree, placeholders included.",
		Sources:       []string{termPgComplete, termPgStatus, termPgSequence, termPgBlockList},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Note:          "Checked by seeding every Status with a sentinel that is no NDIS_STATUS value.",
	})

	// TerminateStatusSuccessOrFailure: the only two allowed values.
	TerminateStatusSuccessOrFailure = Define(Rule{
		ID:            "TERM-013",
		Level:         Must,
		Text:          "Each Status of a terminate tree is NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE; OFFLOAD_PARTIAL_SUCCESS, NDIS_STATUS_RESOURCES and every NDIS_STATUS_OFFLOAD_* value are not allowed.",
		Sources:       []string{termPgComplete, termPgStatus, termPgSequence, termPgBlockList},
		Observability: Observable,
		Ops:           []string{OpTerminate},
	})

	// TerminateSuccessMeaning: what SUCCESS on a block says.
	TerminateSuccessMeaning = Define(Rule{
		ID:            "TERM-014",
		Level:         Definition,
		Text:          "NDIS_STATUS_SUCCESS on a terminate block means the target terminated that object's offload and, if a delegated structure follows the block, wrote the object's delegated values into it.",
		Sources:       []string{termPgComplete, termPgStatus, termPgBlockList},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Note:          "Checked per block: a SUCCESS block whose delegated structure was pre-filled with a sentinel must have every delegated field written. STATE-022 holds the values themselves.",
	})

	// TerminateFailureMeaning: what FAILURE on a block says.
	TerminateFailureMeaning = Define(Rule{
		ID:            "TERM-015",
		Level:         Definition,
		Text:          "NDIS_STATUS_FAILURE on a terminate block means the terminate did not succeed because a catastrophic failure (the hardware may not respond) lost the object's state.",
		Sources:       []string{termPgComplete, termPgStatus, termPgBlockList},
		Observability: Internal,
		Ops:           []string{OpTerminate},
		Note:          "A catastrophic failure is neither visible to nor provokable by the host, so FAILURE is accepted as legal whenever it appears (TERM-013).",
	})

	// HostMayAbortAfterTerminateFailure: the host's reaction to FAILURE.
	HostMayAbortAfterTerminateFailure = Define(Rule{
		ID:            "TERM-016",
		Level:         May,
		Text:          "After a terminate block comes back with NDIS_STATUS_FAILURE, the host may have to abort the connection.",
		Sources:       []string{termPgComplete},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
	})

	// TerminateCompletesOutstandingStateOps: query/update/invalidate first.
	TerminateCompletesOutstandingStateOps = Define(Rule{
		ID:            "TERM-017",
		Level:         Must,
		Text:          "Before calling NdisMTerminateOffloadComplete, the target completes every outstanding MiniportInvalidateOffload, MiniportQueryOffload and MiniportUpdateOffload call.",
		Sources:       []string{termPgComplete},
		Observability: Observable,
		Ops:           []string{OpTerminate, OpQuery, OpUpdate, OpInvalidate},
		Note:          "Checked on a neighbor object (the host's TERM-007 wait binds only for TCP connections): a query, update or invalidate begun before the terminate must complete before the terminate does.",
	})

	// TerminateCompletesOutstandingDataCalls: send/receive/disconnect/forward first.
	TerminateCompletesOutstandingDataCalls = Define(Rule{
		ID:            "TERM-018",
		Level:         Must,
		Text:          "Before calling NdisMTerminateOffloadComplete, the target completes every outstanding MiniportTcpOffloadReceive, Disconnect and Forward call, and returns every outstanding send, completed or handed back in NetBufferListChain.",
		Sources:       []string{termPgComplete},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Note:          "These requests are posted through the data path. Outstanding send data handed back at terminate: SEND-007/008. Judged on every data-path call of the wire specs (suites/wire).",
		Conflict:      "CONFLICT-TERM-03",
	})

	// TerminateWaitsForIndications: indications have returned first.
	TerminateWaitsForIndications = Define(Rule{
		ID:            "TERM-019",
		Level:         Must,
		Text:          "Before calling NdisMTerminateOffloadComplete, the target ensures its NdisMIndicateStatusEx, NdisMOffloadEventIndicate, NdisTcpOffloadEventHandler and NdisTcpOffloadReceiveHandler calls have returned.",
		Sources:       []string{termPgComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Note:          "Indications are not part of the contract yet.",
	})

	// TerminateFreesResources: resources of terminated objects are released.
	TerminateFreesResources = Define(Rule{
		ID:            "TERM-020",
		Level:         Must,
		Text:          "After completing a terminate, the target frees every resource (memory, entries) of the terminated objects, so they no longer count against its offload capacity.",
		Sources:       []string{termPgComplete, termPgSequence},
		Observability: Observable,
		Ops:           []string{OpTerminate, OpInitiate},
		Note:          "Memory itself is internal. Checked through the declared limits: after offloading as many connections as they allow and terminating everything, offloading as many again gets no resource status (TCP/path/neighbor entries, transmit/receive buffers, NDIS_STATUS_RESOURCES).",
	})
)

// TERM: receive and send traffic while a connection is being terminated.
var (
	// BufferedReceiveDataDeliveryAlgorithm: indicate processed receive data.
	BufferedReceiveDataDeliveryAlgorithm = Define(Rule{
		ID:            "TERM-021",
		Level:         Should,
		Text:          "The target indicates receive data it has taken off the wire, processed and acknowledged on a connection being uploaded to the host with the delivery algorithm.",
		Sources:       []string{termPgBuffered, termPgComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Receive indications are not part of the contract yet.",
	})

	// TerminateMayReturnBufferedData: buffered data in the delegated state.
	TerminateMayReturnBufferedData = Define(Rule{
		ID:            "TERM-022",
		Level:         May,
		Text:          "The target may return such receive data at terminate through BufferedData of TCP_OFFLOAD_STATE_DELEGATED, pointing to a linked list of NET_BUFFER_LISTs holding the data.",
		Sources:       []string{termPgBuffered},
		Observability: Permission,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "A choice; the member itself is STATE-067. Without the receive-return contract the suite accepts BufferedData NULL or a list.",
	})

	// HostConsumesBufferedData: the host copies and NDIS returns the lists.
	HostConsumesBufferedData = Define(Rule{
		ID:            "TERM-023",
		Level:         Definition,
		Text:          "The host copies returned buffered data into its own buffers and indicates it to the application; NDIS returns the NET_BUFFER_LISTs to MiniportTcpOffloadReceiveReturn.",
		Sources:       []string{termPgBuffered},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
	})

	// BufferedDataOwnershipReleased: the target gives up the lists until they are returned.
	BufferedDataOwnershipReleased = Define(Rule{
		ID:            "TERM-024",
		Level:         MustNot,
		Text:          "The target does not touch the NET_BUFFER_LISTs it passed up in BufferedData until they come back to its MiniportTcpOffloadReceiveReturn.",
		Sources:       []string{termPgBuffered},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Ownership ends at MiniportTcpOffloadReceiveReturn, which the contract does not carry.",
	})

	// SegmentsDuringTerminateIndicatedUnprocessed: hand segments to the non-offload path.
	SegmentsDuringTerminateIndicatedUnprocessed = Define(Rule{
		ID:            "TERM-025",
		Level:         Should,
		Text:          "The target does not process segments received on a connection being terminated; it indicates them through NdisMIndicateReceiveNetBufferLists instead.",
		Sources:       []string{termPgSegments},
		Observability: NeedsWire,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Needs injected frames and the non-offload receive path.",
	})

	// HostDoesNotForwardTerminateSegments: the host keeps them.
	HostDoesNotForwardTerminateSegments = Define(Rule{
		ID:            "TERM-026",
		Level:         MustNot,
		Text:          "The host does not forward receive data indicated during a terminate back to the target.",
		Sources:       []string{termPgSegments},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
	})

	// SegmentsAfterTerminateIndicatedUnprocessed: after the terminate.
	SegmentsAfterTerminateIndicatedUnprocessed = Define(Rule{
		ID:            "TERM-027",
		Level:         Must,
		Text:          "After a connection's offload is terminated, the target keeps indicating its received segments through the non-offload NDIS receive interface.",
		Sources:       []string{termPgSegments},
		Observability: NeedsWire,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Needs injected frames and the non-offload receive path.",
	})

	// TerminateSendsDelayedAcks: delayed ACKs go out before the completion.
	TerminateSendsDelayedAcks = Define(Rule{
		ID:            "TERM-028",
		Level:         Must,
		Text:          "Before completing a terminate, the target sends every delayed acknowledgment of the connection to the remote host.",
		Sources:       []string{termPgSegments},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Judged at every terminate of a wire spec: the RcvNxt returned must have been acknowledged on the wire (suites/wire/judges.go).",
	})

	// TerminateDropsSackOnlySegments: unacknowledged segments are dropped.
	TerminateDropsSackOnlySegments = Define(Rule{
		ID:            "TERM-029",
		Level:         Should,
		Text:          "A target supporting SACK drops, at terminate, the received segments it has not acknowledged with a cumulative TCP ACK (a SACK alone does not count).",
		Sources:       []string{termPgSegments},
		Observability: NeedsWire,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Needs injected out-of-order segments and the wire.",
	})

	// TerminateHidesSackData: SACKed data is neither indicated nor acknowledged.
	TerminateHidesSackData = Define(Rule{
		ID:            "TERM-030",
		Level:         ShouldNot,
		Text:          "A target supporting SACK neither indicates the data it only SACKed to the host nor acknowledges it to the remote host at terminate.",
		Sources:       []string{termPgSegments},
		Observability: NeedsWire,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Needs injected out-of-order segments, the wire and receive indications.",
	})

	// TerminatePendingSendsUploadInProgress: sends completed before the upload request.
	TerminatePendingSendsUploadInProgress = Define(Rule{
		ID:            "TERM-031",
		Level:         Must,
		Text:          "A target preparing to terminate a connection that has not yet indicated the upload request completes its send requests via NdisTcpOffloadSendComplete with NDIS_STATUS_UPLOAD_IN_PROGRESS in each NBL not fully acknowledged.",
		Sources:       []string{termPgSends},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-TERM-04",
		Note:          "Send requests and upload-request indications are data path; the status condition in general is SEND-029.",
	})

	// HostStopsRequestsAfterTerminate: no new sends/receives after NdisTerminateOffload.
	HostStopsRequestsAfterTerminate = Define(Rule{
		ID:            "TERM-032",
		Level:         ShouldNot,
		Text:          "Once the host has called NdisTerminateOffload for a connection, it posts no more send or receive requests on it.",
		Sources:       []string{termPgSends},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
	})
)

// TERM: recovery from corrupt hardware state.
var (
	// TerminateCorruptCompleteWithFailure: recovery step 1.
	TerminateCorruptCompleteWithFailure = Define(Rule{
		ID:            "TERM-033",
		Level:         Must,
		Text:          "When corrupt hardware state prevents a terminate, the target first calls NdisMTerminateOffloadComplete with NDIS_STATUS_FAILURE.",
		Sources:       []string{termPgStatus},
		Observability: Internal,
		Ops:           []string{OpTerminate},
		Conflict:      "CONFLICT-TERM-01",
		Note:          "The host can neither corrupt nor see the hardware state; the completion itself is held to TERM-011/012/013.",
	})

	// TerminateCorruptIndicateRetrieveHardwareFailure: recovery step 2.
	TerminateCorruptIndicateRetrieveHardwareFailure = Define(Rule{
		ID:            "TERM-034",
		Level:         Must,
		Text:          "After failing a terminate for corrupt hardware state, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateRetrieve and EventSpecificInformation HardwareFailure.",
		Sources:       []string{termPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Conflict:      "CONFLICT-TERM-01",
		Note:          "An event indication.",
	})

	// TerminateCorruptIndicateAbort: recovery step 3.
	TerminateCorruptIndicateAbort = Define(Rule{
		ID:            "TERM-035",
		Level:         Must,
		Text:          "After the HardwareFailure retrieve indication, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateAbort.",
		Sources:       []string{termPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Conflict:      "CONFLICT-TERM-01",
		Note:          "An event indication.",
	})

	// TerminateCorruptAbortOutstandingRequests: recovery step 4.
	TerminateCorruptAbortOutstandingRequests = Define(Rule{
		ID:            "TERM-036",
		Level:         Must,
		Text:          "At the host's following MiniportTerminateOffload, the target completes each outstanding MiniportTcpOffloadSend/Receive request with NDIS_STATUS_REQUEST_ABORTED in every NET_BUFFER_LIST.",
		Sources:       []string{termPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Conflict:      "CONFLICT-TERM-01",
		Note:          "Outstanding send and receive requests are posted through the data path.",
	})

	// TerminateCorruptCompleteFollowingTerminate: recovery step 5.
	TerminateCorruptCompleteFollowingTerminate = Define(Rule{
		ID:            "TERM-037",
		Level:         Must,
		Text:          "After those steps the target completes the host's following terminate by calling NdisMTerminateOffloadComplete.",
		Sources:       []string{termPgStatus},
		Observability: Internal,
		Ops:           []string{OpTerminate},
		Conflict:      "CONFLICT-TERM-01",
		Note:          "Its trigger (corrupt hardware) cannot be provoked; every terminate the host makes is held to TERM-011 anyway.",
	})

	// TerminateCorruptRecoveryOrder: the five steps in order.
	TerminateCorruptRecoveryOrder = Define(Rule{
		ID:            "TERM-038",
		Level:         Must,
		Text:          "Recovery from a corrupt-hardware terminate runs in order: FAILURE completion, Retrieve/HardwareFailure, TcpIndicateAbort, aborted requests at the next terminate, its completion.",
		Sources:       []string{termPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Conflict:      "CONFLICT-TERM-01",
		Note:          "The order of completions against indications needs the indication interface.",
	})
)

// TERM: who starts a terminate and which objects it covers.
var (
	// TerminateAnyObjectOrCombination: any layer, alone or together.
	TerminateAnyObjectOrCombination = Define(Rule{
		ID:            "TERM-039",
		Level:         Must,
		Text:          "The target terminates the offload of any object it offloaded, neighbor, path or TCP connection, alone or in any combination in one terminate tree.",
		Sources:       []string{termPgByHost, termPgSection},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerNeighbor, LayerPath, LayerTCP},
		Note:          "The host may do so. Checked by terminating a TCP connection alone, then its path, then its neighbor, and by terminating whole trees at once: every block SUCCESS (FAILURE is for catastrophic loss only, TERM-015).",
	})

	// HostTerminatesDependentsFirst: dependents before what they depend on.
	HostTerminatesDependentsFirst = Define(Rule{
		ID:            "TERM-040",
		Level:         MustNot,
		Text:          "The host never terminates a neighbor or path object while dependent objects are still offloaded on it: it terminates them earlier or in the same terminate tree.",
		Sources:       []string{termPgByHost},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerNeighbor, LayerPath},
		Note:          "The host keeps a reference count of dependents per neighbor and path and terminates at zero; the suite terminates dependents first or together.",
	})

	// TerminateReasons: why a host terminates.
	TerminateReasons = Define(Rule{
		ID:            "TERM-041",
		Level:         Definition,
		Text:          "The host may terminate a connection's offload for any reason, e.g. to offload higher-priority connections, at a target's request, for low traffic, on media loss or on NetEventPause.",
		Sources:       []string{termPgByHost},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "The page says its list is not complete.",
	})

	// MediaLossIndicatedNotDecided: the host decides on link loss.
	MediaLossIndicatedNotDecided = Define(Rule{
		ID:            "TERM-042",
		Level:         ShouldNot,
		Text:          "On media disconnect the target indicates the event with NdisMIndicateStatusEx and leaves the decision to terminate offloads to the host; it does not decide itself.",
		Sources:       []string{termPgByHost},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Note:          "Link events and status indications are not part of the contract yet.",
	})

	// OnlyHostInitiatesTerminate: the target can only ask.
	OnlyHostInitiatesTerminate = Define(Rule{
		ID:            "TERM-043",
		Level:         MustNot,
		Text:          "Only the host starts a terminate: the target never uploads an offloaded object on its own, it can only ask the host to terminate TCP connections.",
		Sources:       []string{termPgSection, termPgByTarget},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Note:          "Checked: no NdisMTerminateOffloadComplete arrives before the host calls MiniportTerminateOffload, and the objects are still found (SUCCESS with their delegated state) when it does.",
	})

	// TargetMayRequestTerminate: request one or all connections.
	TargetMayRequestTerminate = Define(Rule{
		ID:            "TERM-044",
		Level:         May,
		Text:          "The target may ask the host to terminate the offload of one TCP connection or of all offloaded TCP connections, as often as it likes.",
		Sources:       []string{termPgByTarget, termPgSection, termPgSequence},
		Observability: Permission,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
	})

	// RequestTerminateOneConnection: how one connection is requested.
	RequestTerminateOneConnection = Define(Rule{
		ID:            "TERM-045",
		Level:         Must,
		Text:          "To ask for one connection's terminate, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateRetrieve and a TCP_UPLOAD_REASON in EventSpecificInformation, one connection per call.",
		Sources:       []string{termPgByTarget, termPgSequence},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "An event indication.",
	})

	// NoTerminateRequestForNeighborOrPath: only TCP connections can be requested.
	NoTerminateRequestForNeighborOrPath = Define(Rule{
		ID:            "TERM-046",
		Level:         MustNot,
		Text:          "The target cannot ask the host to terminate a neighbor or a path object.",
		Sources:       []string{termPgByTarget},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerNeighbor, LayerPath},
		Note:          "Requests are event indications.",
	})

	// HostAnswersTerminateRequest: the host terminates soon.
	HostAnswersTerminateRequest = Define(Rule{
		ID:            "TERM-047",
		Level:         Must,
		Text:          "When a target asks for a connection's terminate, the host calls MiniportTerminateOffload for it as soon as possible.",
		Sources:       []string{termPgByTarget},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
	})

	// TerminateInAnyConnectionState: comply whatever the state.
	TerminateInAnyConnectionState = Define(Rule{
		ID:            "TERM-048",
		Level:         Should,
		Text:          "The host may terminate a TCP connection whatever its state, and the target complies with the terminate if it can.",
		Sources:       []string{termPgByTarget},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Checked on connections offloaded in several TCP States: the terminate completes with SUCCESS on the TCP block. STATE-050 holds the weaker 'processes in every State'.",
	})

	// RequestTerminateAll: how all connections are requested, and resume.
	RequestTerminateAll = Define(Rule{
		ID:            "TERM-049",
		Level:         Must,
		Text:          "To ask for the terminate of all connections, the target indicates NDIS_STATUS_UPLOAD_ALL with NdisMIndicateStatusEx; afterwards it may indicate NDIS_STATUS_OFFLOAD_RESUME to allow new offloads.",
		Sources:       []string{termPgByTarget, termPgSequence},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Note:          "Status indications. The page names an 802.3ad intermediate driver failing over between NICs as a user.",
	})

	// TerminateSequenceStart: where the sequence starts without a request.
	TerminateSequenceStart = Define(Rule{
		ID:            "TERM-050",
		Level:         Definition,
		Text:          "A terminate requested by the target starts with its request; otherwise it starts with NDIS calling MiniportTerminateOffload.",
		Sources:       []string{termPgSequence},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
	})

	// TerminateUploadsObject: what a terminate is.
	TerminateUploadsObject = Define(Rule{
		ID:            "TERM-051",
		Level:         Definition,
		Text:          "Terminating an object's offload uploads it to the host; for a TCP connection this uploads the connection, which is not the same as closing it.",
		Sources:       []string{termPgSection},
		Observability: Internal,
		Ops:           []string{OpTerminate},
		Note:          "The visible effects are the returned delegated state (STATE-022, TERM-014) and freed capacity (TERM-020).",
	})

	// TerminateDoesNotClose: upload and close are independent.
	TerminateDoesNotClose = Define(Rule{
		ID:            "TERM-052",
		Level:         MustNot,
		Text:          "The target does not close a connection because its offload is terminated; the host may upload a connection and close it later, or close it and upload it later.",
		Sources:       []string{termPgSection},
		Observability: NeedsWire,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "A close shows as FIN or RST on the wire.",
	})

	// ResourceFailureRequestsTerminate: ask for upload when resources run out.
	ResourceFailureRequestsTerminate = Define(Rule{
		ID:            "TERM-053",
		Level:         Should,
		Text:          "A target that cannot allocate resources for an offloaded connection (e.g. NdisMAllocateNetBufferSGList fails) asks for its terminate with TcpIndicateRetrieve and UploadRequested.",
		Sources:       []string{termPgResources},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "An event indication, and the failure cannot be provoked through the contract.",
	})

	// RequestsBeforeResourceTerminateUploadInProgress: I/O until the terminate completes.
	RequestsBeforeResourceTerminateUploadInProgress = Define(Rule{
		ID:            "TERM-054",
		Level:         Should,
		Text:          "Until the terminate it asked for completes, the target completes disconnect, forward, receive, receive-return and send requests on the connection with NDIS_STATUS_UPLOAD_IN_PROGRESS.",
		Sources:       []string{termPgResources},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-09",
		Note:          "Data-path requests. MiniportTcpOffloadReceiveReturn has no completion and no status (CONFLICT-TERM-05): the target takes the lists back as usual.",
	})

	// HostTerminatesEmptiedParents: the other half of "dependents first".
	HostTerminatesEmptiedParents = Define(Rule{
		ID:            "TERM-055",
		Level:         Must,
		Text:          "Once every object depending on a neighbor or path has been terminated, the host terminates that neighbor or path as well.",
		Sources:       []string{termPgByHost},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Note:          "The suite terminates what it offloaded, dependents with or before their parents.",
	})
)

var (
	// ConflictTerminateCorruptRecovery: one terminate or two.
	ConflictTerminateCorruptRecovery = DefineConflict(Conflict{
		ID:      "CONFLICT-TERM-01",
		Pages:   []string{termPgStatus, termPgComplete},
		Summary: "The status page's corrupt-hardware steps complete the terminate with FAILURE (step 1), then wait for a further MiniportTerminateOffload (step 4) and complete again (step 5); the steps are copied from the query/invalidate pages, and the DDI page lists no such second terminate.",
		Reading: "A terminate is completed exactly once; after a FAILURE block the suite treats the object as gone and issues no second terminate. Steps 2-5 need the data path and are not checked.",
	})

	// ConflictFailureWithoutVisibleCause: what a FAILURE the host cannot explain proves.
	ConflictFailureWithoutVisibleCause = DefineConflict(Conflict{
		ID:      "CONFLICT-TERM-02",
		Pages:   []string{termPgStatus, termPgComplete, qryPgStatus, qryPgComplete, invPgStatus, invPgComplete},
		Summary: "The DDI pages list NDIS_STATUS_FAILURE among the allowed query, invalidate and terminate statuses without a condition; the status concept pages give it one cause only, corrupt hardware state or a catastrophic failure, which a host can neither provoke nor see. Neither says what a FAILURE on healthy objects, where the host created no such cause, means for the other rules.",
		Reading: "Default: in the suite's conditions no such cause exists, so a FAILURE where a spec needs the operation done counts against the rule that spec checks, and the message says so. With the switch, FAILURE is taken at its word and such specs skip. Update FAILURE has no stated cause (UPD-019) and always skips.",
		Switch:  "acceptFailureWithoutCause",
	})

	ConflictCompleteOrHandBackSends = DefineConflict(Conflict{
		ID:      "CONFLICT-TERM-03",
		Pages:   []string{termPgComplete, sendPgTerminate},
		Summary: "The NdisMTerminateOffloadComplete page first has the target complete every outstanding MiniportTcpOffloadSend before completing the terminate, then has it pass outstanding send data back in NetBufferListChain; the terminate send-data page lets it hand data back instead of completing it, or mix the two.",
		Reading: "By the terminate completion every send the target held is either completed through NdisTcpOffloadSendComplete or handed back, never both (SEND-008, SEND-009). No switch: the literal reading leaves the hand-back paragraph nothing to apply to.",
	})

	ConflictUploadInProgressOnAcknowledged = DefineConflict(Conflict{
		ID:      "CONFLICT-TERM-04",
		Pages:   []string{termPgSends, sendPgSendComplete},
		Summary: "The terminate send-requests page has the target write NDIS_STATUS_UPLOAD_IN_PROGRESS into each NBL it completes while preparing an upload; the send-complete page makes SUCCESS mean sent and acknowledged and any other status not acknowledged, so an acknowledged NBL completed with UPLOAD_IN_PROGRESS would be sent again.",
		Reading: "NBLs fully acknowledged complete with SUCCESS; UPLOAD_IN_PROGRESS goes into the others (TERM-031, SEND-029). No switch: resending acknowledged data is not a reasonable reading.",
	})

	ConflictReceiveReturnHasNoStatus = DefineConflict(Conflict{
		ID:      "CONFLICT-TERM-05",
		Pages:   []string{termPgResources, "ddi/nc-ndischimney-w_tcp_offload_receive_return_handler.md", "concepts/propagating-the-completion-of-an-i-o-operation.md"},
		Summary: "The resource-constraint page lists MiniportTcpOffloadReceiveReturn among the requests to complete with NDIS_STATUS_UPLOAD_IN_PROGRESS; the receive-return page and the I/O propagation page say that call only gives lists back, is never completed asynchronously and has no status.",
		Reading: "A receive return has nothing to complete; the target takes the lists back as always (TERM-054). No switch.",
	})
)

// Rules of invalidate offload: MiniportInvalidateOffload and NdisMInvalidateOffloadComplete, the invalidate tree, statuses and recovery, and what the target does and keeps after an object is invalidated.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	invPgHandler   = "ddi/nc-ndischimney-w_invalidate_offload_handler.md"
	invPgComplete  = "ddi/nf-ndischimney-ndisminvalidateoffloadcomplete.md"
	invPgHandling  = "concepts/handling-invalidated-state-objects.md"
	invPgSequence  = "concepts/invalidate-offload-sequence.md"
	invPgReasons   = "concepts/reasons-for-invalidating-offloaded-state-objects.md"
	invPgStatus    = "concepts/returning-the-completion-status-of-an-invalidate-operation.md"
	invPgBlockList = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	invPgRelink    = "concepts/linking-path-state-objects-to-a-new-neighbor-state-object.md"
)

// INV: the handler, the completion contract, statuses, recovery, and invalidated objects.
var (
	// InvalidateHandlerParameters: what MiniportInvalidateOffload is given.
	InvalidateHandlerParameters = Define(Rule{
		ID:            "INV-001",
		Level:         Definition,
		Text:          "NDIS calls MiniportInvalidateOffload with MiniportAdapterContext (as set by NdisMSetMiniportAttributes in MiniportInitializeEx) and OffloadBlockList, the tree naming the objects to invalidate.",
		Sources:       []string{invPgHandler, invPgSequence},
		Observability: Internal,
		Ops:           []string{OpInvalidate},
		Note:          "The Go contract binds a target to its adapter at Open and passes no adapter context; only the tree argument is modelled.",
	})

	// InvalidateNamesOffloadedObjects: an invalidate only concerns objects already offloaded.
	InvalidateNamesOffloadedObjects = Define(Rule{
		ID:            "INV-002",
		Level:         Must,
		Text:          "The host invalidates only state objects offloaded earlier: every non-placeholder block of an invalidate tree names an object the target offloaded and that has not been terminated.",
		Sources:       []string{invPgHandler, invPgSequence},
		Observability: HostObligation,
		Ops:           []string{OpInvalidate},
		Note:          "The suite puts in invalidate trees only contexts the target returned from a successful initiate and that it has not terminated.",
	})

	// InvalidateTreeStandAloneOrRoot: the two forms an invalidate tree takes.
	InvalidateTreeStandAloneOrRoot = Define(Rule{
		ID:            "INV-003",
		Level:         Definition,
		Text:          "The OffloadBlockList given to MiniportInvalidateOffload is either one stand-alone block or the root of an offload state tree; the target handles both forms.",
		Sources:       []string{invPgHandler, invPgSequence},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
		Note:          "The suite sends single-block invalidates and multi-level invalidate trees and applies the completion checks to each.",
	})

	// InvalidateHandlerReturnsBeforeCompletion: the completion is always asynchronous.
	InvalidateHandlerReturnsBeforeCompletion = Define(Rule{
		ID:            "INV-004",
		Level:         Must,
		Text:          "MiniportInvalidateOffload keeps the OffloadBlockList pointer and returns; the target always completes asynchronously, never calling NdisMInvalidateOffloadComplete before the handler returns.",
		Sources:       []string{invPgHandler, invPgSequence},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
	})

	// InvalidateCompletesExactlyOnce: one NdisMInvalidateOffloadComplete per invalidate.
	InvalidateCompletesExactlyOnce = Define(Rule{
		ID:            "INV-005",
		Level:         Must,
		Text:          "The target completes every invalidate it is given by exactly one call to NdisMInvalidateOffloadComplete (not by another operation's completion function).",
		Sources:       []string{invPgHandler, invPgComplete, invPgSequence, invPgBlockList},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
	})

	// InvalidateTreeHasNoStateStructures: only blocks in an invalidate tree.
	InvalidateTreeHasNoStateStructures = Define(Rule{
		ID:            "INV-006",
		Level:         Definition,
		Text:          "An invalidate tree consists of NDIS_MINIPORT_OFFLOAD_BLOCK_LIST structures only: no offload state structure follows any of its blocks in memory.",
		Sources:       []string{invPgHandler, invPgSequence},
		Observability: HostObligation,
		Ops:           []string{OpInvalidate},
		Note:          "The suite builds invalidate blocks with every state-structure member (NeighborConst .. TCPDelegated) nil.",
	})

	// InvalidateWritesNoState: the target has no state to write in an invalidate.
	InvalidateWritesNoState = Define(Rule{
		ID:            "INV-007",
		Level:         MustNot,
		Text:          "The target writes no offload state into an invalidate tree: the memory after each block holds no state structure and is not the target's to write.",
		Sources:       []string{invPgHandler, invPgSequence},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
		Note:          "In the Go model the structures after a block are its state-structure members: checked that all are still nil at completion. The block members the target may or must not touch are the tree rules'; an invalidate's only output is each block's Status.",
	})

	// InvalidateBlockReferencesObject: which blocks name an object to invalidate.
	InvalidateBlockReferencesObject = Define(Rule{
		ID:            "INV-008",
		Level:         Definition,
		Text:          "An invalidate block names an object when its MiniportOffloadContext is non-NULL: it points to a slot with the PVOID the target supplied at offload, referencing the object's context area.",
		Sources:       []string{invPgHandler, invPgSequence, invPgBlockList},
		Observability: HostObligation,
		Ops:           []string{OpInvalidate},
		Note:          "The handler page writes '*MiniportOffloadContext member'; read as the member itself, as on the sequence page. That the target acts on exactly the referenced object is the tree rule on PVOID references.",
	})

	// HostTerminatesInvalidatedObjects: invalidation is followed by terminate.
	HostTerminatesInvalidatedObjects = Define(Rule{
		ID:            "INV-009",
		Level:         Must,
		Text:          "The host eventually terminates the offload of every object it has invalidated.",
		Sources:       []string{invPgHandler, invPgHandling},
		Observability: HostObligation,
		Ops:           []string{OpInvalidate, OpTerminate},
		Note:          "The suite ends every invalidate scenario with a terminate of the invalidated objects (and of what depends on them).",
	})

	// TargetOwnsInvalidatedObject: ownership until the terminate.
	TargetOwnsInvalidatedObject = Define(Rule{
		ID:            "INV-010",
		Level:         Definition,
		Text:          "An invalidated object stays owned by the target until the host has terminated its offload.",
		Sources:       []string{invPgHandler, invPgHandling},
		Observability: Internal,
		Ops:           []string{OpInvalidate, OpTerminate},
		Note:          "Ownership is internal; its visible consequence is INV-011.",
	})

	// KeepInvalidatedObjectUntilTerminated: no freeing before the terminate.
	KeepInvalidatedObjectUntilTerminated = Define(Rule{
		ID:            "INV-011",
		Level:         MustNot,
		Text:          "The target does not free the resources of an invalidated object before the host has terminated that object's offload.",
		Sources:       []string{invPgHandler, invPgHandling},
		Observability: Observable,
		Ops:           []string{OpInvalidate, OpTerminate},
		Note:          "Freeing itself is internal; checked by invalidate, a query (so the target has acted on the invalidate), then terminate of the same objects: the terminate must find them, complete with SUCCESS and return their delegated state and any send data.",
	})

	// NoSendingOnInvalidatedState: the reason invalidation exists.
	NoSendingOnInvalidatedState = Define(Rule{
		ID:            "INV-012",
		Level:         MustNot,
		Text:          "After an invalidate, the target sends no data using an invalidated object, nor on any TCP connection that depends on an invalidated object.",
		Sources:       []string{invPgHandler, invPgReasons},
		Observability: NeedsWire,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-01",
		Note:          "Only frames show it (and send requests posted through the data path to provoke sending).",
	})

	// InvalidateCompleteMiniportHandle: the first argument of the completion.
	InvalidateCompleteMiniportHandle = Define(Rule{
		ID:            "INV-013",
		Level:         Definition,
		Text:          "The target passes NdisMInvalidateOffloadComplete, as NdisMiniportHandle, the handle it obtained from its earlier NdisMRegisterMiniportDriver call.",
		Sources:       []string{invPgComplete},
		Observability: Internal,
		Ops:           []string{OpInvalidate},
		Note:          "The Go Host.NdisMInvalidateOffloadComplete takes no handle; not checkable until the contract carries one.",
	})

	// InvalidateCompletionSamePointer: the same tree comes back.
	InvalidateCompletionSamePointer = Define(Rule{
		ID:            "INV-014",
		Level:         Must,
		Text:          "The target passes NdisMInvalidateOffloadComplete the very OffloadBlockList pointer that MiniportInvalidateOffload received, returning the whole tree to the host.",
		Sources:       []string{invPgComplete, invPgBlockList},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
	})

	// InvalidateStatusInEveryBlock: no block is left without a status.
	InvalidateStatusInEveryBlock = Define(Rule{
		ID:            "INV-015",
		Level:         Must,
		Text:          "Before calling NdisMInvalidateOffloadComplete, the target writes a Status into every block of the invalidate tree, placeholders included.",
		Sources:       []string{invPgComplete, invPgStatus, invPgBlockList},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
		Note:          "Checked by seeding every Status with a sentinel that is no NDIS_STATUS value.",
	})

	// InvalidateStatusSuccessOrFailure: the only two allowed values.
	InvalidateStatusSuccessOrFailure = Define(Rule{
		ID:            "INV-016",
		Level:         Must,
		Text:          "Each Status of an invalidate tree is NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE; OFFLOAD_PARTIAL_SUCCESS, NDIS_STATUS_RESOURCES and every other NDIS_STATUS_OFFLOAD_* value are not allowed.",
		Sources:       []string{invPgComplete, invPgStatus, invPgBlockList},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
	})

	// InvalidateSuccessMeaning: what SUCCESS on a block says.
	InvalidateSuccessMeaning = Define(Rule{
		ID:            "INV-017",
		Level:         Definition,
		Text:          "NDIS_STATUS_SUCCESS on a block of an invalidate tree means the target invalidated the object that block refers to.",
		Sources:       []string{invPgComplete, invPgStatus, invPgBlockList},
		Observability: NeedsWire,
		Ops:           []string{OpInvalidate},
		Note:          "What an invalidated object implies is INV-012 and INV-020..023 (wire and indications); its state-side consequence, INV-011, is checked.",
	})

	// InvalidateFailureMeaning: what FAILURE on a block says.
	InvalidateFailureMeaning = Define(Rule{
		ID:            "INV-018",
		Level:         Definition,
		Text:          "NDIS_STATUS_FAILURE on a block of an invalidate tree means the invalidation did not succeed, because the target's hardware state is corrupt.",
		Sources:       []string{invPgComplete, invPgStatus, invPgBlockList},
		Observability: Internal,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-02",
		Note:          "The DDI page says the target has then stopped responding (is hung). Corruption is not visible, so FAILURE is accepted as legal; the suite then holds the target to INV-029..034 under the default reading.",
	})

	// InvalidateAnyIRQL: IRQL of the handler and the completion.
	InvalidateAnyIRQL = Define(Rule{
		ID:            "INV-019",
		Level:         Definition,
		Text:          "MiniportInvalidateOffload can be called, and NdisMInvalidateOffloadComplete can be called, at any IRQL.",
		Sources:       []string{invPgHandler, invPgComplete},
		Observability: Internal,
		Ops:           []string{OpInvalidate},
		Note:          "IRQL has no counterpart in the Go contract.",
	})

	// MarkInvalidatedStateInContext: handling step 1.
	MarkInvalidatedStateInContext = Define(Rule{
		ID:            "INV-020",
		Level:         Should,
		Text:          "On an invalidate, the target should mark the state invalid in the offload context area that holds it.",
		Sources:       []string{invPgHandling},
		Observability: Internal,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-01",
		Note:          "The context area is the target's own memory.",
	})

	// AffectedConnectionsDefinition: which connections an invalidation touches.
	AffectedConnectionsDefinition = Define(Rule{
		ID:            "INV-021",
		Level:         Definition,
		Text:          "The TCP connections affected by an invalidate are each invalidated TCP connection and each valid TCP connection whose path object, or whose path's neighbor object, is invalidated.",
		Sources:       []string{invPgHandling, invPgHandler, invPgReasons},
		Observability: NeedsWire,
		Ops:           []string{OpInvalidate},
		Layers:        []string{LayerNeighbor, LayerPath, LayerTCP},
		Note:          "Used by INV-012, INV-022 and INV-023, which need the wire or indications.",
	})

	// StopSendSegmentsImmediately: handling step 2.
	StopSendSegmentsImmediately = Define(Rule{
		ID:            "INV-022",
		Level:         Should,
		Text:          "On an invalidate, the target should at once stop processing send segments on every affected TCP connection.",
		Sources:       []string{invPgHandling, invPgReasons},
		Observability: NeedsWire,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-01",
		Note:          "Frames show it.",
	})

	// RequestTerminationInvalidState: handling step 3.
	RequestTerminationInvalidState = Define(Rule{
		ID:            "INV-023",
		Level:         Should,
		Text:          "On an invalidate, the target should ask the host to terminate every affected TCP connection by calling NdisTcpOffloadEventHandler with EventSpecificInformation InvalidState.",
		Sources:       []string{invPgHandling},
		Observability: NeedsDataPath,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-01",
		Note:          "An event indication. The page names no EventType; InvalidState is a TCP_UPLOAD_REASON, so it goes with TcpIndicateRetrieve (NUMERIC-VALUES.md).",
	})

	// ContinueNormallyUntilTerminated: the alternative to steps 1-3.
	ContinueNormallyUntilTerminated = Define(Rule{
		ID:            "INV-024",
		Level:         May,
		Text:          "Instead of the handling steps, the target may go on processing the affected connections normally until the host terminates their offload.",
		Sources:       []string{invPgHandling},
		Observability: Permission,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-01",
		Note:          "Not granted under the default reading of CONFLICT-INV-01 for sending data (INV-012 holds); it still excuses skipping INV-020 and INV-023.",
	})

	// InvalidatePurpose: why the host invalidates.
	InvalidatePurpose = Define(Rule{
		ID:            "INV-025",
		Level:         Definition,
		Text:          "The host invalidates offloaded state to stop data transmission quickly on the offloaded TCP connections that depend on it, e.g. on all connections through a router after an ICMP redirect.",
		Sources:       []string{invPgReasons},
		Observability: NeedsWire,
		Ops:           []string{OpInvalidate},
		Note:          "The target-side effect is INV-012.",
	})

	// InvalidateRouterThenRelink: the redirect sequence.
	InvalidateRouterThenRelink = Define(Rule{
		ID:            "INV-026",
		Level:         May,
		Text:          "After invalidating the neighbor object of an old router, the host may offload a neighbor object for the new router (if not yet offloaded) and update the affected paths to link to it.",
		Sources:       []string{invPgReasons, invPgRelink},
		Observability: HostObligation,
		Ops:           []string{OpInvalidate, OpInitiate, OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath},
		Conflict:      "CONFLICT-UPD-03",
		Note:          "The relink itself is UPD-024..029; the suite runs this sequence as one of its invalidate scenarios.",
	})

	// HostRarelyInvalidatesOneConnection: TCP-layer invalidation is unusual.
	HostRarelyInvalidatesOneConnection = Define(Rule{
		ID:            "INV-027",
		Level:         Definition,
		Text:          "The host typically does not invalidate a single TCP connection's state; for one connection it terminates the offload instead and relies on the target's retransmit timer.",
		Sources:       []string{invPgReasons},
		Observability: HostObligation,
		Ops:           []string{OpInvalidate, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "'Typically': TCP-layer invalidates stay legal (INV-028).",
	})

	// InvalidateAnyLayer: every layer can be invalidated.
	InvalidateAnyLayer = Define(Rule{
		ID:            "INV-028",
		Level:         Must,
		Text:          "The target accepts invalidation of any offloaded object, whatever its layer (neighbor, path or TCP).",
		Sources:       []string{invPgHandler, invPgHandling},
		Observability: Observable,
		Ops:           []string{OpInvalidate},
		Layers:        []string{LayerNeighbor, LayerPath, LayerTCP},
		Note:          "Checked by invalidating a neighbor, a path and a TCP object in turn: each completes with a legal status per block, and the later terminate succeeds (INV-011). A FAILURE, whose one stated cause is corrupt hardware state (INV-018), counts against the rule by default and makes the spec skip with acceptFailureWithoutCause (CONFLICT-TERM-02).",
	})

	// InvalidateCorruptCompleteWithFailure: recovery step 1.
	InvalidateCorruptCompleteWithFailure = Define(Rule{
		ID:            "INV-029",
		Level:         Must,
		Text:          "When its hardware state is corrupt, the target first completes the invalidate by NdisMInvalidateOffloadComplete with NDIS_STATUS_FAILURE in the Status of the blocks it could not invalidate.",
		Sources:       []string{invPgStatus},
		Observability: Internal,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-02",
		Note:          "The host cannot corrupt or see the hardware state; the completion itself is checked by INV-005/015/016.",
	})

	// InvalidateCorruptIndicateRetrieveHardwareFailure: recovery step 2.
	InvalidateCorruptIndicateRetrieveHardwareFailure = Define(Rule{
		ID:            "INV-030",
		Level:         Must,
		Text:          "After failing an invalidate for corrupt hardware state, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateRetrieve and EventSpecificInformation HardwareFailure.",
		Sources:       []string{invPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-02",
		Note:          "An event indication. Under the default reading every invalidate FAILURE must be followed by it.",
	})

	// InvalidateCorruptIndicateAbort: recovery step 3.
	InvalidateCorruptIndicateAbort = Define(Rule{
		ID:            "INV-031",
		Level:         Must,
		Text:          "After the HardwareFailure retrieve indication, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateAbort.",
		Sources:       []string{invPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpInvalidate},
		Conflict:      "CONFLICT-INV-02",
		Note:          "An event indication.",
	})

	// InvalidateCorruptAbortOutstandingRequests: recovery step 4.
	InvalidateCorruptAbortOutstandingRequests = Define(Rule{
		ID:            "INV-032",
		Level:         Must,
		Text:          "At the host's next MiniportTerminateOffload, the target completes each outstanding MiniportTcpOffloadSend/Receive request with NDIS_STATUS_REQUEST_ABORTED in every NET_BUFFER_LIST.",
		Sources:       []string{invPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpInvalidate, OpTerminate},
		Conflict:      "CONFLICT-INV-02",
		Note:          "Outstanding send and receive requests are posted through the data path.",
	})

	// InvalidateCorruptCompleteTerminate: recovery step 5.
	InvalidateCorruptCompleteTerminate = Define(Rule{
		ID:            "INV-033",
		Level:         Must,
		Text:          "After failing an invalidate for corrupt hardware state, the target completes the host's subsequent terminate of the affected objects by calling NdisMTerminateOffloadComplete.",
		Sources:       []string{invPgStatus},
		Observability: Observable,
		Ops:           []string{OpInvalidate, OpTerminate},
		Conflict:      "CONFLICT-INV-02",
		Note:          "Checked whenever a target answers an invalidate block with FAILURE: the suite terminates the objects (INV-009) and requires one NdisMTerminateOffloadComplete with the terminate tree. Not asserted with invalidateFailureHung.",
	})

	// InvalidateCorruptRecoveryOrder: the five steps in order.
	InvalidateCorruptRecoveryOrder = Define(Rule{
		ID:            "INV-034",
		Level:         Must,
		Text:          "Recovery from a corrupt-hardware invalidate failure runs in order: invalidate completion, Retrieve/HardwareFailure, TcpIndicateAbort, aborted requests at terminate, terminate completion.",
		Sources:       []string{invPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpInvalidate, OpTerminate},
		Conflict:      "CONFLICT-INV-02",
		Note:          "The order of the completions against the indications needs the indication interface.",
	})
)

// Conflicts between the invalidate pages.
var (
	// ConflictInvalidateSendingAfter: stop sending vs continue as normal.
	ConflictInvalidateSendingAfter = DefineConflict(Conflict{
		ID:      "CONFLICT-INV-01",
		Pages:   []string{invPgHandler, invPgHandling, invPgReasons},
		Summary: "The handler page says the target must not use an invalidated object, or TCP connections depending on it, to send data, and the reasons page says invalidation makes the target stop transmitting on them; the handling page only recommends (should) stopping send processing and then lets the target instead continue processing as normal until the host terminates the connections.",
		Reading: "Sending data on affected connections after an invalidate is a violation (INV-012, MUST NOT); the handling page's alternative excuses only the other steps (marking, InvalidState termination request). Wire rules, not asserted yet: the switch for the other reading comes with the wire specs.",
		Switch:  "",
	})

	// ConflictInvalidateFailureState: hung vs corrupt-but-recovering.
	ConflictInvalidateFailureState = DefineConflict(Conflict{
		ID:      "CONFLICT-INV-02",
		Pages:   []string{invPgComplete, invPgStatus, invPgBlockList},
		Summary: "The NdisMInvalidateOffloadComplete page says that with NDIS_STATUS_FAILURE the target has stopped responding (is hung); the status concept page says the invalidate failed because the hardware state is corrupt and requires the target to go on: indicate retrieve/HardwareFailure and abort, abort outstanding requests and complete the host's terminate. The block list page gives no cause.",
		Reading: "FAILURE reports corrupt hardware state and the target still carries out the five recovery steps (INV-029..034); the suite terminates the objects and requires the terminate to complete.",
		Switch:  "invalidateFailureHung",
	})
)

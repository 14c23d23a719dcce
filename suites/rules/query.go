// Rules of query offload: MiniportQueryOffload and NdisMQueryOffloadStateComplete, what the target writes into a query tree, the query statuses, recovery after a failed query, and overlapping queries.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	qryPgHandler   = "ddi/nc-ndischimney-w_query_offload_handler.md"
	qryPgComplete  = "ddi/nf-ndischimney-ndismqueryoffloadstatecomplete.md"
	qryPgFilling   = "concepts/filling-in-the-queried-state.md"
	qryPgSequence  = "concepts/query-offload-sequence.md"
	qryPgStatus    = "concepts/returning-the-completion-status-of-a-query-offload-operation.md"
	qryPgSection   = "concepts/querying-offloaded-state.md"
	qryPgNdisQuery = "ddi/nf-ndischimney-ndisqueryoffloadstate.md"
	qryPgBlockList = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	qryPgClasses   = "concepts/classes-of-offload-state-variables.md"
	qryPgObjects   = "concepts/offload-state-objects.md"
)

// QRY: the handler, the completion contract, what the target writes, statuses and recovery.
var (
	// QueryHandlerParameters: what MiniportQueryOffload is given.
	QueryHandlerParameters = Define(Rule{
		ID:            "QRY-001",
		Level:         Definition,
		Text:          "NDIS calls MiniportQueryOffload with MiniportAdapterContext (as set by NdisMSetMiniportAttributes in MiniportInitializeEx) and OffloadBlockList, an in-out tree naming the state to query.",
		Sources:       []string{qryPgHandler, qryPgSequence},
		Observability: Internal,
		Ops:           []string{OpQuery},
		Note:          "The Go contract binds a target to its adapter at Open and passes no adapter context; only the tree argument is modelled.",
	})

	// QueryNamesOffloadedObjects: a query only concerns objects already offloaded.
	QueryNamesOffloadedObjects = Define(Rule{
		ID:            "QRY-002",
		Level:         Must,
		Text:          "The host queries only state objects offloaded earlier: every non-placeholder block of a query tree names an object the target offloaded and that has not been terminated.",
		Sources:       []string{qryPgHandler, qryPgNdisQuery},
		Observability: HostObligation,
		Ops:           []string{OpQuery},
		Note:          "The suite puts in query trees only contexts the target returned from a successful initiate and that it has not terminated.",
	})

	// QueryTreeStandAloneOrRoot: the two forms a query tree takes.
	QueryTreeStandAloneOrRoot = Define(Rule{
		ID:            "QRY-003",
		Level:         Definition,
		Text:          "The OffloadBlockList given to MiniportQueryOffload is either one stand-alone block or the root of an offload state tree; the target handles both forms.",
		Sources:       []string{qryPgHandler, qryPgSequence, qryPgNdisQuery},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Note:          "The suite sends both single-block queries and multi-level query trees (neighbor -> path -> TCP, with NextBlock siblings) and applies the completion and value checks to each.",
	})

	// QueryAnyOffloadedState: every offloaded object at every layer can be queried.
	QueryAnyOffloadedState = Define(Rule{
		ID:            "QRY-004",
		Level:         Must,
		Text:          "The target serves a query of any state object it has offloaded, whatever its layer (neighbor, path or TCP).",
		Sources:       []string{qryPgHandler, qryPgSection},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Layers:        []string{LayerNeighbor, LayerPath, LayerTCP},
		Note:          "Checked by querying each offloaded neighbor, path and TCP object alone and together; each block must come back with a legal status and, on SUCCESS, filled state (QRY-009).",
	})

	// QueryHandlerReturnsBeforeCompletion: the completion is always asynchronous.
	QueryHandlerReturnsBeforeCompletion = Define(Rule{
		ID:            "QRY-005",
		Level:         Must,
		Text:          "MiniportQueryOffload keeps the OffloadBlockList pointer and returns; the target always completes the query asynchronously, never calling NdisMQueryOffloadStateComplete before the handler returns.",
		Sources:       []string{qryPgHandler, qryPgSequence},
		Observability: Observable,
		Ops:           []string{OpQuery},
	})

	// QueryCompletesExactlyOnce: one NdisMQueryOffloadStateComplete per query.
	QueryCompletesExactlyOnce = Define(Rule{
		ID:            "QRY-006",
		Level:         Must,
		Text:          "The target completes every query it is given by exactly one call to NdisMQueryOffloadStateComplete (not by another operation's completion function).",
		Sources:       []string{qryPgHandler, qryPgComplete, qryPgSequence, qryPgBlockList},
		Observability: Observable,
		Ops:           []string{OpQuery},
	})

	// HostKeepsQueryTreeValid: the tree lives until the completion.
	HostKeepsQueryTreeValid = Define(Rule{
		ID:            "QRY-007",
		Level:         Must,
		Text:          "The host keeps every block of a query tree and every state structure after them valid and in place from the MiniportQueryOffload call until the target calls NdisMQueryOffloadStateComplete.",
		Sources:       []string{qryPgHandler},
		Observability: HostObligation,
		Ops:           []string{OpQuery},
	})

	// TargetLeavesQueryTreeAfterCompletion: the tree is not valid after the completion.
	TargetLeavesQueryTreeAfterCompletion = Define(Rule{
		ID:            "QRY-008",
		Level:         MustNot,
		Text:          "Once it has called NdisMQueryOffloadStateComplete, the target no longer reads or writes the query tree's blocks or the state structures after them.",
		Sources:       []string{qryPgHandler},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Note:          "Writes are detectable: the harness snapshots the tree (blocks and state structures) at completion and compares it later; late reads are not visible (Internal).",
	})

	// QueryFillsEveryStateStructure: the queried values are written before the completion.
	QueryFillsEveryStateStructure = Define(Rule{
		ID:            "QRY-009",
		Level:         Must,
		Text:          "Before calling NdisMQueryOffloadStateComplete, the target writes the current value of every variable into each state structure (per Header.Type) after every block that names an object.",
		Sources:       []string{qryPgHandler, qryPgComplete, qryPgFilling, qryPgSequence, qryPgSection, qryPgBlockList},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Conflict:      "CONFLICT-QRY-01",
		Note:          "Checked by pre-filling the structures with a sentinel and comparing against known values (idle connection, values just offloaded or updated); STATE-021 and STATE-007 hold the per-field value rules. Blocks answered FAILURE (state could not be queried) are not held to it. The DDI places the filling after the handler returns; the suite checks only at completion.",
	})

	// QueryStatusInEveryBlock: no block is left without a status.
	QueryStatusInEveryBlock = Define(Rule{
		ID:            "QRY-010",
		Level:         Must,
		Text:          "Before calling NdisMQueryOffloadStateComplete, the target writes a Status into every block of the query tree, placeholders included.",
		Sources:       []string{qryPgHandler, qryPgComplete, qryPgSequence, qryPgStatus, qryPgBlockList},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Note:          "Checked by seeding every Status with a sentinel that is no NDIS_STATUS value.",
	})

	// QueryStatusSuccessOrFailure: the only two allowed values.
	QueryStatusSuccessOrFailure = Define(Rule{
		ID:            "QRY-011",
		Level:         Must,
		Text:          "Each Status of a query tree is NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE; OFFLOAD_PARTIAL_SUCCESS, NDIS_STATUS_RESOURCES and every other NDIS_STATUS_OFFLOAD_* value are not allowed for query.",
		Sources:       []string{qryPgHandler, qryPgComplete, qryPgStatus, qryPgBlockList},
		Observability: Observable,
		Ops:           []string{OpQuery},
	})

	// QuerySuccessMeaning: what SUCCESS on a block says.
	QuerySuccessMeaning = Define(Rule{
		ID:            "QRY-012",
		Level:         Definition,
		Text:          "NDIS_STATUS_SUCCESS on a block of a query tree means the target queried the state of the object that block refers to, so the structures after it hold that object's current values.",
		Sources:       []string{qryPgHandler, qryPgStatus, qryPgBlockList},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Note:          "A SUCCESS block is held to QRY-009. Checked by querying several objects of one layer given distinct state together: each SUCCESS block must hold the values of the object it names, not another's.",
	})

	// QueryFailureMeaning: what FAILURE on a block says.
	QueryFailureMeaning = Define(Rule{
		ID:            "QRY-013",
		Level:         Definition,
		Text:          "NDIS_STATUS_FAILURE on a block of a query tree means the state of the object that block refers to could not be queried, because the target's hardware state is corrupt.",
		Sources:       []string{qryPgHandler, qryPgStatus, qryPgBlockList},
		Observability: Internal,
		Ops:           []string{OpQuery},
		Conflict:      "CONFLICT-QRY-02",
		Note:          "Corruption is not visible to the host and cannot be provoked, so FAILURE is accepted as legal whenever it appears; the suite then follows QRY-014 and holds the target to the recovery rules QRY-021..026.",
	})

	// HostTerminatesUnqueriedObjects: the host's reaction to FAILURE.
	HostTerminatesUnqueriedObjects = Define(Rule{
		ID:            "QRY-014",
		Level:         Must,
		Text:          "The host terminates the offload of every object whose query block came back with NDIS_STATUS_FAILURE.",
		Sources:       []string{qryPgHandler, qryPgStatus},
		Observability: HostObligation,
		Ops:           []string{OpQuery, OpTerminate},
		Note:          "The suite follows every query FAILURE with a terminate of that object (and of what depends on it).",
	})

	// QueryAnyIRQL: IRQL of the handler and the completion.
	QueryAnyIRQL = Define(Rule{
		ID:            "QRY-015",
		Level:         Definition,
		Text:          "MiniportQueryOffload can be called, and NdisMQueryOffloadStateComplete can be called, at any IRQL.",
		Sources:       []string{qryPgHandler, qryPgComplete},
		Observability: Internal,
		Ops:           []string{OpQuery},
		Note:          "IRQL has no counterpart in the Go contract.",
	})

	// QueryCompleteMiniportHandle: the first argument of the completion.
	QueryCompleteMiniportHandle = Define(Rule{
		ID:            "QRY-016",
		Level:         Definition,
		Text:          "The target passes NdisMQueryOffloadStateComplete, as NdisMiniportHandle, the handle the page says it obtained from its earlier NdisMRegisterMiniportDriver call.",
		Sources:       []string{qryPgComplete},
		Observability: Internal,
		Ops:           []string{OpQuery},
		Note:          "The Go Host.NdisMQueryOffloadStateComplete takes no handle; not checkable until the contract carries one.",
	})

	// QueryCompletionSamePointer: the same tree comes back.
	QueryCompletionSamePointer = Define(Rule{
		ID:            "QRY-017",
		Level:         Must,
		Text:          "The target passes NdisMQueryOffloadStateComplete the very OffloadBlockList pointer that MiniportQueryOffload received, returning the whole tree to the host.",
		Sources:       []string{qryPgComplete, qryPgSequence, qryPgBlockList},
		Observability: Observable,
		Ops:           []string{OpQuery},
	})

	// QueryBlockReferencesState: which blocks name state to query.
	QueryBlockReferencesState = Define(Rule{
		ID:            "QRY-018",
		Level:         Definition,
		Text:          "A query block names state to query when its MiniportOffloadContext points to a slot holding a non-NULL PVOID; that PVOID references the target's context area holding the object's state.",
		Sources:       []string{qryPgFilling, qryPgBlockList},
		Observability: HostObligation,
		Ops:           []string{OpQuery},
		Note:          "The suite builds query trees so; that the target queries exactly the referenced object is the tree rule on PVOID references.",
	})

	// QueriedBlockFollowedByStateStructure: where the queried values go.
	QueriedBlockFollowedByStateStructure = Define(Rule{
		ID:            "QRY-019",
		Level:         Definition,
		Text:          "A query block that names state is immediately followed in memory by the offload state structure (or structures, per Header.Type) into which the target writes the queried state.",
		Sources:       []string{qryPgFilling, qryPgHandler, qryPgComplete, qryPgBlockList},
		Observability: HostObligation,
		Ops:           []string{OpQuery},
		Note:          "The suite lays out each naming block with its structures after it; placeholders carry none.",
	})

	// OverlappingQueriesOfOneObject: a second query while the first is pending.
	OverlappingQueriesOfOneObject = Define(Rule{
		ID:            "QRY-020",
		Level:         Must,
		Text:          "The target handles a query of a state object that arrives while an earlier query of the same object is still in progress, completing each query on its own tree.",
		Sources:       []string{qryPgSequence},
		Observability: Observable,
		Ops:           []string{OpQuery},
		Note:          "The host may issue such a query. Checked by handing over a second query of an object before awaiting the first: two completions, each with its own pointer, statuses and filled state (QRY-006, QRY-009, QRY-017). The host cannot hold the first query in progress, so a fast target may complete it before the second arrives; the spec then checks two queries in a row.",
	})

	// QueryCorruptCompleteWithFailure: recovery step 1.
	QueryCorruptCompleteWithFailure = Define(Rule{
		ID:            "QRY-021",
		Level:         Must,
		Text:          "When its hardware state is corrupt, the target first completes the query by NdisMQueryOffloadStateComplete with NDIS_STATUS_FAILURE in the Status of the blocks it could not query.",
		Sources:       []string{qryPgStatus},
		Observability: Internal,
		Ops:           []string{OpQuery},
		Conflict:      "CONFLICT-QRY-02",
		Note:          "The host cannot corrupt or see the hardware state; the completion itself is checked by QRY-006/010/011.",
	})

	// QueryCorruptIndicateRetrieveHardwareFailure: recovery step 2.
	QueryCorruptIndicateRetrieveHardwareFailure = Define(Rule{
		ID:            "QRY-022",
		Level:         Must,
		Text:          "After failing a query for corrupt hardware state, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateRetrieve and EventSpecificInformation HardwareFailure.",
		Sources:       []string{qryPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpQuery},
		Conflict:      "CONFLICT-QRY-02",
		Note:          "An event indication. Under the default reading every query FAILURE must be followed by it.",
	})

	// QueryCorruptIndicateAbort: recovery step 3.
	QueryCorruptIndicateAbort = Define(Rule{
		ID:            "QRY-023",
		Level:         Must,
		Text:          "After the HardwareFailure retrieve indication, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateAbort.",
		Sources:       []string{qryPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpQuery},
		Conflict:      "CONFLICT-QRY-02",
		Note:          "An event indication.",
	})

	// QueryCorruptAbortOutstandingRequests: recovery step 4.
	QueryCorruptAbortOutstandingRequests = Define(Rule{
		ID:            "QRY-024",
		Level:         Must,
		Text:          "At the host's next MiniportTerminateOffload, the target completes each outstanding MiniportTcpOffloadSend/Receive request with NDIS_STATUS_REQUEST_ABORTED in every NET_BUFFER_LIST.",
		Sources:       []string{qryPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpQuery, OpTerminate},
		Conflict:      "CONFLICT-QRY-02",
		Note:          "Outstanding send and receive requests are posted through the data path.",
	})

	// QueryCorruptCompleteTerminate: recovery step 5.
	QueryCorruptCompleteTerminate = Define(Rule{
		ID:            "QRY-025",
		Level:         Must,
		Text:          "After failing a query for corrupt hardware state, the target completes the host's subsequent terminate of the affected objects by calling NdisMTerminateOffloadComplete.",
		Sources:       []string{qryPgStatus},
		Observability: Observable,
		Ops:           []string{OpQuery, OpTerminate},
		Conflict:      "CONFLICT-QRY-02",
		Note:          "Checked whenever a target answers a query block with FAILURE: the suite terminates the objects (QRY-014) and requires one NdisMTerminateOffloadComplete with the terminate tree. FAILURE cannot be provoked, so the spec is skipped, with that reason, against a target that answers the query with SUCCESS.",
	})

	// QueryCorruptRecoveryOrder: the five steps in order.
	QueryCorruptRecoveryOrder = Define(Rule{
		ID:            "QRY-026",
		Level:         Must,
		Text:          "Recovery from a corrupt-hardware query failure runs in order: query completion, Retrieve/HardwareFailure, TcpIndicateAbort, aborted requests at terminate, terminate completion.",
		Sources:       []string{qryPgStatus},
		Observability: NeedsDataPath,
		Ops:           []string{OpQuery, OpTerminate},
		Conflict:      "CONFLICT-QRY-02",
		Note:          "The order of the completions against the indications needs the indication interface.",
	})

	// HostMayQueryAnyStateClass: which classes of state a query can cover.
	HostMayQueryAnyStateClass = Define(Rule{
		ID:            "QRY-027",
		Level:         May,
		Text:          "The host may query constant, cached or delegated state, or all three, choosing the class by the Header.Type of each block of the query tree.",
		Sources:       []string{qryPgSection, qryPgBlockList, qryPgClasses},
		Observability: HostObligation,
		Ops:           []string{OpQuery},
		Conflict:      "CONFLICT-QRY-01",
		Note:          "The suite queries with every Type of the block's layer (const, cached, delegated and full state); what the target then writes is QRY-009.",
	})

	// NdisQueryOffloadStateStartsQuery: the protocol-side entry point.
	NdisQueryOffloadStateStartsQuery = Define(Rule{
		ID:            "QRY-028",
		Level:         Definition,
		Text:          "A protocol or intermediate driver starts a query by calling NdisQueryOffloadState with the NdisBindingHandle from NdisOpenAdapterEx and an NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST tree naming the objects.",
		Sources:       []string{qryPgNdisQuery},
		Observability: HostObligation,
		Ops:           []string{OpQuery},
		Note:          "Host side; the suite plays NDIS and calls MiniportQueryOffload directly.",
	})

	// IntermediateDriverPropagatesQuery: how an intermediate driver passes a query down.
	IntermediateDriverPropagatesQuery = Define(Rule{
		ID:            "QRY-029",
		Level:         Must,
		Text:          "An intermediate driver propagates a query it received in MiniportQueryOffload by building an NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST tree from the miniport tree and passing it to NdisQueryOffloadState.",
		Sources:       []string{qryPgNdisQuery},
		Observability: HostObligation,
		Ops:           []string{OpQuery},
		Note:          "Binds an intermediate driver, not the offload target under test.",
	})
)

// Conflicts between the query pages.
var (
	// ConflictQueryStateClasses: which structures a query fills.
	ConflictQueryStateClasses = DefineConflict(Conflict{
		ID:      "CONFLICT-QRY-01",
		Pages:   []string{qryPgSection, qryPgHandler, qryPgClasses, qryPgObjects},
		Summary: "The query section page says the host can query constant, cached and delegated state, and the handler page has the target write every variable of each state structure; the classes page mentions querying only for delegated variables (constant and cached ones are the host's), the handler page links 'offload state structure' to TCP_OFFLOAD_STATE_DELEGATED, and the objects page speaks of a 'query of delegated state'.",
		Reading: "Any class may be queried: the target fills whatever structures the block's Header.Type puts after it, constant and cached ones with the values last offloaded or updated, delegated ones with the current values.",
		Switch:  "",
	})

	// ConflictQueryFailureCause: the cause of a query FAILURE.
	ConflictQueryFailureCause = DefineConflict(Conflict{
		ID:      "CONFLICT-QRY-02",
		Pages:   []string{qryPgHandler, qryPgComplete, qryPgStatus, qryPgBlockList},
		Summary: "The DDI pages say only that with NDIS_STATUS_FAILURE the query did not succeed; the status concept page says it fails because the hardware state is corrupt and then requires a five-step recovery (FAILURE completion, retrieve/HardwareFailure and abort indications, aborted requests and completion at terminate).",
		Reading: "FAILURE on a query is a report of corrupt hardware state, so every query FAILURE must be followed by the recovery steps (QRY-021..026); FAILURE itself is never rejected, since corruption is not visible. The recovery steps other than the terminate need the data path; the switch for the other reading comes with them.",
		Switch:  "",
	})
)

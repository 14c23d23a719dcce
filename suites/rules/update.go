// Rules of update offload: MiniportUpdateOffload and its completion, cached-variable updates, path-to-neighbor relinking, update statuses and host-side synchronization.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	updPgHandler      = "ddi/nc-ndischimney-w_update_offload_handler.md"
	updPgComplete     = "ddi/nf-ndischimney-ndismupdateoffloadcomplete.md"
	updPgNdisUpdate   = "ddi/nf-ndischimney-ndisupdateoffload.md"
	updPgRelink       = "concepts/linking-path-state-objects-to-a-new-neighbor-state-object.md"
	updPgReasons      = "concepts/reasons-for-updating-offloaded-state-objects.md"
	updPgStatus       = "concepts/returning-the-completion-status-of-an-update-offload-operation.md"
	updPgSync         = "concepts/synchronizing-update-operations.md"
	updPgSequence     = "concepts/update-offload-sequence.md"
	updPgCached       = "concepts/updating-cached-variables.md"
	updPgSection      = "concepts/updating-offloaded-state.md"
	updPgBlockList    = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	updPgBlockLists   = "concepts/offload-block-lists.md"
	updPgRoles        = "concepts/placeholders--linkers--and-new-offloads.md"
	updPgStoring      = "concepts/storing-and-referencing-offloaded-state.md"
	updPgClasses      = "concepts/classes-of-offload-state-variables.md"
	updPgTCPCached    = "ddi/ns-ndischimney-_tcp_offload_state_cached.md"
	updPgKeepalive    = "concepts/keepalive-timer.md"
	updPgRetransmit   = "concepts/retransmit-timer.md"
	updPgInvalidate   = "ddi/nc-ndischimney-w_invalidate_offload_handler.md"
	updPgInvalidHandl = "concepts/handling-invalidated-state-objects.md"
)

// UPD: the handler, the completion contract, what is applied and how.
var (
	// UpdateHandlerParameters: what MiniportUpdateOffload is given.
	UpdateHandlerParameters = Define(Rule{
		ID:            "UPD-001",
		Level:         Definition,
		Text:          "NDIS calls MiniportUpdateOffload with MiniportAdapterContext (the adapter context the target gave NdisMSetMiniportAttributes in MiniportInitializeEx) and OffloadBlockList.",
		Sources:       []string{updPgHandler, updPgSequence},
		Observability: Internal,
		Ops:           []string{OpUpdate},
		Note:          "The Go contract binds a target to its adapter at Open and passes no adapter context; only the tree argument is modelled.",
	})

	// UpdateNamesOffloadedObjects: an update only concerns objects already offloaded.
	UpdateNamesOffloadedObjects = Define(Rule{
		ID:            "UPD-002",
		Level:         Must,
		Text:          "An update tree names only objects already offloaded; each non-placeholder block names one by the context value (written by the target at offload) held in its MiniportOffloadContext slot.",
		Sources:       []string{updPgHandler, updPgNdisUpdate, updPgStoring},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Note:          "The suite puts in update trees only contexts the target returned from a successful initiate and has not yet terminated.",
	})

	// UpdateTreeStandAloneOrRoot: the two forms an update tree takes.
	UpdateTreeStandAloneOrRoot = Define(Rule{
		ID:            "UPD-003",
		Level:         Definition,
		Text:          "The OffloadBlockList given to MiniportUpdateOffload is either one stand-alone block or the root of a tree of blocks linked by NextBlock and DependentBlockList; the target handles both.",
		Sources:       []string{updPgHandler, updPgSequence, updPgNdisUpdate},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Note:          "The suite sends both single-block updates and multi-level update trees and applies the completion and query checks to each.",
	})

	// UpdateOnlyCachedVariables: constant and delegated state is never changed by an update.
	UpdateOnlyCachedVariables = Define(Rule{
		ID:            "UPD-004",
		Level:         Must,
		Text:          "An update changes only cached variables: constant or delegated structures that follow a block in an update tree leave the object's constant and delegated variables unchanged.",
		Sources:       []string{updPgHandler, updPgSequence},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Note:          "Checked on an idle connection: update with a full-state block (e.g. TcpOffloadState) carrying altered delegated values, then query; delegated values must be the pre-update ones (except UPD-045/046 resets).",
	})

	// UpdateHandlerReturnsBeforeCompletion: the completion is always asynchronous.
	UpdateHandlerReturnsBeforeCompletion = Define(Rule{
		ID:            "UPD-005",
		Level:         Must,
		Text:          "MiniportUpdateOffload keeps the OffloadBlockList pointer and returns; the target always completes the update asynchronously, never calling NdisMUpdateOffloadComplete before the handler returns.",
		Sources:       []string{updPgHandler, updPgSequence},
		Observability: Observable,
		Ops:           []string{OpUpdate},
	})

	// UpdateCompletesExactlyOnce: one NdisMUpdateOffloadComplete per update.
	UpdateCompletesExactlyOnce = Define(Rule{
		ID:            "UPD-006",
		Level:         Must,
		Text:          "The target completes every update it is given, by exactly one call to NdisMUpdateOffloadComplete (not by another operation's completion function).",
		Sources:       []string{updPgHandler, updPgComplete, updPgSequence, updPgBlockList},
		Observability: Observable,
		Ops:           []string{OpUpdate},
	})

	// HostKeepsUpdateTreeValid: the tree lives until the completion.
	HostKeepsUpdateTreeValid = Define(Rule{
		ID:            "UPD-007",
		Level:         Must,
		Text:          "The host keeps every block of an update tree and every state structure after them valid and in place from the MiniportUpdateOffload call until the target calls NdisMUpdateOffloadComplete.",
		Sources:       []string{updPgHandler},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
	})

	// TargetLeavesUpdateTreeAfterCompletion: the tree is not valid after the completion.
	TargetLeavesUpdateTreeAfterCompletion = Define(Rule{
		ID:            "UPD-008",
		Level:         MustNot,
		Text:          "Once it has called NdisMUpdateOffloadComplete, the target no longer reads or writes the update tree's blocks or the state structures after them.",
		Sources:       []string{updPgHandler},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Note:          "Writes are detectable: the harness snapshots the tree at completion and compares it later; late reads are not visible (Internal).",
	})

	// UpdateCopiesCachedValues: the target takes the new cached values into the object.
	UpdateCopiesCachedValues = Define(Rule{
		ID:            "UPD-009",
		Level:         Must,
		Text:          "For each block naming an offloaded object, the target copies every cached variable of the state structures after the block into that object; a later query of the object returns them.",
		Sources:       []string{updPgHandler, updPgSequence, updPgBlockList, updPgCached},
		Observability: Observable,
		Ops:           []string{OpUpdate, OpQuery},
		Note:          "Query returns the current value of each variable (ddi/nc-ndischimney-w_query_offload_handler.md). The whole cached structure is copied, so the host fills in unchanged members too.",
	})

	// UpdateAppliedByCompletion: the timing of the application (pages disagree).
	UpdateAppliedByCompletion = Define(Rule{
		ID:            "UPD-010",
		Level:         Must,
		Text:          "The target has applied an update's cached values and path relinks by the time it calls NdisMUpdateOffloadComplete; the suite does not require them applied when the handler returns.",
		Sources:       []string{updPgHandler, updPgSequence, updPgComplete},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Conflict:      "CONFLICT-UPD-01",
		Note:          "With updateAppliedBeforeReturn the suite also queries between the handler's return and the completion and expects the new values.",
	})

	// UpdateRelinksPaths: the target moves the paths to the new neighbor.
	UpdateRelinksPaths = Define(Rule{
		ID:            "UPD-011",
		Level:         Must,
		Text:          "When an update tree calls for path-to-neighbor relinking, the target changes its internal representation so that each referenced path object depends on the new neighbor object.",
		Sources:       []string{updPgHandler, updPgSequence, updPgRelink},
		Observability: NeedsWire,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath},
		Note:          "The direct effect (frames of relinked connections go to the new neighbor's DlDestinationAddress) is on the wire; the state-manipulation consequence is UPD-029.",
	})

	// UpdateAnyIRQL: IRQL of the handler and the completion.
	UpdateAnyIRQL = Define(Rule{
		ID:            "UPD-012",
		Level:         Definition,
		Text:          "MiniportUpdateOffload can be called, and NdisMUpdateOffloadComplete can be called, at any IRQL.",
		Sources:       []string{updPgHandler, updPgComplete},
		Observability: Internal,
		Ops:           []string{OpUpdate},
		Note:          "IRQL has no counterpart in the Go contract.",
	})

	// UpdateCompleteMiniportHandle: the first argument of the completion.
	UpdateCompleteMiniportHandle = Define(Rule{
		ID:            "UPD-013",
		Level:         Definition,
		Text:          "The target passes NdisMUpdateOffloadComplete, as NdisMiniportHandle, the handle the page says it obtained from its earlier NdisMRegisterMiniportDriver call.",
		Sources:       []string{updPgComplete},
		Observability: Internal,
		Ops:           []string{OpUpdate},
		Note:          "The Go Host.NdisMUpdateOffloadComplete takes no handle; not checkable until the contract carries one.",
	})

	// UpdateCompletionSamePointer: the same tree comes back.
	UpdateCompletionSamePointer = Define(Rule{
		ID:            "UPD-014",
		Level:         Must,
		Text:          "The target passes NdisMUpdateOffloadComplete the very OffloadBlockList pointer that MiniportUpdateOffload received, returning the whole tree to the host.",
		Sources:       []string{updPgComplete, updPgBlockList},
		Observability: Observable,
		Ops:           []string{OpUpdate},
	})

	// UpdateStatusInEveryBlock: no block is left without a status.
	UpdateStatusInEveryBlock = Define(Rule{
		ID:            "UPD-015",
		Level:         Must,
		Text:          "Before calling NdisMUpdateOffloadComplete, the target writes a Status into every block of the update tree, placeholders included.",
		Sources:       []string{updPgComplete, updPgStatus, updPgBlockList, updPgBlockLists, updPgRoles},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Note:          "Checked by seeding every Status with a sentinel that is no NDIS_STATUS value.",
	})

	// UpdateStatusSuccessOrFailure: the only two allowed values.
	UpdateStatusSuccessOrFailure = Define(Rule{
		ID:            "UPD-016",
		Level:         Must,
		Text:          "Each Status of an update tree is NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE; PARTIAL_SUCCESS, NDIS_STATUS_RESOURCES and every NDIS_STATUS_OFFLOAD_* value are not allowed for update.",
		Sources:       []string{updPgComplete, updPgStatus, updPgBlockList},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Note:          "Includes updates that would have drawn a resource status at initiate (InitialRcvWnd above MaxInitialRcvWnd, PathMtu above MaxPathMTU): only FAILURE or SUCCESS may answer them.",
	})

	// UpdateSuccessMeaning: what SUCCESS on a block says.
	UpdateSuccessMeaning = Define(Rule{
		ID:            "UPD-017",
		Level:         Definition,
		Text:          "NDIS_STATUS_SUCCESS on a block of an update tree means the target updated the variables, the path-to-neighbor links, or both, of the object that block refers to.",
		Sources:       []string{updPgComplete, updPgStatus, updPgBlockList},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Note:          "A SUCCESS block is held to UPD-009 (query shows the new cached values) and, in a relink, to UPD-029.",
	})

	// UpdateMayCarryVariablesAndLinks: one update can do both jobs.
	UpdateMayCarryVariablesAndLinks = Define(Rule{
		ID:            "UPD-018",
		Level:         Must,
		Text:          "The target handles a single update that changes cached variables, relinks paths to a new neighbor, or does both at once, as the host may send.",
		Sources:       []string{updPgComplete, updPgStatus},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath},
		Note:          "The suite sends relink trees whose blocks also carry cached state and checks UPD-009 and UPD-029 together.",
	})

	// UpdateFailureMeaning: what FAILURE on a block says.
	UpdateFailureMeaning = Define(Rule{
		ID:            "UPD-019",
		Level:         Definition,
		Text:          "NDIS_STATUS_FAILURE on a block of an update tree means the update of the object that block refers to did not succeed.",
		Sources:       []string{updPgComplete, updPgStatus, updPgBlockList},
		Observability: Internal,
		Ops:           []string{OpUpdate},
		Note:          "No condition limits FAILURE; whether the target truly could not update is not visible, so FAILURE is accepted as legal and the suite follows UPD-021.",
	})

	// ContinueNormallyAfterUpdateFailure: a failed update does not end the connection.
	ContinueNormallyAfterUpdateFailure = Define(Rule{
		ID:            "UPD-020",
		Level:         Should,
		Text:          "After answering an update with NDIS_STATUS_FAILURE, the target keeps the affected objects offloaded and goes on processing the connection normally until the host terminates it.",
		Sources:       []string{updPgComplete},
		Observability: Observable,
		Ops:           []string{OpUpdate, OpQuery, OpTerminate},
		Note:          "State part checked today: a query and the host's terminate of the failed object still find it (SUCCESS, delegated state returned). The suite provokes a FAILURE with a PathMtu above the declared MaxPathMTU and skips when the target accepts it. Normal send/receive processing needs the data path.",
	})

	// HostTerminatesObjectsNotUpdated: the host's reaction to FAILURE.
	HostTerminatesObjectsNotUpdated = Define(Rule{
		ID:            "UPD-021",
		Level:         Must,
		Text:          "The host terminates the offload of every object whose update block came back with NDIS_STATUS_FAILURE.",
		Sources:       []string{updPgComplete, updPgStatus},
		Observability: HostObligation,
		Ops:           []string{OpUpdate, OpTerminate},
		Note:          "The suite follows every FAILURE of an update with a terminate of that object (and of what depends on it).",
	})

	// NdisUpdateOffloadStartsUpdate: the protocol-side entry point.
	NdisUpdateOffloadStartsUpdate = Define(Rule{
		ID:            "UPD-022",
		Level:         Definition,
		Text:          "A protocol or intermediate driver requests an update by calling NdisUpdateOffload with an NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST (stand-alone or root) naming the offloaded objects to update.",
		Sources:       []string{updPgNdisUpdate},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Note:          "Host side of the interface (NdisBindingHandle is the binding from NdisOpenAdapterEx); the suite plays it directly through MiniportUpdateOffload.",
	})

	// IntermediateDriverPropagatesUpdate: IM drivers pass updates down.
	IntermediateDriverPropagatesUpdate = Define(Rule{
		ID:            "UPD-023",
		Level:         Must,
		Text:          "An intermediate driver passes an update on by building an NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST tree from the miniport block list it received and calling NdisUpdateOffload with it.",
		Sources:       []string{updPgNdisUpdate},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Note:          "Binds intermediate drivers, which the suite does not test.",
	})
)

// UPD: path-to-neighbor relinking and the reasons for updates.
var (
	// HostMayRelinkOnNextHopChange: why relinks happen.
	HostMayRelinkOnNextHopChange = Define(Rule{
		ID:            "UPD-024",
		Level:         May,
		Text:          "When the next-hop address of offloaded paths changes (e.g. failover to a router with another IP address), the host may relink those paths to a neighbor object for the new router.",
		Sources:       []string{updPgRelink, updPgReasons},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath},
	})

	// RelinkMayInvalidateOldNeighbor: step 1 of the relink sequence.
	RelinkMayInvalidateOldNeighbor = Define(Rule{
		ID:            "UPD-025",
		Level:         May,
		Text:          "As the first step of a relink, the host may invalidate the neighbor object of the failed router.",
		Sources:       []string{updPgRelink},
		Observability: HostObligation,
		Ops:           []string{OpInvalidate},
		Layers:        []string{LayerNeighbor},
		Conflict:      "CONFLICT-UPD-03",
		Note:          "The suite runs the relink sequence both with and without this step.",
	})

	// RelinkOffloadsNewNeighborFirst: step 2 of the relink sequence.
	RelinkOffloadsNewNeighborFirst = Define(Rule{
		ID:            "UPD-026",
		Level:         Must,
		Text:          "If the new router's neighbor object is not offloaded yet, the host offloads it with an initiate before the relink update, so the relink always targets an offloaded neighbor.",
		Sources:       []string{updPgRelink},
		Observability: HostObligation,
		Ops:           []string{OpInitiate, OpUpdate},
		Layers:        []string{LayerNeighbor},
	})

	// RelinkTreeShape: step 3, the update tree of a relink.
	RelinkTreeShape = Define(Rule{
		ID:            "UPD-027",
		Level:         Definition,
		Text:          "A relink update tree has as root a block naming the new (offloaded) neighbor; its DependentBlockList chain holds blocks naming the path objects to move under it.",
		Sources:       []string{updPgRelink, updPgHandler, updPgSequence},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath},
		Note:          "The suite builds relink trees this way; a path block under a placeholder root is a plain cached update, not a relink.",
	})

	// RelinkTerminatesOldNeighbor: step 4 of the relink sequence.
	RelinkTerminatesOldNeighbor = Define(Rule{
		ID:            "UPD-028",
		Level:         Must,
		Text:          "After the relink update, the host terminates the offload of the old neighbor object.",
		Sources:       []string{updPgRelink},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerNeighbor},
	})

	// RelinkedPathsLeaveOldNeighbor: the observable result of a relink.
	RelinkedPathsLeaveOldNeighbor = Define(Rule{
		ID:            "UPD-029",
		Level:         Must,
		Text:          "After a relink completes with SUCCESS, terminating the old neighbor alone leaves the relinked paths and their TCP connections offloaded, later queried and terminated under the new neighbor.",
		Sources:       []string{updPgRelink, updPgHandler, updPgSequence},
		Observability: Observable,
		Ops:           []string{OpInvalidate, OpInitiate, OpUpdate, OpTerminate, OpQuery},
		Layers:        []string{LayerNeighbor, LayerPath, LayerTCP},
		Conflict:      "CONFLICT-UPD-03",
		Note:          "Consequence of steps 3 and 4 of the relink sequence: the old neighbor no longer has the relinked paths as dependents.",
	})

	// MacUpdateIsNotRelink: two different kinds of neighbor change.
	MacUpdateIsNotRelink = Define(Rule{
		ID:            "UPD-030",
		Level:         Definition,
		Text:          "Changing a neighbor's MAC (cached DlDestinationAddress, 'DestinationAddress') is a cached update of that neighbor and moves no path; changing the next hop is a relink of paths.",
		Sources:       []string{updPgRelink},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath},
		Note:          "The suite expresses MAC changes as neighbor cached updates (checked by UPD-009) and next-hop changes as relinks (UPD-029).",
	})

	// HostUpdatesMacOnArpOrND: when the neighbor MAC is updated.
	HostUpdatesMacOnArpOrND = Define(Rule{
		ID:            "UPD-031",
		Level:         Must,
		Text:          "The host updates a neighbor's cached DlDestinationAddress when, and only when, an ARP update (IPv4) or neighbor discovery (IPv6) changes that neighbor's IP-to-MAC mapping.",
		Sources:       []string{updPgRelink, updPgCached},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor},
	})

	// NextHopChangeLeadsToRelink: ICMP redirect / RIP.
	NextHopChangeLeadsToRelink = Define(Rule{
		ID:            "UPD-032",
		Level:         Must,
		Text:          "When the host learns of a next-hop change (e.g. ICMP redirect, RIP update), it ends up relinking the affected path objects to a different neighbor object.",
		Sources:       []string{updPgRelink},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath},
	})

	// PathNeighborLinkIsNextHop: what the link means.
	PathNeighborLinkIsNextHop = Define(Rule{
		ID:            "UPD-033",
		Level:         Definition,
		Text:          "A path's link to its neighbor object stands for the neighbor's IP address; moving paths to another neighbor object is the same as changing their next-hop address.",
		Sources:       []string{updPgRelink},
		Observability: NeedsWire,
		Layers:        []string{LayerNeighbor, LayerPath},
		Note:          "Which next hop (MAC) a relinked connection uses shows only in its frames.",
	})

	// ReasonsForUpdate: the two purposes of an update.
	ReasonsForUpdate = Define(Rule{
		ID:            "UPD-034",
		Level:         Definition,
		Text:          "The host updates offloaded objects for two reasons only: cached variable values changed in one or more objects, or offloaded paths must be linked to a new neighbor object.",
		Sources:       []string{updPgReasons, updPgSection},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
	})

	// HostNeverUpdatesTcpToPathLinks: only path-to-neighbor links change.
	HostNeverUpdatesTcpToPathLinks = Define(Rule{
		ID:            "UPD-035",
		Level:         MustNot,
		Text:          "The host updates no links other than path-to-neighbor links; it never moves a TCP connection object to another path object.",
		Sources:       []string{updPgReasons},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerPath, LayerTCP},
		Note:          "A TCP block in an update tree hangs only under a placeholder or its own path and carries cached TCP variables.",
	})
)

// UPD: synchronization of updates (host side).
var (
	// NoUpdateWhileOffloading: not during an initiate.
	NoUpdateWhileOffloading = Define(Rule{
		ID:            "UPD-036",
		Level:         MustNot,
		Text:          "The host never updates an object whose offload (initiate) is still in progress.",
		Sources:       []string{updPgSync},
		Observability: HostObligation,
		Ops:           []string{OpUpdate, OpInitiate},
	})

	// OneUpdatePerObjectAtATime: no overlapping updates of one object.
	OneUpdatePerObjectAtATime = Define(Rule{
		ID:            "UPD-037",
		Level:         MustNot,
		Text:          "The host never updates an object that is already being updated: at most one update is in progress per object at any time.",
		Sources:       []string{updPgSync},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
	})

	// ConcurrentUpdatesOfDistinctObjects: overlapping updates of different objects.
	ConcurrentUpdatesOfDistinctObjects = Define(Rule{
		ID:            "UPD-038",
		Level:         Must,
		Text:          "When several updates of different objects are in progress at once, as the host may send, the target completes each with its own tree, statuses and values.",
		Sources:       []string{updPgSync},
		Observability: Observable,
		Ops:           []string{OpUpdate},
		Note:          "The suite issues overlapping updates on disjoint objects and checks UPD-005..016 and UPD-009 for each.",
	})

	// NoUpdateOfInvalidatedObject: not after an invalidate.
	NoUpdateOfInvalidatedObject = Define(Rule{
		ID:            "UPD-039",
		Level:         MustNot,
		Text:          "The host never updates an object that it has invalidated.",
		Sources:       []string{updPgSync},
		Observability: HostObligation,
		Ops:           []string{OpUpdate, OpInvalidate},
		Conflict:      "CONFLICT-UPD-03",
		Note:          "Read as the objects named in an invalidate tree; paths under an invalidated neighbor may still be relinked.",
	})
)

// UPD: cached variables and the events that change them.
var (

	// HostMayUpdateEveryLayer: neighbor, path and TCP cached variables.
	HostMayUpdateEveryLayer = Define(Rule{
		ID:            "UPD-042",
		Level:         May,
		Text:          "The host may update cached variables of offloaded neighbor, path and TCP connection objects alike.",
		Sources:       []string{updPgCached},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerNeighbor, LayerPath, LayerTCP},
		Note:          "The suite updates all three layers; the target side is UPD-009.",
	})

	// HostUpdatesPathMtuOnIcmp: path row of the table.
	HostUpdatesPathMtuOnIcmp = Define(Rule{
		ID:            "UPD-043",
		Level:         Must,
		Text:          "When an ICMP message changes a path's MTU, the host updates that path's cached PathMtu.",
		Sources:       []string{updPgCached},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerPath},
	})

	// HostUpdatesKeepaliveSettings: TCP keepalive rows of the table.
	HostUpdatesKeepaliveSettings = Define(Rule{
		ID:            "UPD-044",
		Level:         Must,
		Text:          "When an application enables keepalives or sets keepalive socket options, the host updates cached Flags (TCP_FLAG_KEEP_ALIVE_ENABLED), KaProbeCount, KaTimeout and/or KaInterval.",
		Sources:       []string{updPgCached},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerTCP},
	})

	// ResetKeepaliveProbeCount: first MAX_RT_RESTART reset.
	ResetKeepaliveProbeCount = Define(Rule{
		ID:            "UPD-045",
		Level:         Must,
		Text:          "If the connection's cached Flags has TCP_FLAG_MAX_RT_RESTART set, an update of cached KaProbeCount makes the target reset the delegated KeepAlive.ProbeCount.",
		Sources:       []string{updPgCached, updPgTCPCached, statePgTCPCached, statePgUpdatingCached},
		Observability: Observable,
		Ops:           []string{OpUpdate, OpQuery},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-UPD-02",
		Note:          "Offload with a non-zero delegated KeepAlive.ProbeCount, update KaProbeCount with the flag set, query: ProbeCount reads 0. Page calls it KeepaliveProbeCount.",
	})

	// ResetKeepaliveTimeoutDelta: second MAX_RT_RESTART reset.
	ResetKeepaliveTimeoutDelta = Define(Rule{
		ID:            "UPD-046",
		Level:         Must,
		Text:          "If the connection's cached Flags has TCP_FLAG_MAX_RT_RESTART set, an update of KaTimeout, KaInterval or both makes the target reset the delegated KeepAlive.TimeoutDelta.",
		Sources:       []string{updPgCached, updPgTCPCached, statePgTCPCached, statePgUpdatingCached},
		Observability: Observable,
		Ops:           []string{OpUpdate, OpQuery},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-UPD-02",
		Note:          "No reset value is given; the suite reads reset as restarting the countdown: a query right after the update must not show the remaining pre-update time carried over.",
	})

	// NoResetWithoutRestartFlag: the negative side of UPD-045/046, STATE-028/029.
	NoResetWithoutRestartFlag = Define(Rule{
		ID:            "UPD-049",
		Level:         MustNot,
		Text:          "An update whose TCP cached Flags set neither TCP_FLAG_KEEP_ALIVE_RESTART nor TCP_FLAG_MAX_RT_RESTART, and whose MaxRT is 0, resets none of the connection's delegated KeepAlive.ProbeCount, KeepAlive.TimeoutDelta and TotalRT, even when it changes KaProbeCount, KaTimeout or KaInterval.",
		Sources:       []string{updPgHandler, updPgSequence, updPgTCPCached, updPgCached, updPgKeepalive, updPgRetransmit},
		Observability: Observable,
		Ops:           []string{OpUpdate, OpQuery},
		Layers:        []string{LayerTCP},
		Note:          "The flag pages state the resets in the positive direction only; the negative follows from the handler and sequence pages' 'Only cached variables are updated', of which the flags (and a non-zero MaxRT, STATE-037) are the stated exceptions. With neither flag set both readings of CONFLICT-UPD-02 agree. Checked: keepalive running (3 probes, 500 ticks left) and TotalRT 40 at offload, an update of KaProbeCount, KaTimeout and KaInterval with neither flag, a query: ProbeCount not below 3, TimeoutDelta not above the larger of 500 and KaInterval (a timer that only counted down, or sent a probe), TotalRT not 0.",
	})

	// HostUpdatesInitialRcvWnd: SO_RCVBUF row of the table.
	HostUpdatesInitialRcvWnd = Define(Rule{
		ID:            "UPD-047",
		Level:         Must,
		Text:          "When an application grows or shrinks the receive window with SO_RCVBUF, the host updates the connection's cached InitialRcvWnd.",
		Sources:       []string{updPgCached},
		Observability: HostObligation,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerTCP},
	})

	// HonorUpdatedReceiveWindow: the target applies the new window.
	HonorUpdatedReceiveWindow = Define(Rule{
		ID:            "UPD-048",
		Level:         Must,
		Text:          "The target honors an updated InitialRcvWnd as the connection's receive window.",
		Sources:       []string{updPgCached},
		Observability: NeedsWire,
		Ops:           []string{OpUpdate},
		Layers:        []string{LayerTCP},
		Note:          "The window the target advertises shows only in its segments; the stored value itself is UPD-009.",
	})
)

// Conflicts among the update pages.
var (
	// ConflictUpdateTiming: before or after the handler returns.
	ConflictUpdateTiming = DefineConflict(Conflict{
		ID:      "CONFLICT-UPD-01",
		Pages:   []string{updPgHandler, updPgSequence},
		Summary: "The DDI page says the target uses the tree to update offloaded state before MiniportUpdateOffload returns; the concept page (and its figure, NICUpdate after the return) says it does so after the handler has returned. Both agree the handler returns first and the completion is asynchronous.",
		Reading: "The suite requires the new cached values and links to be in place by NdisMUpdateOffloadComplete (checked by a query after the completion) and makes no check between the handler's return and the completion.",
		Switch:  "updateAppliedBeforeReturn",
	})

	// ConflictKeepaliveResetFlag: which flag gates the keepalive resets.
	ConflictKeepaliveResetFlag = DefineConflict(Conflict{
		ID:      "CONFLICT-UPD-02",
		Pages:   []string{updPgCached, updPgTCPCached, updPgKeepalive, updPgRetransmit},
		Summary: "Two pages tie the resets of delegated KeepAlive.ProbeCount/TimeoutDelta on a Ka* update to TCP_FLAG_MAX_RT_RESTART, while the flag definitions give MAX_RT_RESTART to MaxRT/TotalRT and tie the keepalive timer restart to TCP_FLAG_KEEP_ALIVE_RESTART.",
		Reading: "Literal: the resets are required when TCP_FLAG_MAX_RT_RESTART is set in the connection's cached Flags; with neither flag set the suite asserts nothing about the keepalive counters.",
		Switch:  "keepaliveResetFlag",
	})

	// ConflictRelinkAfterInvalidate: relinking paths whose neighbor was invalidated.
	ConflictRelinkAfterInvalidate = DefineConflict(Conflict{
		ID:      "CONFLICT-UPD-03",
		Pages:   []string{updPgRelink, updPgSync, updPgInvalidate, updPgInvalidHandl},
		Summary: "The relink sequence may invalidate the old neighbor and then update the paths depending on it; the synchronization page forbids updating an invalidated object, and the invalidate pages stop sending on, and ask termination of, connections depending on invalidated state, without saying what a relink changes.",
		Reading: "Only the objects named in an invalidate tree count as invalidated, so relinking their dependent paths is legal; a target's InvalidState termination request before the relink is no violation; after a successful relink the paths depend on the new neighbor (sending on them is not checked until the data path exists).",
		Switch:  "",
	})
)

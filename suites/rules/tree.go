// Rules of the offload state tree: block lists, header types, links and layers, block roles, offload contexts and handles, traversal order and the members a target may or may not touch.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	treePgBlockList      = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	treePgOffloadHandle  = "ddi/ns-ndischimney-_ndis_offload_handle.md"
	treePgObjectHeader   = "ddi/ns-objectheader-ndis_object_header.md"
	treePgContextArea    = "concepts/creating-an-offload-context-area.md"
	treePgLayers         = "concepts/layers-of-offload-state.md"
	treePgBlockLists     = "concepts/offload-block-lists.md"
	treePgStateTree      = "concepts/offload-state-tree.md"
	treePgInternalTrees  = "concepts/offload-target-s-internal-state-trees.md"
	treePgRoles          = "concepts/placeholders--linkers--and-new-offloads.md"
	treePgStoring        = "concepts/storing-and-referencing-offloaded-state.md"
	treePgTraversing     = "concepts/traversing-a-state-tree.md"
	treePgInitiateDDI    = "ddi/nc-ndischimney-w_initiate_offload_handler.md"
	treePgInitiateStatus = "concepts/returning-completion-status-of-an-initiate-offload-operation.md"
	treePgPartialOffload = "concepts/partial-offloads-and-offload-failures.md"
	treePgNumericValues  = "NUMERIC-VALUES.md"
)

// TREE: tree structure, Header.Type, NextBlock/DependentBlockList linking, layers, traversal order.
var (
	// BlockListIsTreeBuildingBlock: what a tree is made of.
	BlockListIsTreeBuildingBlock = Define(Rule{
		ID:            "TREE-001",
		Level:         Definition,
		Text:          "An offload state tree is made of one or more NDIS_MINIPORT_OFFLOAD_BLOCK_LIST structures (offload block lists); a single stand-alone block is a valid tree.",
		Sources:       []string{treePgBlockList, treePgBlockLists, treePgStateTree},
		Observability: HostObligation,
		Note:          "Definition; the suite builds trees from it.",
	})

	// BlockListHeaderContents: what the host puts in Header.
	BlockListHeaderContents = Define(Rule{
		ID:            "TREE-002",
		Level:         Definition,
		Text:          "The host fills a block's Header (NDIS_OBJECT_HEADER) with the block list revision, an OFFLOAD_STATE_TYPE in Type, and in Size the byte size of the block list including the header.",
		Sources:       []string{treePgBlockList, treePgObjectHeader},
		Observability: HostObligation,
		Note:          "Host builds the header. No revision constant for the block list is published (NUMERIC-VALUES 5.3); Size is 0x98 on x64, 0x4C on x86. The target's side, leaving it as written, is RSV-010.",
	})

	// HeaderTypeNamesFollowingState: Type selects the state structures after the block.
	HeaderTypeNamesFollowingState = Define(Rule{
		ID:            "TREE-003",
		Level:         Definition,
		Text:          "When state structures follow a block in memory, the block's Header.Type names the kind of state and thereby exactly which state structure or structures follow it.",
		Sources:       []string{treePgBlockList, treePgBlockLists, treePgInitiateDDI},
		Observability: Observable,
		Note:          "The target must locate the state it reads or writes by Type. Checked by queries whose blocks name single structures (CONST, CACHED or DELEGATED types), which the target must answer from the structure Type names; the guard check (a structure present but not named by Type stays untouched) waits for the reference to write only the structures Type names.",
	})

	// SingleStateTypeMapping: the one-structure Type values.
	SingleStateTypeMapping = Define(Rule{
		ID:            "TREE-004",
		Level:         Definition,
		Text:          "Type values Neighbor/Ip4/Ip6/TcpOffloadConst/Cached/DelegatedState mean one NEIGHBOR_, PATH_ (IPv4 and IPv6 alike) or TCP_OFFLOAD_STATE_CONST/CACHED/DELEGATED follows.",
		Sources:       []string{treePgBlockList},
		Observability: HostObligation,
		Note:          "Numeric values 1-3, 5-7, 9-11, 13-15 (NUMERIC-VALUES section 2).",
	})

	// CompositeStateTypeOrder: the all-state Type values.
	CompositeStateTypeOrder = Define(Rule{
		ID:            "TREE-005",
		Level:         Definition,
		Text:          "Type values NeighborOffloadState, Ip4OffloadState, Ip6OffloadState and TcpOffloadState mean the layer's CONST, then CACHED, then DELEGATED structure follow the block, in that order.",
		Sources:       []string{treePgBlockList},
		Observability: HostObligation,
		Note:          "Numeric values 4, 8, 12, 17. Padding between the three structures is not documented (NUMERIC-VALUES 5.3).",
	})

	// ResourceStateTypeUnused: TcpOffloadResourceState is never used.
	ResourceStateTypeUnused = Define(Rule{
		ID:            "TREE-007",
		Level:         Definition,
		Text:          "The Type value TcpOffloadResourceState and the TCP_OFFLOAD_RESOURCE_STATE structure are reserved and not used; the host never sends a block of that Type.",
		Sources:       []string{treePgBlockList},
		Observability: HostObligation,
		Note:          "No TCP_OFFLOAD_RESOURCE_STATE layout is published (NUMERIC-VALUES section 2).",
	})

	// FilterReservedStateType: FilterReservedOffloadState belongs to filter drivers.
	FilterReservedStateType = Define(Rule{
		ID:            "TREE-008",
		Level:         Definition,
		Text:          "The Type value FilterReservedOffloadState (0xFE) is reserved for filter drivers; the host does not use it to describe neighbor, path or TCP state for a target.",
		Sources:       []string{treePgBlockList},
		Observability: HostObligation,
		Note:          "Reserved value; the suite never builds a block with it.",
	})

	// NextBlockStaysOnLayer: horizontal links never change layer.
	NextBlockStaysOnLayer = Define(Rule{
		ID:            "TREE-009",
		Level:         Definition,
		Text:          "NextBlock points to the next block of the same layer (neighbor, path or TCP) as the block holding it, and NULL in NextBlock ends that layer's list.",
		Sources:       []string{treePgBlockList, treePgBlockLists, treePgStateTree},
		Observability: HostObligation,
		Note:          "The host builds the links; next-block links form the horizontal dimension of the tree.",
	})

	// DependentBlockListGoesUpOneLayer: vertical links go neighbor -> path -> TCP.
	DependentBlockListGoesUpOneLayer = Define(Rule{
		ID:            "TREE-010",
		Level:         Definition,
		Text:          "DependentBlockList of a neighbor block points only to a path block, of a path block only to a TCP block, and of a TCP block is always NULL; NULL means no dependent block.",
		Sources:       []string{treePgBlockList, treePgBlockLists, treePgStateTree},
		Observability: HostObligation,
		Note:          "The host builds the links; dependent links form the vertical dimension of the tree.",
	})

	// TargetMayCheckRevision: object-header revision handling.
	TargetMayCheckRevision = Define(Rule{
		ID:            "TREE-011",
		Level:         May,
		Text:          "A driver receiving a structure with an NDIS_OBJECT_HEADER may check Header.Revision at run time and handle the structure version that revision denotes.",
		Sources:       []string{treePgObjectHeader},
		Observability: Permission,
		Note:          "Internal choice of the target; only one block-list layout exists.",
	})

	// ThreeLayersOfOffloadState: neighbor, path, TCP.
	ThreeLayersOfOffloadState = Define(Rule{
		ID:            "TREE-012",
		Level:         Definition,
		Text:          "The host offloads three layers of state: neighbor (layer 2: next-hop MAC and upkeep data), path (layer 3: source and destination IP, path MTU), TCP (layer 4: connection parameters).",
		Sources:       []string{treePgLayers},
		Observability: HostObligation,
		Note:          "Definition; the suite builds neighbor, path and TCP blocks from it.",
	})

	// TreeConveyedByRootPointer: OffloadBlockList is the root.
	TreeConveyedByRootPointer = Define(Rule{
		ID:            "TREE-013",
		Level:         Definition,
		Text:          "The host hands a tree to a MiniportXxxOffload handler as an OffloadBlockList pointer to the root block; every other block is reachable from the root through dependent and next links.",
		Sources:       []string{treePgStateTree, treePgBlockList},
		Observability: HostObligation,
		Note:          "Definition; one tree can offload or reference many TCP connections and their paths and neighbors.",
	})

	// TreeHasAtMostThreeLevels: neighbor bottom, path middle, TCP top.
	TreeHasAtMostThreeLevels = Define(Rule{
		ID:            "TREE-014",
		Level:         Definition,
		Text:          "A tree has at most three vertical levels: neighbor at the bottom, path in the middle, TCP connection at the top.",
		Sources:       []string{treePgStateTree},
		Observability: HostObligation,
		Note:          "The host never builds a deeper tree.",
	})

	// LayerWidthIsUnbounded: any number of blocks per layer.
	LayerWidthIsUnbounded = Define(Rule{
		ID:            "TREE-015",
		Level:         Definition,
		Text:          "Nothing bounds how many blocks the host links at one layer; the target has to walk next-block lists of any length.",
		Sources:       []string{treePgStateTree},
		Observability: Observable,
		Note:          "A target may fail excess objects with resource statuses, but it has to reach and give a status to every block.",
	})

	// SharingOfLowerLayerObjects: several TCP per path, several paths per neighbor.
	SharingOfLowerLayerObjects = Define(Rule{
		ID:            "TREE-016",
		Level:         Definition,
		Text:          "Several TCP objects may depend on (share) one path object and several paths one neighbor; sharers of a path use one interface and path MTU, sharers of a neighbor one next hop.",
		Sources:       []string{treePgStateTree},
		Observability: HostObligation,
		Note:          "Definition of 'depend'; the suite builds shared paths and neighbors consistently.",
	})

	// TargetKeepsInternalLinks: TCP -> path -> neighbor association.
	TargetKeepsInternalLinks = Define(Rule{
		ID:            "TREE-017",
		Level:         Must,
		Text:          "The target keeps its own internal record of the tree it offloaded, linking each offloaded TCP object to its path object and each offloaded path object to its neighbor object.",
		Sources:       []string{treePgInternalTrees},
		Observability: Internal,
		Conflict:      "CONFLICT-TREE-07",
		Note:          "Internal representation; its effects (headers built from path/neighbor state) only show on the wire.",
	})

	// InternalTreeShapeIsFree: the inverted tree is an example.
	InternalTreeShapeIsFree = Define(Rule{
		ID:            "TREE-018",
		Level:         May,
		Text:          "The target may represent offloaded state as it likes, e.g. one inverted tree per neighbor linked through the PVOIDs it issued, no neighbor-to-neighbor links, direct TCP lookup on receive.",
		Sources:       []string{treePgInternalTrees},
		Observability: Permission,
		Conflict:      "CONFLICT-TREE-07",
		Note:          "The page calls its description an example, not a prescription.",
	})

	// TraversalStartsAfterInitiateReturns: offloading happens after the handler returns.
	TraversalStartsAfterInitiateReturns = Define(Rule{
		ID:            "TREE-019",
		Level:         Must,
		Text:          "The target walks the tree and offloads its state into its context areas only after MiniportInitiateOffload has returned, not inside the call.",
		Sources:       []string{treePgTraversing, treePgInitiateDDI},
		Observability: Internal,
		Ops:           []string{OpInitiate},
		Note:          "Not reliably observable: once the handler has queued the tree, the target's own thread may start the traversal before the call has returned, so a host looking at the slots at return cannot tell a target that walks the tree inside the call from one whose worker raced ahead; no spec can fail only the faulty target. The visible part, the completion after return, is INIT-002 (and INIT-006).",
	})

	// DepthFirstBreadthNextOrder: the required traversal order.
	DepthFirstBreadthNextOrder = Define(Rule{
		ID:            "TREE-020",
		Level:         Must,
		Text:          "The target offloads a tree's state in depth-first/breadth-next order; the pages stress that this order is essential, so that as many TCP connections as possible get offloaded.",
		Sources:       []string{treePgTraversing, treePgInitiateDDI},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "Per-layer limits hide the order; a declared bound on host-memory objects (all layers together) shows it: with room for k more objects, exactly the first k blocks of the order are offloaded. Skipped when that bound is undeclared.",
	})

	// DepthFirstBreadthNextMeaning: what the order is.
	DepthFirstBreadthNextMeaning = Define(Rule{
		ID:            "TREE-021",
		Level:         Definition,
		Text:          "Depth-first/breadth-next means: handle a block, then its whole DependentBlockList subtree, then its NextBlock; the example order is N1,P1,T1,T2,P2,T3,N2,P3,T4,T5.",
		Sources:       []string{treePgTraversing},
		Observability: Internal,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-TREE-08",
		Note:          "Pre-order walk with dependents before siblings; at each block only new offload state is offloaded. See CONFLICT-TREE-09 for the example's step 13.",
	})

	// TCPEnabledOnceOffloaded: a connection is live when offloaded.
	TCPEnabledOnceOffloaded = Define(Rule{
		ID:            "TREE-022",
		Level:         Definition,
		Text:          "A TCP connection is live in the target as soon as the target has offloaded it during the traversal, before the initiate operation completes.",
		Sources:       []string{treePgTraversing},
		Observability: NeedsWire,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Only segment handling on the wire during a pending initiate shows it; receive indications still wait for the completion (processing-events page).",
	})
)

// ROLE: placeholders, linkers and new offloads.
var (
	// BlockRolesByContext: the role follows from MiniportOffloadContext.
	BlockRolesByContext = Define(Rule{
		ID:            "ROLE-001",
		Level:         Definition,
		Text:          "Each block acts as a placeholder, a linker or a new offload, decided by whether MiniportOffloadContext is NULL and, if not, whether the PVOID it points to is NULL.",
		Sources:       []string{treePgBlockList, treePgRoles},
		Observability: HostObligation,
		Note:          "Definition; the suite encodes roles this way.",
	})

	// PlaceholderDefinition: NULL MiniportOffloadContext.
	PlaceholderDefinition = Define(Rule{
		ID:            "ROLE-002",
		Level:         Definition,
		Text:          "A placeholder is a block whose MiniportOffloadContext is NULL: it has no state, references no offloaded object, is not followed by state and only anchors dependent blocks.",
		Sources:       []string{treePgBlockList, treePgRoles, treePgInitiateDDI},
		Observability: HostObligation,
		Note:          "A placeholder may have no DependentBlockList. The block-types figure writes '*MiniportOffloadContext = NULL' in declaration notation; the text means the member itself is NULL.",
	})

	// PlaceholderTypeNotSignificant: Type of a placeholder is meaningless.
	PlaceholderTypeNotSignificant = Define(Rule{
		ID:            "ROLE-003",
		Level:         Definition,
		Text:          "A placeholder's Header.Type is not significant; the target does not rely on it.",
		Sources:       []string{treePgRoles},
		Observability: Observable,
		Conflict:      "CONFLICT-TREE-01",
		Note:          "Tested only when the switch makes the suite put an unrelated Type into placeholders.",
	})

	// TargetFollowsPlaceholderLinks: placeholders do not stop the walk.
	TargetFollowsPlaceholderLinks = Define(Rule{
		ID:            "ROLE-004",
		Level:         Must,
		Text:          "When walking a tree the target follows the DependentBlockList and NextBlock links of placeholders and processes the blocks they lead to.",
		Sources:       []string{treePgRoles},
		Observability: Observable,
	})

	// PlaceholderGetsStatus: placeholders are not skipped when writing Status.
	PlaceholderGetsStatus = Define(Rule{
		ID:            "ROLE-005",
		Level:         Must,
		Text:          "For every one of the five operations the target writes a Status into each placeholder block before it completes the operation.",
		Sources:       []string{treePgRoles, treePgBlockList},
		Observability: Observable,
		Conflict:      "CONFLICT-TREE-05",
		Note:          "The page says 'before returning'; the suite reads 'before completing'.",
	})

	// LonePlaceholderSucceeds: a placeholder without dependents gets SUCCESS.
	LonePlaceholderSucceeds = Define(Rule{
		ID:            "ROLE-006",
		Level:         Must,
		Text:          "A placeholder whose DependentBlockList is NULL gets NDIS_STATUS_SUCCESS from the target.",
		Sources:       []string{treePgRoles},
		Observability: Observable,
	})

	// PlaceholderAlwaysSucceedsOnInitiate: the role table.
	PlaceholderAlwaysSucceedsOnInitiate = Define(Rule{
		ID:            "ROLE-007",
		Level:         Must,
		Text:          "In an initiate tree the target always writes NDIS_STATUS_SUCCESS into a placeholder, whatever happens to the blocks that depend on it.",
		Sources:       []string{treePgRoles},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-10",
		Note:          "The role table is drawn for initiate trees; for the other operations the per-operation status lists apply.",
	})

	// LinkerDefinition: non-NULL slot value.
	LinkerDefinition = Define(Rule{
		ID:            "ROLE-008",
		Level:         Definition,
		Text:          "A linker is a block whose MiniportOffloadContext points to a non-NULL PVOID: it references an already offloaded object of the layer Type names, and no state follows it.",
		Sources:       []string{treePgRoles},
		Observability: HostObligation,
		Note:          "Definition; the PVOID is the one the target issued for that object.",
	})

	// LinkerHasNewDependents: the host only uses linkers to attach new state.
	LinkerHasNewDependents = Define(Rule{
		ID:            "ROLE-009",
		Level:         Definition,
		Text:          "The host always gives a linker a DependentBlockList that conveys new state to offload.",
		Sources:       []string{treePgRoles},
		Observability: HostObligation,
		Note:          "Host builds it so; the suite never sends a linker without dependents.",
	})

	// TargetAttachesNewStateToLinked: new dependents go under the referenced object.
	TargetAttachesNewStateToLinked = Define(Rule{
		ID:            "ROLE-010",
		Level:         Must,
		Text:          "The target links the new state offloaded from a linker's dependent blocks to the already offloaded object the linker references.",
		Sources:       []string{treePgRoles},
		Observability: NeedsWire,
		Ops:           []string{OpInitiate},
		Note:          "Visible only in the headers of the new connection's frames (IP/MAC from the linked path/neighbor).",
	})

	// LinkerSuccessWhenAllDependentsOffloaded: linker status, all good.
	LinkerSuccessWhenAllDependentsOffloaded = Define(Rule{
		ID:            "ROLE-011",
		Level:         Must,
		Text:          "In an initiate, the target writes NDIS_STATUS_SUCCESS into a linker when every immediately dependent block was offloaded.",
		Sources:       []string{treePgRoles, treePgInitiateStatus},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "'Dependent blocks' read as immediately dependent: the DependentBlockList block and its NextBlock chain.",
	})

	// LinkerPartialWhenSomeDependentsFail: linker status, some failed.
	LinkerPartialWhenSomeDependentsFail = Define(Rule{
		ID:            "ROLE-012",
		Level:         Must,
		Text:          "In an initiate, the target writes NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS into a linker when some, but not all, immediately dependent blocks failed to offload.",
		Sources:       []string{treePgRoles, treePgBlockList, treePgInitiateStatus},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-01",
		Note:          "The role table names it NDIS_STATUS_PARTIAL_SUCCESS (no such value exists); 'not all' follows CONFLICT-INIT-11.",
	})

	// LinkerFailureWhenAllDependentsFail: linker status, all failed.
	LinkerFailureWhenAllDependentsFail = Define(Rule{
		ID:            "ROLE-013",
		Level:         Must,
		Text:          "In an initiate, the target writes NDIS_STATUS_FAILURE into a linker when every immediately dependent block failed to offload.",
		Sources:       []string{treePgRoles},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Conflict:      "CONFLICT-INIT-11",
	})

	// NewOffloadDefinition: NULL slot value.
	NewOffloadDefinition = Define(Rule{
		ID:            "ROLE-014",
		Level:         Definition,
		Text:          "A new offload block has a non-NULL MiniportOffloadContext pointing to a NULL PVOID; its Type names the state to offload, and that state always follows it in memory.",
		Sources:       []string{treePgRoles, treePgBlockList, treePgStoring, treePgInitiateDDI},
		Observability: HostObligation,
		Note:          "The host zeroes the slot for new state.",
	})

	// NewOffloadStatusReflectsOutcome: status of a new offload block.
	NewOffloadStatusReflectsOutcome = Define(Rule{
		ID:            "ROLE-015",
		Level:         Definition,
		Text:          "The Status the target writes into a new offload block reports the outcome of offloading that block's own state (and, per the initiate list, its immediately dependent blocks).",
		Sources:       []string{treePgRoles, treePgBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "Allowed values and conditions are the initiate completion rules; here the suite checks that an offloaded status comes with a written context (CTX-002); the reverse, no context for a failed block, is INIT-009.",
	})
)

// CTX: MiniportOffloadContext, offload contexts, NdisOffloadHandle, offload context area.
var (
	// OffloadContextSlotMeaning: what MiniportOffloadContext points to.
	OffloadContextSlotMeaning = Define(Rule{
		ID:            "CTX-001",
		Level:         Definition,
		Text:          "MiniportOffloadContext points to a PVOID-sized host slot: NULL there means new state to offload; a non-NULL value is the PVOID the target issued for an offloaded object.",
		Sources:       []string{treePgBlockList, treePgStoring, treePgRoles},
		Observability: HostObligation,
		Note:          "Definition of the slot; the host owns its storage. The target's side, writing through the member and never into it, is RSV-012.",
	})

	// TargetWritesContextOnOffload: the PVOID is written before completion.
	TargetWritesContextOnOffload = Define(Rule{
		ID:            "CTX-002",
		Level:         Must,
		Text:          "For each new offload block it offloads, the target writes a non-NULL PVOID that references the object's context area into *MiniportOffloadContext before calling NdisMInitiateOffloadComplete.",
		Sources:       []string{treePgBlockList, treePgOffloadHandle, treePgStoring, treePgInitiateDDI, pgInitHandler, pgInitBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Note:          "Non-NULL is stated by the offload-context figure on the storing page. Not writing on failure is an initiate rule.",
	})

	// OffloadHandleStructure: NDIS_OFFLOAD_HANDLE.
	OffloadHandleStructure = Define(Rule{
		ID:            "CTX-003",
		Level:         Definition,
		Text:          "NDIS_OFFLOAD_HANDLE is a driver's context for an offloaded object; an intermediate driver propagating an offload passes one, whose MiniportOffloadContext the lower driver fills.",
		Sources:       []string{treePgOffloadHandle, treePgNumericValues},
		Observability: HostObligation,
		Conflict:      "CONFLICT-TREE-10",
		Note:          "Binds intermediate drivers and NDIS; the suite's slot plays this role.",
	})

	// OneContextAreaPerObject: unique context area.
	OneContextAreaPerObject = Define(Rule{
		ID:            "CTX-004",
		Level:         Must,
		Text:          "The target allocates a separate offload context area for every state object it offloads, so no two objects offloaded at the same time share a PVOID.",
		Sources:       []string{treePgContextArea, treePgStoring},
		Observability: Observable,
		Note:          "Read as: PVOIDs of objects offloaded at the same time are pairwise distinct. Reuse after terminate is not restricted.",
	})

	// ContextAreaLocation: host or NIC memory.
	ContextAreaLocation = Define(Rule{
		ID:            "CTX-005",
		Level:         May,
		Text:          "The target may place an offload context area in host memory or in NIC memory.",
		Sources:       []string{treePgContextArea, treePgStoring},
		Observability: Permission,
		Note:          "The PVOID is opaque to the host.",
	})

	// ContextAreaHoldsState: the offloaded object.
	ContextAreaHoldsState = Define(Rule{
		ID:            "CTX-006",
		Level:         Must,
		Text:          "The target copies the state that follows a new offload block into the object's context area, which holds the offloaded state object.",
		Sources:       []string{treePgContextArea, treePgStoring, treePgInitiateDDI, statePgObjects},
		Observability: Internal,
		Note:          "Storage is internal; returned values are checked by the query and terminate rules.",
	})

	// ContextAreaHoldsHandle: the NdisOffloadHandle for TCP and neighbor.
	ContextAreaHoldsHandle = Define(Rule{
		ID:            "CTX-007",
		Level:         Must,
		Text:          "The target stores in a TCP or neighbor object's context area the NdisOffloadHandle of the block that offloaded that object.",
		Sources:       []string{treePgContextArea, treePgStoring},
		Observability: Internal,
		Layers:        []string{LayerTCP, LayerNeighbor},
		Conflict:      "CONFLICT-TREE-06",
		Note:          "Storage is internal; its use shows in indications (CTX-013).",
	})

	// ContextAreaHoldsTracking: internal bookkeeping.
	ContextAreaHoldsTracking = Define(Rule{
		ID:            "CTX-008",
		Level:         Must,
		Text:          "The target keeps in the context area whatever internal data it needs to track the object and its resources.",
		Sources:       []string{treePgContextArea},
		Observability: Internal,
		Note:          "Internal bookkeeping.",
	})

	// ContextAndHandleReferenceState: the two references.
	ContextAndHandleReferenceState = Define(Rule{
		ID:            "CTX-009",
		Level:         Definition,
		Text:          "Offloaded objects are referenced in two directions: the host names one to the target by the PVOID in *MiniportOffloadContext, the target names one to the host by its NdisOffloadHandle.",
		Sources:       []string{treePgBlockList, treePgBlockLists, treePgStoring},
		Observability: HostObligation,
		Note:          "Definition.",
	})

	// ContextStaysValidWhileOffloaded: the PVOID is good until the object leaves.
	ContextStaysValidWhileOffloaded = Define(Rule{
		ID:            "CTX-010",
		Level:         Must,
		Text:          "A PVOID the target issued stays valid for as long as its object remains offloaded, so later query, update, invalidate and terminate calls can use it.",
		Sources:       []string{treePgStoring},
		Observability: Observable,
	})

	// HostReferencesByContextSlot: how later operations name objects.
	HostReferencesByContextSlot = Define(Rule{
		ID:            "CTX-011",
		Level:         Definition,
		Text:          "In query, update, invalidate and terminate trees the host names an offloaded object by a MiniportOffloadContext pointing to a slot that holds the object's PVOID.",
		Sources:       []string{treePgStoring},
		Observability: HostObligation,
		Ops:           []string{OpQuery, OpUpdate, OpInvalidate, OpTerminate},
		Note:          "The suite keeps the slots the target filled at initiate and reuses them.",
	})

	// TargetResolvesContext: operations act on the referenced object.
	TargetResolvesContext = Define(Rule{
		ID:            "CTX-012",
		Level:         Must,
		Text:          "The target applies a query, update, invalidate or terminate block to exactly the object whose context area the PVOID in its slot references.",
		Sources:       []string{treePgStoring},
		Observability: Observable,
		Ops:           []string{OpQuery, OpUpdate, OpInvalidate, OpTerminate},
	})

	// HandleUsedInIndications: NdisOffloadHandle in event/receive calls.
	HandleUsedInIndications = Define(Rule{
		ID:            "CTX-013",
		Level:         Must,
		Text:          "When indicating on an offloaded object via NdisTcpOffloadEventHandler or NdisTcpOffloadReceiveHandler, the target passes the NdisOffloadHandle it stored for that object.",
		Sources:       []string{treePgBlockList, treePgStoring},
		Observability: NeedsDataPath,
		Note:          "Only indications show the handle.",
	})

	// PathHandleShouldBeStored: future-proofing.
	PathHandleShouldBeStored = Define(Rule{
		ID:            "CTX-014",
		Level:         Should,
		Text:          "The target should store a path object's NdisOffloadHandle in its context area too, although no current indication refers to a path.",
		Sources:       []string{treePgStoring, treePgContextArea},
		Observability: Internal,
		Layers:        []string{LayerPath},
		Conflict:      "CONFLICT-TREE-06",
		Note:          "Never used in indications today, so never visible.",
	})

	// NoIndicationOnPath: indications never name a path.
	NoIndicationOnPath = Define(Rule{
		ID:            "CTX-015",
		Level:         MustNot,
		Text:          "The target never passes a path object's handle to an indication function; indications refer to TCP or neighbor objects only.",
		Sources:       []string{treePgStoring},
		Observability: NeedsDataPath,
		Layers:        []string{LayerPath},
		Note:          "Only indications show it.",
	})
)

// RSV: reserved and other members the target must or must not modify.
var (
	// NdisReservedBelongsToNDIS: NdisReserved of the block and of NDIS_OFFLOAD_HANDLE.
	NdisReservedBelongsToNDIS = Define(Rule{
		ID:            "RSV-001",
		Level:         Definition,
		Text:          "NdisReserved, in a block list and in NDIS_OFFLOAD_HANDLE, is reserved for NDIS.",
		Sources:       []string{treePgBlockList, treePgOffloadHandle},
		Observability: HostObligation,
		Note:          "The host's side: the harness fills NdisReserved with canaries. No explicit must-not-modify for the target (unlike ProtocolReserved, ImReserved, SourceHandle); the target's side, read from the owner the page names, is RSV-009.",
	})

	// ProtocolReservedUntouched: must not modify.
	ProtocolReservedUntouched = Define(Rule{
		ID:            "RSV-002",
		Level:         MustNot,
		Text:          "The target does not modify ProtocolReserved in any block; that area belongs to protocol drivers.",
		Sources:       []string{treePgBlockList},
		Observability: Observable,
	})

	// MiniportReservedForTarget: the target's own area.
	MiniportReservedForTarget = Define(Rule{
		ID:            "RSV-003",
		Level:         May,
		Text:          "The target may use MiniportReserved for its own purposes, such as queuing the block's offload state.",
		Sources:       []string{treePgBlockList},
		Observability: Permission,
		Note:          "Any content is allowed; the host ignores it.",
	})

	// ImReservedUntouched: must not modify.
	ImReservedUntouched = Define(Rule{
		ID:            "RSV-004",
		Level:         MustNot,
		Text:          "The target does not modify ImReserved in any block; that area belongs to intermediate drivers.",
		Sources:       []string{treePgBlockList},
		Observability: Observable,
	})

	// ScratchForTarget: internal tracking area.
	ScratchForTarget = Define(Rule{
		ID:            "RSV-005",
		Level:         May,
		Text:          "The target may use Scratch for internal tracking.",
		Sources:       []string{treePgBlockList},
		Observability: Permission,
		Note:          "Any content is allowed.",
	})

	// ScratchValidOnlyWhileOwned: meaning ends with ownership.
	ScratchValidOnlyWhileOwned = Define(Rule{
		ID:            "RSV-006",
		Level:         Definition,
		Text:          "What the target keeps in Scratch is valid only while the target owns the block list, i.e. until it completes the operation.",
		Sources:       []string{treePgBlockList},
		Observability: HostObligation,
		Note:          "Host never interprets Scratch after completion.",
	})

	// SourceHandleUntouched: not significant, must not modify.
	SourceHandleUntouched = Define(Rule{
		ID:            "RSV-007",
		Level:         MustNot,
		Text:          "SourceHandle means nothing to the target, and the target does not modify it in any block.",
		Sources:       []string{treePgBlockList},
		Observability: Observable,
	})

	// PortNumberMeaning: miniport port.
	PortNumberMeaning = Define(Rule{
		ID:            "RSV-008",
		Level:         Definition,
		Text:          "PortNumber names the miniport adapter port (allocated by NdisMAllocatePort) of the block; zero is the default port, used when the miniport allocated no ports.",
		Sources:       []string{treePgBlockList},
		Observability: HostObligation,
		Note:          "The host sets it (0 for a target without ports). The block-list figure omits this member; the DDI has it. No target-side rule: the page reserves PortNumber for no one and its wording ('call NdisMAllocatePort', 'use the default port') addresses the miniport as much as the host, so nothing in it forbids a target to write the member.",
	})
)

var (
	ConflictPlaceholderType = DefineConflict(Conflict{
		ID:      "CONFLICT-TREE-01",
		Pages:   []string{treePgRoles, treePgBlockList},
		Summary: "The role table says a placeholder's Type is not significant; the DDI says Type names the block's state type and the layer its NextBlock list belongs to, for every block.",
		Reading: "The suite always gives a placeholder a Type of its own layer (satisfies both pages) and does not test that a target ignores a placeholder's Type.",
		Switch:  "placeholderTypeArbitrary",
	})

	ConflictPlaceholderStatusTiming = DefineConflict(Conflict{
		ID:      "CONFLICT-TREE-05",
		Pages:   []string{treePgRoles, treePgBlockList, treePgBlockLists},
		Summary: "The role page says to write the placeholder's Status 'before returning from' the operation; the DDI and block-list pages say before completing it, and every handler returns before it completes.",
		Reading: "The Status must be in place when the completion hands the tree back; nothing is required at handler return.",
		Switch:  "",
	})

	ConflictContextAreaHandle = DefineConflict(Conflict{
		ID:      "CONFLICT-TREE-06",
		Pages:   []string{treePgContextArea, treePgStoring},
		Summary: "The context-area page requires every context area to hold the object's NdisOffloadHandle; the storing page requires it only for TCP and neighbor objects and only recommends it for paths.",
		Reading: "Must for TCP and neighbor objects, Should for path objects. Internal either way.",
		Switch:  "",
	})

	ConflictInternalTreePrescriptive = DefineConflict(Conflict{
		ID:      "CONFLICT-TREE-07",
		Pages:   []string{treePgInternalTrees},
		Summary: "The page opens by saying the target must build its own internal version of the tree and closes by calling the description an example that prescribes nothing.",
		Reading: "The target must keep the TCP-to-path and path-to-neighbor associations; how it represents them is free. Internal either way.",
		Switch:  "",
	})

	ConflictNextBlockListName = DefineConflict(Conflict{
		ID:      "CONFLICT-TREE-08",
		Pages:   []string{treePgTraversing, treePgBlockList, treePgBlockLists},
		Summary: "The traversal page calls the horizontal link member NextBlockList; the DDI and block-list pages (and the header) call it NextBlock.",
		Reading: "The member is NextBlock.",
		Switch:  "",
	})

	ConflictTraversalStep13 = DefineConflict(Conflict{
		ID:      "CONFLICT-TREE-09",
		Pages:   []string{treePgTraversing},
		Summary: "Step 13 of the worked example says there is no next block after Path3 or Neighbor2 and 'returns to Path3', but the walk is at TCP5 then; the figure numbers the offloads 1-10 as N1,P1,T1,T2,P2,T3,N2,P3,T4,T5.",
		Reading: "Step 13 means: no next block after TCP5, back to Path3, then Neighbor2. The order is the figure's numbering.",
		Switch:  "",
	})

	ConflictOffloadHandleSlot = DefineConflict(Conflict{
		ID:      "CONFLICT-TREE-10",
		Pages:   []string{treePgOffloadHandle, treePgBlockList, treePgNumericValues},
		Summary: "The NDIS_OFFLOAD_HANDLE page calls its MiniportOffloadContext a pointer to the host slot; the header declares it a PVOID, the slot itself, and the block list's MiniportOffloadContext (PVOID*) points at such a slot.",
		Reading: "The slot is one PVOID of host memory; the block's MiniportOffloadContext points to it and the target writes its PVOID there.",
		Switch:  "",
	})
)

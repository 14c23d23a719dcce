// Rules of the members a target must leave as the host wrote them: the target-side duties
// that follow from members the pages give to NDIS, to the host or to nobody (reserved).
//
// Each rule here is the target's side of a definition or host obligation catalogued elsewhere
// (TREE-002, TREE-009/010, CTX-001, RSV-001, STATE-001/002/051, SEND-003): where the pages say
// who writes a member and a target could still be seen to change it in a tree it hands back.
// Each Note says which words of the pages carry the duty. Members the pages give the target
// (Status, the PVOID behind MiniportOffloadContext, MiniportReserved, Scratch, the variables of
// queried and terminated state, NetBufferListChain of a terminated connection) have no rule
// here; neither do members no page gives to anyone in words that reach the target (PortNumber,
// DWnd), whose notes say why.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	dutyPgBlockList      = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	dutyPgObjectHeader   = "ddi/ns-objectheader-ndis_object_header.md"
	dutyPgOffloadHandle  = "ddi/ns-ndischimney-_ndis_offload_handle.md"
	dutyPgBlockLists     = "concepts/offload-block-lists.md"
	dutyPgStateTree      = "concepts/offload-state-tree.md"
	dutyPgStoring        = "concepts/storing-and-referencing-offloaded-state.md"
	dutyPgContextArea    = "concepts/creating-an-offload-context-area.md"
	dutyPgIMReferencing  = "concepts/referencing-offloaded-state-through-an-intermediate-driver.md"
	dutyPgStateHeader    = "ddi/ns-ndischimney-_offload_state_header.md"
	dutyPgNeighborConst  = "ddi/ns-ndischimney-_neighbor_offload_state_const.md"
	dutyPgNeighborCached = "ddi/ns-ndischimney-_neighbor_offload_state_cached.md"
	dutyPgNeighborDeleg  = "ddi/ns-ndischimney-_neighbor_offload_state_delegated.md"
	dutyPgPathConst      = "ddi/ns-ndischimney-_path_offload_state_const.md"
	dutyPgPathCached     = "ddi/ns-ndischimney-_path_offload_state_cached.md"
	dutyPgPathDelegated  = "ddi/ns-ndischimney-_path_offload_state_delegated.md"
	dutyPgTCPConst       = "ddi/ns-ndischimney-_tcp_offload_state_const.md"
	dutyPgTCPCached      = "ddi/ns-ndischimney-_tcp_offload_state_cached.md"
	dutyPgTCPDelegated   = "ddi/ns-ndischimney-_tcp_offload_state_delegated.md"
	dutyPgStateObjects   = "concepts/offload-state-objects.md"
	dutyPgQueryDDI       = "ddi/nc-ndischimney-w_query_offload_handler.md"
	dutyPgTerminateDDI   = "ddi/nc-ndischimney-w_terminate_offload_handler.md"
	dutyPgTerminateDone  = "ddi/nf-ndischimney-ndismterminateoffloadcomplete.md"
	dutyPgSendData       = "concepts/handling-outstanding-send-data-during-and-after-an-offload-operation.md"
	dutyPgNumericValues  = "NUMERIC-VALUES.md"
)

// dutyPgStatePages are the nine state-structure pages, each of which says "NDIS sets the Length
// member of Header ... The RecognizedOptions member of Header is reserved."
var dutyPgStatePages = []string{
	dutyPgStateHeader, dutyPgNeighborConst, dutyPgNeighborCached, dutyPgNeighborDeleg, dutyPgPathConst,
	dutyPgPathCached, dutyPgPathDelegated, dutyPgTCPConst, dutyPgTCPCached, dutyPgTCPDelegated,
}

// RSV (continued): members of the block and of the state structures that stay as the host wrote them.
var (
	// NdisReservedUntouched: the target's side of RSV-001.
	NdisReservedUntouched = Define(Rule{
		ID:            "RSV-009",
		Level:         Definition,
		Text:          "NdisReserved of every block is NDIS's: the target hands every tree back with it as the host wrote it.",
		Sources:       []string{dutyPgBlockList},
		Observability: Observable,
		Note: "The block-list page gives each reserved area an owner: NdisReserved to NDIS, ProtocolReserved to protocol drivers, ImReserved to intermediate drivers, " +
			"and MiniportReserved and Scratch, by name, to the offload target. Only for the last two does it say the target can use the area; an area reserved for another " +
			"party is not the target's to write, although, unlike ProtocolReserved and ImReserved, the page adds no 'must not modify'. Hence a definition, read on the " +
			"target's side. The harness fills NdisReserved with canaries made from each block's position (RSV-001 is the host's side).",
	})

	// BlockHeaderUntouched: the target's side of TREE-002.
	BlockHeaderUntouched = Define(Rule{
		ID:            "RSV-010",
		Level:         Definition,
		Text:          "The NDIS_OBJECT_HEADER of every block (Type, Revision, Size) is the host's: the target hands every tree back with it as the host wrote it.",
		Sources:       []string{dutyPgBlockList, dutyPgObjectHeader, dutyPgBlockLists, dutyPgTCPDelegated},
		Observability: Observable,
		Note: "The pages define the header as the host fills it (TREE-002): Type names the state that follows the block in memory (TREE-003), Revision the revision of " +
			"that state structure (STATE-003), Size the size of the block, and they name no case in which the target writes it. The host reads a tree it gets back " +
			"through the same header (which structures a query or terminate filled, at what revision), so a target that rewrites it changes what the host reads. " +
			"A placeholder's Type is not significant to the target (ROLE-003), but it is still the host's. Definition: no page says 'must not' in words.",
	})

	// TreeLinksUntouched: the target's side of TREE-009, TREE-010 and TREE-013.
	TreeLinksUntouched = Define(Rule{
		ID:            "RSV-011",
		Level:         Definition,
		Text:          "The target hands a tree back with the NextBlock and DependentBlockList of every block as the host built them: the same blocks, linked the same way.",
		Sources:       []string{dutyPgBlockList, dutyPgBlockLists, dutyPgStateTree},
		Observability: Observable,
		Note: "The host builds the links (TREE-009, TREE-010) and conveys the tree by its root (TREE-013); the block-list page says the target 'returns the tree to the " +
			"host stack by passing the same pointer to the corresponding completion function', so the tree it returns is the host's tree, reachable as built. A target " +
			"that relinks, drops or adds a block hides blocks, or shows others, in place of the ones whose Status and context the host reads. The pointer itself is " +
			"INIT-010, QRY-017, UPD-014, INV-014 and TERM-010; a block no longer reachable also counts as one whose Status was never written.",
	})

	// ContextPointerUntouched: the target's side of CTX-001.
	ContextPointerUntouched = Define(Rule{
		ID:            "RSV-012",
		Level:         Definition,
		Text:          "The target writes its PVOID through MiniportOffloadContext, never into the member: every block comes back pointing at the host's own slot, and a placeholder's stays NULL.",
		Sources:       []string{dutyPgBlockList, dutyPgStoring, dutyPgOffloadHandle},
		Observability: Observable,
		Note: "MiniportOffloadContext is 'a pointer to a memory location into which the offload target writes a PVOID value'; NDIS_OFFLOAD_HANDLE calls that location " +
			"host memory, and NULL in the member itself makes the block a placeholder (ROLE-002). What the target writes is the PVOID at the location, not the pointer: " +
			"a target that points the member elsewhere (at a slot of its own, or NULL) leaves the host's slot unwritten while the block seems to carry a context.",
	})

	// OffloadHandleUntouched: the target's side of CTX-009.
	OffloadHandleUntouched = Define(Rule{
		ID:            "RSV-013",
		Level:         Definition,
		Text:          "NdisOffloadHandle of every block is the host's handle for its object: the target stores it and hands every tree back with it as the host set it.",
		Sources:       []string{dutyPgBlockList, dutyPgStoring, dutyPgContextArea, dutyPgIMReferencing},
		Observability: Observable,
		Note: "The storing page: each block 'contains an NdisOffloadHandle member that specifies a handle. The offload target stores this handle' and passes it back in " +
			"indications; the intermediate-driver page: the host or intermediate driver supplies its NDIS_OFFLOAD_HANDLE pointer and the target 'receives this pointer " +
			"in the NdisOffloadHandle member' in every state-manipulation call. The handle goes from the host to the target, never the other way; the block-list " +
			"wording 'the handle that the offload target supplies in subsequent calls' means the target passes it as a parameter of indications, not that it writes " +
			"the member. The harness gives every new offload a distinct handle and fills each linker's with the handle of the object it names.",
	})

	// StateLengthUntouched: the target's side of STATE-001.
	StateLengthUntouched = Define(Rule{
		ID:            "RSV-014",
		Level:         Definition,
		Text:          "OFFLOAD_STATE_HEADER.Length of every state structure after a block is NDIS's: the target leaves it as the host set it, also where it writes the structure's variables (query, terminate).",
		Sources:       append([]string{dutyPgQueryDDI, dutyPgTerminateDDI, dutyPgNumericValues}, dutyPgStatePages...),
		Observability: Observable,
		Note: "Every state-structure page says 'NDIS sets the Length member of Header to the size' of the structure; query and terminate ask the target to write 'the " +
			"current value of each variable', and Length is no variable but the size of the host's structure, by which the host finds the next structure of a " +
			"composite block (NUMERIC-VALUES 4.8). A target that copies in a header of its own (another layout's size, or zero) breaks it.",
	})

	// RecognizedOptionsUntouched: the target's side of STATE-002.
	RecognizedOptionsUntouched = Define(Rule{
		ID:            "RSV-015",
		Level:         Definition,
		Text:          "OFFLOAD_STATE_HEADER.RecognizedOptions is reserved: the target writes nothing into it, so every state structure comes back with it as the host set it.",
		Sources:       dutyPgStatePages,
		Observability: Observable,
		Note: "The pages say only 'Reserved' (STATE-002). The header is the host's (NDIS sets its Length, RSV-014), and a reserved member gives the target nothing to " +
			"write: where the block-list page means a reserved area for the target it says so (MiniportReserved, Scratch). The harness writes zero there, as reserved " +
			"members conventionally hold, and no canary: zero is the host's value, so a target that writes zero has changed nothing, and any other value is seen.",
	})

	// DelegatedFlagsHoldHostValue: the target's side of STATE-051.
	DelegatedFlagsHoldHostValue = Define(Rule{
		ID:            "RSV-016",
		Level:         Definition,
		Text:          "TCP_OFFLOAD_STATE_DELEGATED.Flags is reserved for system use: it holds only values the host wrote, left as handed over or, at query and terminate, the value offloaded.",
		Sources:       []string{dutyPgTCPDelegated, dutyPgStateObjects, dutyPgNumericValues, dutyPgQueryDDI, dutyPgTerminateDDI},
		Observability: Observable,
		Conflict:      "CONFLICT-RSV-01",
		Note: "'Reserved for system use' gives the member to the system (NDIS and the host stack), not to the target, which has no value of its own to put there. The " +
			"concept page nevertheless lists Flags among the delegated variables that query and terminate return; under CONFLICT-RSV-01 either is accepted at " +
			"query and terminate: the structure comes back with the Flags the host placed in it, or with the Flags it was offloaded with. At initiate and update the " +
			"target leaves it. The harness offloads a non-zero canary and fills the same canary where a tree carries zero, so a target that clears it is seen.",
	})

	// NetBufferListChainUntouched: the target's side of SEND-003 and SEND-040.
	NetBufferListChainUntouched = Define(Rule{
		ID:            "RSV-017",
		Level:         Definition,
		Text:          "Only in a terminate tree's blocks naming a TCP connection does the target write NetBufferListChain; in every other block of every operation it comes back as the host set it.",
		Sources:       []string{dutyPgBlockList, dutyPgSendData, dutyPgTerminateDone},
		Observability: Observable,
		Note: "The block-list page: the host sets NetBufferListChain to hand data to the target (at present only outstanding send data), the target 'completes such data " +
			"asynchronously back to the host stack by calling the appropriate NdisTcpOffloadXxxComplete function', and only 'when terminating the offload of a TCP " +
			"connection' does the target specify the member itself, to pass send data back (SEND-012, SEND-041). Elsewhere the member is the host's input: a target " +
			"that clears the chain it was handed at initiate, or puts lists into a query, update or invalidate block, or into a neighbor or path block, hands the " +
			"host lists where the pages give it none to read.",
	})
)

var (
	ConflictDelegatedFlags = DefineConflict(Conflict{
		ID:    "CONFLICT-RSV-01",
		Pages: []string{dutyPgTCPDelegated, dutyPgStateObjects, dutyPgQueryDDI, dutyPgTerminateDDI},
		Summary: "TCP_OFFLOAD_STATE_DELEGATED.Flags is 'reserved for system use' (DDI and concept page alike), which gives the target nothing to write; yet the concept page " +
			"lists it among the TCP delegated variables, the query handler has the target write 'the current value of each variable' and the DDI remarks have it pass 'the " +
			"value of the TCP delegated variables' back at terminate, which would make the target return Flags as it holds it.",
		Reading: "Both are accepted at query and terminate: Flags comes back as the host placed it in the structure, or as the value the object was offloaded with; any " +
			"other value breaks RSV-016. At initiate and update the target leaves it. The checks that a query or terminate wrote every delegated variable (STATE-021, " +
			"STATE-022) do not count Flags.",
		Switch: "",
	})
)

package ndis

import "fmt"

// ObjectHeader mirrors NDIS_OBJECT_HEADER (ntddndis.h). In a block list, Type carries an
// OffloadStateType and Size the size of the block list, header included.
type ObjectHeader struct {
	Type     OffloadStateType
	Revision uint8
	Size     uint16
}

// Context is the PVOID an offload target writes through MiniportOffloadContext: its reference
// to the offload context area of an offloaded state object. Zero is NULL.
type Context uint64

// Handle mirrors NDIS_HANDLE as used for NdisOffloadHandle: the host's reference to an
// offloaded state object, which the target passes back in indications. Zero is NULL.
type Handle uint64

// MiniportOffloadBlockList mirrors NDIS_MINIPORT_OFFLOAD_BLOCK_LIST (ndischimney.h), the block
// from which offload state trees are built, together with the state structures that follow it
// in memory. Which state structures are present is given by Header.Type; a block that carries
// others is expressible and Validate reports it.
type MiniportOffloadBlockList struct {
	Header             ObjectHeader
	NextBlock          *MiniportOffloadBlockList
	DependentBlockList *MiniportOffloadBlockList
	Status             Status
	NdisReserved       [2]uint64
	// MiniportOffloadContext points to the host's context slot. nil makes the block a
	// placeholder; a slot holding zero marks new state to offload; a slot holding a context
	// makes the block a linker (or, outside initiate, names the offloaded object).
	MiniportOffloadContext *Context
	NdisOffloadHandle      Handle
	ProtocolReserved       [2]uint64
	MiniportReserved       [2]uint64
	ImReserved             [2]uint64
	Scratch                [2]uint64
	SourceHandle           uint64
	PortNumber             uint32
	NetBufferListChain     *NetBufferList

	// The state structures that follow the block in memory.
	NeighborConst     *NeighborOffloadStateConst
	NeighborCached    *NeighborOffloadStateCached
	NeighborDelegated *NeighborOffloadStateDelegated
	PathConst         *PathOffloadStateConst
	PathCached        *PathOffloadStateCached
	PathDelegated     *PathOffloadStateDelegated
	TCPConst          *TCPOffloadStateConst
	TCPCached         *TCPOffloadStateCached
	TCPDelegated      *TCPOffloadStateDelegated
}

// Role is the function a block performs in a tree (placeholders, linkers and new offloads).
type Role uint8

// Block roles. Zero is left unused.
const (
	_ Role = iota
	// RolePlaceholder: MiniportOffloadContext is NULL; no state, only links.
	RolePlaceholder
	// RoleLinker: *MiniportOffloadContext holds a context; references offloaded state.
	RoleLinker
	// RoleNewOffload: *MiniportOffloadContext holds NULL; followed by state to offload.
	RoleNewOffload
)

func (r Role) String() string {
	switch r {
	case RolePlaceholder:
		return "placeholder"
	case RoleLinker:
		return "linker"
	case RoleNewOffload:
		return "new offload"
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// Role returns the block's role as its context slot defines it.
func (b *MiniportOffloadBlockList) Role() Role {
	switch {
	case b.MiniportOffloadContext == nil:
		return RolePlaceholder
	case *b.MiniportOffloadContext != 0:
		return RoleLinker
	}
	return RoleNewOffload
}

// Context returns the value in the block's context slot, or zero for a placeholder.
func (b *MiniportOffloadBlockList) Context() Context {
	if b.MiniportOffloadContext == nil {
		return 0
	}
	return *b.MiniportOffloadContext
}

// Layer returns the layer named by Header.Type (zero for a type of no layer).
func (b *MiniportOffloadBlockList) Layer() Layer { return b.Header.Type.Layer() }

// HasState reports whether any state structure follows the block.
func (b *MiniportOffloadBlockList) HasState() bool {
	return b.NeighborConst != nil || b.NeighborCached != nil || b.NeighborDelegated != nil ||
		b.PathConst != nil || b.PathCached != nil || b.PathDelegated != nil ||
		b.TCPConst != nil || b.TCPCached != nil || b.TCPDelegated != nil
}

// Present returns which classes of state structure follow the block, whatever its layer.
func (b *MiniportOffloadBlockList) Present() Classes {
	return Classes{
		Const:     b.NeighborConst != nil || b.PathConst != nil || b.TCPConst != nil,
		Cached:    b.NeighborCached != nil || b.PathCached != nil || b.TCPCached != nil,
		Delegated: b.NeighborDelegated != nil || b.PathDelegated != nil || b.TCPDelegated != nil,
	}
}

// Dependents returns the immediately dependent blocks: the block DependentBlockList points to
// and every block linked from it through NextBlock.
func (b *MiniportOffloadBlockList) Dependents() []*MiniportOffloadBlockList {
	return b.DependentBlockList.Siblings()
}

// Siblings returns b and the blocks linked from it through NextBlock, in order, stopping at a
// cycle.
func (b *MiniportOffloadBlockList) Siblings() []*MiniportOffloadBlockList {
	var out []*MiniportOffloadBlockList
	seen := visited{}
	if _, ok := lastInChain(b); ok {
		seen = nil // no loop: nothing to remember
	}
	for n := b; n != nil && seen.first(n); n = n.NextBlock {
		out = append(out, n)
	}
	return out
}

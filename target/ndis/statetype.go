package ndis

import "fmt"

// OffloadStateType mirrors OFFLOAD_STATE_TYPE (ndischimney.h): the value of Header.Type in a
// block list, naming the state structures that follow the block.
type OffloadStateType uint8

// OFFLOAD_STATE_TYPE values, numbered as in ndischimney.h. Zero is not a value of the enum.
const (
	NeighborOffloadConstState     OffloadStateType = 1
	NeighborOffloadCachedState    OffloadStateType = 2
	NeighborOffloadDelegatedState OffloadStateType = 3
	NeighborOffloadState          OffloadStateType = 4
	Ip4OffloadConstState          OffloadStateType = 5
	Ip4OffloadCachedState         OffloadStateType = 6
	Ip4OffloadDelegatedState      OffloadStateType = 7
	Ip4OffloadState               OffloadStateType = 8
	Ip6OffloadConstState          OffloadStateType = 9
	Ip6OffloadCachedState         OffloadStateType = 10
	Ip6OffloadDelegatedState      OffloadStateType = 11
	Ip6OffloadState               OffloadStateType = 12
	TcpOffloadConstState          OffloadStateType = 13
	TcpOffloadCachedState         OffloadStateType = 14
	TcpOffloadDelegatedState      OffloadStateType = 15
	TcpOffloadResourceState       OffloadStateType = 16
	TcpOffloadState               OffloadStateType = 17
	FilterReservedOffloadState    OffloadStateType = 0xFE
	MaximumOffloadState           OffloadStateType = 0xFF
)

var stateTypeNames = map[OffloadStateType]string{
	NeighborOffloadConstState: "NeighborOffloadConstState", NeighborOffloadCachedState: "NeighborOffloadCachedState",
	NeighborOffloadDelegatedState: "NeighborOffloadDelegatedState", NeighborOffloadState: "NeighborOffloadState",
	Ip4OffloadConstState: "Ip4OffloadConstState", Ip4OffloadCachedState: "Ip4OffloadCachedState",
	Ip4OffloadDelegatedState: "Ip4OffloadDelegatedState", Ip4OffloadState: "Ip4OffloadState",
	Ip6OffloadConstState: "Ip6OffloadConstState", Ip6OffloadCachedState: "Ip6OffloadCachedState",
	Ip6OffloadDelegatedState: "Ip6OffloadDelegatedState", Ip6OffloadState: "Ip6OffloadState",
	TcpOffloadConstState: "TcpOffloadConstState", TcpOffloadCachedState: "TcpOffloadCachedState",
	TcpOffloadDelegatedState: "TcpOffloadDelegatedState", TcpOffloadResourceState: "TcpOffloadResourceState",
	TcpOffloadState: "TcpOffloadState", FilterReservedOffloadState: "FilterReservedOffloadState",
	MaximumOffloadState: "MaximumOffloadState",
}

func (t OffloadStateType) String() string {
	if n, ok := stateTypeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("OFFLOAD_STATE_TYPE(%d)", uint8(t))
}

// Layer is a layer of offload state. Zero is left unused so that "no layer" is visible.
type Layer uint8

// The three layers of TCP chimney offload state, from the bottom of the tree up.
const (
	_ Layer = iota
	LayerNeighbor
	LayerPath
	LayerTCP
)

func (l Layer) String() string {
	switch l {
	case LayerNeighbor:
		return "neighbor"
	case LayerPath:
		return "path"
	case LayerTCP:
		return "tcp"
	}
	return fmt.Sprintf("Layer(%d)", uint8(l))
}

// Dependent returns the layer whose blocks a DependentBlockList of this layer may point to,
// or zero for the TCP layer, whose DependentBlockList is always NULL.
func (l Layer) Dependent() Layer {
	switch l {
	case LayerNeighbor:
		return LayerPath
	case LayerPath:
		return LayerTCP
	}
	return 0
}

// Above returns the layer whose DependentBlockList leads to blocks of this layer, or zero for
// the neighbor layer, which sits at the root.
func (l Layer) Above() Layer {
	switch l {
	case LayerPath:
		return LayerNeighbor
	case LayerTCP:
		return LayerPath
	}
	return 0
}

// Classes says which classes of state structure follow a block of this type.
type Classes struct{ Const, Cached, Delegated bool }

// Layer returns the layer a state type belongs to, or zero for a type of no layer.
func (t OffloadStateType) Layer() Layer {
	switch {
	case t >= NeighborOffloadConstState && t <= NeighborOffloadState:
		return LayerNeighbor
	case t >= Ip4OffloadConstState && t <= Ip6OffloadState:
		return LayerPath
	case t >= TcpOffloadConstState && t <= TcpOffloadState:
		return LayerTCP
	}
	return 0
}

// IsIPv6 reports whether the type is one of the Ip6 path types.
func (t OffloadStateType) IsIPv6() bool { return t >= Ip6OffloadConstState && t <= Ip6OffloadState }

// Classes returns the state structures that follow a block of this type, in memory order.
func (t OffloadStateType) Classes() Classes {
	switch t {
	case NeighborOffloadConstState, Ip4OffloadConstState, Ip6OffloadConstState, TcpOffloadConstState:
		return Classes{Const: true}
	case NeighborOffloadCachedState, Ip4OffloadCachedState, Ip6OffloadCachedState, TcpOffloadCachedState:
		return Classes{Cached: true}
	case NeighborOffloadDelegatedState, Ip4OffloadDelegatedState, Ip6OffloadDelegatedState, TcpOffloadDelegatedState:
		return Classes{Delegated: true}
	case NeighborOffloadState, Ip4OffloadState, Ip6OffloadState, TcpOffloadState:
		return Classes{Const: true, Cached: true, Delegated: true}
	}
	return Classes{}
}

// DelegatedType returns the delegated-only type of the same layer and IP version: the type of
// a block that carries only delegated state (as on terminate).
func (t OffloadStateType) DelegatedType() OffloadStateType {
	switch {
	case t.Layer() == LayerNeighbor:
		return NeighborOffloadDelegatedState
	case t.Layer() == LayerPath && t.IsIPv6():
		return Ip6OffloadDelegatedState
	case t.Layer() == LayerPath:
		return Ip4OffloadDelegatedState
	case t.Layer() == LayerTCP:
		return TcpOffloadDelegatedState
	}
	return 0
}

package ndis

import "fmt"

// Defect names one way a tree breaks the documented shape of an offload state tree.
type Defect uint8

// Tree defects. Zero is left unused.
const (
	_ Defect = iota
	// DefectUnknownType: a block that is not a placeholder has a Type of no layer.
	DefectUnknownType
	// DefectNextBlockLayer: NextBlock links blocks of different layers.
	DefectNextBlockLayer
	// DefectDependentLayer: DependentBlockList points to a block of the wrong layer, or a TCP
	// block has a dependent.
	DefectDependentLayer
	// DefectStateMismatch: the state structures after a new-offload block are not the ones its
	// Type names.
	DefectStateMismatch
	// DefectStateOnPlaceholderOrLinker: a placeholder or linker is followed by offload state
	// in an initiate tree.
	DefectStateOnPlaceholderOrLinker
	// DefectLinkerWithoutDependent: a linker does not point to a dependent block list.
	DefectLinkerWithoutDependent
	// DefectReachedTwice: a block is reached twice (a cycle or a shared block).
	DefectReachedTwice
	// DefectAddressFamily: a path's addresses do not match its Ip4/Ip6 type.
	DefectAddressFamily
	// DefectTooDeep: DependentBlockList links lead more than MaxDepth levels down; Walk
	// does not follow them further.
	DefectTooDeep
)

var defectNames = map[Defect]string{
	DefectUnknownType:                "block Type names no offload layer",
	DefectNextBlockLayer:             "NextBlock links blocks of different layers",
	DefectDependentLayer:             "DependentBlockList points to the wrong layer",
	DefectStateMismatch:              "state structures do not match Header.Type",
	DefectStateOnPlaceholderOrLinker: "placeholder or linker carries offload state",
	DefectLinkerWithoutDependent:     "linker has no dependent block list",
	DefectReachedTwice:               "block reached twice",
	DefectAddressFamily:              "path addresses do not match the IP version of Header.Type",
	DefectTooDeep:                    "dependent block lists nested deeper than MaxDepth",
}

func (d Defect) String() string {
	if n, ok := defectNames[d]; ok {
		return n
	}
	return fmt.Sprintf("Defect(%d)", uint8(d))
}

// Problem is one defect found at one block.
type Problem struct {
	Path   string
	Defect Defect
	Detail string
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s (%s)", p.Path, p.Defect, p.Detail) }

// TreeKind says which operation a tree is built for, since the documents shape the trees of
// initiate differently from the others (only an initiate tree carries new state).
type TreeKind uint8

// Tree kinds.
const (
	_ TreeKind = iota
	InitiateTree
	ReferenceTree // query, update, invalidate, terminate: blocks reference offloaded objects
)

// Validate checks the shape of a tree and returns every problem it finds; nil means the tree
// has the documented shape. It never changes the tree.
func Validate(root *MiniportOffloadBlockList, kind TreeKind) []Problem {
	var out []Problem
	add := func(path string, d Defect, format string, args ...any) {
		out = append(out, Problem{Path: path, Defect: d, Detail: fmt.Sprintf(format, args...)})
	}
	all := map[*MiniportOffloadBlockList]int{}
	var count func(b *MiniportOffloadBlockList, depth int)
	count = func(b *MiniportOffloadBlockList, depth int) {
		for ; b != nil; b = b.NextBlock {
			all[b]++
			if all[b] > 1 {
				return
			}
			if depth+1 < MaxDepth {
				count(b.DependentBlockList, depth+1)
			}
		}
	}
	count(root, 0)
	for _, v := range Walk(root) {
		b := v.Block
		if all[b] > 1 {
			add(v.Path, DefectReachedTwice, "reached %d times", all[b])
		}
		role := b.Role()
		if role != RolePlaceholder && b.Layer() == 0 {
			add(v.Path, DefectUnknownType, "Type %s", b.Header.Type)
		}
		if n := b.NextBlock; n != nil && n.Role() != RolePlaceholder && role != RolePlaceholder &&
			n.Layer() != 0 && b.Layer() != 0 && n.Layer() != b.Layer() {
			add(v.Path, DefectNextBlockLayer, "%s block links to a %s block", b.Layer(), n.Layer())
		}
		if v.Depth+1 >= MaxDepth && b.DependentBlockList != nil {
			add(v.Path, DefectTooDeep, "its DependentBlockList is level %d; the walk stops at %d", v.Depth+1, MaxDepth)
		}
		if d := b.DependentBlockList; d != nil {
			want := v.Layer.Dependent()
			got := positionLayer(d, v.Layer, v.Depth+1, nil) // below the root: no search below
			if want == 0 || (d.Role() != RolePlaceholder && got != want) {
				add(v.Path, DefectDependentLayer, "%s block has a %s dependent", v.Layer, got)
			}
		}
		present := b.Present()
		switch {
		case kind == InitiateTree && role != RoleNewOffload && b.HasState():
			add(v.Path, DefectStateOnPlaceholderOrLinker, "%s followed by state", role)
		case kind == InitiateTree && role == RoleNewOffload && (present != b.Header.Type.Classes() || !stateMatchesLayer(b)):
			add(v.Path, DefectStateMismatch, "Type %s", b.Header.Type)
		}
		if kind == InitiateTree && role == RoleLinker && b.DependentBlockList == nil {
			add(v.Path, DefectLinkerWithoutDependent, "linker at %s", v.Layer)
		}
		if pc := b.PathConst; pc != nil {
			v6 := b.Header.Type.IsIPv6()
			if pc.SourceAddress.Is6() != v6 || pc.DestinationAddress.Is6() != v6 {
				add(v.Path, DefectAddressFamily, "Type %s with %s -> %s", b.Header.Type, pc.SourceAddress, pc.DestinationAddress)
			}
		}
	}
	return out
}

// stateMatchesLayer reports whether every state structure after b is of b's layer.
func stateMatchesLayer(b *MiniportOffloadBlockList) bool {
	neighbor := b.NeighborConst != nil || b.NeighborCached != nil || b.NeighborDelegated != nil
	path := b.PathConst != nil || b.PathCached != nil || b.PathDelegated != nil
	tcp := b.TCPConst != nil || b.TCPCached != nil || b.TCPDelegated != nil
	switch b.Layer() {
	case LayerNeighbor:
		return !path && !tcp
	case LayerPath:
		return !neighbor && !tcp
	case LayerTCP:
		return !neighbor && !path
	}
	return false
}

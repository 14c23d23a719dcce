package ndis

import "fmt"

// Visit is one block met by Walk.
type Visit struct {
	Block  *MiniportOffloadBlockList
	Parent *MiniportOffloadBlockList // the block whose DependentBlockList leads here; nil at the root level
	Layer  Layer                     // the layer the block sits at, from its Type or, for a placeholder, its position
	Path   string                    // stable name such as "neighbor[0]/path[1]/tcp[0]"
	Depth  int                       // 0 at the root level
}

// MaxDepth is how many levels of DependentBlockList links Walk follows. A documented tree
// has three (neighbor, path, TCP); a deeper one is malformed, and Validate says so
// (DefectTooDeep). The bound keeps a walk of a hostile chain (a million blocks, each the
// dependent of the one before) from recursing a million times and building paths whose
// total length grows with the square of the depth.
const MaxDepth = 64

// Walk returns every block of the tree rooted at root in depth-first/breadth-next order: a
// block, then its dependents (recursively), then the blocks after it through NextBlock. This
// is the order in which a target must offload state (concepts/traversing-a-state-tree.md).
// A block reached twice (a cycle or shared block) is visited once; dependents more than
// MaxDepth levels down are not visited.
func Walk(root *MiniportOffloadBlockList) []Visit {
	var out []Visit
	seen := map[*MiniportOffloadBlockList]bool{}
	var level func(first, parent *MiniportOffloadBlockList, parentLayer Layer, prefix string, depth int)
	level = func(first, parent *MiniportOffloadBlockList, parentLayer Layer, prefix string, depth int) {
		for i, b := 0, first; b != nil && !seen[b]; i, b = i+1, b.NextBlock {
			seen[b] = true
			layer := positionLayer(b, parentLayer, depth)
			path := fmt.Sprintf("%s%s[%d]", prefix, layerName(layer), i)
			out = append(out, Visit{Block: b, Parent: parent, Layer: layer, Path: path, Depth: depth})
			if b.DependentBlockList != nil && depth+1 < MaxDepth {
				level(b.DependentBlockList, b, layer, path+"/", depth+1)
			}
		}
	}
	level(root, nil, 0, "", 0)
	return out
}

// positionLayer is the layer of b: the one its Type names, or for a placeholder (whose Type is
// not significant) the one its position gives: below its parent's layer, or at the root the
// layer above its dependents'; only a lone root placeholder falls back on its Type.
func positionLayer(b *MiniportOffloadBlockList, parentLayer Layer, depth int) Layer {
	if l := b.Layer(); l != 0 && b.Role() != RolePlaceholder {
		return l
	}
	if depth == 0 {
		if l := layerFromBelow(b, 0); l != 0 {
			return l
		}
		if l := b.Layer(); l != 0 {
			return l
		}
		return LayerNeighbor
	}
	if d := parentLayer.Dependent(); d != 0 {
		return d
	}
	return b.Layer()
}

// layerFromBelow is the layer of a placeholder as its dependents show it: the layer above the
// first of them whose layer is known. depth bounds the descent on malformed trees; Siblings
// stops at a NextBlock cycle among the dependents.
func layerFromBelow(b *MiniportOffloadBlockList, depth int) Layer {
	if depth > 3 {
		return 0
	}
	for _, d := range b.Dependents() {
		l := d.Layer()
		if d.Role() == RolePlaceholder {
			l = layerFromBelow(d, depth+1)
		}
		if up := l.Above(); up != 0 {
			return up
		}
	}
	return 0
}

func layerName(l Layer) string {
	if l == 0 {
		return "block"
	}
	return l.String()
}

// Blocks returns the blocks of the tree in depth-first/breadth-next order.
func Blocks(root *MiniportOffloadBlockList) []*MiniportOffloadBlockList {
	visits := Walk(root)
	out := make([]*MiniportOffloadBlockList, len(visits))
	for i, v := range visits {
		out[i] = v.Block
	}
	return out
}

// PathOf returns the Walk path of b in the tree rooted at root, or "" if b is not in it.
func PathOf(root, b *MiniportOffloadBlockList) string {
	for _, v := range Walk(root) {
		if v.Block == b {
			return v.Path
		}
	}
	return ""
}

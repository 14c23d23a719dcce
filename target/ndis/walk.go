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
	below := layerCache{}
	var level func(first, parent *MiniportOffloadBlockList, parentLayer Layer, prefix string, depth int)
	level = func(first, parent *MiniportOffloadBlockList, parentLayer Layer, prefix string, depth int) {
		for i, b := 0, first; b != nil && !seen[b]; i, b = i+1, b.NextBlock {
			seen[b] = true
			layer := positionLayer(b, parentLayer, depth, below)
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
// layer above its dependents'; only a lone root placeholder falls back on its Type. below
// remembers what the search below root placeholders found, for one walk (nil: a fresh one).
func positionLayer(b *MiniportOffloadBlockList, parentLayer Layer, depth int, below layerCache) Layer {
	if l := b.Layer(); l != 0 && b.Role() != RolePlaceholder {
		return l
	}
	if depth == 0 {
		if below == nil {
			below = layerCache{}
		}
		if l := below.fromBelow(b, 0); l != 0 {
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

// layerCache remembers, for one walk, the layer found below each block list: placeholders that
// share dependents (a malformed tree, or a hostile one) would otherwise have the same lists
// searched once per way of reaching them, a cost that grows with the fourth power of the
// tree's size (512 blocks took minutes; the test has the shape).
type layerCache map[layerKey]Layer

type layerKey struct {
	b     *MiniportOffloadBlockList
	depth int
}

// fromBelow is the layer of a placeholder as its dependents show it: the layer above the
// first of them whose layer is known. depth bounds the descent on malformed trees.
func (c layerCache) fromBelow(b *MiniportOffloadBlockList, depth int) Layer {
	if depth > 3 {
		return 0
	}
	return c.chain(b.DependentBlockList, depth)
}

// chain is fromBelow for the blocks linked from first through NextBlock (the dependents of a
// block at depth): the layer above the first whose layer is known. It is iterative, and every
// block it passes gets the same answer, so each block is searched once per depth; a NextBlock
// cycle ends at the block met again.
func (c layerCache) chain(first *MiniportOffloadBlockList, depth int) Layer {
	var passed []*MiniportOffloadBlockList
	result := Layer(0)
	for d := first; d != nil; d = d.NextBlock {
		k := layerKey{d, depth}
		if l, ok := c[k]; ok { // known, or being searched: a cycle
			result = l
			break
		}
		c[k] = 0
		passed = append(passed, d)
		l := d.Layer()
		if d.Role() == RolePlaceholder {
			l = c.fromBelow(d, depth+1)
		}
		if up := l.Above(); up != 0 {
			result = up
			break
		}
	}
	for _, d := range passed {
		c[layerKey{d, depth}] = result
	}
	return result
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

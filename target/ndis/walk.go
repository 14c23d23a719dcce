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
	seen := visitedFor(root)
	below := layerCache{}
	var level func(first, parent *MiniportOffloadBlockList, parentLayer Layer, prefix string, depth int)
	level = func(first, parent *MiniportOffloadBlockList, parentLayer Layer, prefix string, depth int) {
		for i, b := 0, first; b != nil && seen.first(b); i, b = i+1, b.NextBlock {
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

// Blocks returns the blocks of the tree in depth-first/breadth-next order, as Walk does. It
// walks the tree itself rather than through Walk, since naming every block costs more than
// the walk.
func Blocks(root *MiniportOffloadBlockList) []*MiniportOffloadBlockList {
	var out []*MiniportOffloadBlockList
	seen := visitedFor(root)
	var level func(first *MiniportOffloadBlockList)
	level = func(first *MiniportOffloadBlockList) {
		for b := first; b != nil && seen.first(b); b = b.NextBlock {
			out = append(out, b)
			level(b.DependentBlockList)
		}
	}
	level(root)
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

// visited remembers the blocks a walk has met, so that it stops at a block reached twice
// instead of going round a cycle. nil remembers nothing: that is for trees where no block can
// be reached twice, since remembering a million blocks costs more than walking them.
type visited map[*MiniportOffloadBlockList]bool

// visitedFor returns what a walk of the tree rooted at root must remember.
func visitedFor(root *MiniportOffloadBlockList) visited {
	if isTree(root) {
		return nil
	}
	return visited{}
}

// first reports whether b is met for the first time, and remembers it.
func (v visited) first(b *MiniportOffloadBlockList) bool {
	if v == nil {
		return true
	}
	if v[b] {
		return false
	}
	v[b] = true
	return true
}

// isTree reports whether a walk from root reaches every block once: no NextBlock chain loops
// and no two chains run into the same block. Two chains that share a block share every block
// after it, the last one included, so comparing the chains' last blocks finds any sharing with
// one entry per chain rather than one per block. A chain is checked before the chains below
// it, so a DependentBlockList that leads back up is found before it is followed.
func isTree(root *MiniportOffloadBlockList) bool {
	lasts := map[*MiniportOffloadBlockList]bool{}
	var chain func(first *MiniportOffloadBlockList) bool
	chain = func(first *MiniportOffloadBlockList) bool {
		last, ok := lastInChain(first)
		if !ok || lasts[last] {
			return false
		}
		lasts[last] = true
		for b := first; b != nil; b = b.NextBlock {
			if b.DependentBlockList != nil && !chain(b.DependentBlockList) {
				return false
			}
		}
		return true
	}
	return root == nil || chain(root)
}

// lastInChain returns the last block linked from first through NextBlock, or false if the
// chain loops. It is Brent's cycle detection: a marker left at every power-of-two step is
// met again only inside a loop.
func lastInChain(first *MiniportOffloadBlockList) (*MiniportOffloadBlockList, bool) {
	if first == nil {
		return nil, true
	}
	marker, steps, power := first, 0, 1
	for b := first; ; b = b.NextBlock {
		switch b.NextBlock {
		case nil:
			return b, true
		case marker:
			return nil, false
		}
		if steps++; steps == power {
			marker, steps, power = b.NextBlock, 0, power*2
		}
	}
}

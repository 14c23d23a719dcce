package harness

import (
	"fmt"
	"reflect"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// Snapshot is a deep copy of what a tree holds at one moment: every member of every block, the
// value in each context slot, the state structures and the NET_BUFFER_LISTs chained from each
// block. Comparing two snapshots shows what the target wrote in between.
type Snapshot struct {
	Blocks []BlockSnapshot
	Text   string // the tree as ndis.Format renders it
}

// BlockSnapshot is one block's part of a Snapshot.
type BlockSnapshot struct {
	Block   *ndis.MiniportOffloadBlockList
	Path    string
	Members ndis.MiniportOffloadBlockList // a shallow copy: pointers kept, so links compare by identity
	Slot    ndis.Context                  // the value MiniportOffloadContext points to, if it is not NULL
	States  []any                         // copies of the state structures present, by member name order
	Chain   []NBLSnapshot
}

// NBLSnapshot is one NET_BUFFER_LIST of a block's NetBufferListChain.
type NBLSnapshot struct {
	List   *ndis.NetBufferList
	Next   *ndis.NetBufferList
	Status ndis.Status
}

// stateMembers are the block members that hold the following state structures.
var stateMembers = []string{
	"NeighborConst", "NeighborCached", "NeighborDelegated", "PathConst", "PathCached",
	"PathDelegated", "TCPConst", "TCPCached", "TCPDelegated",
}

// states copies the state structures present after b, in stateMembers order (nil where
// absent). Plain code rather than reflection: it runs for every block of every snapshot.
func states(b *ndis.MiniportOffloadBlockList) []any {
	out := make([]any, len(stateMembers))
	put := func(i int, present bool, v func() any) {
		if present {
			out[i] = v()
		}
	}
	put(0, b.NeighborConst != nil, func() any { return *b.NeighborConst })
	put(1, b.NeighborCached != nil, func() any { return *b.NeighborCached })
	put(2, b.NeighborDelegated != nil, func() any { return *b.NeighborDelegated })
	put(3, b.PathConst != nil, func() any { return *b.PathConst })
	put(4, b.PathCached != nil, func() any { return *b.PathCached })
	put(5, b.PathDelegated != nil, func() any { return *b.PathDelegated })
	put(6, b.TCPConst != nil, func() any { return *b.TCPConst })
	put(7, b.TCPCached != nil, func() any { return *b.TCPCached })
	put(8, b.TCPDelegated != nil, func() any { return *b.TCPDelegated })
	return out
}

// Take snapshots the tree rooted at root.
func Take(root *ndis.MiniportOffloadBlockList) Snapshot {
	s := takeBlocks(root)
	s.Text = ndis.Format(root)
	return s
}

// takeBlocks snapshots the tree without rendering it, for comparisons only.
func takeBlocks(root *ndis.MiniportOffloadBlockList) Snapshot {
	var s Snapshot
	for _, v := range ndis.Walk(root) {
		b := v.Block
		bs := BlockSnapshot{Block: b, Path: v.Path, Members: *b}
		if b.MiniportOffloadContext != nil {
			bs.Slot = *b.MiniportOffloadContext
		}
		bs.States = states(b)
		for _, l := range b.NetBufferListChain.Chain() {
			bs.Chain = append(bs.Chain, NBLSnapshot{List: l, Next: l.Next, Status: l.Status})
		}
		s.Blocks = append(s.Blocks, bs)
	}
	return s
}

// Change is one difference between two snapshots of the same tree.
type Change struct {
	Path   string // the block's Walk path in the earlier snapshot
	Member string // e.g. "Status", "*MiniportOffloadContext", "TCPDelegated.SndUna", "NetBufferListChain[1].Status"
	Before any
	After  any
}

func (c Change) String() string {
	return fmt.Sprintf("%s %s: %v -> %v", c.Path, c.Member, c.Before, c.After)
}

// Diff returns every change from before to after, block by block, matching blocks by identity.
// A block present in only one of the two is reported as a change of "block".
func Diff(before, after Snapshot) []Change {
	var out []Change
	now := map[*ndis.MiniportOffloadBlockList]BlockSnapshot{}
	for _, b := range after.Blocks {
		now[b.Block] = b
	}
	for _, b := range before.Blocks {
		a, ok := now[b.Block]
		if !ok {
			out = append(out, Change{Path: b.Path, Member: "block", Before: "in tree", After: "no longer reachable"})
			continue
		}
		delete(now, b.Block)
		out = append(out, diffBlock(b, a)...)
	}
	for _, a := range now {
		out = append(out, Change{Path: a.Path, Member: "block", Before: "not in tree", After: "reachable"})
	}
	return out
}

func diffBlock(b, a BlockSnapshot) []Change {
	var out []Change
	add := func(member string, x, y any) {
		out = append(out, Change{Path: b.Path, Member: member, Before: x, After: y})
	}
	bv, av := reflect.ValueOf(b.Members), reflect.ValueOf(a.Members)
	for i := 0; i < bv.NumField(); i++ {
		name := bv.Type().Field(i).Name
		if isStateMember(name) {
			continue
		}
		x, y := bv.Field(i).Interface(), av.Field(i).Interface()
		if bv.Field(i).Kind() == reflect.Pointer {
			// Links compare by identity: a target that swaps in another block or list changed it.
			if x != y {
				add(name, fmt.Sprintf("%p", x), fmt.Sprintf("%p", y))
			}
			continue
		}
		if !reflect.DeepEqual(x, y) {
			add(name, x, y)
		}
	}
	if b.Slot != a.Slot {
		add("*MiniportOffloadContext", b.Slot, a.Slot)
	}
	for i, name := range stateMembers {
		x, y := b.States[i], a.States[i]
		switch {
		case x == nil && y == nil:
		case x == nil || y == nil:
			add(name, presence(x), presence(y))
		default:
			out = append(out, diffStruct(b.Path, name, x, y)...)
		}
	}
	if len(b.Chain) != len(a.Chain) {
		add("NetBufferListChain length", len(b.Chain), len(a.Chain))
	}
	for i := 0; i < len(b.Chain) && i < len(a.Chain); i++ {
		x, y := b.Chain[i], a.Chain[i]
		if x.List != y.List {
			add(fmt.Sprintf("NetBufferListChain[%d]", i), x.List, y.List)
		}
		if x.Next != y.Next {
			add(fmt.Sprintf("NetBufferListChain[%d].Next", i), x.Next, y.Next)
		}
		if x.Status != y.Status {
			add(fmt.Sprintf("NetBufferListChain[%d].Status", i), x.Status, y.Status)
		}
	}
	return out
}

func presence(x any) string {
	if x == nil {
		return "absent"
	}
	return "present"
}

func isStateMember(name string) bool {
	for _, s := range stateMembers {
		if s == name {
			return true
		}
	}
	return false
}

var ndisPkg = reflect.TypeOf(ndis.Status(0)).PkgPath()

// diffStruct compares two state structures field by field (one level of nesting).
func diffStruct(path, prefix string, x, y any) []Change {
	var out []Change
	xv, yv := reflect.ValueOf(x), reflect.ValueOf(y)
	for i := 0; i < xv.NumField(); i++ {
		name := prefix + "." + xv.Type().Field(i).Name
		a, b := xv.Field(i).Interface(), yv.Field(i).Interface()
		if reflect.DeepEqual(a, b) {
			continue
		}
		if f := xv.Field(i); f.Kind() == reflect.Struct && f.Type().PkgPath() == ndisPkg {
			out = append(out, diffStruct(path, name, a, b)...)
			continue
		}
		out = append(out, Change{Path: path, Member: name, Before: a, After: b})
	}
	return out
}

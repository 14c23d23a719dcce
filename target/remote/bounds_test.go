package remote

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// Every repeated field of the protocol has a bound in the wire scan: a new one added to the
// .proto without a bound fails here, not in a hostile peer's hands.
func TestEveryRepeatedFieldHasABound(t *testing.T) {
	s := &scanner{bounds: DefaultBounds}
	msgs := pb.File_chimney_v1_target_proto.Messages()
	for i := range msgs.Len() {
		fields := msgs.Get(i).Fields()
		for j := range fields.Len() {
			fd := fields.Get(j)
			if limit, _ := s.repeatedBound(fd); fd.IsList() && limit < 0 {
				t.Errorf("%s is repeated and has no bound in scanner.repeatedBound", fd.FullName())
			}
		}
	}
}

// emptyBlocks returns the encoding of an Event carrying a StateCompletion whose tree lists n
// empty blocks: two bytes each on the wire, hundreds of bytes each once decoded.
func emptyBlocks(n int) []byte {
	tree := protowire.AppendTag(nil, 1, protowire.VarintType)
	tree = protowire.AppendVarint(tree, 1) // tree_id
	block := protowire.AppendTag(nil, 2, protowire.BytesType)
	block = protowire.AppendVarint(block, 0)
	tree = append(tree, []byte(strings.Repeat(string(block), n))...)
	sc := protowire.AppendTag(nil, 1, protowire.VarintType)
	sc = protowire.AppendVarint(sc, uint64(pb.Operation_OPERATION_INITIATE))
	sc = protowire.AppendTag(sc, 2, protowire.BytesType)
	sc = protowire.AppendBytes(sc, tree)
	ev := protowire.AppendTag(nil, 1, protowire.BytesType)
	return protowire.AppendBytes(ev, sc)
}

// allocatedBy returns how many bytes f allocated on the heap (runtime.MemStats.TotalAlloc),
// an upper bound of how much the heap grew while it ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A 16 MiB message of empty blocks (8 Mi blocks) is refused by the codec before it decodes
// anything: decoding it would allocate gigabytes of Block structures.
func TestAMessageOfEmptyBlocksIsRefusedBeforeDecoding(t *testing.T) {
	data := emptyBlocks(8 << 20)
	if len(data) < 16<<20 {
		t.Fatalf("the message is %d bytes, want 16 MiB", len(data))
	}
	c := newCodec(Bounds{MaxMessageBytes: 32 << 20}) // past gRPC's own limit: the codec's turn
	var err error
	alloc := allocatedBy(func() {
		err = c.Unmarshal(mem.BufferSlice{mem.SliceBuffer(data)}, &pb.Event{})
	})
	if err == nil || !strings.Contains(err.Error(), "more than 4096 blocks in one tree") || !strings.Contains(err.Error(), "refused before decoding") {
		t.Fatalf("got %v, want a refusal naming the block bound", err)
	}
	perBlock := reflect.TypeFor[pb.Block]().Size()
	t.Logf("16 MiB of empty blocks: refused after %d KiB allocated; decoding would have made %d Block structures of %d bytes (%.1f GiB) before any check",
		alloc>>10, 8<<20, perBlock, float64(uint64(perBlock)*(8<<20))/(1<<30))
	if alloc > 1<<20 {
		t.Errorf("refusing the message allocated %d bytes, want under 1 MiB", alloc)
	}
}

// A non-repeated message field sent many times is merged into one message when decoded: 512
// occurrences of StateCompletion.tree with 4096 blocks each would decode into one tree of 2 Mi
// blocks, so their blocks are counted together and the message is refused.
func TestMergedOccurrencesAreCountedTogether(t *testing.T) {
	block := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), nil)
	tree := []byte(strings.Repeat(string(block), 4096))
	var sc []byte
	for range 512 {
		sc = protowire.AppendBytes(protowire.AppendTag(sc, 2, protowire.BytesType), tree)
	}
	ev := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), sc)
	two := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), tree)
	two = append(two, two...)
	var decoded pb.Event
	if err := proto.Unmarshal(protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), two), &decoded); err != nil {
		t.Fatal(err)
	}
	if n := len(decoded.GetStateCompletion().GetTree().GetBlocks()); n != 8192 {
		t.Fatalf("proto merges %d blocks from two occurrences, want 8192: the premise of this test is wrong", n)
	}
	err := scanMessage(ev, (&pb.Event{}).ProtoReflect().Descriptor(), DefaultBounds)
	if err == nil || !strings.Contains(err.Error(), "more than 4096 blocks in one tree") {
		t.Fatalf("512 merged occurrences of a 4096-block tree: got %v, want a refusal", err)
	}
	// Occurrences of the event's oneof member merge too.
	single := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), tree)
	one := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), single)
	if err := scanMessage(append(one, one...), (&pb.Event{}).ProtoReflect().Descriptor(), DefaultBounds); err == nil {
		t.Fatal("two occurrences of state_completion, 4096 blocks each, were accepted")
	}
}

// Each repeated field is counted against its bound, wherever it sits in the message, and a
// message within every bound decodes as proto.Unmarshal would.
func TestTheWireScanCountsEveryRepeatedField(t *testing.T) {
	b := Bounds{MaxBlocks: 3, MaxLists: 2, MaxNetBuffers: 3, MaxNetBufferData: 4, MaxDataBytes: 6}.orDefault()
	tree := func(blocks, lists int, buffers ...[]byte) *pb.Tree {
		m := &pb.Tree{TreeId: 1}
		for i := range blocks {
			m.Blocks = append(m.Blocks, &pb.Block{BlockId: uint64(i + 1)})
		}
		for i := range lists {
			m.Lists = append(m.Lists, &pb.Nbl{Id: uint64(i + 1)})
		}
		if len(m.Lists) > 0 {
			m.Lists[0].NetBuffers = buffers
		}
		return m
	}
	reserved := tree(1, 0)
	reserved.Blocks[0].NdisReserved = []uint64{1, 2, 3}
	unpacked := protowire.AppendTag(nil, 1, protowire.VarintType)
	unpacked = protowire.AppendVarint(unpacked, 1)
	for range 3 {
		unpacked = protowire.AppendTag(unpacked, 12, protowire.VarintType) // scratch, unpacked
		unpacked = protowire.AppendVarint(unpacked, 7)
	}
	for _, c := range []struct {
		name string
		msg  proto.Message
		raw  []byte
		want string // "" = accepted
	}{
		{"within bounds", &pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{Tree: tree(3, 2, []byte("ab"), []byte("cd"))}}}, nil, ""},
		{"blocks", tree(4, 0), nil, "Tree.blocks: more than 3 blocks"},
		{"lists", tree(0, 3), nil, "Tree.lists: more than 2 NET_BUFFER_LISTs"},
		{"send completion lists", &pb.SendCompletion{Lists: []*pb.Nbl{{Id: 1}, {Id: 2}, {Id: 3}}}, nil, "SendCompletion.lists: more than 2"},
		{"net buffers", tree(0, 1, nil, nil, nil, nil), nil, "more than 3 NET_BUFFERs"},
		{"one buffer's data", tree(0, 1, []byte("12345")), nil, "a NET_BUFFER of 5 bytes"},
		{"data in the message", tree(0, 1, []byte("1234"), []byte("1234")), nil, "more than 6 bytes of NET_BUFFER data"},
		{"packed reserved", reserved, nil, "ndis_reserved: more than 2 elements"},
		{"unpacked reserved", nil, protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), unpacked), "scratch: more than 2 elements"},
		{"VLAN IDs", &pb.Info{Limits: &pb.Limits{InterfaceVlanIds: &pb.VlanIds{Ids: make([]uint32, 4097)}}}, nil, "more than 4096 VLAN IDs"},
		{"truncated", nil, []byte{0x12, 0x05, 0x08}, "malformed"},
	} {
		data, md := c.raw, protoreflect.MessageDescriptor(nil)
		if c.msg != nil {
			var err error
			if data, err = proto.Marshal(c.msg); err != nil {
				t.Fatal(err)
			}
			md = c.msg.ProtoReflect().Descriptor()
		} else {
			md = (&pb.Tree{}).ProtoReflect().Descriptor()
		}
		err := scanMessage(data, md, b)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// blocks makes tree messages from "id:next:dep" triples.
func treeOf(links ...[3]uint64) *pb.Tree {
	m := &pb.Tree{TreeId: 1}
	for _, l := range links {
		m.Blocks = append(m.Blocks, &pb.Block{BlockId: l[0], NextBlockId: l[1], DependentBlockId: l[2]})
	}
	return m
}

// Self-links and cycles through next_block_id, dependent_block_id and next_id are refused,
// naming the block or list that closes the cycle; a block shared by two parents is not a
// cycle and stays expressible; a chain deeper than MaxDepth is refused.
func TestCyclesAndDepthAreRefusedNamingTheBlock(t *testing.T) {
	deep := &pb.Tree{TreeId: 1}
	for i := uint64(1); i <= 70; i++ {
		dep := i + 1
		if i == 70 {
			dep = 0
		}
		deep.Blocks = append(deep.Blocks, &pb.Block{BlockId: i, DependentBlockId: dep})
	}
	listCycle := treeOf([3]uint64{1, 0, 0})
	listCycle.Lists = []*pb.Nbl{{Id: 5, NextId: 6}, {Id: 6, NextId: 7}, {Id: 7, NextId: 5}}
	listSelf := treeOf([3]uint64{1, 0, 0})
	listSelf.Lists = []*pb.Nbl{{Id: 5, NextId: 5}}
	for _, c := range []struct {
		name string
		tree *pb.Tree
		want string
	}{
		{"next to itself", treeOf([3]uint64{1, 1, 0}), "block 1 (blocks[0]): next_block_id 1 links the block to itself"},
		{"dependent to itself", treeOf([3]uint64{1, 0, 2}, [3]uint64{2, 0, 2}), "block 2 (blocks[1]): dependent_block_id 2 links the block to itself"},
		{"two-block cycle", treeOf([3]uint64{1, 0, 2}, [3]uint64{2, 1, 0}), "block 2 (blocks[1]): next_block_id 1 closes a cycle back to block 1 (blocks[0])"},
		{"cycle below the root", treeOf([3]uint64{1, 0, 2}, [3]uint64{2, 0, 3}, [3]uint64{3, 4, 0}, [3]uint64{4, 0, 2}), "block 4 (blocks[3]): dependent_block_id 2 closes a cycle"},
		{"cycle out of the root's reach", treeOf([3]uint64{1, 0, 0}, [3]uint64{2, 3, 0}, [3]uint64{3, 2, 0}), "closes a cycle back to block 2"},
		{"too deep", deep, "links lead 65 levels down from it, more than the bound of 64"},
		{"list to itself", listSelf, "list 5 (lists[0]): next_id 5 links the list to itself"},
		{"list cycle", listCycle, "list 7 (lists[2]): next_id 5 closes a cycle back to list 5 (lists[0])"},
		{"shared block", treeOf([3]uint64{1, 2, 3}, [3]uint64{2, 0, 3}, [3]uint64{3, 0, 0}), ""},
		{"a NextBlock chain of 4096", chainOf(4096), ""},
	} {
		err := checkLinks(c.tree, nil, nil, DefaultBounds)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func chainOf(n int) *pb.Tree {
	m := &pb.Tree{TreeId: 1}
	for i := 1; i <= n; i++ {
		next := uint64(i + 1)
		if i == n {
			next = 0
		}
		m.Blocks = append(m.Blocks, &pb.Block{BlockId: uint64(i), NextBlockId: next})
	}
	return m
}

// Two messages of the same tree, neither cyclic alone, cannot build a cycle: the links a block
// keeps from the first count when the second is checked.
func TestACycleAcrossTwoMessagesIsRefused(t *testing.T) {
	bt, lt := newBlockTable(), newListTable(true)
	first := treeOf([3]uint64{1, 0, 2}, [3]uint64{2, 0, 0})
	first.Lists = []*pb.Nbl{{Id: 5, NextId: 6}, {Id: 6}}
	if err := checkLinks(first, bt, lt, DefaultBounds); err != nil {
		t.Fatal(err)
	}
	applyTree(bt, lt, first)
	second := treeOf([3]uint64{2, 0, 1}) // block 1 keeps dependent 2
	if err := checkLinks(second, bt, lt, DefaultBounds); err == nil || !strings.Contains(err.Error(), "block 1 (kept from an earlier message)") {
		t.Errorf("blocks: got %v, want the cycle through the kept block named", err)
	}
	lists := treeOf([3]uint64{1, 0, 0})
	lists.Lists = []*pb.Nbl{{Id: 6, NextId: 5}} // list 5 keeps next 6
	if err := checkLinks(lists, bt, lt, DefaultBounds); err == nil || !strings.Contains(err.Error(), "closes a cycle") {
		t.Errorf("lists: got %v, want the cycle refused", err)
	}
}

// A tree the suite hands over that the protocol cannot carry (a cycle) is refused when
// encoding, and a NET_BUFFER cycle does not hang the encoder.
func TestEncodingRefusesCyclesAndEndsOnNetBufferCycles(t *testing.T) {
	a := &ndis.MiniportOffloadBlockList{}
	b := &ndis.MiniportOffloadBlockList{}
	a.DependentBlockList, b.NextBlock = b, a
	if _, err := encodeTree(newBlockTable(), newListTable(true), 1, a, DefaultBounds); err == nil || !strings.Contains(err.Error(), "closes a cycle") {
		t.Errorf("cyclic tree: %v", err)
	}
	nb := &ndis.NetBuffer{Data: []byte("x")}
	nb.Next = nb
	c := &ndis.MiniportOffloadBlockList{NetBufferListChain: &ndis.NetBufferList{ID: 1, FirstNetBuffer: nb}}
	m, err := encodeTree(newBlockTable(), newListTable(true), 1, c, DefaultBounds)
	if err != nil || len(m.Lists) != 1 || len(m.Lists[0].NetBuffers) != 1 {
		t.Errorf("NET_BUFFER cycle: %v, %v", m, err)
	}
}

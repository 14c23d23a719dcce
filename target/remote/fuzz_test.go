package remote

import (
	"fmt"
	"testing"

	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// The fuzz targets of the protocol's decoding. Their seed corpora (testdata/fuzz/FuzzXxx) run
// in every go test; a longer run is one command (README, "Fuzzing"):
//
//	go test -run '^$' -fuzz FuzzDecodeTree -fuzztime 10m ./target/remote/
//	go test -run '^$' -fuzz FuzzDecodeEvent -fuzztime 10m ./target/remote/

// fuzzBounds are small, so that a fuzzer reaches every bound with short inputs.
var fuzzBounds = Bounds{
	MaxBlocks: 256, MaxDepth: 16, MaxLists: 64, MaxNetBuffers: 256, MaxNetBufferData: 4096, MaxDataBytes: 16384,
}.orDefault()

// program reads a fuzz input as the description of a tree. Past its end it reads fill, the
// first byte, so a short input can describe a long chain of alike blocks.
type program struct {
	data []byte
	fill byte
}

func (p *program) byte() byte {
	if len(p.data) == 0 {
		return p.fill
	}
	b := p.data[0]
	p.data = p.data[1:]
	return b
}

func (p *program) uint16() int { return int(p.byte())<<8 | int(p.byte()) }

// count reads a count: a byte, or after 255 a 16-bit count (huge counts).
func (p *program) count() int {
	if n := p.byte(); n != 255 {
		return int(n)
	}
	return p.uint16()
}

// treeFromProgram builds a tree message from a fuzz input, structure first:
//
//	fill, block count, list count (a byte, or 255 and 16 bits: huge counts, capped at 8 times
//	the bounds), then per block a kind byte:
//	  bits 0-1 block_id: 0 its index+1, 1 zero, 2 another block's id (a repeat), 3 any 16-bit id
//	  bits 2-3 next_block_id and 4-5 dependent_block_id: 0 NULL, 1 the id of a block chosen by
//	           index (itself, one before: self-links, cycles), 2 an id no block has, 3 the next
//	           block's (chains: with fill, long NextBlock chains or deep nesting)
//	  bit 6 a context (a byte); bit 7 an extra byte: bits 0-1 the length of ndis_reserved (up
//	           to 3), bit 2 a TCP delegated state naming lists, bit 3 a NetBufferListChain,
//	           bit 4 a path const with an address of (a byte mod 20) bytes
//	then per list a kind byte: bits 0-1 id as for blocks, bits 2-3 next_id as for blocks, bits
//	4-7 the number of NET_BUFFERs, each of (a byte × 17) bytes.
func treeFromProgram(in []byte) *pb.Tree {
	p := &program{data: in}
	if len(in) > 0 {
		p.fill, p.data = in[0], in[1:]
	}
	// Counts are capped at 8 times the bounds (still far past them) and NET_BUFFER data at
	// 64 KiB, so that each input costs milliseconds: the fuzzer's time goes to shapes.
	nb, nl := min(p.count(), 8*fuzzBounds.MaxBlocks), min(p.count(), 8*fuzzBounds.MaxLists)
	data := 0
	m := &pb.Tree{TreeId: 1}
	id := func(mode byte, i int, ids func(int) uint64, n int) uint64 {
		switch mode & 3 {
		case 1:
			return 0
		case 2:
			if i == 0 {
				return 1
			}
			return ids(int(p.byte()) % i)
		case 3:
			return uint64(p.uint16())
		}
		return uint64(i + 1)
	}
	link := func(mode byte, i, n int, ids func(int) uint64) uint64 {
		switch mode & 3 {
		case 1:
			return ids(int(p.byte()) % n)
		case 2:
			return 1<<40 + uint64(p.byte())
		case 3:
			return uint64(i + 2) // the next block's id, if it keeps its default
		}
		return 0
	}
	for i := range nb {
		k := p.byte()
		b := &pb.Block{BlockId: id(k, i, func(j int) uint64 { return m.Blocks[j].BlockId }, nb)}
		m.Blocks = append(m.Blocks, b)
		b.NextBlockId = link(k>>2, i, i+1, func(j int) uint64 { return m.Blocks[j].BlockId })
		b.DependentBlockId = link(k>>4, i, i+1, func(j int) uint64 { return m.Blocks[j].BlockId })
		if k&0x40 != 0 {
			c := uint64(p.byte())
			b.Context = &c
		}
		if k&0x80 != 0 {
			x := p.byte()
			b.NdisReserved = make([]uint64, x&3)
			if x&4 != 0 {
				b.TcpDelegated = &pb.TcpOffloadStateDelegated{SendDataHeadId: uint64(p.byte() % 8), BufferedDataId: uint64(p.byte() % 8)}
			}
			if x&8 != 0 {
				b.NetBufferListChainId = uint64(p.byte() % 8)
			}
			if x&16 != 0 {
				b.PathConst = &pb.PathOffloadStateConst{SourceAddress: make([]byte, p.byte()%20)}
			}
		}
	}
	for j := range nl {
		k := p.byte()
		l := &pb.Nbl{Id: id(k, j, func(i int) uint64 { return m.Lists[i].Id }, nl)}
		m.Lists = append(m.Lists, l)
		l.NextId = link(k>>2, j, j+1, func(i int) uint64 { return m.Lists[i].Id })
		for range k >> 4 {
			n := min(int(p.byte())*17, 64<<10-data)
			data += n
			l.NetBuffers = append(l.NetBuffers, make([]byte, n))
		}
	}
	return m
}

// overBounds reports whether a decoded message exceeds a bound the wire scan enforces: the
// oracle the scan is held to, counted on the decoded message by reflection.
func overBounds(m proto.Message, b Bounds) string {
	s := &scanner{bounds: b}
	buffers, data := 0, 0
	var walk func(protoreflect.Message) string
	walk = func(msg protoreflect.Message) string {
		var out string
		msg.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.IsList() {
				if limit, _ := s.repeatedBound(fd); v.List().Len() > limit {
					out = fmt.Sprintf("%s has %d elements, over %d", fd.FullName(), v.List().Len(), limit)
					return false
				}
				for i := range v.List().Len() {
					e := v.List().Get(i)
					if fd.FullName() == "ndischimney.v1.Nbl.net_buffers" {
						buffers++
						data += len(e.Bytes())
						if len(e.Bytes()) > b.MaxNetBufferData {
							out = "a NET_BUFFER over the bound"
							return false
						}
					}
					if fd.Kind() == protoreflect.MessageKind {
						if out = walk(e.Message()); out != "" {
							return false
						}
					}
				}
				return true
			}
			if fd.Kind() == protoreflect.MessageKind {
				out = walk(v.Message())
			}
			return out == ""
		})
		return out
	}
	if out := walk(m.ProtoReflect()); out != "" {
		return out
	}
	if buffers > b.MaxNetBuffers || data > b.MaxDataBytes {
		return fmt.Sprintf("%d NET_BUFFERs, %d bytes", buffers, data)
	}
	return ""
}

// acyclic is the oracle checkLinks is held to, by another algorithm (Kahn's: a graph is
// acyclic exactly when repeatedly removing nodes without incoming edges removes them all),
// with the depth along dependent links. It assumes ids unique and links resolvable.
func acyclic(m *pb.Tree, maxDepth int) (ok bool, why string) {
	type node struct {
		next, dep uint64
		in        int
		level     int // DependentBlockList links above it on the longest path, itself at 1
	}
	nodes := map[uint64]*node{}
	for _, b := range m.Blocks {
		nodes[b.BlockId] = &node{next: b.NextBlockId, dep: b.DependentBlockId, level: 1}
	}
	for _, n := range nodes {
		for _, to := range []uint64{n.next, n.dep} {
			if to != 0 {
				nodes[to].in++
			}
		}
	}
	var ready []uint64
	for id, n := range nodes {
		if n.in == 0 {
			ready = append(ready, id)
		}
	}
	removed := 0
	for len(ready) > 0 {
		id := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		removed++
		n := nodes[id]
		for _, e := range []struct {
			to   uint64
			down int
		}{{n.next, 0}, {n.dep, 1}} {
			if e.to == 0 {
				continue
			}
			c := nodes[e.to]
			c.level = max(c.level, n.level+e.down)
			if c.in--; c.in == 0 {
				ready = append(ready, e.to)
			}
		}
	}
	if removed != len(nodes) {
		return false, "a block cycle"
	}
	for _, n := range nodes {
		if n.level > maxDepth {
			return false, fmt.Sprintf("depth %d", n.level)
		}
	}
	next := map[uint64]uint64{}
	in := map[uint64]int{}
	for _, l := range m.Lists {
		next[l.Id] = l.NextId
		if l.NextId != 0 {
			in[l.NextId]++
		}
	}
	ready, removed = nil, 0
	for id := range next {
		if in[id] == 0 {
			ready = append(ready, id)
		}
	}
	for len(ready) > 0 {
		id := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		removed++
		if to := next[id]; to != 0 {
			if in[to]--; in[to] == 0 {
				ready = append(ready, to)
			}
		}
	}
	if removed != len(next) {
		return false, "a list cycle"
	}
	return true, ""
}

// decodeAndApply runs what the client does with a completion's tree once the codec has
// decoded it, and checks the result: checkLinks agrees with the oracle, an applied tree has
// no cycle the model's walks could loop on, and it encodes again.
func decodeAndApply(t *testing.T, tree *pb.Tree) {
	if checkTree(tree, fuzzBounds) != nil {
		return
	}
	bt, lt := newBlockTable(), newListTable(true)
	err := checkLinks(tree, bt, lt, fuzzBounds)
	ok, why := acyclic(tree, fuzzBounds.MaxDepth)
	if (err == nil) != ok {
		t.Fatalf("checkLinks says %v; the oracle says acyclic=%v (%s)", err, ok, why)
	}
	if err != nil {
		return
	}
	root := applyTree(bt, lt, tree)
	if root == nil {
		return
	}
	visits := ndis.Walk(root)
	_ = ndis.Validate(root, ndis.InitiateTree)
	_ = ndis.Format(root)
	for _, v := range visits {
		for _, l := range v.Block.NetBufferListChain.Chain() {
			_ = l.DataLength()
		}
	}
	again, err := encodeTree(newBlockTable(), newListTable(false), 1, root, fuzzBounds)
	if err != nil {
		t.Fatalf("an accepted tree does not encode again: %v", err)
	}
	if err := checkLinks(again, nil, nil, fuzzBounds); err != nil {
		t.Fatalf("an accepted tree, encoded again, is refused: %v", err)
	}
	// The same message applied a second time onto the same tables is accepted again: a
	// completion of the tree it was handed is never a cycle of its own making.
	if err := checkLinks(tree, bt, lt, fuzzBounds); err != nil {
		t.Fatalf("the message applied twice is refused: %v", err)
	}
}

// FuzzDecodeTree generates trees with links and ids (self-links, cycles, repeated and dangling
// ids, deep nesting, huge counts) from its input, sends each through the bounded codec as a
// completion event, and holds the codec and the checks to their oracles.
func FuzzDecodeTree(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		tree := treeFromProgram(in)
		data, err := proto.Marshal(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{Operation: pb.Operation_OPERATION_INITIATE, Tree: tree}}})
		if err != nil {
			t.Fatal(err)
		}
		var ev pb.Event
		err = newCodec(fuzzBounds).Unmarshal(mem.BufferSlice{mem.SliceBuffer(data)}, &ev)
		over := overBounds(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{Tree: tree}}}, fuzzBounds)
		if (err != nil) != (over != "") {
			t.Fatalf("the codec says %v; counted on the tree: %q", err, over)
		}
		if err != nil {
			return
		}
		decodeAndApply(t, ev.GetStateCompletion().GetTree())
	})
}

// FuzzDecodeEvent feeds its input to the bounded codec as the bytes of an Event: whatever it
// accepts decodes within every bound (counted on the decoded message), and a tree it carries
// goes through the client's checks without a panic or a loop.
func FuzzDecodeEvent(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		var ev pb.Event
		if err := newCodec(fuzzBounds).Unmarshal(mem.BufferSlice{mem.SliceBuffer(data)}, &ev); err != nil {
			return
		}
		if over := overBounds(&ev, fuzzBounds); over != "" {
			t.Fatalf("the codec accepted a message over its bounds: %s", over)
		}
		if tree := ev.GetStateCompletion().GetTree(); tree != nil {
			decodeAndApply(t, tree)
		}
		if sc := ev.GetSendCompletion(); sc != nil {
			_ = checkLists(sc.Lists, fuzzBounds, false)
		}
	})
}

// treeSeeds is the seed corpus of FuzzDecodeTree (testdata/fuzz/FuzzDecodeTree/<name>): each
// program and what becomes of the tree it describes. CHIMNEY_WRITE_FUZZ_SEEDS=1 go test -run
// TestFuzzSeeds ./target/remote/ writes the files from this table.
var treeSeeds = []struct {
	name    string
	program []byte
	outcome string // "" = accepted and applied; else a part of the refusal
}{
	{"valid-three-levels", []byte{0, 3, 0, 0x70, 0, 0x70, 0, 0x40, 0}, ""},
	{"self-link-next", []byte{0, 1, 0, 0x04, 0}, "next_block_id 1 links the block to itself"},
	{"self-link-dependent", []byte{0, 1, 0, 0x10, 0}, "dependent_block_id 1 links the block to itself"},
	{"cycle-of-two", []byte{0, 2, 0, 0x30, 0x04, 0}, "next_block_id 1 closes a cycle back to block 1"},
	{"cycle-of-three", []byte{0, 3, 0, 0x30, 0x30, 0x04, 0}, "next_block_id 1 closes a cycle back to block 1"},
	{"shared-block", []byte{0, 3, 0, 0x30, 0x00, 0x10, 1}, ""},
	{"deep-nesting-20", append(append([]byte{0, 20, 0}, bytesOf(19, 0x30)...), 0), "levels down from it, more than the bound of 16"},
	{"next-chain-200", append(append([]byte{0, 200, 0}, bytesOf(199, 0x0C)...), 0), ""},
	{"huge-count-1000-deep", []byte{0x30, 255, 0x03, 0xE8, 0}, "more than 256 blocks in one tree"},
	{"huge-count-65535", []byte{0, 255, 0xFF, 0xFF, 0}, "more than 256 blocks in one tree"}, // capped at 2048
	{"huge-list-count", []byte{0, 0, 255, 0x01, 0x00}, "more than 64 NET_BUFFER_LISTs"},
	{"repeated-block-id", []byte{0, 2, 0, 0x00, 0x02, 0}, "block_id missing, zero or repeated"},
	{"zero-block-id", []byte{0, 1, 0, 0x01}, "block_id missing, zero or repeated"},
	{"dangling-next", []byte{0, 1, 0, 0x08, 5}, "which the tree does not carry"},
	{"list-self-link", []byte{0, 1, 1, 0x80, 0x08, 1, 0x04, 0}, "next_id 1 links the list to itself"},
	{"list-cycle", []byte{0, 1, 2, 0x80, 0x08, 1, 0x0C, 0x04, 0}, "next_id 1 closes a cycle back to list 1"},
	{"reserved-of-three", []byte{0, 1, 0, 0x80, 0x03}, "ndis_reserved: more than 2 elements"},
	{"net-buffer-too-big", []byte{0, 0, 1, 0x10, 0xFF}, "a NET_BUFFER of 4335 bytes"},
	{"net-buffer-data-over", []byte{0, 0, 5, 0xF0, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}, "bytes of NET_BUFFER data in one message"},
	{"address-of-seven-bytes", []byte{0, 1, 0, 0x80, 0x10, 7}, "an IP address of 7 bytes"},
	{"delegated-names-missing-list", []byte{0, 1, 0, 0x80, 0x04, 3, 0}, "which the tree does not carry"},
}

func bytesOf(n int, b byte) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}

// outcomeOf runs a tree seed the way FuzzDecodeTree does and returns the refusal, or "".
func outcomeOf(program []byte) string {
	tree := treeFromProgram(program)
	data, err := proto.Marshal(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{Tree: tree}}})
	if err != nil {
		return err.Error()
	}
	var ev pb.Event
	if err := newCodec(fuzzBounds).Unmarshal(mem.BufferSlice{mem.SliceBuffer(data)}, &ev); err != nil {
		return err.Error()
	}
	if err := checkTree(ev.GetStateCompletion().GetTree(), fuzzBounds); err != nil {
		return err.Error()
	}
	if err := checkLinks(ev.GetStateCompletion().GetTree(), nil, nil, fuzzBounds); err != nil {
		return err.Error()
	}
	return ""
}

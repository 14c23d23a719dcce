package remote

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// Bounds limit what one side accepts from the other, so that a broken or hostile peer costs
// an error, not the suite's memory. The per-message bounds are enforced on the wire bytes
// before a message is decoded (a message of a million empty blocks is refused before a million
// Go structures exist); the tree bounds after decoding, before the tree is applied.
type Bounds struct {
	MaxMessageBytes  int // one gRPC message, both directions (gRPC's own limit); default 4 MiB
	MaxBlocks        int // blocks in one tree; default 4096
	MaxDepth         int // levels of DependentBlockList links in one tree; default ndis.MaxDepth (64)
	MaxLists         int // NET_BUFFER_LISTs in one tree or send completion; default 4096
	MaxNetBuffers    int // NET_BUFFERs in one message; default 16384
	MaxNetBufferData int // bytes in one NET_BUFFER; default 1 MiB
	MaxDataBytes     int // NET_BUFFER bytes in one message; default 2 MiB
	// MaxFrameBytes bounds one Ethernet frame (FrameTransmitted, ReceiveFrame); default 65553,
	// the largest IP packet (65535 bytes) behind an 802.1Q-tagged Ethernet header.
	MaxFrameBytes int
	// MaxEvents and MaxEventBytes bound what one session's event stream may carry in all
	// (events, and their encoded bytes): a target that floods completions has its stream
	// closed with a protocol fault. Defaults 16384 and 64 MiB.
	MaxEvents     int
	MaxEventBytes int64
}

// DefaultBounds are the bounds used where none are given.
var DefaultBounds = Bounds{
	MaxMessageBytes: 4 << 20, MaxBlocks: 4096, MaxDepth: ndis.MaxDepth, MaxLists: 4096,
	MaxNetBuffers: 16384, MaxNetBufferData: 1 << 20, MaxDataBytes: 2 << 20, MaxFrameBytes: 14 + 4 + 65535,
	MaxEvents: 16384, MaxEventBytes: 64 << 20,
}

func (b Bounds) orDefault() Bounds {
	d := DefaultBounds
	for _, f := range []struct {
		v   *int
		def int
	}{
		{&b.MaxMessageBytes, d.MaxMessageBytes}, {&b.MaxBlocks, d.MaxBlocks}, {&b.MaxDepth, d.MaxDepth},
		{&b.MaxLists, d.MaxLists}, {&b.MaxNetBuffers, d.MaxNetBuffers}, {&b.MaxNetBufferData, d.MaxNetBufferData},
		{&b.MaxDataBytes, d.MaxDataBytes}, {&b.MaxFrameBytes, d.MaxFrameBytes}, {&b.MaxEvents, d.MaxEvents},
	} {
		if *f.v <= 0 {
			*f.v = f.def
		}
	}
	if b.MaxEventBytes <= 0 {
		b.MaxEventBytes = d.MaxEventBytes
	}
	b.MaxDepth = min(b.MaxDepth, ndis.MaxDepth) // deeper than the model walks is never useful
	return b
}

// codec is gRPC's protobuf codec with the per-message bounds checked on the wire bytes first.
type codec struct {
	bounds Bounds
	proto  encoding.CodecV2
}

func newCodec(b Bounds) *codec {
	return &codec{bounds: b.orDefault(), proto: encoding.GetCodecV2("proto")}
}

// Name is "proto": on the wire nothing changes (content-type application/grpc+proto).
func (c *codec) Name() string { return "proto" }

func (c *codec) Marshal(v any) (mem.BufferSlice, error) { return c.proto.Marshal(v) }

func (c *codec) Unmarshal(data mem.BufferSlice, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("cannot decode into %T", v)
	}
	buf := data.MaterializeToBuffer(mem.DefaultBufferPool())
	defer buf.Free()
	if err := scanMessage(buf.ReadOnlyData(), m.ProtoReflect().Descriptor(), c.bounds); err != nil {
		return fmt.Errorf("refused before decoding: %w", err)
	}
	return proto.Unmarshal(buf.ReadOnlyData(), m)
}

// scanMessage checks, on the encoded bytes of a message of type md, every bound on how many
// things it would decode into: the element count of every repeated field and the NET_BUFFER
// counts and bytes. Only repeated fields multiply memory: a non-repeated field that appears
// many times is merged into one structure, and unknown fields are kept as their bytes. The
// merge is counted too: a tree sent as 512 occurrences of the same non-repeated field, 4096
// blocks each, decodes into one tree of 2 Mi blocks, so the occurrences of a non-repeated
// message field share one count.
func scanMessage(data []byte, md protoreflect.MessageDescriptor, b Bounds) error {
	s := &scanner{bounds: b}
	return s.message(data, md, string(md.Name()), &instance{})
}

// instance is one message as it will be decoded: the counts of its repeated fields, and its
// non-repeated message fields, into which every occurrence is merged.
type instance struct {
	counts map[protoreflect.FieldNumber]int
	merged map[protoreflect.FieldNumber]*instance
}

func (in *instance) child(num protoreflect.FieldNumber) *instance {
	if in.merged == nil {
		in.merged = map[protoreflect.FieldNumber]*instance{}
	}
	c := in.merged[num]
	if c == nil {
		c = &instance{}
		in.merged[num] = c
	}
	return c
}

type scanner struct {
	bounds     Bounds
	netBuffers int
	dataBytes  int
}

// repeatedBound returns the largest element count of the repeated field fd in one message.
// TestEveryRepeatedFieldHasABound holds this list to the .proto.
func (s *scanner) repeatedBound(fd protoreflect.FieldDescriptor) (int, string) {
	switch fd.FullName() {
	case "ndischimney.v1.Tree.blocks":
		return s.bounds.MaxBlocks, "blocks in one tree"
	case "ndischimney.v1.Tree.lists", "ndischimney.v1.SendCompletion.lists", "ndischimney.v1.DataPathRequest.lists",
		"ndischimney.v1.DataPathCompletion.lists", "ndischimney.v1.NonOffloadReceive.lists":
		return s.bounds.MaxLists, "NET_BUFFER_LISTs"
	case "ndischimney.v1.Nbl.net_buffers":
		return s.bounds.MaxNetBuffers, "NET_BUFFERs in one message"
	case "ndischimney.v1.Block.ndis_reserved", "ndischimney.v1.Block.protocol_reserved",
		"ndischimney.v1.Block.miniport_reserved", "ndischimney.v1.Block.im_reserved", "ndischimney.v1.Block.scratch":
		return 2, "elements of a reserved member"
	case "ndischimney.v1.VlanIds.ids":
		return 4096, "VLAN IDs (12 bits)"
	case "ndischimney.v1.OpenResponse.roles":
		return maxRoles, "roles"
	}
	return -1, ""
}

func (s *scanner) message(data []byte, md protoreflect.MessageDescriptor, path string, in *instance) error {
	if in.counts == nil {
		in.counts = map[protoreflect.FieldNumber]int{}
	}
	counts := in.counts
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return fmt.Errorf("%s: malformed field tag: %v", path, protowire.ParseError(n))
		}
		data = data[n:]
		n = protowire.ConsumeFieldValue(num, typ, data)
		if n < 0 {
			return fmt.Errorf("%s: field %d malformed: %v", path, num, protowire.ParseError(n))
		}
		value := data[:n]
		data = data[n:]
		fd := md.Fields().ByNumber(num)
		if fd == nil {
			continue // unknown: kept as bytes, no larger than they are
		}
		where := path + "." + string(fd.Name())
		if fd.IsList() {
			elems := 1
			if typ == protowire.BytesType && fd.Kind() != protoreflect.MessageKind && fd.Kind() != protoreflect.BytesKind && fd.Kind() != protoreflect.StringKind {
				elems = packedCount(value, fd.Kind())
			}
			counts[num] += elems
			limit, what := s.repeatedBound(fd)
			if limit < 0 {
				return fmt.Errorf("%s: a repeated field this side has no bound for", where)
			}
			if counts[num] > limit {
				return fmt.Errorf("%s: more than %d %s", where, limit, what)
			}
		}
		if fd.FullName() == "ndischimney.v1.Nbl.net_buffers" {
			d, _ := protowire.ConsumeBytes(value)
			if len(d) > s.bounds.MaxNetBufferData {
				return fmt.Errorf("%s[%d]: a NET_BUFFER of %d bytes, more than the bound of %d", where, counts[num]-1, len(d), s.bounds.MaxNetBufferData)
			}
			s.netBuffers++
			s.dataBytes += len(d)
			if s.netBuffers > s.bounds.MaxNetBuffers {
				return fmt.Errorf("%s: more than %d NET_BUFFERs in one message", where, s.bounds.MaxNetBuffers)
			}
			if s.dataBytes > s.bounds.MaxDataBytes {
				return fmt.Errorf("%s: more than %d bytes of NET_BUFFER data in one message", where, s.bounds.MaxDataBytes)
			}
		}
		if frameField[fd.FullName()] && typ == protowire.BytesType {
			if d, _ := protowire.ConsumeBytes(value); len(d) > s.bounds.MaxFrameBytes {
				return fmt.Errorf("%s: a frame of %d bytes, more than the bound of %d", where, len(d), s.bounds.MaxFrameBytes)
			}
		}
		if fd.Kind() == protoreflect.MessageKind && typ == protowire.BytesType {
			sub, _ := protowire.ConsumeBytes(value)
			child := &instance{} // an element of a repeated field is a message of its own
			if fd.IsList() {
				where = fmt.Sprintf("%s[%d]", where, counts[num]-1)
			} else {
				child = in.child(num) // every occurrence merges into one message
			}
			if err := s.message(sub, fd.Message(), where, child); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxRoles bounds the role names of one OpenResponse: far more than there are roles.
const maxRoles = 64

// frameField names the fields that carry one Ethernet frame (MaxFrameBytes).
var frameField = map[protoreflect.FullName]bool{
	"ndischimney.v1.FrameTransmitted.frame": true, "ndischimney.v1.ReceiveFrameRequest.frame": true,
}

// packedCount returns how many elements a packed repeated scalar holds.
func packedCount(value []byte, k protoreflect.Kind) int {
	payload, _ := protowire.ConsumeBytes(value)
	switch k {
	case protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind, protoreflect.FloatKind:
		return len(payload) / 4
	case protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind, protoreflect.DoubleKind:
		return len(payload) / 8
	}
	n := 0
	for _, c := range payload {
		if c < 0x80 {
			n++ // each varint ends with a byte below 0x80
		}
	}
	return n
}

// treeGraph is the graph a tree message makes, merged with what is kept from earlier messages:
// the links of a block or list the message does not carry are those it already has.
type treeGraph struct {
	m          *pb.Tree
	bt         *blockTable
	lt         *listTable
	blockIndex map[uint64]int // block_id -> index in the message
	listIndex  map[uint64]int
}

// blockName names a block in a fault: its id and where the message has it.
func (g *treeGraph) blockName(id uint64) string {
	if i, ok := g.blockIndex[id]; ok {
		return fmt.Sprintf("block %d (blocks[%d])", id, i)
	}
	return fmt.Sprintf("block %d (kept from an earlier message)", id)
}

func (g *treeGraph) listName(id uint64) string {
	if i, ok := g.listIndex[id]; ok {
		return fmt.Sprintf("list %d (lists[%d])", id, i)
	}
	return fmt.Sprintf("list %d (kept from an earlier message)", id)
}

// blockLinks returns the NextBlock and DependentBlockList of a block, by id.
func (g *treeGraph) blockLinks(id uint64) (next, dep uint64) {
	if i, ok := g.blockIndex[id]; ok {
		return g.m.Blocks[i].NextBlockId, g.m.Blocks[i].DependentBlockId
	}
	if g.bt == nil {
		return 0, 0
	}
	if b := g.bt.byID[id]; b != nil {
		return g.bt.ids[b.NextBlock], g.bt.ids[b.DependentBlockList] // a nil or unknown block is 0
	}
	return 0, 0
}

func (g *treeGraph) listNext(id uint64) uint64 {
	if i, ok := g.listIndex[id]; ok {
		return g.m.Lists[i].NextId
	}
	if g.lt == nil {
		return 0
	}
	if l := g.lt.byID[id]; l != nil {
		return g.lt.ids[l.Next]
	}
	return 0
}

// checkLinks refuses a tree whose NextBlock/DependentBlockList links or NET_BUFFER_LIST Next
// links form a cycle (a self-link included), or whose DependentBlockList links lead more than
// bounds.MaxDepth levels down, naming the block or list that closes the cycle. bt and lt, if
// not nil, are the tables the message would be applied onto: a link a block or list already
// has counts as well, so two messages cannot build a cycle that neither shows alone. Blocks
// shared by two parents (reached twice without a cycle) stay expressible: specs judge them.
// The walks are iterative and visit each block and list once.
func checkLinks(m *pb.Tree, bt *blockTable, lt *listTable, bounds Bounds) error {
	g := &treeGraph{m: m, bt: bt, lt: lt, blockIndex: map[uint64]int{}, listIndex: map[uint64]int{}}
	for i, b := range m.Blocks {
		g.blockIndex[b.BlockId] = i
	}
	for i, l := range m.Lists {
		g.listIndex[l.Id] = i
	}
	const (
		unseen = iota
		open   // on the current path
		done
	)
	state := map[uint64]uint8{}
	levels := map[uint64]int{} // levels of DependentBlockList links from a block down, itself included
	type frame struct {
		id       uint64
		expanded bool
	}
	for _, start := range m.Blocks {
		stack := []frame{{id: start.BlockId}}
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			next, dep := g.blockLinks(f.id)
			if !f.expanded {
				if state[f.id] != unseen {
					stack = stack[:len(stack)-1]
					continue
				}
				state[f.id], f.expanded = open, true
				id := f.id
				for _, c := range []struct {
					to   uint64
					link string
				}{{next, "next_block_id"}, {dep, "dependent_block_id"}} {
					switch {
					case c.to == 0:
					case c.to == id:
						return fmt.Errorf("%s: %s %d links the block to itself", g.blockName(id), c.link, id)
					case state[c.to] == open:
						return fmt.Errorf("%s: %s %d closes a cycle back to %s", g.blockName(id), c.link, c.to, g.blockName(c.to))
					case state[c.to] == unseen:
						stack = append(stack, frame{id: c.to})
					}
				}
				continue
			}
			levels[f.id] = max(levels[next], 1+levels[dep])
			if levels[f.id] > bounds.MaxDepth {
				return fmt.Errorf("%s: dependent_block_id links lead %d levels down from it, more than the bound of %d", g.blockName(f.id), levels[f.id], bounds.MaxDepth)
			}
			state[f.id] = done
			stack = stack[:len(stack)-1]
		}
	}
	lstate := map[uint64]uint8{}
	for _, start := range m.Lists {
		var path []uint64
		id := start.Id
		for id != 0 && lstate[id] == unseen {
			lstate[id] = open
			path = append(path, id)
			next := g.listNext(id)
			if next == id {
				return fmt.Errorf("%s: next_id %d links the list to itself", g.listName(id), id)
			}
			if next != 0 && lstate[next] == open {
				return fmt.Errorf("%s: next_id %d closes a cycle back to %s", g.listName(id), next, g.listName(next))
			}
			id = next
		}
		for _, p := range path {
			lstate[p] = done
		}
	}
	return nil
}

// checkBlockCount refuses a tree with more blocks than the bounds allow (on the encoding side,
// where the wire scan does not run).
func checkBlockCount(n int, bounds Bounds) error {
	if n > bounds.MaxBlocks {
		return fmt.Errorf("tree has %d blocks, more than the bound of %d", n, bounds.MaxBlocks)
	}
	return nil
}

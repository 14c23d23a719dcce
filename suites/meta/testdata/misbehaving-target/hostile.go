package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/ndis-chimney/conformance/target/remote"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// raw is an encoded message sent as it is: what no well-behaved encoder would produce.
type raw []byte

type rawCodec struct{ proto encoding.CodecV2 }

func (c rawCodec) Name() string { return "proto" }
func (c rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	if r, ok := v.(raw); ok {
		return mem.BufferSlice{mem.SliceBuffer(r)}, nil
	}
	return c.proto.Marshal(v)
}
func (c rawCodec) Unmarshal(d mem.BufferSlice, v any) error { return c.proto.Unmarshal(d, v) }

// serveHostile speaks the protocol (revision 1) and answers every call, after its
// CallReturned, with what mode says: a self-linked tree, a cyclic tree, a message that would
// decode into gigabytes, or a flood of completions.
func serveHostile(path, mode string) {
	lis, err := net.Listen("unix", path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(1)
	}
	srv := grpc.NewServer(grpc.ForceServerCodecV2(rawCodec{encoding.GetCodecV2("proto")}), grpc.MaxSendMsgSize(64<<20))
	pb.RegisterOffloadTargetServer(srv, &hostile{mode: mode, sessions: map[uint64]*hostileSession{}})
	go func() { // exit when stdin closes, as the launcher expects
		var b [1]byte
		for {
			if _, err := os.Stdin.Read(b[:]); err != nil {
				os.Exit(0)
			}
		}
	}()
	_ = srv.Serve(lis)
}

type hostile struct {
	pb.UnimplementedOffloadTargetServer
	mode     string
	mu       sync.Mutex
	last     uint64
	sessions map[uint64]*hostileSession
}

type hostileSession struct {
	events chan raw
	closed chan struct{}
	once   sync.Once
}

func (h *hostile) session(id uint64) *hostileSession {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sessions[id]
}

func (h *hostile) Open(context.Context, *pb.OpenRequest) (*pb.OpenResponse, error) {
	h.mu.Lock()
	h.last++
	id := h.last
	h.sessions[id] = &hostileSession{events: make(chan raw, 1024), closed: make(chan struct{})}
	h.mu.Unlock()
	return &pb.OpenResponse{SessionId: id, Info: &pb.Info{Name: "hostile-" + h.mode}, ProtocolRevision: remote.ProtocolRevision}, nil
}

func (h *hostile) Events(req *pb.EventsRequest, s grpc.ServerStreamingServer[pb.Event]) error {
	ss := h.session(req.SessionId)
	if ss == nil {
		return fmt.Errorf("no session %d", req.SessionId)
	}
	for {
		select {
		case ev := <-ss.events:
			if err := s.SendMsg(ev); err != nil {
				return err
			}
		case <-ss.closed:
			return nil
		case <-s.Context().Done():
			return nil
		}
	}
}

func (h *hostile) Call(_ context.Context, req *pb.CallRequest) (*pb.CallResponse, error) {
	ss := h.session(req.SessionId)
	if ss == nil {
		return nil, fmt.Errorf("no session %d", req.SessionId)
	}
	send := func(r raw) bool {
		select {
		case ss.events <- r:
			return true
		case <-ss.closed:
			return false
		}
	}
	send(encode(&pb.Event{Kind: &pb.Event_CallReturned{CallReturned: &pb.CallReturned{CallId: req.CallId}}}))
	id, op := req.GetTree().GetTreeId(), req.Operation
	go func() {
		switch h.mode {
		case "self-linked":
			send(completion(op, &pb.Tree{TreeId: id, Blocks: []*pb.Block{{BlockId: 1, NextBlockId: 1}}}))
		case "cyclic":
			send(completion(op, &pb.Tree{TreeId: id, Blocks: []*pb.Block{{BlockId: 1, DependentBlockId: 2}, {BlockId: 2, DependentBlockId: 3}, {BlockId: 3, NextBlockId: 1}}}))
		case "amplify":
			send(emptyBlocks(op, id, 2<<20-16))
		case "flood":
			ev := completion(op, &pb.Tree{Blocks: []*pb.Block{{BlockId: 1}}})
			for range 100_000 {
				if !send(ev) {
					return
				}
			}
		}
	}()
	return &pb.CallResponse{}, nil
}

func (h *hostile) Close(_ context.Context, req *pb.CloseRequest) (*pb.CloseResponse, error) {
	if ss := h.session(req.SessionId); ss != nil {
		ss.once.Do(func() { close(ss.closed) })
	}
	return &pb.CloseResponse{}, nil
}

func encode(ev *pb.Event) raw {
	b, err := rawCodec{encoding.GetCodecV2("proto")}.proto.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return raw(b.Materialize())
}

func completion(op pb.Operation, tree *pb.Tree) raw {
	return encode(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{Operation: op, Tree: tree}}})
}

// emptyBlocks encodes a completion whose tree lists n empty blocks: 2 bytes each on the wire,
// some 300 bytes each once decoded.
func emptyBlocks(op pb.Operation, treeID uint64, n int) raw {
	block := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), nil)
	tree := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), treeID)
	tree = append(tree, []byte(strings.Repeat(string(block), n))...)
	sc := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), uint64(op))
	sc = protowire.AppendBytes(protowire.AppendTag(sc, 2, protowire.BytesType), tree)
	return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), sc)
}

package remote_test

import (
	"context"
	"errors"
	"github.com/ndis-chimney/conformance/target/hosttest"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// raw is an already encoded message: the hostile server sends it as it is.
type raw []byte

// rawCodec sends raw messages unchanged and everything else as protobuf, so that a test
// server can put on the wire what no well-behaved encoder would produce.
type rawCodec struct{ proto encoding.CodecV2 }

func (c rawCodec) Name() string { return "proto" }
func (c rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	if r, ok := v.(raw); ok {
		return mem.BufferSlice{mem.SliceBuffer(r)}, nil
	}
	return c.proto.Marshal(v)
}
func (c rawCodec) Unmarshal(d mem.BufferSlice, v any) error { return c.proto.Unmarshal(d, v) }

// hostileServer opens sessions and, once the client's event stream is open, sends events.
type hostileServer struct {
	pb.UnimplementedOffloadTargetServer
	events func(send func(raw) error)
	closed chan struct{}
}

func (h *hostileServer) Open(context.Context, *pb.OpenRequest) (*pb.OpenResponse, error) {
	return &pb.OpenResponse{SessionId: 1, Info: &pb.Info{Name: "hostile"}, ProtocolRevision: remote.ProtocolRevision}, nil
}

func (h *hostileServer) Events(_ *pb.EventsRequest, s grpc.ServerStreamingServer[pb.Event]) error {
	h.events(func(r raw) error { return s.SendMsg(r) })
	select {
	case <-h.closed:
	case <-s.Context().Done():
	}
	return nil
}

func (h *hostileServer) Close(context.Context, *pb.CloseRequest) (*pb.CloseResponse, error) {
	close(h.closed)
	return &pb.CloseResponse{}, nil
}

// countingHost counts completions and keeps nothing.
type countingHost struct {
	recorder
	states, sends *atomic.Int64
}

func (h countingHost) NdisMInitiateOffloadComplete(*ndis.MiniportOffloadBlockList) { h.states.Add(1) }
func (h countingHost) NdisTcpOffloadSendComplete(*ndis.NetBufferList)              { h.sends.Add(1) }

// openHostile serves events from a hostile server and opens a client on it; it returns the
// client's host and its faults.
func openHostile(t *testing.T, bounds remote.Bounds, events func(send func(raw) error)) (countingHost, chan error, func() error) {
	t.Helper()
	sock := filepath.Join(socketDir(t), "t.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(grpc.ForceServerCodecV2(rawCodec{encoding.GetCodecV2("proto")}), grpc.MaxSendMsgSize(64<<20))
	pb.RegisterOffloadTargetServer(srv, &hostileServer{events: events, closed: make(chan struct{})})
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	faults := make(chan error, 64)
	ep, err := remote.Connect("unix://"+sock, remote.ConnectOptions{ClientOptions: remote.ClientOptions{
		CallTimeout: wait, Bounds: bounds, OnFault: func(err error) {
			select {
			case faults <- err:
			default:
			}
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	tgt, err := ep.Factory()()
	if err != nil {
		t.Fatal(err)
	}
	host := countingHost{recorder: make(recorder, 1), states: &atomic.Int64{}, sends: &atomic.Int64{}}
	if _, err := tgt.Open(hosttest.StateOnly(host)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tgt.Close() })
	return host, faults, func() error { return tgt.MiniportInitiateOffload(fixtures.OneConnection()) }
}

func mustMarshal(t *testing.T, m proto.Message) raw {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func completionEvent(tree *pb.Tree) *pb.Event {
	return &pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{Operation: pb.Operation_OPERATION_INITIATE, Tree: tree}}}
}

func awaitFault(t *testing.T, faults chan error, want string) error {
	t.Helper()
	select {
	case err := <-faults:
		if !strings.Contains(err.Error(), want) {
			t.Errorf("fault %q does not say %q", err, want)
		}
		return err
	case <-time.After(wait):
		t.Fatalf("no fault saying %q", want)
		return nil
	}
}

// A target that completes with a self-linked or cyclic tree causes a protocol fault naming the
// block, nothing reaches the suite's host, and the session's later calls fail.
func TestACyclicCompletionIsAProtocolFault(t *testing.T) {
	for name, c := range map[string]struct {
		tree *pb.Tree
		want string
	}{
		"self-linked": {&pb.Tree{TreeId: 0, Blocks: []*pb.Block{{BlockId: 1, NextBlockId: 1}}}, "block 1 (blocks[0]): next_block_id 1 links the block to itself"},
		"cyclic": {&pb.Tree{TreeId: 0, Blocks: []*pb.Block{{BlockId: 1, DependentBlockId: 2}, {BlockId: 2, DependentBlockId: 3}, {BlockId: 3, NextBlockId: 1}}},
			"block 3 (blocks[2]): next_block_id 1 closes a cycle back to block 1 (blocks[0])"},
		"list cycle": {&pb.Tree{TreeId: 0, Blocks: []*pb.Block{{BlockId: 1, NetBufferListChainId: 7}}, Lists: []*pb.Nbl{{Id: 7, NextId: 8}, {Id: 8, NextId: 7}}},
			"list 8 (lists[1]): next_id 7 closes a cycle"},
	} {
		t.Run(name, func(t *testing.T) {
			host, faults, call := openHostile(t, remote.Bounds{}, func(send func(raw) error) {
				send(mustMarshal(t, completionEvent(c.tree)))
			})
			awaitFault(t, faults, c.want)
			if n := host.states.Load(); n != 0 {
				t.Errorf("%d completions reached the host", n)
			}
			if err := call(); !errors.Is(err, remote.ErrFault) {
				t.Errorf("the next call: %v, want ErrFault", err)
			}
		})
	}
}

// A message larger than gRPC's receive limit is refused before it is read; one within it that
// would amplify (2 Mi empty blocks in 4 MiB) is refused by the codec before decoding.
func TestAnAmplifyingMessageIsRefused(t *testing.T) {
	for name, c := range map[string]struct {
		blocks int
		want   string
	}{
		"16 MiB": {8 << 20, "ResourceExhausted"},
		"4 MiB":  {2<<20 - 16, "more than 4096 blocks in one tree"},
	} {
		t.Run(name, func(t *testing.T) {
			ev := emptyBlocksEvent(c.blocks)
			_, faults, _ := openHostile(t, remote.Bounds{}, func(send func(raw) error) { send(ev) })
			start := time.Now()
			awaitFault(t, faults, c.want)
			t.Logf("a %d-byte message of %d empty blocks refused in %s", len(ev), c.blocks, time.Since(start).Round(time.Millisecond))
		})
	}
}

// emptyBlocksEvent encodes an Event whose completion's tree has n empty blocks.
func emptyBlocksEvent(n int) raw {
	block := protowire.AppendBytes(protowire.AppendTag(nil, 2, protowire.BytesType), nil)
	tree := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 1)
	tree = append(tree, []byte(strings.Repeat(string(block), n))...)
	sc := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 1)
	sc = protowire.AppendBytes(protowire.AppendTag(sc, 2, protowire.BytesType), tree)
	return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), sc)
}

// A completion flood ends with the session's event stream closed and a fault that says so,
// after at most MaxEvents events (or MaxEventBytes bytes) reached the suite.
func TestACompletionFloodIsCutOff(t *testing.T) {
	t.Run("events", func(t *testing.T) {
		ev := mustMarshal(t, completionEvent(&pb.Tree{Blocks: []*pb.Block{{BlockId: 1}}}))
		host, faults, _ := openHostile(t, remote.Bounds{}, func(send func(raw) error) {
			for range 100_000 {
				if send(ev) != nil {
					return // the client has gone
				}
			}
		})
		start := time.Now()
		awaitFault(t, faults, "more than the bound of 16384 events")
		time.Sleep(50 * time.Millisecond)
		if n := host.states.Load(); n > int64(remote.DefaultBounds.MaxEvents) {
			t.Errorf("%d completions reached the host, more than %d", n, remote.DefaultBounds.MaxEvents)
		}
		t.Logf("flood of 100000 completions cut off after %d delivered, in %s", host.states.Load(), time.Since(start).Round(time.Millisecond))
	})
	t.Run("bytes", func(t *testing.T) {
		data := make([]byte, 64<<10)
		ev := mustMarshal(t, &pb.Event{Kind: &pb.Event_SendCompletion{SendCompletion: &pb.SendCompletion{Lists: []*pb.Nbl{{Id: 1, NetBuffers: [][]byte{data}}}}}})
		host, faults, _ := openHostile(t, remote.Bounds{MaxEventBytes: 1 << 20}, func(send func(raw) error) {
			for range 1000 {
				if send(ev) != nil {
					return
				}
			}
		})
		awaitFault(t, faults, "1048576 bytes (a completion flood)")
		if n := host.sends.Load(); n > 16 {
			t.Errorf("%d send completions of 64 KiB reached the host under a 1 MiB bound", n)
		}
	})
}

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

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// fakeServer speaks the protocol directly, as a target in another language would, and can
// lie: onCall decides what it puts on Events for each call, in which order, with which flags.
type fakeServer struct {
	pb.UnimplementedOffloadTargetServer
	revision uint32
	events   chan *pb.Event
	closed   chan struct{}
	onCall   func(req *pb.CallRequest, send func(*pb.Event)) *pb.CallResponse
}

func (f *fakeServer) Open(context.Context, *pb.OpenRequest) (*pb.OpenResponse, error) {
	return &pb.OpenResponse{SessionId: 1, Info: &pb.Info{Name: "fake"}, ProtocolRevision: f.revision}, nil
}

func (f *fakeServer) Events(_ *pb.EventsRequest, s grpc.ServerStreamingServer[pb.Event]) error {
	for {
		select {
		case ev := <-f.events:
			if err := s.Send(ev); err != nil {
				return err
			}
		case <-f.closed:
			return nil
		case <-s.Context().Done():
			return nil
		}
	}
}

func (f *fakeServer) Call(_ context.Context, req *pb.CallRequest) (*pb.CallResponse, error) {
	return f.onCall(req, func(ev *pb.Event) { f.events <- ev }), nil
}

func (f *fakeServer) Close(context.Context, *pb.CloseRequest) (*pb.CloseResponse, error) {
	close(f.closed)
	return &pb.CloseResponse{}, nil
}

// serveFake serves f and returns a factory of clients reporting faults to faults.
func serveFake(t *testing.T, f *fakeServer, opts remote.ClientOptions) func() (target.Target, error) {
	t.Helper()
	f.events, f.closed = make(chan *pb.Event, 64), make(chan struct{})
	sock := filepath.Join(socketDir(t), "t.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pb.RegisterOffloadTargetServer(srv, f)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	ep, err := remote.Connect("unix://"+sock, remote.ConnectOptions{ClientOptions: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	return ep.Factory()
}

func completionOf(req *pb.CallRequest, duringCall bool) *pb.Event {
	tree := req.Tree
	tree.Blocks[0].Status = uint32(ndis.StatusSuccess)
	return &pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{
		Operation: req.Operation, Tree: tree, DuringCall: duringCall,
	}}}
}

func returnedOf(req *pb.CallRequest) *pb.Event {
	return &pb.Event{Kind: &pb.Event_CallReturned{CallReturned: &pb.CallReturned{CallId: req.CallId}}}
}

// orderHost records, for each completion, whether the handler call had returned to the
// caller when the completion was delivered.
type orderHost struct {
	recorder
	returned *atomic.Bool
	after    chan bool
}

func (h orderHost) NdisMInitiateOffloadComplete(*ndis.MiniportOffloadBlockList) {
	h.after <- h.returned.Load()
}

// initiateAndSeeOrder calls MiniportInitiateOffload and reports whether its completion was
// delivered after the call returned.
func initiateAndSeeOrder(t *testing.T, f func() (target.Target, error)) (after bool) {
	t.Helper()
	tgt, err := f()
	if err != nil {
		t.Fatal(err)
	}
	h := orderHost{recorder: make(recorder, 4), returned: &atomic.Bool{}, after: make(chan bool, 4)}
	if _, err := tgt.Open(hosttest.StateOnly(h)); err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	if err := tgt.MiniportInitiateOffload(fixtures.OneConnection()); err != nil {
		t.Fatal(err)
	}
	h.returned.Store(true)
	select {
	case after = <-h.after:
	case <-time.After(wait):
		t.Fatal("no completion delivered")
	}
	return after
}

// A target that completes inside its handler cannot hide it by saying it did not: the client
// judges from the order of Events, and a completion sent before the call's CallReturned is
// delivered before the handler call returns (the harness then sees a completion made during
// the call), whatever during_call and completions_during_call claim.
func TestACompletionBeforeCallReturnedIsDuringTheCallWhateverTheTargetClaims(t *testing.T) {
	f := serveFake(t, &fakeServer{revision: remote.ProtocolRevision, onCall: func(req *pb.CallRequest, send func(*pb.Event)) *pb.CallResponse {
		send(completionOf(req, false)) // claims: not during the call
		send(returnedOf(req))
		return &pb.CallResponse{CompletionsDuringCall: 0} // claims: none during the call
	}}, remote.ClientOptions{CallTimeout: wait})
	if initiateAndSeeOrder(t, f) {
		t.Error("a completion sent before CallReturned was delivered after the handler call returned")
	}
}

// And the other way round: a completion after the CallReturned is delivered after the call
// returns, even when the target flags it as made during the call.
func TestACompletionAfterCallReturnedIsAfterTheCallWhateverTheTargetClaims(t *testing.T) {
	f := serveFake(t, &fakeServer{revision: remote.ProtocolRevision, onCall: func(req *pb.CallRequest, send func(*pb.Event)) *pb.CallResponse {
		send(returnedOf(req))
		send(completionOf(req, true))
		return &pb.CallResponse{CompletionsDuringCall: 1}
	}}, remote.ClientOptions{CallTimeout: wait})
	if !initiateAndSeeOrder(t, f) {
		t.Error("a completion sent after CallReturned was delivered before the handler call returned")
	}
}

// Our own server keeps the in-process semantics in the order it sends: a completion made on
// another goroutine after the handler returned comes after the CallReturned; one made on the
// handler's own goroutine before it.
func TestTheServerOrdersCompletionsAroundCallReturned(t *testing.T) {
	for _, c := range []struct {
		name  string
		after bool
		do    func(h target.Host, tree *ndis.MiniportOffloadBlockList) error
	}{
		{"asynchronous", true, func(h target.Host, tree *ndis.MiniportOffloadBlockList) error {
			go h.NdisMInitiateOffloadComplete(tree)
			return nil
		}},
		{"synchronous", false, func(h target.Host, tree *ndis.MiniportOffloadBlockList) error {
			h.NdisMInitiateOffloadComplete(tree)
			return nil
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, f := serve(t, func() (target.Target, error) { return &scripted{do: c.do}, nil }, remote.ClientOptions{CallTimeout: wait})
			if got := initiateAndSeeOrder(t, f); got != c.after {
				t.Errorf("delivered after the call returned: %v, want %v", got, c.after)
			}
		})
	}
}

// A server of revision 0 cannot tell the client when a handler returned: the client refuses
// it when opening, saying which revision it needs.
func TestAServerOfRevisionZeroIsRefused(t *testing.T) {
	f := serveFake(t, &fakeServer{revision: 0, onCall: func(*pb.CallRequest, func(*pb.Event)) *pb.CallResponse { return &pb.CallResponse{} }}, remote.ClientOptions{})
	tgt, err := f()
	if err != nil {
		t.Fatal(err)
	}
	_, err = tgt.Open(hosttest.StateOnly(make(recorder, 1)))
	if err == nil || !strings.Contains(err.Error(), "revision 0") || !strings.Contains(err.Error(), "CallReturned") {
		t.Fatalf("Open of a revision 0 server: %v, want a refusal naming the revisions", err)
	}
}

// A server that answers a Call but never puts its CallReturned on Events costs one
// CallTimeout and a fault, not a hang.
func TestACallWithoutCallReturnedFailsWithinTheTimeout(t *testing.T) {
	faults := make(chan error, 4)
	f := serveFake(t, &fakeServer{revision: remote.ProtocolRevision, onCall: func(*pb.CallRequest, func(*pb.Event)) *pb.CallResponse {
		return &pb.CallResponse{}
	}}, remote.ClientOptions{CallTimeout: 300 * time.Millisecond, OnFault: func(err error) { faults <- err }})
	tgt, _, _ := open(t, f)
	start := time.Now()
	err := tgt.MiniportInitiateOffload(fixtures.OneConnection())
	if err == nil || !strings.Contains(err.Error(), "no CallReturned") {
		t.Fatalf("got %v, want an error saying no CallReturned arrived", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the call took %s", d)
	}
	if err := tgt.MiniportInitiateOffload(fixtures.OneConnection()); !errors.Is(err, remote.ErrFault) {
		t.Errorf("the next call: %v, want ErrFault", err)
	}
}

// A CallReturned naming a call never made, or a second one for the same call, is a fault.
func TestAForgedCallReturnedIsAFault(t *testing.T) {
	for name, forge := range map[string]func(req *pb.CallRequest, send func(*pb.Event)){
		"never made": func(req *pb.CallRequest, send func(*pb.Event)) {
			send(&pb.Event{Kind: &pb.Event_CallReturned{CallReturned: &pb.CallReturned{CallId: req.CallId + 1000}}})
			send(returnedOf(req))
		},
		"twice": func(req *pb.CallRequest, send func(*pb.Event)) {
			send(returnedOf(req))
			send(returnedOf(req))
		},
	} {
		t.Run(name, func(t *testing.T) {
			faults := make(chan error, 4)
			f := serveFake(t, &fakeServer{revision: remote.ProtocolRevision, onCall: func(req *pb.CallRequest, send func(*pb.Event)) *pb.CallResponse {
				forge(req, send)
				return &pb.CallResponse{}
			}}, remote.ClientOptions{CallTimeout: wait, OnFault: func(err error) { faults <- err }})
			tgt, _, _ := open(t, f)
			_ = tgt.MiniportInitiateOffload(fixtures.OneConnection())
			select {
			case err := <-faults:
				if !strings.Contains(err.Error(), "call_returned") {
					t.Errorf("fault %v does not name call_returned", err)
				}
			case <-time.After(wait):
				t.Fatal("no fault")
			}
		})
	}
}

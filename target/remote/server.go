package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// maxQueuedEvents bounds the events a session keeps for a client that does not read them.
const maxQueuedEvents = 1 << 16

// Serve serves the OffloadTarget protocol on lis until lis fails or is closed: every Open
// makes a new target with newTarget and opens it with a Host that turns its completions into
// Events on that session's stream. It is all a Go implementer needs:
//
//	lis, _ := net.Listen("unix", path)
//	remote.Serve(lis, func() (target.Target, error) { return mytarget.New(), nil })
func Serve(lis net.Listener, newTarget func() (target.Target, error)) error {
	return NewServer(newTarget, Bounds{}).Serve(lis)
}

// Server serves targets made by one factory, one per session.
type Server struct {
	pb.UnimplementedOffloadTargetServer
	newTarget func() (target.Target, error)
	bounds    Bounds
	grpc      *grpc.Server

	mu       sync.Mutex
	sessions map[uint64]*session
	lastID   uint64
}

// NewServer returns a server of targets made by newTarget, accepting messages within bounds
// (zero fields take DefaultBounds).
func NewServer(newTarget func() (target.Target, error), bounds Bounds) *Server {
	s := &Server{newTarget: newTarget, bounds: bounds.orDefault(), sessions: map[uint64]*session{}}
	s.grpc = grpc.NewServer(grpc.MaxRecvMsgSize(s.bounds.MaxMessageBytes), grpc.MaxSendMsgSize(s.bounds.MaxMessageBytes),
		grpc.ForceServerCodecV2(newCodec(s.bounds)))
	pb.RegisterOffloadTargetServer(s.grpc, s)
	return s
}

// Serve accepts connections on lis until Stop or until lis fails.
func (s *Server) Serve(lis net.Listener) error { return s.grpc.Serve(lis) }

// Stop closes every session's target, lets their event streams and calls drain for at most
// grace, and stops the server, cutting every connection.
func (s *Server) Stop(grace time.Duration) {
	s.mu.Lock()
	sessions := make([]*session, 0, len(s.sessions))
	for id, ss := range s.sessions {
		sessions = append(sessions, ss)
		delete(s.sessions, id)
	}
	s.mu.Unlock()
	for _, ss := range sessions {
		ss.close()
	}
	done := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		s.grpc.Stop() // does not wait for handlers that never return
	}
}

func (s *Server) session(id uint64) (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[id]
	if ss == nil {
		return nil, status.Errorf(codes.NotFound, "no session %d", id)
	}
	return ss, nil
}

// Open makes and opens a new target.
func (s *Server) Open(ctx context.Context, req *pb.OpenRequest) (*pb.OpenResponse, error) {
	t, err := s.newTarget()
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "making a target: %v", err)
	}
	s.mu.Lock()
	s.lastID++
	ss := &session{
		id: s.lastID, target: t, bounds: s.bounds, revision: req.GetProtocolRevision(),
		trees: map[uint64]*blockTable{}, treeIDs: map[*ndis.MiniportOffloadBlockList]uint64{},
		lists: newListTable(false), inCall: map[*ndis.MiniportOffloadBlockList]int{}, returned: map[*ndis.MiniportOffloadBlockList]chan struct{}{}, during: map[*ndis.MiniportOffloadBlockList]int{}, signal: make(chan struct{}, 1),
		indications: map[uint64]chan indicationAnswer{}, ended: make(chan struct{}),
	}
	if ss.revision >= rolesRevision {
		ss.roles = target.RolesOf(t) // an older client hears of no role, and calls none
	}
	s.sessions[ss.id] = ss
	s.mu.Unlock()
	info, err := t.Open(ss)
	if err != nil {
		s.mu.Lock()
		delete(s.sessions, ss.id)
		s.mu.Unlock()
		return nil, status.Errorf(codes.FailedPrecondition, "opening the target: %v", err)
	}
	resp := &pb.OpenResponse{SessionId: ss.id, Info: infoToPB(info), ProtocolRevision: ProtocolRevision, Roles: roleNamesOf(ss.roles)}
	if ss.roles.Has(target.RoleWired) {
		var hw []byte
		if err := protect(func() error { hw = t.(target.Wired).HardwareAddress(); return nil }); err != nil {
			return nil, status.Errorf(codes.FailedPrecondition, "the target's HardwareAddress: %v", err)
		}
		resp.HardwareAddress = hw
	}
	return resp, nil
}

// Events sends the session's events until it is closed and drained.
func (s *Server) Events(req *pb.EventsRequest, stream grpc.ServerStreamingServer[pb.Event]) error {
	ss, err := s.session(req.GetSessionId())
	if err != nil {
		return err
	}
	ss.mu.Lock()
	if ss.streaming {
		ss.mu.Unlock()
		return status.Errorf(codes.FailedPrecondition, "session %d already has an event stream", ss.id)
	}
	ss.streaming = true
	ss.mu.Unlock()
	ended := false
	defer func() {
		if ended {
			return
		}
		// The client is gone or its stream broke: nobody hears this session any more.
		s.mu.Lock()
		if s.sessions[ss.id] == ss {
			delete(s.sessions, ss.id)
		}
		s.mu.Unlock()
		go ss.close()
	}()
	for {
		ss.mu.Lock()
		events, closed, fault := ss.queue, ss.closed, ss.fault
		ss.queue = nil
		ss.mu.Unlock()
		for _, ev := range events {
			if err := stream.Send(ev); err != nil {
				return err
			}
		}
		if fault != nil {
			return status.Errorf(codes.DataLoss, "session %d: %v", ss.id, fault)
		}
		if closed && len(events) == 0 {
			ended = true
			return nil
		}
		if len(events) > 0 {
			continue
		}
		select {
		case <-ss.signal:
		case <-stream.Context().Done():
			return stream.Context().Err()
		}
	}
}

// Call runs a handler.
func (s *Server) Call(ctx context.Context, req *pb.CallRequest) (*pb.CallResponse, error) {
	ss, err := s.session(req.GetSessionId())
	if err != nil {
		return nil, err
	}
	handler := handlerFor(ss.target, req.GetOperation())
	if handler == nil {
		return nil, status.Errorf(codes.InvalidArgument, "unknown operation %v", req.GetOperation())
	}
	if req.GetTree().GetTreeId() == 0 {
		return nil, status.Error(codes.InvalidArgument, "tree_id is zero")
	}
	if ss.revision >= 1 && req.GetCallId() == 0 {
		return nil, status.Error(codes.InvalidArgument, "call_id is zero")
	}
	if err := checkTree(req.GetTree(), ss.bounds); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "malformed tree: %v", err)
	}
	ss.mu.Lock()
	bt := ss.trees[req.Tree.TreeId]
	if err := checkLinks(req.Tree, bt, ss.lists, ss.bounds); err != nil {
		ss.mu.Unlock()
		return nil, status.Errorf(codes.InvalidArgument, "malformed tree: %v", err)
	}
	if bt == nil {
		bt = newBlockTable()
		ss.trees[req.Tree.TreeId] = bt
	}
	root := applyTree(bt, ss.lists, req.Tree)
	ss.treeIDs[root] = req.Tree.TreeId
	ss.mu.Unlock()
	ss.catchUp(req.NowNs) // before the handler, as a clocked target in process reads the time it is called at
	ss.mu.Lock()
	if ss.inCall[root]++; ss.inCall[root] == 1 {
		ss.returned[root] = make(chan struct{})
	}
	before := ss.during[root]
	ss.mu.Unlock()
	herr := callHandler(handler, root)
	ss.mu.Lock()
	if ss.inCall[root]--; ss.inCall[root] == 0 {
		delete(ss.inCall, root)
		close(ss.returned[root])
		delete(ss.returned, root)
	}
	if ss.revision >= 1 {
		// Under ss.mu, with returned closed: a completion held in completeLocked until the
		// handler returned is queued after this, so the client hears of it as made later.
		ss.push(&pb.Event{Kind: &pb.Event_CallReturned{CallReturned: &pb.CallReturned{CallId: req.CallId}}})
	}
	resp := &pb.CallResponse{CompletionsDuringCall: uint32(ss.during[root] - before)} // for revision 0 clients
	ss.mu.Unlock()
	ss.wake()
	if herr != nil {
		resp.Error = herr.Error()
	}
	return resp, nil
}

func callHandler(h func(*ndis.MiniportOffloadBlockList) error, tree *ndis.MiniportOffloadBlockList) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return h(tree)
}

// Close closes the session's target; its event stream ends once drained.
func (s *Server) Close(ctx context.Context, req *pb.CloseRequest) (*pb.CloseResponse, error) {
	s.mu.Lock()
	ss := s.sessions[req.GetSessionId()]
	delete(s.sessions, req.GetSessionId())
	s.mu.Unlock()
	if ss == nil {
		return nil, status.Errorf(codes.NotFound, "no session %d", req.GetSessionId())
	}
	if err := ss.close(); err != nil {
		return &pb.CloseResponse{Error: err.Error()}, nil
	}
	return &pb.CloseResponse{}, nil
}

func handlerFor(t target.Target, o pb.Operation) func(*ndis.MiniportOffloadBlockList) error {
	switch o {
	case pb.Operation_OPERATION_INITIATE:
		return t.MiniportInitiateOffload
	case pb.Operation_OPERATION_QUERY:
		return t.MiniportQueryOffload
	case pb.Operation_OPERATION_UPDATE:
		return t.MiniportUpdateOffload
	case pb.Operation_OPERATION_INVALIDATE:
		return t.MiniportInvalidateOffload
	case pb.Operation_OPERATION_TERMINATE:
		return t.MiniportTerminateOffload
	}
	return nil
}

// session is one target instance and the Host it completes through.
type session struct {
	id       uint64
	target   target.Target
	bounds   Bounds
	revision uint32         // the client's protocol revision
	roles    target.RoleSet // declared to the client (none to a client of revision 0 or 1)

	mu        sync.Mutex
	trees     map[uint64]*blockTable                    // by tree_id
	treeIDs   map[*ndis.MiniportOffloadBlockList]uint64 // root -> tree_id
	lists     *listTable
	inCall    map[*ndis.MiniportOffloadBlockList]int
	returned  map[*ndis.MiniportOffloadBlockList]chan struct{} // closed when the handler call for a tree returns
	during    map[*ndis.MiniportOffloadBlockList]int           // completions made during a call, ever
	queue     []*pb.Event
	signal    chan struct{}
	streaming bool
	closed    bool
	fault     error
	closeOnce sync.Once
	closeErr  error

	clock          *sessionClock // from UseClock
	indications    map[uint64]chan indicationAnswer
	lastIndication uint64
	ended          chan struct{} // closed when the session closes: indications get no answer
}

var _ target.Host = (*session)(nil)

func (ss *session) close() error {
	ss.closeOnce.Do(func() {
		close(ss.ended) // first: a target whose Close waits for an indication must not wait forever
		ss.closeErr = ss.target.Close()
		ss.mu.Lock()
		ss.closed = true
		ss.mu.Unlock()
		ss.wake()
	})
	return ss.closeErr
}

func (ss *session) wake() {
	select {
	case ss.signal <- struct{}{}:
	default:
	}
}

// push queues an event; must hold ss.mu.
func (ss *session) push(ev *pb.Event) {
	if len(ss.queue) >= maxQueuedEvents {
		ss.fault = errors.Join(ss.fault, fmt.Errorf("more than %d events queued: the client does not read them", maxQueuedEvents))
		return
	}
	ss.queue = append(ss.queue, ev)
}

func (ss *session) complete(o pb.Operation, tree *ndis.MiniportOffloadBlockList) {
	ss.mu.Lock()
	defer ss.wake()
	defer ss.mu.Unlock()
	ss.completeLocked(o, tree)
}

// insideWait is how long a completion that arrives while its tree's handler call is still in
// progress is held, waiting for the handler to return. A handler that returns meanwhile did
// not depend on the completion (the two raced on different threads): the completion is sent
// after the call's CallReturned, so the client hears of it as made after the return. One that
// does not return completed from inside the call, and is sent before. The suite's harness
// decides the same way in process.
const insideWait = 500 * time.Millisecond

// completeLocked encodes tree as handed back and queues it; it holds ss.mu, which it may
// release while it waits to see whether the handler call returns.
func (ss *session) completeLocked(o pb.Operation, tree *ndis.MiniportOffloadBlockList) {
	id := ss.treeIDs[tree]
	bt := ss.trees[id]
	if id == 0 || bt == nil {
		id, bt = 0, newBlockTable() // a tree the client never handed over
	}
	m, err := encodeTree(bt, ss.lists, id, tree, ss.bounds)
	if err != nil {
		ss.fault = errors.Join(ss.fault, fmt.Errorf("%v completion: %w", o, err))
		return
	}
	during := false
	if ch, inCall := ss.returned[tree], ss.inCall[tree] > 0; inCall {
		ss.mu.Unlock()
		select {
		case <-ch:
		case <-time.After(insideWait):
			during = true
		}
		ss.mu.Lock()
	}
	if during {
		ss.during[tree]++
	}
	ss.push(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{
		Operation: o, Tree: m, DuringCall: during,
	}}})
}

// NdisMInitiateOffloadComplete sends the tree back as a StateCompletion.
func (ss *session) NdisMInitiateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	ss.complete(pb.Operation_OPERATION_INITIATE, t)
}

// NdisMQueryOffloadStateComplete sends the tree back as a StateCompletion.
func (ss *session) NdisMQueryOffloadStateComplete(t *ndis.MiniportOffloadBlockList) {
	ss.complete(pb.Operation_OPERATION_QUERY, t)
}

// NdisMUpdateOffloadComplete sends the tree back as a StateCompletion.
func (ss *session) NdisMUpdateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	ss.complete(pb.Operation_OPERATION_UPDATE, t)
}

// NdisMInvalidateOffloadComplete sends the tree back as a StateCompletion.
func (ss *session) NdisMInvalidateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	ss.complete(pb.Operation_OPERATION_INVALIDATE, t)
}

// NdisMTerminateOffloadComplete sends the tree back as a StateCompletion.
func (ss *session) NdisMTerminateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	ss.complete(pb.Operation_OPERATION_TERMINATE, t)
}

// NdisTcpOffloadSendComplete sends the chain's lists, in order, as a SendCompletion.
func (ss *session) NdisTcpOffloadSendComplete(chain *ndis.NetBufferList) {
	ss.mu.Lock()
	defer ss.wake()
	defer ss.mu.Unlock()
	lists, err := encodeChain(ss.lists, chain, ss.bounds)
	if err != nil {
		ss.fault = errors.Join(ss.fault, fmt.Errorf("send completion: %w", err))
		return
	}
	ss.push(&pb.Event{Kind: &pb.Event_SendCompletion{SendCompletion: &pb.SendCompletion{Lists: lists}}})
}

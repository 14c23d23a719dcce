package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// ClientOptions configure a Client.
type ClientOptions struct {
	// CallTimeout bounds every RPC, and how long a completion made after its handler returned
	// waits for the handler call's reply; default 10 s.
	CallTimeout time.Duration
	// OnFault, if set, is told of every fault of the connection: a broken event stream, a
	// malformed message, a dead server. Each also makes the next handler call fail.
	OnFault func(error)
	// Bounds limit what the client accepts from the server; zero fields take DefaultBounds.
	Bounds Bounds
}

func (o ClientOptions) orDefault() ClientOptions {
	if o.CallTimeout <= 0 {
		o.CallTimeout = 10 * time.Second
	}
	o.Bounds = o.Bounds.orDefault()
	return o
}

// DialOptions returns the gRPC dial options that bound messages as o.Bounds say: gRPC's own
// message size limits, and a codec that checks the other bounds on the wire bytes before
// decoding.
func (o ClientOptions) DialOptions() []grpc.DialOption {
	b := o.Bounds.orDefault()
	return []grpc.DialOption{grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(b.MaxMessageBytes), grpc.MaxCallSendMsgSize(b.MaxMessageBytes),
		grpc.ForceCodecV2(newCodec(b)))}
}

// Client is a target.Target served by another process over the OffloadTarget protocol: one
// Client is one session. Trees cross as whole trees both ways; completions are applied onto
// the very trees handed over, so the suite sees the target's writes as if it ran in process.
type Client struct {
	rpc  pb.OffloadTargetClient
	opts ClientOptions

	mu       sync.Mutex
	session  uint64
	host     target.Host
	trees    map[uint64]*blockTable
	treeIDs  map[*ndis.MiniportOffloadBlockList]uint64
	lastTree uint64
	lists    *listTable
	calls    map[uint64]*pendingCall // by call_id: handler calls that have not returned to the suite
	inFlight map[uint64]*pendingCall // by tree_id: the latest of them for each tree
	lastCall uint64
	// returnedIDs are the recent calls whose CallReturned was read, so that a second one is a
	// fault even when it arrives after the call has ended.
	returnedIDs map[uint64]bool
	fault       error
	closing     bool
	cancel      context.CancelFunc
	eventDone   chan struct{}

	// The roles (revision 2).
	roles    target.RoleSet   // what the server declared
	hwAddr   net.HardwareAddr // the port's MAC address (role wired)
	link     target.Link      // from AttachLink: where FrameTransmitted events go
	clock    target.Clock     // the suite's clock (UseClock); time is sent from it
	clockOn  bool             // the session's clock has been started (UseClock sent)
	wakeup   *wakeupTimer     // the suite-clock timer armed for the earliest ClockWakeup
	notAfter time.Duration    // the latest time sent, so that time sent never goes back
}

// pendingCall is a handler call the client has sent and not yet returned from.
type pendingCall struct {
	id, tree uint64
	marked   bool          // its CallReturned has been read from Events
	returned chan struct{} // closed when its CallReturned is read
	replied  chan struct{} // closed when the call returns to the suite
}

var (
	_ target.Target       = (*Client)(nil)
	_ target.DataPath     = (*Client)(nil)
	_ target.Wired        = (*Client)(nil)
	_ target.Clocked      = (*Client)(nil)
	_ target.RoleDeclarer = (*Client)(nil)
)

// NewClient returns a client that opens a session on conn when opened. conn is not owned: it
// stays open after Close.
func NewClient(conn grpc.ClientConnInterface, opts ClientOptions) *Client {
	return &Client{rpc: pb.NewOffloadTargetClient(conn), opts: opts.orDefault()}
}

// ErrFault wraps the fault that makes a client's handler calls fail.
var ErrFault = errors.New("remote target faulted")

// ProtocolRevision is the revision of ndischimney.v1 this package implements, on both sides:
// 1 = v1.1, in which the server puts a CallReturned on Events when a handler returns and the
// client judges from that order whether a completion was made during the call; 2 = v1.2, in
// which the target declares roles (data path, network port, clock) and the protocol carries
// them. The client works with a server of revision 1, whose target declares no roles.
const ProtocolRevision = 2

// minServerRevision is the oldest server revision the client works with.
const minServerRevision = 1

func (c *Client) reportFault(err error) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	if c.fault == nil {
		c.fault = fmt.Errorf("%w: %w", ErrFault, err)
	}
	c.mu.Unlock()
	if c.opts.OnFault != nil {
		c.opts.OnFault(err)
	}
}

// Open creates a session, starts its event stream and returns what the target declares.
func (c *Client) Open(host target.Host) (target.Info, error) {
	if host == nil {
		return target.Info{}, errors.New("remote target: Open needs a host")
	}
	c.mu.Lock()
	if c.session != 0 {
		c.mu.Unlock()
		return target.Info{}, errors.New("remote target: already open")
	}
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.CallTimeout)
	defer cancel()
	resp, err := c.rpc.Open(ctx, &pb.OpenRequest{ProtocolRevision: ProtocolRevision})
	if err != nil {
		return target.Info{}, fmt.Errorf("remote target: Open: %w", err)
	}
	info, err := infoFromPB(resp.GetInfo())
	if err == nil && resp.GetSessionId() == 0 {
		err = errors.New("session_id is zero")
	}
	if err != nil {
		return target.Info{}, fmt.Errorf("remote target: Open: malformed response: %w", err)
	}
	if r := resp.GetProtocolRevision(); r < minServerRevision {
		c.closeSession(resp.SessionId)
		return target.Info{}, fmt.Errorf("remote target: Open: the target serves ndischimney.v1 revision %d; the suite needs revision %d or later, "+
			"in which the server puts a CallReturned on Events when a handler returns (docs/protocol.md, Versioning)", r, minServerRevision)
	}
	roles, hw, err := rolesFromPB(resp)
	if err != nil {
		c.closeSession(resp.SessionId)
		return target.Info{}, fmt.Errorf("remote target: Open: malformed response: %w", err)
	}
	sctx, scancel := context.WithCancel(context.Background())
	stream, err := c.rpc.Events(sctx, &pb.EventsRequest{SessionId: resp.SessionId})
	if err != nil {
		scancel()
		c.closeSession(resp.SessionId)
		return target.Info{}, fmt.Errorf("remote target: Events: %w", err)
	}
	c.mu.Lock()
	c.session, c.host, c.cancel = resp.SessionId, host, scancel
	c.trees, c.treeIDs = map[uint64]*blockTable{}, map[*ndis.MiniportOffloadBlockList]uint64{}
	c.lists, c.calls, c.inFlight = newListTable(true), map[uint64]*pendingCall{}, map[uint64]*pendingCall{}
	c.eventDone = make(chan struct{})
	c.roles, c.hwAddr = roles, hw
	clock := c.clock
	c.mu.Unlock()
	go c.receive(stream, c.eventDone)
	if clock != nil && roles.Has(target.RoleClocked) {
		// UseClock was called before Open: the session's clock starts now.
		if err := c.startClock(); err != nil {
			c.Close()
			return target.Info{}, err
		}
	}
	return info, nil
}

func (c *Client) closeSession(id uint64) (*pb.CloseResponse, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.CallTimeout)
	defer cancel()
	return c.rpc.Close(ctx, &pb.CloseRequest{SessionId: id})
}

// Close closes the session, waits (at most CallTimeout) for the completions the target made
// while closing, and ends the event stream.
func (c *Client) Close() error {
	c.mu.Lock()
	id, done, cancel := c.session, c.eventDone, c.cancel
	if id == 0 || c.closing {
		c.mu.Unlock()
		return nil
	}
	c.closing = true
	c.mu.Unlock()
	c.stopWakeup()
	resp, err := c.closeSession(id)
	select {
	case <-done:
	case <-time.After(c.opts.CallTimeout):
	}
	cancel()
	<-done
	if err != nil {
		return fmt.Errorf("remote target: Close: %w", err)
	}
	if resp.GetError() != "" {
		return fmt.Errorf("remote target: Close: %s", resp.GetError())
	}
	return nil
}

func (c *Client) receive(stream grpc.ServerStreamingClient[pb.Event], done chan struct{}) {
	defer close(done)
	events, size := 0, int64(0)
	for {
		ev, err := stream.Recv()
		if err != nil {
			c.mu.Lock()
			closing := c.closing
			c.mu.Unlock()
			if closing && (errors.Is(err, io.EOF) || status.Code(err) == codes.Canceled) {
				return
			}
			if errors.Is(err, io.EOF) {
				err = errors.New("the event stream ended before Close")
			}
			c.reportFault(fmt.Errorf("event stream: %w", err))
			return
		}
		events, size = events+1, size+int64(proto.Size(ev))
		if events > c.opts.Bounds.MaxEvents || size > c.opts.Bounds.MaxEventBytes {
			// A flood: stop reading, so that it costs no more memory, and say so.
			c.reportFault(fmt.Errorf("event stream closed: the target sent %d events (%d bytes) in one session, more than the bound of %d events or %d bytes (a completion flood)",
				events, size, c.opts.Bounds.MaxEvents, c.opts.Bounds.MaxEventBytes))
			c.mu.Lock()
			cancel := c.cancel
			c.mu.Unlock()
			cancel()
			return
		}
		switch k := ev.GetKind().(type) {
		case *pb.Event_StateCompletion:
			c.stateCompletion(k.StateCompletion)
		case *pb.Event_SendCompletion:
			c.sendCompletion(k.SendCompletion)
		case *pb.Event_CallReturned:
			c.callReturned(k.CallReturned.GetCallId())
		case *pb.Event_DataPathCompletion:
			c.dataPathCompletion(k.DataPathCompletion)
		case *pb.Event_ReceiveIndication:
			c.receiveIndication(k.ReceiveIndication)
		case *pb.Event_ConnectionEvent:
			c.connectionEvent(k.ConnectionEvent)
		case *pb.Event_NonOffloadReceive:
			c.nonOffloadReceive(k.NonOffloadReceive)
		case *pb.Event_FrameTransmitted:
			c.frameTransmitted(k.FrameTransmitted)
		case *pb.Event_ClockWakeup:
			c.clockWakeup(k.ClockWakeup)
		default:
			c.reportFault(fmt.Errorf("malformed event: unknown kind %T", k))
		}
	}
}

func (c *Client) stateCompletion(m *pb.StateCompletion) {
	complete := completerFor(c.host, m.GetOperation())
	if complete == nil {
		c.reportFault(fmt.Errorf("malformed completion: unknown operation %v", m.GetOperation()))
		return
	}
	if err := checkTree(m.GetTree(), c.opts.Bounds); err != nil {
		c.reportFault(fmt.Errorf("malformed %v completion: %w", m.GetOperation(), err))
		return
	}
	c.mu.Lock()
	id := m.Tree.TreeId
	bt := c.trees[id]
	if bt == nil {
		bt = newBlockTable() // a tree never handed over: forwarded as a fresh tree
	}
	if err := checkLinks(m.Tree, bt, c.lists, c.opts.Bounds); err != nil {
		c.mu.Unlock()
		c.reportFault(fmt.Errorf("malformed %v completion: %w", m.GetOperation(), err))
		return
	}
	root := applyTree(bt, c.lists, m.Tree)
	returnedFirst := c.returnedCallsLocked()
	c.mu.Unlock()
	c.awaitReturns(returnedFirst)
	// Delivered now. When its tree's call is still pending, with no CallReturned read yet,
	// the call returns only after this delivery, as a handler that completes synchronously
	// does in process: the harness sees a completion made during the call. The target's
	// during_call flag (revision 0) is not consulted.
	complete(root)
}

// callReturned marks the call whose handler the server says has returned.
func (c *Client) callReturned(id uint64) {
	c.mu.Lock()
	pc, last := c.calls[id], c.lastCall
	var err error
	switch {
	case pc == nil && (id == 0 || id > last):
		err = fmt.Errorf("malformed call_returned: call %d was never made", id)
	case pc != nil && pc.marked, c.returnedIDs[id]:
		err = fmt.Errorf("malformed call_returned: a second one for call %d", id)
	case pc == nil:
		// The call has already ended (it failed or timed out); nothing waits for it.
		c.noteReturned(id)
	default:
		pc.marked = true
		close(pc.returned)
		c.noteReturned(id)
	}
	c.mu.Unlock()
	if err != nil {
		c.reportFault(err)
	}
}

// noteReturned remembers that call id's CallReturned was read, keeping the most recent 4096
// calls' only. c.mu is held.
func (c *Client) noteReturned(id uint64) {
	if c.returnedIDs == nil {
		c.returnedIDs = map[uint64]bool{}
	}
	c.returnedIDs[id] = true
	if len(c.returnedIDs) > 4096 {
		for old := range c.returnedIDs {
			if old+4096 < c.lastCall {
				delete(c.returnedIDs, old)
			}
		}
	}
}

// returnedCallsLocked lists the pending calls whose CallReturned has been read: their
// handlers returned before the event now being read was made, so the event is delivered
// only after they have returned to the suite, as it would be in process. c.mu is held.
func (c *Client) returnedCallsLocked() []chan struct{} {
	var out []chan struct{}
	for _, pc := range c.calls {
		if pc.marked {
			out = append(out, pc.replied)
		}
	}
	return out
}

// awaitReturns waits, at most CallTimeout in all, for the calls to return to the suite. Each
// is only waiting for its Call reply, which the RPC deadline bounds.
func (c *Client) awaitReturns(replied []chan struct{}) {
	if len(replied) == 0 {
		return
	}
	deadline := time.NewTimer(c.opts.CallTimeout)
	defer deadline.Stop()
	for _, ch := range replied {
		select {
		case <-ch:
		case <-deadline.C:
			return
		}
	}
}

func (c *Client) sendCompletion(m *pb.SendCompletion) {
	if err := checkLists(m.GetLists(), c.opts.Bounds, false); err != nil {
		c.reportFault(fmt.Errorf("malformed send completion: %w", err))
		return
	}
	c.mu.Lock()
	returnedFirst := c.returnedCallsLocked()
	first := applyChain(c.lists, m.Lists, false)
	c.mu.Unlock()
	c.awaitReturns(returnedFirst)
	c.host.NdisTcpOffloadSendComplete(first)
}

func completerFor(h target.Host, o pb.Operation) func(*ndis.MiniportOffloadBlockList) {
	switch o {
	case pb.Operation_OPERATION_INITIATE:
		return h.NdisMInitiateOffloadComplete
	case pb.Operation_OPERATION_QUERY:
		return h.NdisMQueryOffloadStateComplete
	case pb.Operation_OPERATION_UPDATE:
		return h.NdisMUpdateOffloadComplete
	case pb.Operation_OPERATION_INVALIDATE:
		return h.NdisMInvalidateOffloadComplete
	case pb.Operation_OPERATION_TERMINATE:
		return h.NdisMTerminateOffloadComplete
	}
	return nil
}

var handlerNames = map[pb.Operation]string{
	pb.Operation_OPERATION_INITIATE:   "MiniportInitiateOffload",
	pb.Operation_OPERATION_QUERY:      "MiniportQueryOffload",
	pb.Operation_OPERATION_UPDATE:     "MiniportUpdateOffload",
	pb.Operation_OPERATION_INVALIDATE: "MiniportInvalidateOffload",
	pb.Operation_OPERATION_TERMINATE:  "MiniportTerminateOffload",
}

func (c *Client) call(o pb.Operation, tree *ndis.MiniportOffloadBlockList) error {
	name := handlerNames[o]
	if tree == nil {
		return fmt.Errorf("remote target: %s: nil tree", name)
	}
	c.mu.Lock()
	if c.session == 0 || c.closing {
		c.mu.Unlock()
		return fmt.Errorf("remote target: %s: not open", name)
	}
	if c.fault != nil {
		err := c.fault
		c.mu.Unlock()
		return fmt.Errorf("remote target: %s: %w", name, err)
	}
	id := c.treeIDs[tree]
	if id == 0 {
		c.lastTree++
		id = c.lastTree
		c.treeIDs[tree] = id
		c.trees[id] = newBlockTable()
		c.trees[id].root = tree
	}
	m, err := encodeTree(c.trees[id], c.lists, id, tree, c.opts.Bounds)
	if err != nil {
		c.mu.Unlock()
		return fmt.Errorf("remote target: %s: %w", name, err)
	}
	c.lastCall++
	pc := &pendingCall{id: c.lastCall, tree: id, returned: make(chan struct{}), replied: make(chan struct{})}
	c.calls[pc.id], c.inFlight[id] = pc, pc
	session, events := c.session, c.eventDone
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.calls, pc.id)
		if c.inFlight[id] == pc {
			delete(c.inFlight, id)
		}
		c.mu.Unlock()
		close(pc.replied)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), c.opts.CallTimeout)
	resp, err := c.rpc.Call(ctx, &pb.CallRequest{SessionId: session, Operation: o, Tree: m, CallId: pc.id, NowNs: c.now()})
	cancel()
	if err != nil {
		return fmt.Errorf("remote target: %s: %w", name, err)
	}
	if err := c.awaitReturned(name, pc, events); err != nil {
		return err
	}
	if resp.GetError() != "" {
		return fmt.Errorf("remote target: %s: %s", name, resp.GetError())
	}
	return nil
}

// awaitReturned waits for the CallReturned of a call the server has answered. The reply and
// the CallReturned travel on different streams; the handler has returned, for the suite, once
// the CallReturned has been read, and with it every event the server sent before it
// (completions made during the call are delivered by then).
func (c *Client) awaitReturned(name string, pc *pendingCall, events chan struct{}) error {
	wait := time.NewTimer(c.opts.CallTimeout)
	defer wait.Stop()
	select {
	case <-pc.returned:
		return nil
	case <-events:
		return fmt.Errorf("remote target: %s: the event stream ended before the call's CallReturned", name)
	case <-wait.C:
		err := fmt.Errorf("the server answered call %d (%s) but put no CallReturned on Events within %s", pc.id, name, c.opts.CallTimeout)
		c.reportFault(err)
		return fmt.Errorf("remote target: %s: %w", name, err)
	}
}

// MiniportInitiateOffload sends the tree to the target's MiniportInitiateOffload.
func (c *Client) MiniportInitiateOffload(t *ndis.MiniportOffloadBlockList) error {
	return c.call(pb.Operation_OPERATION_INITIATE, t)
}

// MiniportQueryOffload sends the tree to the target's MiniportQueryOffload.
func (c *Client) MiniportQueryOffload(t *ndis.MiniportOffloadBlockList) error {
	return c.call(pb.Operation_OPERATION_QUERY, t)
}

// MiniportUpdateOffload sends the tree to the target's MiniportUpdateOffload.
func (c *Client) MiniportUpdateOffload(t *ndis.MiniportOffloadBlockList) error {
	return c.call(pb.Operation_OPERATION_UPDATE, t)
}

// MiniportInvalidateOffload sends the tree to the target's MiniportInvalidateOffload.
func (c *Client) MiniportInvalidateOffload(t *ndis.MiniportOffloadBlockList) error {
	return c.call(pb.Operation_OPERATION_INVALIDATE, t)
}

// MiniportTerminateOffload sends the tree to the target's MiniportTerminateOffload.
func (c *Client) MiniportTerminateOffload(t *ndis.MiniportOffloadBlockList) error {
	return c.call(pb.Operation_OPERATION_TERMINATE, t)
}

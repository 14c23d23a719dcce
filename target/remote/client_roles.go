package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// The roles over the protocol (revision 2). The client is every role's Go interface; it
// declares (DeclaredRoles) exactly the roles the server listed in OpenResponse, and calls no
// RPC of another. Callbacks arrive as events on the session's one Events stream and are
// delivered to the Host on the client's event goroutine, in the order the server sent them,
// with the same ordering around CallReturned as state completions.
//
// A Host callback must not wait for a call into the same client: the call waits for its
// CallReturned, which that very goroutine reads. Hand frames to ReceiveFrame, and make data-path
// calls, from another goroutine (as gVisor's channel endpoint does).

// rolesFromPB reads the roles and the hardware address a server declared. A server of
// revision 1 declares none; a role name this side does not know is a later revision's, and
// is not called.
func rolesFromPB(resp *pb.OpenResponse) (target.RoleSet, net.HardwareAddr, error) {
	if resp.GetProtocolRevision() < rolesRevision {
		return 0, nil, nil
	}
	var s target.RoleSet
	for _, n := range resp.GetRoles() {
		if r, err := target.ParseRole(n); err == nil {
			s = s.With(r)
		}
	}
	hw := resp.GetHardwareAddress()
	if len(hw) > 32 {
		return 0, nil, fmt.Errorf("hardware_address of %d bytes, more than 32", len(hw))
	}
	if len(hw) == 0 {
		return s, nil, nil
	}
	return s, net.HardwareAddr(bytes.Clone(hw)), nil
}

// DeclaredRoles returns the roles the server declared when the session was opened (none
// before Open, and none for a server of revision 1).
func (c *Client) DeclaredRoles() target.RoleSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.roles
}

// note tells OnFault of a refusal that is the caller's, not the target's: the session goes on.
func (c *Client) note(err error) {
	if c.opts.OnFault != nil {
		c.opts.OnFault(err)
	}
}

// now returns the suite's time to send with a call, once the session has a clock: never
// earlier than a time sent before.
func (c *Client) now() *int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.clockOn {
		return nil
	}
	t := max(c.clock.Now(), c.notAfter)
	c.notAfter = t
	ns := int64(t)
	return &ns
}

// roleCall makes one RPC of a role: it checks that the session is open, unfaulted and
// declared the role, runs prepare under c.mu (to encode lists), makes the RPC with a fresh
// call_id and the suite's time, and waits for the call's CallReturned. The RPC returns the
// target's error text, if any.
func (c *Client) roleCall(role target.Role, name string, prepare func() error,
	rpc func(ctx context.Context, session, callID uint64, now *int64) (string, error)) error {
	c.mu.Lock()
	switch {
	case c.session == 0 || c.closing:
		c.mu.Unlock()
		return fmt.Errorf("remote target: %s: not open", name)
	case !c.roles.Has(role):
		c.mu.Unlock()
		return fmt.Errorf("remote target: %s: the target does not declare the %s role", name, role)
	case c.fault != nil:
		err := c.fault
		c.mu.Unlock()
		return fmt.Errorf("remote target: %s: %w", name, err)
	}
	if prepare != nil {
		if err := prepare(); err != nil {
			c.mu.Unlock()
			return fmt.Errorf("remote target: %s: %w", name, err)
		}
	}
	c.lastCall++
	pc := &pendingCall{id: c.lastCall, returned: make(chan struct{}), replied: make(chan struct{})}
	c.calls[pc.id] = pc
	session, events := c.session, c.eventDone
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.calls, pc.id)
		c.mu.Unlock()
		close(pc.replied)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.CallTimeout)
	herr, err := rpc(ctx, session, pc.id, c.now())
	cancel()
	if err != nil {
		return fmt.Errorf("remote target: %s: %w", name, err)
	}
	if err := c.awaitReturned(name, pc, events); err != nil {
		return err
	}
	if herr != "" {
		return fmt.Errorf("remote target: %s: %s", name, herr)
	}
	return nil
}

// dataPath runs one data-path handler on the target with the chain (in order) and returns the
// status its handler returned.
func (c *Client) dataPath(h pb.DataPathHandler, name string, ctx ndis.Context, chain *ndis.NetBufferList, flags ndis.DisconnectFlags) (ndis.Status, error) {
	var lists []*pb.Nbl
	var st ndis.Status
	err := c.roleCall(target.RoleDataPath, name, func() (err error) {
		lists, err = encodeChain(c.lists, chain, c.opts.Bounds)
		return err
	}, func(rctx context.Context, session, callID uint64, now *int64) (string, error) {
		resp, err := c.rpc.DataPath(rctx, &pb.DataPathRequest{
			SessionId: session, CallId: callID, Handler: h, Context: uint64(ctx), Lists: lists, DisconnectFlags: uint32(flags), NowNs: now,
		})
		if err != nil {
			return "", err
		}
		st = ndis.Status(resp.GetStatus())
		return resp.GetError(), nil
	})
	return st, err
}

// MiniportTcpOffloadSend sends the chain to the target's MiniportTcpOffloadSend.
func (c *Client) MiniportTcpOffloadSend(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	return c.dataPath(pb.DataPathHandler_DATA_PATH_HANDLER_SEND, "MiniportTcpOffloadSend", ctx, chain, 0)
}

// MiniportTcpOffloadReceive sends the chain to the target's MiniportTcpOffloadReceive.
func (c *Client) MiniportTcpOffloadReceive(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	return c.dataPath(pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE, "MiniportTcpOffloadReceive", ctx, chain, 0)
}

// MiniportTcpOffloadReceiveReturn returns indicated lists to the target.
func (c *Client) MiniportTcpOffloadReceiveReturn(chain *ndis.NetBufferList) (ndis.Status, error) {
	return c.dataPath(pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE_RETURN, "MiniportTcpOffloadReceiveReturn", 0, chain, 0)
}

// MiniportTcpOffloadDisconnect sends the disconnect request (one list, or none) to the target.
func (c *Client) MiniportTcpOffloadDisconnect(ctx ndis.Context, nbl *ndis.NetBufferList, flags ndis.DisconnectFlags) (ndis.Status, error) {
	if nbl != nil && nbl.Next != nil {
		return 0, errors.New("remote target: MiniportTcpOffloadDisconnect: the protocol carries one disconnect request list, and this one is linked to another")
	}
	return c.dataPath(pb.DataPathHandler_DATA_PATH_HANDLER_DISCONNECT, "MiniportTcpOffloadDisconnect", ctx, nbl, flags)
}

// MiniportTcpOffloadForward sends the chain to the target's MiniportTcpOffloadForward.
func (c *Client) MiniportTcpOffloadForward(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	return c.dataPath(pb.DataPathHandler_DATA_PATH_HANDLER_FORWARD, "MiniportTcpOffloadForward", ctx, chain, 0)
}

// HardwareAddress returns the MAC address the server declared when opened.
func (c *Client) HardwareAddress() net.HardwareAddr {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.hwAddr)
}

// AttachLink connects the target's port to link: from the call on, the frames the target
// transmits are passed to link.TransmitFrame.
func (c *Client) AttachLink(link target.Link) error {
	if link == nil {
		return errors.New("remote target: AttachLink: nil link")
	}
	return c.roleCall(target.RoleWired, "AttachLink", func() error {
		c.link = link // before the call: the target may transmit from inside it
		return nil
	}, func(ctx context.Context, session, callID uint64, now *int64) (string, error) {
		resp, err := c.rpc.AttachLink(ctx, &pb.AttachLinkRequest{SessionId: session, CallId: callID, NowNs: now})
		return resp.GetError(), err
	})
}

// ReceiveFrame delivers a frame from the wire to the target and returns when the target's
// ReceiveFrame has returned. A frame over Bounds.MaxFrameBytes, or a call the session cannot
// make (not open, no wired role), is not sent and is told to OnFault; a failed call faults the
// session.
func (c *Client) ReceiveFrame(frame []byte) {
	if len(frame) > c.opts.Bounds.MaxFrameBytes {
		c.note(fmt.Errorf("ReceiveFrame: a frame of %d bytes, more than the bound of %d: not sent", len(frame), c.opts.Bounds.MaxFrameBytes))
		return
	}
	c.mu.Lock()
	callable := c.session != 0 && !c.closing && c.roles.Has(target.RoleWired)
	c.mu.Unlock()
	if !callable {
		c.note(errors.New("ReceiveFrame: the session is not open or its target does not declare the wired role: not sent"))
		return
	}
	err := c.roleCall(target.RoleWired, "ReceiveFrame", nil, func(ctx context.Context, session, callID uint64, now *int64) (string, error) {
		_, err := c.rpc.ReceiveFrame(ctx, &pb.ReceiveFrameRequest{SessionId: session, CallId: callID, Frame: frame, NowNs: now})
		return "", err
	})
	if err != nil && !errors.Is(err, ErrFault) {
		c.reportFault(err)
	}
}

// UseClock makes the session's clock read the suite's clock: the target's timers run when
// clock reaches them. Called before Open, it takes effect at Open. A target that does not
// declare the clocked role keeps its own time, and the call does nothing.
func (c *Client) UseClock(clock target.Clock) {
	c.mu.Lock()
	if c.clock != nil || clock == nil {
		c.mu.Unlock()
		return // once
	}
	c.clock = clock
	start := c.session != 0 && !c.closing && c.roles.Has(target.RoleClocked)
	c.mu.Unlock()
	if start {
		if err := c.startClock(); err != nil {
			c.reportFault(err)
		}
	}
}

// startClock starts the session's clock at the suite's time.
func (c *Client) startClock() error {
	var now time.Duration
	return c.roleCall(target.RoleClocked, "UseClock", func() error {
		now = c.clock.Now()
		c.clockOn, c.notAfter = true, now
		return nil
	}, func(ctx context.Context, session, callID uint64, _ *int64) (string, error) {
		_, err := c.rpc.UseClock(ctx, &pb.UseClockRequest{SessionId: session, CallId: callID, NowNs: int64(now)})
		return "", err
	})
}

// wakeupTimer is the suite-clock timer armed for a ClockWakeup.
type wakeupTimer struct {
	at    time.Duration
	timer target.Timer
}

// clockWakeup arms a timer on the suite's clock for the wakeup, unless one is armed for the
// same time or earlier (the earliest is the one that matters: each Advance is followed by a
// wakeup for the next timer).
func (c *Client) clockWakeup(m *pb.ClockWakeup) {
	at := time.Duration(m.GetAtNs())
	c.mu.Lock()
	if !c.clockOn {
		c.mu.Unlock()
		c.reportFault(errors.New("malformed clock_wakeup: the session was given no clock"))
		return
	}
	returnedFirst := c.returnedCallsLocked()
	old, clock := c.wakeup, c.clock
	if old != nil && old.at <= at {
		c.mu.Unlock()
		return
	}
	w := &wakeupTimer{at: at}
	c.wakeup = w
	c.mu.Unlock()
	c.awaitReturns(returnedFirst)
	if old != nil && old.timer != nil {
		old.timer.Stop()
	}
	t := clock.AfterFunc(at-clock.Now(), func() { c.fire(w) })
	c.mu.Lock()
	w.timer = t
	c.mu.Unlock()
}

// fire runs on the suite clock's goroutine when the suite's time reaches a wakeup: it moves
// the session's clock there and returns when the target has run every timer due by then,
// and the events they made have been delivered.
func (c *Client) fire(w *wakeupTimer) {
	c.mu.Lock()
	current := c.wakeup == w
	if current {
		c.wakeup = nil
	}
	c.mu.Unlock()
	if !current {
		return // stopped for an earlier one
	}
	err := c.roleCall(target.RoleClocked, "Advance", nil, func(ctx context.Context, session, callID uint64, now *int64) (string, error) {
		_, err := c.rpc.Advance(ctx, &pb.AdvanceRequest{SessionId: session, CallId: callID, ToNs: *now})
		return "", err
	})
	if err != nil && !errors.Is(err, ErrFault) {
		c.reportFault(err)
	}
}

// stopWakeup stops the armed suite-clock timer, at Close.
func (c *Client) stopWakeup() {
	c.mu.Lock()
	w := c.wakeup
	c.wakeup = nil
	c.mu.Unlock()
	if w != nil && w.timer != nil {
		w.timer.Stop()
	}
}

// deliverLists applies checked list messages and delivers the chain, after the calls that
// returned before the event was made have returned to the suite.
func (c *Client) deliverLists(what string, ms []*pb.Nbl, inPlace bool, deliver func(*ndis.NetBufferList)) {
	if err := checkLists(ms, c.opts.Bounds, false); err != nil {
		c.reportFault(fmt.Errorf("malformed %s: %w", what, err))
		return
	}
	c.mu.Lock()
	returnedFirst := c.returnedCallsLocked()
	first := applyChain(c.lists, ms, inPlace)
	c.mu.Unlock()
	c.awaitReturns(returnedFirst)
	deliver(first)
}

// dataPathCompletion delivers a receive, disconnect or forward completion. The lists the
// client handed over come back as the very same lists; a receive request's buffers are filled
// in place.
func (c *Client) dataPathCompletion(m *pb.DataPathCompletion) {
	var deliver func(*ndis.NetBufferList)
	switch m.GetHandler() {
	case pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE:
		deliver = c.host.NdisTcpOffloadReceiveComplete
	case pb.DataPathHandler_DATA_PATH_HANDLER_DISCONNECT:
		deliver = c.host.NdisTcpOffloadDisconnectComplete
	case pb.DataPathHandler_DATA_PATH_HANDLER_FORWARD:
		deliver = c.host.NdisTcpOffloadForwardComplete
	default:
		c.reportFault(fmt.Errorf("malformed data_path_completion: %v has no completion event", m.GetHandler()))
		return
	}
	c.deliverLists(fmt.Sprintf("%v completion", m.GetHandler()), m.GetLists(), m.GetHandler() == pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE, deliver)
}

// receiveIndication delivers an indication to the host and sends the host's answer back.
func (c *Client) receiveIndication(m *pb.ReceiveIndication) {
	if m.GetIndicationId() == 0 || m.GetList() == nil {
		c.reportFault(errors.New("malformed receive_indication: indication_id zero or list missing"))
		return
	}
	if err := checkLists([]*pb.Nbl{m.List}, c.opts.Bounds, false); err != nil {
		c.reportFault(fmt.Errorf("malformed receive_indication: %w", err))
		return
	}
	c.mu.Lock()
	returnedFirst := c.returnedCallsLocked()
	nbl := applyChain(c.lists, []*pb.Nbl{m.List}, false)
	session := c.session
	c.mu.Unlock()
	c.awaitReturns(returnedFirst)
	st, consumed := c.host.NdisTcpOffloadReceiveHandler(ndis.Handle(m.GetHandle()), nbl, ndis.Status(m.GetStatus()))
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.CallTimeout)
	defer cancel()
	_, err := c.rpc.AnswerIndication(ctx, &pb.AnswerIndicationRequest{SessionId: session, IndicationId: m.IndicationId, Status: uint32(st), BytesConsumed: consumed})
	if err != nil {
		c.reportFault(fmt.Errorf("answering receive indication %d: %w", m.IndicationId, err))
	}
}

// connectionEvent delivers an NdisTcpOffloadEventHandler call.
func (c *Client) connectionEvent(m *pb.ConnectionEvent) {
	c.mu.Lock()
	returnedFirst := c.returnedCallsLocked()
	c.mu.Unlock()
	c.awaitReturns(returnedFirst)
	c.host.NdisTcpOffloadEventHandler(ndis.Handle(m.GetHandle()), ndis.TCPOffloadEventType(m.GetEventType()), m.GetInfo())
}

// nonOffloadReceive delivers frames the target passed to the ordinary receive path.
func (c *Client) nonOffloadReceive(m *pb.NonOffloadReceive) {
	c.deliverLists("non_offload_receive", m.GetLists(), false, c.host.NdisMIndicateReceiveNetBufferLists)
}

// frameTransmitted passes a frame the target transmitted to the attached link.
func (c *Client) frameTransmitted(m *pb.FrameTransmitted) {
	if n := len(m.GetFrame()); n > c.opts.Bounds.MaxFrameBytes {
		c.reportFault(fmt.Errorf("malformed frame_transmitted: a frame of %d bytes, more than the bound of %d", n, c.opts.Bounds.MaxFrameBytes))
		return
	}
	c.mu.Lock()
	link := c.link
	returnedFirst := c.returnedCallsLocked()
	c.mu.Unlock()
	if link == nil {
		c.reportFault(errors.New("malformed frame_transmitted: a frame before AttachLink"))
		return
	}
	c.awaitReturns(returnedFirst)
	link.TransmitFrame(m.GetFrame())
}

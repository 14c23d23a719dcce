package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// rolesRevision is the first protocol revision that carries the roles: the data path, the
// network port and the clock.
const rolesRevision = 2

// roleNamesOf returns the names of the roles in s, as OpenResponse.roles lists them.
func roleNamesOf(s target.RoleSet) []string {
	var out []string
	for _, r := range s.Roles() {
		out = append(out, r.String())
	}
	return out
}

// roleCall checks a role RPC's session, role and call_id; run runs the target's part, after
// which the session's CallReturned is put on Events, before the RPC is answered.
func (s *Server) roleCall(sessionID, callID uint64, role target.Role, nowNs *int64, run func(ss *session)) error {
	ss, err := s.session(sessionID)
	if err != nil {
		return err
	}
	if !ss.roles.Has(role) {
		return status.Errorf(codes.FailedPrecondition, "the target does not declare the %s role", role)
	}
	if callID == 0 {
		return status.Error(codes.InvalidArgument, "call_id is zero")
	}
	ss.catchUp(nowNs)
	run(ss)
	ss.returnedCall(callID)
	return nil
}

// returnedCall puts CallReturned{callID} on Events.
func (ss *session) returnedCall(callID uint64) {
	ss.mu.Lock()
	ss.push(&pb.Event{Kind: &pb.Event_CallReturned{CallReturned: &pb.CallReturned{CallId: callID}}})
	ss.mu.Unlock()
	ss.wake()
}

// catchUp moves the session's clock, if it has one, to the suite's time sent with a call.
func (ss *session) catchUp(nowNs *int64) {
	ss.mu.Lock()
	clock := ss.clock
	ss.mu.Unlock()
	if clock != nil && nowNs != nil {
		clock.advanceTo(time.Duration(*nowNs), false)
	}
}

// DataPath runs a data-path handler with the lists as handed over.
func (s *Server) DataPath(ctx context.Context, req *pb.DataPathRequest) (*pb.DataPathResponse, error) {
	ss, err := s.session(req.GetSessionId())
	if err != nil {
		return nil, err
	}
	dp, ok := ss.target.(target.DataPath)
	if !ok || !ss.roles.Has(target.RoleDataPath) {
		return nil, status.Errorf(codes.FailedPrecondition, "the target does not declare the %s role", target.RoleDataPath)
	}
	if err := checkLists(req.GetLists(), ss.bounds, false); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "malformed lists: %v", err)
	}
	if req.GetHandler() == pb.DataPathHandler_DATA_PATH_HANDLER_DISCONNECT && len(req.GetLists()) > 1 {
		return nil, status.Errorf(codes.InvalidArgument, "a disconnect request of %d lists; it takes one", len(req.GetLists()))
	}
	var handler func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)
	switch req.GetHandler() {
	case pb.DataPathHandler_DATA_PATH_HANDLER_SEND:
		handler = dp.MiniportTcpOffloadSend
	case pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE:
		handler = dp.MiniportTcpOffloadReceive
	case pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE_RETURN:
		handler = func(_ ndis.Context, l *ndis.NetBufferList) (ndis.Status, error) {
			return dp.MiniportTcpOffloadReceiveReturn(l)
		}
	case pb.DataPathHandler_DATA_PATH_HANDLER_DISCONNECT:
		handler = func(c ndis.Context, l *ndis.NetBufferList) (ndis.Status, error) {
			return dp.MiniportTcpOffloadDisconnect(c, l, ndis.DisconnectFlags(req.GetDisconnectFlags()))
		}
	case pb.DataPathHandler_DATA_PATH_HANDLER_FORWARD:
		handler = dp.MiniportTcpOffloadForward
	default:
		return nil, status.Errorf(codes.InvalidArgument, "unknown data-path handler %v", req.GetHandler())
	}
	resp := &pb.DataPathResponse{}
	err = s.roleCall(req.GetSessionId(), req.GetCallId(), target.RoleDataPath, req.NowNs, func(ss *session) {
		ss.mu.Lock()
		chain := applyChain(ss.lists, req.Lists, false)
		ss.mu.Unlock()
		st, herr := callDataPath(handler, ndis.Context(req.GetContext()), chain)
		resp.Status = uint32(st)
		if herr != nil {
			resp.Error = herr.Error()
		}
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func callDataPath(h func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error), c ndis.Context, chain *ndis.NetBufferList) (st ndis.Status, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("handler panicked: %v", r)
		}
	}()
	return h(c, chain)
}

// AnswerIndication hands the host's answer to the receive indication waiting for it.
func (s *Server) AnswerIndication(ctx context.Context, req *pb.AnswerIndicationRequest) (*pb.AnswerIndicationResponse, error) {
	ss, err := s.session(req.GetSessionId())
	if err != nil {
		return nil, err
	}
	ss.mu.Lock()
	ch := ss.indications[req.GetIndicationId()]
	delete(ss.indications, req.GetIndicationId())
	ss.mu.Unlock()
	if ch == nil {
		return nil, status.Errorf(codes.NotFound, "no receive indication %d is waiting for an answer", req.GetIndicationId())
	}
	ch <- indicationAnswer{status: ndis.Status(req.GetStatus()), consumed: req.GetBytesConsumed()}
	return &pb.AnswerIndicationResponse{}, nil
}

// AttachLink connects the target's port to a link whose frames go out as FrameTransmitted.
func (s *Server) AttachLink(ctx context.Context, req *pb.AttachLinkRequest) (*pb.AttachLinkResponse, error) {
	resp := &pb.AttachLinkResponse{}
	err := s.roleCall(req.GetSessionId(), req.GetCallId(), target.RoleWired, req.NowNs, func(ss *session) {
		if err := protect(func() error { return ss.target.(target.Wired).AttachLink(serverLink{ss}) }); err != nil {
			resp.Error = err.Error()
		}
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// ReceiveFrame hands the target a frame from the wire.
func (s *Server) ReceiveFrame(ctx context.Context, req *pb.ReceiveFrameRequest) (*pb.ReceiveFrameResponse, error) {
	err := s.roleCall(req.GetSessionId(), req.GetCallId(), target.RoleWired, req.NowNs, func(ss *session) {
		protect(func() error { ss.target.(target.Wired).ReceiveFrame(req.GetFrame()); return nil })
	})
	if err != nil {
		return nil, err
	}
	return &pb.ReceiveFrameResponse{}, nil
}

// UseClock gives the target the session's clock, starting at the suite's time.
func (s *Server) UseClock(ctx context.Context, req *pb.UseClockRequest) (*pb.UseClockResponse, error) {
	ss, err := s.session(req.GetSessionId())
	if err != nil {
		return nil, err
	}
	ss.mu.Lock()
	if ss.clock != nil {
		ss.mu.Unlock()
		return nil, status.Error(codes.FailedPrecondition, "the session already has a clock")
	}
	clock := newSessionClock(ss, time.Duration(req.GetNowNs()))
	if ss.roles.Has(target.RoleClocked) {
		ss.clock = clock
	}
	ss.mu.Unlock()
	err = s.roleCall(req.GetSessionId(), req.GetCallId(), target.RoleClocked, nil, func(ss *session) {
		protect(func() error { ss.target.(target.Clocked).UseClock(clock); return nil })
	})
	if err != nil {
		return nil, err
	}
	return &pb.UseClockResponse{}, nil
}

// Advance runs the timers due by to_ns and answers when they have run.
func (s *Server) Advance(ctx context.Context, req *pb.AdvanceRequest) (*pb.AdvanceResponse, error) {
	err := s.roleCall(req.GetSessionId(), req.GetCallId(), target.RoleClocked, nil, func(ss *session) {
		ss.mu.Lock()
		clock := ss.clock
		ss.mu.Unlock()
		if clock != nil {
			protect(func() error { clock.advanceTo(time.Duration(req.GetToNs()), true); return nil })
		}
	})
	if err != nil {
		return nil, err
	}
	return &pb.AdvanceResponse{}, nil
}

// protect runs f, turning a panic into an error.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the target panicked: %v", r)
		}
	}()
	return f()
}

// indicationAnswer is the host's answer to a receive indication.
type indicationAnswer struct {
	status   ndis.Status
	consumed uint32
}

// serverLink is the link a served target transmits through: each frame is a FrameTransmitted.
type serverLink struct{ ss *session }

func (l serverLink) TransmitFrame(frame []byte) {
	ss := l.ss
	if len(frame) > ss.bounds.MaxFrameBytes {
		ss.faulted(fmt.Errorf("Link.TransmitFrame: a frame of %d bytes, more than the bound of %d", len(frame), ss.bounds.MaxFrameBytes))
		return
	}
	ss.event(&pb.Event{Kind: &pb.Event_FrameTransmitted{FrameTransmitted: &pb.FrameTransmitted{Frame: bytes.Clone(frame)}}})
}

// carried reports whether the session's client hears the data-path callbacks (revision 2);
// if not, the callback ends the session's event stream with the reason.
func (ss *session) carried(callback string) bool {
	if ss.revision >= rolesRevision {
		return true
	}
	ss.faulted(fmt.Errorf("%s: the client speaks protocol revision %d, which does not carry the data path (revision %d does)", callback, ss.revision, rolesRevision))
	return false
}

func (ss *session) faulted(err error) {
	ss.mu.Lock()
	ss.fault = errors.Join(ss.fault, err)
	ss.mu.Unlock()
	ss.wake()
}

func (ss *session) event(ev *pb.Event) {
	ss.mu.Lock()
	ss.push(ev)
	ss.mu.Unlock()
	ss.wake()
}

// completion sends a chain of lists handed back by a data-path completion.
func (ss *session) completion(callback string, h pb.DataPathHandler, chain *ndis.NetBufferList) {
	if !ss.carried(callback) {
		return
	}
	ss.mu.Lock()
	lists, err := encodeChain(ss.lists, chain, ss.bounds)
	ss.mu.Unlock()
	if err != nil {
		ss.faulted(fmt.Errorf("%s: %w", callback, err))
		return
	}
	ss.event(&pb.Event{Kind: &pb.Event_DataPathCompletion{DataPathCompletion: &pb.DataPathCompletion{Handler: h, Lists: lists}}})
}

// NdisTcpOffloadReceiveComplete sends the completed receive requests, their buffers as filled.
func (ss *session) NdisTcpOffloadReceiveComplete(chain *ndis.NetBufferList) {
	ss.completion("NdisTcpOffloadReceiveComplete", pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE, chain)
}

// NdisTcpOffloadDisconnectComplete sends the completed disconnect request.
func (ss *session) NdisTcpOffloadDisconnectComplete(nbl *ndis.NetBufferList) {
	ss.completion("NdisTcpOffloadDisconnectComplete", pb.DataPathHandler_DATA_PATH_HANDLER_DISCONNECT, nbl)
}

// NdisTcpOffloadForwardComplete sends the completed forward requests.
func (ss *session) NdisTcpOffloadForwardComplete(chain *ndis.NetBufferList) {
	ss.completion("NdisTcpOffloadForwardComplete", pb.DataPathHandler_DATA_PATH_HANDLER_FORWARD, chain)
}

// NdisTcpOffloadReceiveHandler sends the indication and waits for the host's answer
// (AnswerIndication). If the session ends first, the host took nothing.
func (ss *session) NdisTcpOffloadReceiveHandler(handle ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status) (ndis.Status, uint32) {
	if !ss.carried("NdisTcpOffloadReceiveHandler") {
		return ndis.StatusOffloadDataNotAccepted, 0
	}
	ss.mu.Lock()
	ended := ss.ended
	select {
	case <-ended:
		ss.mu.Unlock()
		return ndis.StatusOffloadDataNotAccepted, 0 // closed: nobody answers
	default:
	}
	var data dataCount
	var m *pb.Nbl
	if nbl != nil {
		m = listMessage(ss.lists, nbl, &data, ss.bounds)
	}
	if data.err != nil {
		ss.mu.Unlock()
		ss.faulted(fmt.Errorf("NdisTcpOffloadReceiveHandler: %w", data.err))
		return ndis.StatusOffloadDataNotAccepted, 0
	}
	ss.lastIndication++
	id := ss.lastIndication
	answer := make(chan indicationAnswer, 1)
	ss.indications[id] = answer
	ss.push(&pb.Event{Kind: &pb.Event_ReceiveIndication{ReceiveIndication: &pb.ReceiveIndication{
		IndicationId: id, Handle: uint64(handle), List: m, Status: uint32(st),
	}}})
	ss.mu.Unlock()
	ss.wake()
	select {
	case a := <-answer:
		return a.status, a.consumed
	case <-ended:
		ss.mu.Lock()
		delete(ss.indications, id)
		ss.mu.Unlock()
		return ndis.StatusOffloadDataNotAccepted, 0
	}
}

// NdisTcpOffloadEventHandler sends the connection event.
func (ss *session) NdisTcpOffloadEventHandler(handle ndis.Handle, ev ndis.TCPOffloadEventType, info uint32) {
	if !ss.carried("NdisTcpOffloadEventHandler") {
		return
	}
	ss.event(&pb.Event{Kind: &pb.Event_ConnectionEvent{ConnectionEvent: &pb.ConnectionEvent{Handle: uint64(handle), EventType: uint32(ev), Info: info}}})
}

// NdisMIndicateReceiveNetBufferLists sends the frames handed to the ordinary receive path.
func (ss *session) NdisMIndicateReceiveNetBufferLists(chain *ndis.NetBufferList) {
	if !ss.carried("NdisMIndicateReceiveNetBufferLists") {
		return
	}
	ss.mu.Lock()
	lists, err := encodeChain(ss.lists, chain, ss.bounds)
	ss.mu.Unlock()
	if err != nil {
		ss.faulted(fmt.Errorf("NdisMIndicateReceiveNetBufferLists: %w", err))
		return
	}
	ss.event(&pb.Event{Kind: &pb.Event_NonOffloadReceive{NonOffloadReceive: &pb.NonOffloadReceive{Lists: lists}}})
}

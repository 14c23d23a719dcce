package remote_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding"
	"gvisor.dev/gvisor/pkg/tcpip/faketime"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// allRoles is a small scripted target with every role: it completes data-path requests on one
// worker goroutine, in the order they came, echoes send data back as a receive indication,
// fills posted receive buffers, answers a disconnect with a Retrieve event, echoes frames from
// the wire and ticks a frame out every second of its clock. What it was handed and answered
// goes to seen, for the test to read.
type allRoles struct {
	host  target.Host
	link  target.Link
	clock target.Clock
	work  chan func()
	seen  chan string

	mu        sync.Mutex
	indicated map[*ndis.NetBufferList]bool
}

var hardwareAddress = net.HardwareAddr{0x02, 0x00, 0x5E, 0x00, 0x00, 0x01}

func newAllRoles() *allRoles {
	return &allRoles{work: make(chan func(), 64), seen: make(chan string, 64), indicated: map[*ndis.NetBufferList]bool{}}
}

func (a *allRoles) Open(h target.Host) (target.Info, error) {
	a.host = h
	go func() {
		for f := range a.work {
			f()
		}
	}()
	return target.Info{Name: "all roles"}, nil
}

func (a *allRoles) Close() error { close(a.work); return nil }

func (a *allRoles) later(f func()) { a.work <- f }

func (a *allRoles) MiniportInitiateOffload(t *ndis.MiniportOffloadBlockList) error {
	a.later(func() { a.host.NdisMInitiateOffloadComplete(t) })
	return nil
}
func (a *allRoles) MiniportQueryOffload(*ndis.MiniportOffloadBlockList) error      { return nil }
func (a *allRoles) MiniportUpdateOffload(*ndis.MiniportOffloadBlockList) error     { return nil }
func (a *allRoles) MiniportInvalidateOffload(*ndis.MiniportOffloadBlockList) error { return nil }
func (a *allRoles) MiniportTerminateOffload(*ndis.MiniportOffloadBlockList) error  { return nil }

// MiniportTcpOffloadSend completes the sends, then indicates their data as received.
func (a *allRoles) MiniportTcpOffloadSend(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	var echo []byte
	for _, l := range chain.Chain() {
		for _, nb := range l.NetBuffers() {
			echo = append(echo, nb.Data...)
		}
	}
	a.later(func() {
		for _, l := range chain.Chain() {
			l.Status, l.BytesTransferred = ndis.StatusSuccess, uint32(l.DataLength())
		}
		a.host.NdisTcpOffloadSendComplete(chain)
		nbl := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: echo}}
		a.mu.Lock()
		a.indicated[nbl] = true
		a.mu.Unlock()
		st, n := a.host.NdisTcpOffloadReceiveHandler(ndis.Handle(ctx), nbl, ndis.StatusSuccess)
		a.seen <- fmt.Sprintf("answer %s %d", st, n)
	})
	return ndis.StatusPending, nil
}

// MiniportTcpOffloadReceive fills each posted buffer with "data<i>" and completes them.
func (a *allRoles) MiniportTcpOffloadReceive(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	var noPush []bool
	for _, l := range chain.Chain() {
		noPush = append(noPush, l.ReceiveNoPush)
	}
	a.seen <- fmt.Sprintf("receive no-push %v", noPush)
	a.later(func() {
		for i, l := range chain.Chain() {
			l.BytesTransferred = uint32(copy(l.FirstNetBuffer.Data, fmt.Sprintf("data%d", i)))
			l.Status = ndis.StatusSuccess
		}
		a.host.NdisTcpOffloadReceiveComplete(chain)
	})
	return ndis.StatusPending, nil
}

// MiniportTcpOffloadReceiveReturn says whether each list is one it indicated.
func (a *allRoles) MiniportTcpOffloadReceiveReturn(chain *ndis.NetBufferList) (ndis.Status, error) {
	for _, l := range chain.Chain() {
		a.mu.Lock()
		mine := a.indicated[l]
		a.mu.Unlock()
		a.seen <- fmt.Sprintf("returned mine=%v", mine)
	}
	return ndis.StatusSuccess, nil
}

func (a *allRoles) MiniportTcpOffloadDisconnect(ctx ndis.Context, nbl *ndis.NetBufferList, flags ndis.DisconnectFlags) (ndis.Status, error) {
	a.seen <- "disconnect " + flags.String()
	a.later(func() {
		nbl.Status = ndis.StatusSuccess
		a.host.NdisTcpOffloadDisconnectComplete(nbl)
		a.host.NdisTcpOffloadEventHandler(ndis.Handle(ctx), ndis.TcpIndicateRetrieve, uint32(ndis.UploadRequested))
	})
	return ndis.StatusPending, nil
}

func (a *allRoles) MiniportTcpOffloadForward(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	if ctx == 0xBAD {
		return 0, errors.New("no such connection")
	}
	a.later(func() {
		for _, l := range chain.Chain() {
			l.Status = ndis.StatusOffloadConnectionRejected
		}
		a.host.NdisTcpOffloadForwardComplete(chain)
	})
	return ndis.StatusPending, nil
}

func (a *allRoles) HardwareAddress() net.HardwareAddr { return hardwareAddress }

// AttachLink keeps the link and greets the wire from inside the call.
func (a *allRoles) AttachLink(l target.Link) error {
	a.link = l
	l.TransmitFrame([]byte("hello"))
	return nil
}

// ReceiveFrame echoes the frame to the wire and to the host's ordinary receive path, from
// inside the call; "big" makes it transmit a frame over every bound.
func (a *allRoles) ReceiveFrame(frame []byte) {
	f := bytes.Clone(frame)
	if a.clock != nil {
		a.seen <- fmt.Sprintf("frame at %v", a.clock.Now())
	}
	if string(f) == "big" {
		a.link.TransmitFrame(make([]byte, 70000))
		return
	}
	a.link.TransmitFrame(append([]byte("echo:"), f...))
	a.host.NdisMIndicateReceiveNetBufferLists(&ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: f}})
}

// UseClock starts a tick every second: a frame naming the time it ran at.
func (a *allRoles) UseClock(c target.Clock) {
	a.clock = c
	var tick func()
	tick = func() {
		a.link.TransmitFrame(fmt.Appendf(nil, "tick@%v", c.Now()))
		c.AfterFunc(time.Second, tick)
	}
	c.AfterFunc(time.Second, tick)
}

// roleHost is a host of every callback, and the link: each call goes to calls, described.
type roleHost struct {
	recorder
	calls  chan hostCall
	answer func(data []byte) (ndis.Status, uint32)
}

type hostCall struct {
	what  string
	lists []*ndis.NetBufferList
}

func newRoleHost() *roleHost {
	return &roleHost{recorder: make(recorder, 16), calls: make(chan hostCall, 64),
		answer: func(d []byte) (ndis.Status, uint32) { return ndis.StatusSuccess, uint32(len(d)) }}
}

func describe(l *ndis.NetBufferList) string {
	var data []byte
	for _, nb := range l.NetBuffers() {
		data = append(data, nb.Data...)
	}
	return fmt.Sprintf("{%s %d %q}", l.Status, l.BytesTransferred, data)
}

func (h *roleHost) lists(what string, chain *ndis.NetBufferList) {
	c := hostCall{what: what, lists: chain.Chain()}
	for _, l := range c.lists {
		c.what += " " + describe(l)
	}
	h.calls <- c
}

func (h *roleHost) NdisTcpOffloadSendComplete(c *ndis.NetBufferList)    { h.lists("send", c) }
func (h *roleHost) NdisTcpOffloadReceiveComplete(c *ndis.NetBufferList) { h.lists("receive", c) }
func (h *roleHost) NdisTcpOffloadDisconnectComplete(c *ndis.NetBufferList) {
	h.lists("disconnect", c)
}
func (h *roleHost) NdisTcpOffloadForwardComplete(c *ndis.NetBufferList) { h.lists("forward", c) }
func (h *roleHost) NdisMIndicateReceiveNetBufferLists(c *ndis.NetBufferList) {
	h.lists("non-offload", c)
}
func (h *roleHost) NdisTcpOffloadReceiveHandler(handle ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status) (ndis.Status, uint32) {
	h.lists(fmt.Sprintf("indicate %#x %s", uint64(handle), st), nbl)
	return h.answer(nbl.FirstNetBuffer.Data)
}
func (h *roleHost) NdisTcpOffloadEventHandler(handle ndis.Handle, ev ndis.TCPOffloadEventType, info uint32) {
	h.calls <- hostCall{what: fmt.Sprintf("event %#x %s %d", uint64(handle), ev, info)}
}
func (h *roleHost) TransmitFrame(frame []byte) {
	h.calls <- hostCall{what: fmt.Sprintf("frame %q", frame)}
}

// next returns the next callback.
func (h *roleHost) next(t *testing.T) hostCall {
	t.Helper()
	select {
	case c := <-h.calls:
		return c
	case <-time.After(wait):
		t.Fatal("no callback within", wait)
		return hostCall{}
	}
}

// expect reads the next callbacks and checks their descriptions, in order.
func (h *roleHost) expect(t *testing.T, want ...string) []hostCall {
	t.Helper()
	var out []hostCall
	for _, w := range want {
		c := h.next(t)
		if c.what != w {
			t.Errorf("callback:\n got %s\nwant %s", c.what, w)
		}
		out = append(out, c)
	}
	return out
}

// already checks that the callbacks have been delivered already, in order, without waiting.
func (h *roleHost) already(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		select {
		case c := <-h.calls:
			if c.what != w {
				t.Errorf("callback:\n got %s\nwant %s", c.what, w)
			}
		default:
			t.Errorf("%s was not delivered by the time the call returned", w)
		}
	}
}

func (h *roleHost) quiet(t *testing.T) {
	t.Helper()
	select {
	case c := <-h.calls:
		t.Errorf("unexpected callback %s", c.what)
	case <-time.After(50 * time.Millisecond):
	}
}

func seen(t *testing.T, a *allRoles, want string) {
	t.Helper()
	select {
	case got := <-a.seen:
		if got != want {
			t.Errorf("the target saw %q, want %q", got, want)
		}
	case <-time.After(wait):
		t.Errorf("the target saw nothing, want %q", want)
	}
}

// serveAllRoles serves one allRoles target and opens a client on it.
func serveAllRoles(t *testing.T, opts remote.ClientOptions, beforeOpen func(target.Target)) (*allRoles, target.Target, *roleHost) {
	t.Helper()
	made := make(chan *allRoles, 1)
	_, f := serve(t, func() (target.Target, error) { a := newAllRoles(); made <- a; return a, nil }, opts)
	tgt, err := f()
	if err != nil {
		t.Fatal(err)
	}
	if beforeOpen != nil {
		beforeOpen(tgt)
	}
	host := newRoleHost()
	if _, err := tgt.Open(host); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tgt.Close() })
	return <-made, tgt, host
}

// The client declares exactly the roles the served target has, with its MAC address.
func TestTheClientDeclaresTheServedTargetsRoles(t *testing.T) {
	_, tgt, _ := serveAllRoles(t, remote.ClientOptions{}, nil)
	if got := target.RolesOf(tgt); got != target.AllRoles() {
		t.Errorf("roles %s, want %s", got, target.AllRoles())
	}
	if got := tgt.(target.Wired).HardwareAddress(); got.String() != hardwareAddress.String() {
		t.Errorf("hardware address %s, want %s", got, hardwareAddress)
	}

	_, f := serve(t, func() (target.Target, error) { return &scripted{}, nil }, remote.ClientOptions{})
	plain, _, _ := open(t, f)
	if got := target.RolesOf(plain); got != 0 {
		t.Errorf("a target with no role: roles %s, want none", got)
	}
	if _, err := plain.(target.DataPath).MiniportTcpOffloadSend(1, &ndis.NetBufferList{}); err == nil || !strings.Contains(err.Error(), "does not declare the data-path role") {
		t.Errorf("a send to a target with no data path: %v, want a refusal naming the role", err)
	}
}

// Every data-path request crosses with its lists and comes back as the very lists handed
// over, with the target's statuses, BytesTransferred and data; the handler's own status, the
// target's events and the host's answer to an indication cross too, in the order made.
func TestTheDataPathRoundTrips(t *testing.T) {
	a, tgt, host := serveAllRoles(t, remote.ClientOptions{CallTimeout: wait}, nil)
	dp := tgt.(target.DataPath)

	// Send: completed, then echoed as an indication the host accepts and later returns.
	s1 := &ndis.NetBufferList{ID: 1, FirstNetBuffer: &ndis.NetBuffer{Data: []byte("hello ")}}
	s2 := &ndis.NetBufferList{ID: 2, FirstNetBuffer: &ndis.NetBuffer{Data: []byte("wor"), Next: &ndis.NetBuffer{Data: []byte("ld")}}}
	if st, err := dp.MiniportTcpOffloadSend(0x77, ndis.LinkNetBufferLists(s1, s2)); st != ndis.StatusPending || err != nil {
		t.Fatalf("MiniportTcpOffloadSend: %s, %v; want NDIS_STATUS_PENDING", st, err)
	}
	got := host.expect(t,
		`send {NDIS_STATUS_SUCCESS 6 "hello "} {NDIS_STATUS_SUCCESS 5 "world"}`,
		`indicate 0x77 NDIS_STATUS_SUCCESS {NDIS_STATUS_SUCCESS 0 "hello world"}`)
	if l := got[0].lists; len(l) != 2 || l[0] != s1 || l[1] != s2 {
		t.Errorf("send completion: got %p %p, want the lists handed over %p %p", l[0], l[1], s1, s2)
	}
	seen(t, a, "answer NDIS_STATUS_SUCCESS 11")
	indicated := got[1].lists[0]
	if st, err := dp.MiniportTcpOffloadReceiveReturn(indicated); st != ndis.StatusSuccess || err != nil {
		t.Fatalf("MiniportTcpOffloadReceiveReturn: %s, %v", st, err)
	}
	seen(t, a, "returned mine=true")

	// Receive: the buffers are filled in place, the no-push flag crosses.
	buf1, buf2 := make([]byte, 8), make([]byte, 8)
	r1 := &ndis.NetBufferList{ID: 10, ReceiveNoPush: true, FirstNetBuffer: &ndis.NetBuffer{Data: buf1}}
	r2 := &ndis.NetBufferList{ID: 11, FirstNetBuffer: &ndis.NetBuffer{Data: buf2}}
	if st, err := dp.MiniportTcpOffloadReceive(0x77, ndis.LinkNetBufferLists(r1, r2)); st != ndis.StatusPending || err != nil {
		t.Fatalf("MiniportTcpOffloadReceive: %s, %v", st, err)
	}
	seen(t, a, "receive no-push [true false]")
	got = host.expect(t, `receive {NDIS_STATUS_SUCCESS 5 "data0\x00\x00\x00"} {NDIS_STATUS_SUCCESS 5 "data1\x00\x00\x00"}`)
	if l := got[0].lists; l[0] != r1 || l[1] != r2 {
		t.Error("receive completion: not the lists handed over")
	}
	if string(buf1[:5]) != "data0" || string(buf2[:5]) != "data1" {
		t.Errorf("the host's own buffers hold %q and %q, want the data written into them", buf1, buf2)
	}

	// Disconnect: completed, then a Retrieve event.
	d := &ndis.NetBufferList{ID: 20}
	if st, err := dp.MiniportTcpOffloadDisconnect(0x77, d, ndis.DisconnectGracefulClose); st != ndis.StatusPending || err != nil {
		t.Fatalf("MiniportTcpOffloadDisconnect: %s, %v", st, err)
	}
	seen(t, a, "disconnect TCP_DISCONNECT_GRACEFUL_CLOSE")
	got = host.expect(t, `disconnect {NDIS_STATUS_SUCCESS 0 ""}`, "event 0x77 TcpIndicateRetrieve 10")
	if got[0].lists[0] != d {
		t.Error("disconnect completion: not the list handed over")
	}

	// Forward: completed with the target's status; a handler error is returned.
	fw := &ndis.NetBufferList{ID: 30, FirstNetBuffer: &ndis.NetBuffer{Data: []byte("segment")}}
	if st, err := dp.MiniportTcpOffloadForward(0x77, fw); st != ndis.StatusPending || err != nil {
		t.Fatalf("MiniportTcpOffloadForward: %s, %v", st, err)
	}
	got = host.expect(t, `forward {NDIS_STATUS_OFFLOAD_CONNECTION_REJECTED 0 "segment"}`)
	if got[0].lists[0] != fw {
		t.Error("forward completion: not the list handed over")
	}
	if _, err := dp.MiniportTcpOffloadForward(0xBAD, fw); err == nil || !strings.Contains(err.Error(), "no such connection") {
		t.Errorf("a handler error: got %v", err)
	}
	host.quiet(t)
}

// The target's NdisTcpOffloadReceiveHandler returns what the host answered: all, nothing, or
// part of the data.
func TestAReceiveIndicationGetsTheHostsAnswer(t *testing.T) {
	for _, c := range []struct {
		name     string
		status   ndis.Status
		consumed uint32
	}{
		{"accepted", ndis.StatusSuccess, 6},
		{"refused", ndis.StatusOffloadDataNotAccepted, 0},
		{"partly accepted", ndis.StatusOffloadDataPartiallyAccepted, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, tgt, host := serveAllRoles(t, remote.ClientOptions{CallTimeout: wait}, nil)
			host.answer = func([]byte) (ndis.Status, uint32) { return c.status, c.consumed }
			if _, err := tgt.(target.DataPath).MiniportTcpOffloadSend(5, &ndis.NetBufferList{ID: 1, FirstNetBuffer: &ndis.NetBuffer{Data: []byte("abcdef")}}); err != nil {
				t.Fatal(err)
			}
			host.expect(t, `send {NDIS_STATUS_SUCCESS 6 "abcdef"}`, `indicate 0x5 NDIS_STATUS_SUCCESS {NDIS_STATUS_SUCCESS 0 "abcdef"}`)
			seen(t, a, fmt.Sprintf("answer %s %d", c.status, c.consumed))
		})
	}
}

// Frames cross both ways; what the target transmits or indicates from inside AttachLink or
// ReceiveFrame is delivered by the time the call returns, as in process.
func TestFramesCrossBothWays(t *testing.T) {
	_, tgt, host := serveAllRoles(t, remote.ClientOptions{CallTimeout: wait}, nil)
	w := tgt.(target.Wired)
	if err := w.AttachLink(host); err != nil {
		t.Fatal(err)
	}
	host.already(t, `frame "hello"`)
	frame := []byte("from the wire")
	w.ReceiveFrame(frame)
	host.already(t, `frame "echo:from the wire"`, `non-offload {NDIS_STATUS_SUCCESS 0 "from the wire"}`)
	host.quiet(t)
}

// manualClock is gVisor's manual clock as a target.Clock: the suite's virtual time.
type manualClock struct{ mc *faketime.ManualClock }

func (c manualClock) Now() time.Duration { return c.mc.Now().Sub(time.Unix(0, 0)) }
func (c manualClock) AfterFunc(d time.Duration, f func()) target.Timer {
	return c.mc.AfterFunc(d, f)
}

// The target's timers run on the suite's time: an advance of the suite's clock returns when
// every timer due by then has run and its frames have been delivered; a call carries the
// suite's time to the target.
func TestTheSuitesClockDrivesTheTargetsTimers(t *testing.T) {
	for _, when := range []string{"before Open", "after Open"} {
		t.Run(when, func(t *testing.T) {
			clock := manualClock{faketime.NewManualClock()}
			clock.mc.Advance(7 * time.Second) // the suite's epoch is not the target's
			var before func(target.Target)
			if when == "before Open" {
				before = func(tgt target.Target) { tgt.(target.Clocked).UseClock(clock) }
			}
			a, tgt, host := serveAllRoles(t, remote.ClientOptions{CallTimeout: wait}, before)
			if err := tgt.(target.Wired).AttachLink(host); err != nil {
				t.Fatal(err)
			}
			host.already(t, `frame "hello"`)
			if when == "after Open" {
				tgt.(target.Clocked).UseClock(clock)
			}
			clock.mc.Advance(500 * time.Millisecond)
			host.quiet(t)
			clock.mc.Advance(600 * time.Millisecond)
			host.already(t, `frame "tick@8s"`)
			clock.mc.Advance(2 * time.Second)
			host.already(t, `frame "tick@9s"`, `frame "tick@10s"`)
			clock.mc.Advance(100 * time.Millisecond)
			tgt.(target.Wired).ReceiveFrame([]byte("x"))
			seen(t, a, "frame at 10.2s")
			host.already(t, `frame "echo:x"`, `non-offload {NDIS_STATUS_SUCCESS 0 "x"}`)
			host.quiet(t)
		})
	}
}

// roleLiar is a server of revision 1 that lists roles anyway and counts the role RPCs made.
type roleLiar struct {
	*fakeServer
	mu    sync.Mutex
	calls int
}

func (r *roleLiar) Open(context.Context, *pb.OpenRequest) (*pb.OpenResponse, error) {
	return &pb.OpenResponse{SessionId: 1, Info: &pb.Info{Name: "old"}, ProtocolRevision: 1, Roles: []string{"data-path", "wired", "clocked"}, HardwareAddress: hardwareAddress}, nil
}

func (r *roleLiar) count() { r.mu.Lock(); r.calls++; r.mu.Unlock() }
func (r *roleLiar) DataPath(context.Context, *pb.DataPathRequest) (*pb.DataPathResponse, error) {
	r.count()
	return &pb.DataPathResponse{}, nil
}
func (r *roleLiar) ReceiveFrame(context.Context, *pb.ReceiveFrameRequest) (*pb.ReceiveFrameResponse, error) {
	r.count()
	return &pb.ReceiveFrameResponse{}, nil
}
func (r *roleLiar) AttachLink(context.Context, *pb.AttachLinkRequest) (*pb.AttachLinkResponse, error) {
	r.count()
	return &pb.AttachLinkResponse{}, nil
}
func (r *roleLiar) UseClock(context.Context, *pb.UseClockRequest) (*pb.UseClockResponse, error) {
	r.count()
	return &pb.UseClockResponse{}, nil
}

// A server of revision 1 declares no roles, whatever it lists, and the client calls none.
func TestATargetOfRevisionOneDeclaresNoRoles(t *testing.T) {
	liar := &roleLiar{fakeServer: &fakeServer{onCall: func(*pb.CallRequest, func(*pb.Event)) *pb.CallResponse { return &pb.CallResponse{} }}}
	liar.events, liar.closed = make(chan *pb.Event, 64), make(chan struct{})
	sock := filepath.Join(socketDir(t), "t.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pb.RegisterOffloadTargetServer(srv, liar)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	ep, err := remote.Connect("unix://"+sock, remote.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	tgt, _ := ep.Factory()()
	tgt.(target.Clocked).UseClock(manualClock{faketime.NewManualClock()})
	if _, err := tgt.Open(newRoleHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tgt.Close() })
	if got := target.RolesOf(tgt); got != 0 {
		t.Errorf("roles %s, want none", got)
	}
	if hw := tgt.(target.Wired).HardwareAddress(); hw != nil {
		t.Errorf("hardware address %s, want none", hw)
	}
	if _, err := tgt.(target.DataPath).MiniportTcpOffloadSend(1, &ndis.NetBufferList{}); err == nil {
		t.Error("a send to a target of revision 1 did not fail")
	}
	if err := tgt.(target.Wired).AttachLink(newRoleHost()); err == nil {
		t.Error("AttachLink on a target of revision 1 did not fail")
	}
	tgt.(target.Wired).ReceiveFrame([]byte("x"))
	liar.mu.Lock()
	defer liar.mu.Unlock()
	if liar.calls != 0 {
		t.Errorf("the client made %d role RPCs to a target of revision 1", liar.calls)
	}
}

// A server hears which revision its client speaks: to a client of revision 1 it declares no
// role and no MAC address, so an older suite never sees what it cannot carry.
func TestAServerDeclaresNoRolesToAClientOfRevisionOne(t *testing.T) {
	sock := filepath.Join(socketDir(t), "t.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := remote.NewServer(func() (target.Target, error) { return newAllRoles(), nil }, remote.Bounds{})
	go srv.Serve(lis)
	t.Cleanup(func() { srv.Stop(time.Second) })
	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	rpc := pb.NewOffloadTargetClient(conn)
	for _, c := range []struct {
		revision uint32
		roles    int
	}{{1, 0}, {2, 3}} {
		resp, err := rpc.Open(context.Background(), &pb.OpenRequest{ProtocolRevision: c.revision})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Roles) != c.roles || (c.roles == 0) != (len(resp.HardwareAddress) == 0) {
			t.Errorf("a client of revision %d: roles %v, hardware address %x; want %d roles", c.revision, resp.Roles, resp.HardwareAddress, c.roles)
		}
		if c.revision == 1 {
			if _, err := rpc.DataPath(context.Background(), &pb.DataPathRequest{SessionId: resp.SessionId, CallId: 1, Handler: pb.DataPathHandler_DATA_PATH_HANDLER_SEND}); err == nil {
				t.Error("a DataPath call of a session with no roles did not fail")
			}
		}
		rpc.Close(context.Background(), &pb.CloseRequest{SessionId: resp.SessionId})
	}
}

// openHostileWith is openHostile with a host of every callback; it returns the client.
func openHostileWith(t *testing.T, host target.Host, bounds remote.Bounds, events func(send func(raw) error)) (target.Target, chan error) {
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
	tgt, _ := ep.Factory()()
	if _, err := tgt.Open(host); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tgt.Close() })
	return tgt, faults
}

// A completion of a list the host never handed over reaches the host as a new list, named by
// its id, for the suite's ledger to judge; the session goes on.
func TestACompletionOfAnUnknownListIsForwardedAsANewList(t *testing.T) {
	host := newRoleHost()
	_, faults := openHostileWith(t, host, remote.Bounds{}, func(send func(raw) error) {
		send(mustMarshal(t, &pb.Event{Kind: &pb.Event_DataPathCompletion{DataPathCompletion: &pb.DataPathCompletion{
			Handler: pb.DataPathHandler_DATA_PATH_HANDLER_RECEIVE, Lists: []*pb.Nbl{{Id: 999, NetBuffers: [][]byte{[]byte("made up")}}},
		}}}))
	})
	got := host.expect(t, `receive {NDIS_STATUS_SUCCESS 0 "made up"}`)
	if l := got[0].lists[0]; l.ID != 999 {
		t.Errorf("the unknown list reached the host with ID %d, want 999", l.ID)
	}
	select {
	case err := <-faults:
		t.Errorf("fault: %v", err)
	default:
	}
}

// A malformed or oversized role event is a protocol fault naming what is wrong; nothing of it
// reaches the host.
func TestAMalformedRoleEventIsAFault(t *testing.T) {
	for name, c := range map[string]struct {
		ev   *pb.Event
		want string
	}{
		"oversize frame": {&pb.Event{Kind: &pb.Event_FrameTransmitted{FrameTransmitted: &pb.FrameTransmitted{Frame: make([]byte, 70000)}}},
			"a frame of 70000 bytes, more than the bound of 65553"},
		"frame before AttachLink": {&pb.Event{Kind: &pb.Event_FrameTransmitted{FrameTransmitted: &pb.FrameTransmitted{Frame: []byte("early")}}},
			"a frame before AttachLink"},
		"wakeup without a clock":    {&pb.Event{Kind: &pb.Event_ClockWakeup{ClockWakeup: &pb.ClockWakeup{AtNs: 5}}}, "given no clock"},
		"completion of a send":      {&pb.Event{Kind: &pb.Event_DataPathCompletion{DataPathCompletion: &pb.DataPathCompletion{Handler: pb.DataPathHandler_DATA_PATH_HANDLER_SEND}}}, "has no completion event"},
		"indication without a list": {&pb.Event{Kind: &pb.Event_ReceiveIndication{ReceiveIndication: &pb.ReceiveIndication{IndicationId: 1}}}, "list missing"},
		"repeated list id": {&pb.Event{Kind: &pb.Event_NonOffloadReceive{NonOffloadReceive: &pb.NonOffloadReceive{Lists: []*pb.Nbl{{Id: 4}, {Id: 4}}}}},
			"id missing, zero or repeated"},
	} {
		t.Run(name, func(t *testing.T) {
			host := newRoleHost()
			_, faults := openHostileWith(t, host, remote.Bounds{}, func(send func(raw) error) { send(mustMarshal(t, c.ev)) })
			awaitFault(t, faults, c.want)
			host.quiet(t)
		})
	}
}

// Oversized frames cross in neither direction: the client does not send one (and the session
// goes on), and a served target that transmits one ends its session with the reason.
func TestAnOversizeFrameIsRefused(t *testing.T) {
	faults := make(chan error, 8)
	_, tgt, host := serveAllRoles(t, remote.ClientOptions{CallTimeout: wait, OnFault: func(err error) { faults <- err }}, nil)
	w := tgt.(target.Wired)
	if err := w.AttachLink(host); err != nil {
		t.Fatal(err)
	}
	host.already(t, `frame "hello"`)
	w.ReceiveFrame(make([]byte, 70000))
	awaitFault(t, faults, "a frame of 70000 bytes, more than the bound of 65553: not sent")
	w.ReceiveFrame([]byte("small"))
	host.already(t, `frame "echo:small"`, `non-offload {NDIS_STATUS_SUCCESS 0 "small"}`)

	w.ReceiveFrame([]byte("big"))
	awaitFault(t, faults, "Link.TransmitFrame: a frame of 70000 bytes, more than the bound of 65553")
	if err := tgt.MiniportInitiateOffload(&ndis.MiniportOffloadBlockList{}); !errors.Is(err, remote.ErrFault) {
		t.Errorf("a call after the fault: %v, want ErrFault", err)
	}
}

// After every Advance the server names its earliest pending timer, even one it named before:
// the client may have ignored that wakeup for an earlier one it had armed, whose Advance this is.
func TestEveryAdvanceIsFollowedByTheNextWakeup(t *testing.T) {
	sock := filepath.Join(socketDir(t), "t.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := remote.NewServer(func() (target.Target, error) { return newAllRoles(), nil }, remote.Bounds{})
	go srv.Serve(lis)
	t.Cleanup(func() { srv.Stop(time.Second) })
	conn, err := grpc.NewClient("unix://"+sock, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	rpc := pb.NewOffloadTargetClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	open, err := rpc.Open(ctx, &pb.OpenRequest{ProtocolRevision: remote.ProtocolRevision})
	if err != nil {
		t.Fatal(err)
	}
	id := open.SessionId
	events, err := rpc.Events(ctx, &pb.EventsRequest{SessionId: id})
	if err != nil {
		t.Fatal(err)
	}
	// until reads events up to call's CallReturned and describes them.
	until := func(call uint64) []string {
		t.Helper()
		var out []string
		for {
			ev, err := events.Recv()
			if err != nil {
				t.Fatal(err)
			}
			switch k := ev.Kind.(type) {
			case *pb.Event_CallReturned:
				if k.CallReturned.CallId == call {
					return out
				}
			case *pb.Event_ClockWakeup:
				out = append(out, fmt.Sprintf("wakeup %v", time.Duration(k.ClockWakeup.AtNs)))
			case *pb.Event_FrameTransmitted:
				out = append(out, fmt.Sprintf("frame %s", k.FrameTransmitted.Frame))
			}
		}
	}
	check := func(call uint64, err error, want ...string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if got := until(call); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("call %d: events %v, want %v", call, got, want)
		}
	}
	_, err = rpc.UseClock(ctx, &pb.UseClockRequest{SessionId: id, CallId: 1})
	check(1, err, "wakeup 1s")
	_, err = rpc.AttachLink(ctx, &pb.AttachLinkRequest{SessionId: id, CallId: 2})
	check(2, err, "frame hello")
	// A call at 1.5s runs the 1 s tick first; the client, holding its 1 s wakeup, ignores the
	// 2 s one.
	now := int64(1500 * time.Millisecond)
	_, err = rpc.ReceiveFrame(ctx, &pb.ReceiveFrameRequest{SessionId: id, CallId: 3, Frame: []byte("x"), NowNs: &now})
	check(3, err, "frame tick@1s", "wakeup 2s", "frame echo:x")
	// Its 1 s wakeup fires: the Advance runs nothing, and names the 2 s timer again.
	_, err = rpc.Advance(ctx, &pb.AdvanceRequest{SessionId: id, CallId: 4, ToNs: int64(time.Second)})
	check(4, err, "wakeup 2s")
	_, err = rpc.Advance(ctx, &pb.AdvanceRequest{SessionId: id, CallId: 5, ToNs: int64(2 * time.Second)})
	check(5, err, "frame tick@2s", "wakeup 3s")
	rpc.Close(ctx, &pb.CloseRequest{SessionId: id})
}

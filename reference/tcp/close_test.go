package tcp

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"

	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// established opens a connection to the peer and offloads it to the engine; it returns the
// peer's end.
func (b *bed) established(opts options) *gonet.TCPConn {
	b.t.Helper()
	l := b.listen()
	accepted := make(chan net.Conn, 1)
	go func() {
		s, err := l.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- bounded(s)
	}()
	k, cached, d := b.connect(40001, 1000, opts, 65535)
	b.adopt(Config{Const: k, Cached: cached, Delegated: d}, nil)
	s := within(b.t, accepted, "the peer to accept the connection")
	if s == nil {
		b.t.Fatal("the peer accepted nothing")
	}
	b.t.Cleanup(func() { s.Close() })
	return s.(*gonet.TCPConn)
}

func (b *bed) state() ndis.TCPOffloadConnectionState {
	var st ndis.TCPOffloadConnectionState
	b.do(func(c *Conn) { st = c.State() })
	return st
}

// The host closes first: its data and a FIN go out, the disconnect completes with
// NDIS_STATUS_SUCCESS and all its bytes once the FIN is acknowledged (FIN_WAIT_2); the peer
// reads the data and EOF, closes, and the engine indicates TcpIndicateDisconnect (TIME_WAIT).
func TestGracefulCloseHostFirst(t *testing.T) {
	b := newBed(t, false)
	s := b.established(options{wscale: 7, timestamps: true})
	data := randomBytes(100_000, 3)
	lists := sendLists(data[:60_000], 20_000)
	disc := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: data[60_000:]}}
	b.do(func(c *Conn) {
		c.Send(ndis.LinkNetBufferLists(lists...))
		c.Disconnect(disc, ndis.DisconnectGracefulClose)
	})
	got, err := io.ReadAll(s)
	if err != nil || string(got) != string(data) {
		t.Fatalf("the peer read %d bytes (%v), want the %d sent and EOF", len(got), err, len(data))
	}
	b.wait("the disconnect completed", func(h *testHost) bool { return len(h.discDone) == 1 })
	if disc.Status != ndis.StatusSuccess || disc.BytesTransferred != 40_000 {
		t.Errorf("disconnect completed with %s and %d bytes, want NDIS_STATUS_SUCCESS and 40000", disc.Status, disc.BytesTransferred)
	}
	if st := b.state(); st != ndis.TcpConnectionFinWait2 {
		t.Errorf("state %s after the FIN was acknowledged, want FIN_WAIT_2", st)
	}
	b.host.mu.Lock()
	if len(b.host.sendDone) != len(lists) {
		t.Errorf("%d sends completed before the disconnect, want %d", len(b.host.sendDone), len(lists))
	}
	b.host.mu.Unlock()
	s.Close()
	b.wait("TcpIndicateDisconnect", func(h *testHost) bool { return h.hasEvent(ndis.TcpIndicateDisconnect) })
	if st := b.state(); st != ndis.TcpConnectionTimeWait {
		t.Errorf("state %s after the peer's FIN, want TIME_WAIT", st)
	}
}

// The peer closes first: its data is delivered before TcpIndicateDisconnect (CLOSE_WAIT), a
// request posted afterwards completes with NDIS_STATUS_INVALID_STATE; the host's disconnect
// then completes when the peer acknowledges the FIN (LAST_ACK, then CLOSED).
func TestGracefulClosePeerFirst(t *testing.T) {
	b := newBed(t, true)
	var order []string
	b.host.mu.Lock()
	b.host.answer = func(data []byte) (ndis.Status, uint32) {
		order = append(order, "data")
		return ndis.StatusSuccess, uint32(len(data))
	}
	b.host.mu.Unlock()
	s := b.established(options{wscale: -1})
	data := randomBytes(30_000, 4)
	if _, err := s.Write(data); err != nil {
		t.Fatal(err)
	}
	s.CloseWrite()
	b.wait("TcpIndicateDisconnect", func(h *testHost) bool { return h.hasEvent(ndis.TcpIndicateDisconnect) })
	b.host.mu.Lock()
	if string(b.host.received) != string(data) {
		t.Errorf("the host received %d bytes before the disconnect indication, want all %d", len(b.host.received), len(data))
	}
	b.host.mu.Unlock()
	if st := b.state(); st != ndis.TcpConnectionCloseWait {
		t.Errorf("state %s, want CLOSE_WAIT", st)
	}
	late := requests(1, 100, false)
	b.do(func(c *Conn) { c.PostReceive(late) })
	if late.Status != ndis.StatusInvalidState {
		t.Errorf("a request posted after the indication completed with %s, want NDIS_STATUS_INVALID_STATE", late.Status)
	}
	disc := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{}}
	b.do(func(c *Conn) { c.Disconnect(disc, ndis.DisconnectGracefulClose) })
	b.wait("the disconnect completed", func(h *testHost) bool { return len(h.discDone) == 1 })
	if disc.Status != ndis.StatusSuccess {
		t.Errorf("disconnect completed with %s", disc.Status)
	}
	if st := b.state(); st != ndis.TcpConnectionClosed {
		t.Errorf("state %s after the last ACK, want CLOSED", st)
	}
	if _, err := s.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("the peer read %v, want EOF", err)
	}
}

// An abortive disconnect sends an RST, completes every outstanding send and posted receive
// with NDIS_STATUS_REQUEST_ABORTED, then the disconnect with NDIS_STATUS_SUCCESS; the peer
// sees the connection reset, and what it sends later goes to the host stack.
func TestAbortiveClose(t *testing.T) {
	b := newBed(t, false)
	s := b.established(options{wscale: 7, timestamps: true})
	lists := sendLists(randomBytes(1<<20, 5), 256<<10) // more than the windows let out at once
	posted := requests(2, 100, true)
	disc := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{}}
	b.do(func(c *Conn) {
		c.PostReceive(posted)
		c.Send(ndis.LinkNetBufferLists(lists...))
		c.Disconnect(disc, ndis.DisconnectAbortiveClose)
	})
	b.wait("every request completed", func(h *testHost) bool {
		return len(h.discDone) == 1 && len(h.sendDone) == len(lists) && len(h.recvDone) == 2
	})
	b.host.mu.Lock()
	for _, l := range append(b.host.sendDone, b.host.recvDone...) {
		if l.Status != ndis.StatusRequestAborted {
			t.Errorf("%s completed with %s, want NDIS_STATUS_REQUEST_ABORTED", l, l.Status)
		}
	}
	b.host.mu.Unlock()
	if disc.Status != ndis.StatusSuccess {
		t.Errorf("the abortive disconnect completed with %s, want NDIS_STATUS_SUCCESS", disc.Status)
	}
	var err error
	for err == nil {
		_, err = s.Read(make([]byte, 64<<10))
	}
	if !isReset(err) {
		t.Errorf("the peer read %v, want the connection reset", err)
	}
	if st := b.state(); st != ndis.TcpConnectionClosed {
		t.Errorf("state %s, want CLOSED", st)
	}
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && (op.Err.Error() == (&tcpip.ErrConnectionReset{}).String() || errors.Is(op.Err, syscall.ECONNRESET))
}

// An acceptable RST from the peer: TcpIndicateAbort, and every outstanding request completes
// with NDIS_STATUS_REQUEST_ABORTED.
func TestPeerReset(t *testing.T) {
	b := newBed(t, false)
	s := b.established(options{wscale: 7, timestamps: true})
	posted := requests(1, 100, true)
	b.do(func(c *Conn) { c.PostReceive(posted) })
	// Closing a socket with data unread aborts the connection with an RST, in gVisor as in Linux.
	unread := sendLists([]byte("unread"), 6)[0]
	b.do(func(c *Conn) { c.Send(unread) })
	b.wait("the unread data acknowledged", func(h *testHost) bool { return len(h.sendDone) == 1 })
	s.Close()
	b.wait("TcpIndicateAbort", func(h *testHost) bool { return h.hasEvent(ndis.TcpIndicateAbort) && len(h.recvDone) == 1 })
	if posted.Status != ndis.StatusRequestAborted {
		t.Errorf("the posted request completed with %s, want NDIS_STATUS_REQUEST_ABORTED", posted.Status)
	}
	if st := b.state(); st != ndis.TcpConnectionClosed {
		t.Errorf("state %s, want CLOSED", st)
	}
	send := sendLists([]byte("late"), 4)[0]
	b.do(func(c *Conn) { c.Send(send) })
	if send.Status != ndis.StatusRequestAborted {
		t.Errorf("a send after the reset completed with %s, want NDIS_STATUS_REQUEST_ABORTED", send.Status)
	}
}

package tcp

import (
	"bytes"
	"sync/atomic"
	"testing"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// Terminated in the middle of a transfer both ways, the engine hands back SndUna, SndNxt and
// SndMax consistent with the send data it returns (the chain starts at SndUna and holds every
// byte not yet acknowledged), and RcvNxt consistent with the data the host received plus the
// data it returns. Offloaded again from exactly that state, with the segments that arrived
// meanwhile forwarded, the connection finishes both transfers byte for byte.
func TestTerminateMidTransfer(t *testing.T) {
	b := newBed(t, false)
	l := b.listen()
	const size = 1 << 20
	out, back := randomBytes(size, 6), randomBytes(size, 7)
	var peerRead atomic.Int64
	peerGot := make(chan []byte, 1)
	go func() {
		s, err := l.Accept()
		if err != nil {
			peerGot <- nil
			return
		}
		s = bounded(s)
		go s.Write(back)
		var got bytes.Buffer
		buf := make([]byte, 4096)
		for got.Len() < size {
			n, err := s.Read(buf)
			got.Write(buf[:n])
			peerRead.Store(int64(got.Len()))
			if err != nil {
				break
			}
		}
		peerGot <- got.Bytes()
	}()
	// After a quarter of the transfer the host refuses indications, so that the engine holds
	// receive data when it is terminated. The answer runs with the host's lock held.
	b.host.answer = func(data []byte) (ndis.Status, uint32) {
		if len(b.host.received) < size/4 {
			return ndis.StatusSuccess, uint32(len(data))
		}
		return ndis.StatusOffloadDataNotAccepted, 0
	}
	k, cached, d0 := b.connect(40002, 0x7ffff000, options{wscale: 7, timestamps: true}, 256<<10)
	b.adopt(Config{Const: k, Cached: cached, Delegated: d0}, nil)
	lists := sendLists(out, 32<<10)
	b.do(func(c *Conn) { c.Send(ndis.LinkNetBufferLists(lists...)) })
	b.wait("a quarter of the transfer", func(h *testHost) bool { return len(h.received) >= size/4 && peerRead.Load() >= size/4 })
	b.waitConn("the engine to hold refused data", func(c *Conn) bool { return c.BufferedBytes() > 0 })

	var d ndis.TCPOffloadStateDelegated
	var up Upload
	var received int
	var completed []*ndis.NetBufferList
	b.loop.PostWait(func() {
		up = b.conn.Terminate(&d)
		b.conn = nil
		b.host.mu.Lock()
		received, completed = len(b.host.received), append([]*ndis.NetBufferList(nil), b.host.sendDone...)
		b.host.mu.Unlock()
	})
	if d.SndUna == d0.SndUna || d.SndUna == d0.SndUna.Add(size) {
		t.Logf("terminated at SndUna %#x, at an end of the transfer", d.SndUna)
	}
	// Send side: the chain handed back starts at SndUna and ends at the last byte queued.
	returned := 0
	for _, l := range up.SendData {
		returned += l.DataLength()
	}
	if want := d.SndUna.Size(d0.SndUna.Add(size)); uint32(returned) != want {
		t.Errorf("%d bytes handed back, want %d: from SndUna %#x to the end of the data", returned, want, d.SndUna)
	}
	if !d.SndUna.LessThanEq(d.SndNxt) || d.SndNxt != d.SndMax || d.SndUna.Size(d.SndNxt) > uint32(returned) {
		t.Errorf("SndUna %#x SndNxt %#x SndMax %#x do not lie in the data handed back", d.SndUna, d.SndNxt, d.SndMax)
	}
	if len(up.SendData) > 0 {
		first := d0.SndUna.Size(d.SndUna)
		if got := up.SendData[0].FirstNetBuffer.Data; !bytes.Equal(got, out[first:first+uint32(len(got))]) {
			t.Error("the first list handed back does not start with the byte at SndUna")
		}
	}
	if len(completed)+len(up.SendData) != len(lists) {
		t.Errorf("%d lists completed and %d handed back, want %d in all", len(completed), len(up.SendData), len(lists))
	}
	// Receive side: what the host took and what comes back make up everything up to RcvNxt.
	if len(up.Received) == 0 {
		t.Error("no receive data handed back, though the host refused the last indication")
	}
	if got := uint32(received + len(up.Received)); got != d0.RcvNxt.Size(d.RcvNxt) {
		t.Errorf("host received %d and %d handed back, want RcvNxt - IRS - 1 = %d", received, len(up.Received), d0.RcvNxt.Size(d.RcvNxt))
	}

	// Offloaded again from the state handed back. The buffered data waits for a post: a
	// zero-byte request lets it be indicated.
	b.host.mu.Lock()
	b.host.answer = nil
	b.host.mu.Unlock()
	b.adopt(Config{Const: k, Cached: cached, Delegated: d, SendData: up.SendData, BufferedData: up.Received}, func(c *Conn) {
		c.PostReceive(requests(1, 0, false))
	})
	b.wait("both transfers finished", func(h *testHost) bool { return len(h.received) >= size && len(h.sendDone) == len(lists) })
	if got := within(t, peerGot, "the peer's bytes"); !bytes.Equal(got, out) {
		t.Errorf("the peer read %d bytes, not the %d the host sent", len(got), size)
	}
	b.host.mu.Lock()
	defer b.host.mu.Unlock()
	if !bytes.Equal(b.host.received, back) {
		t.Errorf("the host received %d bytes, not the %d the peer wrote", len(b.host.received), size)
	}
	for _, l := range append(b.host.sendDone, b.host.fwdDone...) {
		if l.Status != ndis.StatusSuccess {
			t.Errorf("%s completed with %s", l, l.Status)
		}
	}
	zero := b.host.recvDone
	if len(zero) != 1 || zero[0].Status != ndis.StatusSuccess || zero[0].BytesTransferred != 0 {
		t.Errorf("the zero-byte request: %d completions, want one with NDIS_STATUS_SUCCESS and 0 bytes", len(zero))
	}
	t.Logf("terminated at SndUna +%d SndNxt +%d, RcvNxt +%d, %d bytes handed back, %d received bytes handed back, %d segments forwarded",
		d0.SndUna.Size(d.SndUna), d0.SndUna.Size(d.SndNxt), d0.RcvNxt.Size(d.RcvNxt), returned, len(up.Received), len(b.host.fwdDone))
}

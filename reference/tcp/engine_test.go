package tcp

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/ndis-chimney/conformance/target/ndis"
)

func randomBytes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// sendLists cuts data into lists of size bytes, each one NET_BUFFER.
func sendLists(data []byte, size int) []*ndis.NetBufferList {
	var out []*ndis.NetBufferList
	for i := 0; i < len(data); i += size {
		out = append(out, &ndis.NetBufferList{ID: uint64(len(out) + 1), FirstNetBuffer: &ndis.NetBuffer{Data: data[i:min(i+size, len(data))]}})
	}
	return out
}

// requests returns n receive requests of size bytes.
func requests(n, size int, noPush bool) *ndis.NetBufferList {
	var lists []*ndis.NetBufferList
	for range n {
		lists = append(lists, &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: make([]byte, size)}, ReceiveNoPush: noPush})
	}
	return ndis.LinkNetBufferLists(lists...)
}

// A connection adopted right after its handshake carries 1 MB each way, byte for byte, with
// the peer reading and writing through its own sockets: over IPv4 with timestamps and window
// scaling, the host taking receive indications; over IPv6 with no options, the host posting
// receive requests.
func TestTransferBothWays(t *testing.T) {
	for _, tc := range []struct {
		name  string
		v6    bool
		opts  options
		posts int // 0: indications only; 1: nonpush requests for all of it; 2: push requests reposted as they complete
	}{
		{"IPv4, timestamps and window scaling, indications", false, options{wscale: 7, timestamps: true}, 0},
		{"IPv6, no options, nonpush requests", true, options{wscale: -1}, 1},
		{"IPv4, window scaling, push requests reposted", false, options{wscale: 2}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBed(t, tc.v6)
			l := b.listen()
			const size = 1 << 20
			out, back := randomBytes(size, 1), randomBytes(size, 2)
			peerGot := make(chan []byte, 1)
			peerErr := make(chan error, 2)
			go func() {
				s, err := l.Accept()
				if err != nil {
					peerErr <- err
					return
				}
				s = bounded(s)
				go func() { _, err := s.Write(back); peerErr <- err }()
				got := make([]byte, size)
				_, err = io.ReadFull(s, got)
				peerErr <- err
				peerGot <- got
			}()
			rcvWnd := uint32(65535)
			if tc.opts.wscale >= 0 {
				rcvWnd = 256 << 10
			}
			k, cached, d := b.connect(40000, 0xfffff000, tc.opts, rcvWnd) // the sequence numbers wrap
			var setup func(c *Conn)
			switch tc.posts {
			case 1:
				// Room for all of it, posted before any data arrives: no indication.
				setup = func(c *Conn) { c.PostReceive(requests(size/(16<<10), 16<<10, true)) }
			case 2:
				b.host.mu.Lock()
				b.host.afterReceive = func() { b.conn.PostReceive(requests(1, 8<<10, false)) }
				b.host.mu.Unlock()
				setup = func(c *Conn) { c.PostReceive(requests(8, 8<<10, false)) }
			}
			b.adopt(Config{Const: k, Cached: cached, Delegated: d}, setup)
			lists := sendLists(out, 64<<10)
			b.do(func(c *Conn) { c.Send(ndis.LinkNetBufferLists(lists...)) })
			b.wait("1 MB received and every send completed", func(h *testHost) bool {
				return len(h.received) >= size && len(h.sendDone) == len(lists)
			})
			for range 2 {
				if err := within(t, peerErr, "the peer's read and write"); err != nil {
					t.Fatalf("the peer: %v", err)
				}
			}
			if !bytes.Equal(within(t, peerGot, "the peer's bytes"), out) {
				t.Error("the peer read other bytes than the host sent")
			}
			b.host.mu.Lock()
			defer b.host.mu.Unlock()
			if !bytes.Equal(b.host.received[:size], back) {
				t.Error("the host received other bytes than the peer wrote")
			}
			for i, l := range b.host.sendDone {
				if l != lists[i] || l.Status != ndis.StatusSuccess || l.BytesTransferred != uint32(l.DataLength()) {
					t.Fatalf("send completion %d: %s with %s and %d bytes, want %s with NDIS_STATUS_SUCCESS and all its bytes", i, l, l.Status, l.BytesTransferred, lists[i])
				}
			}
			if tc.posts == 1 && b.host.indications != 0 {
				t.Errorf("%d indications while requests were posted", b.host.indications)
			}
			var got ndis.TCPOffloadStateDelegated
			b.loop.PostWait(func() { b.conn.Export(&got) })
			if got.SndUna != d.SndUna.Add(size) || got.SndNxt != got.SndUna || got.SndMax != got.SndUna || got.RcvNxt != d.RcvNxt.Add(size) {
				t.Errorf("exported SndUna %#x SndNxt %#x SndMax %#x RcvNxt %#x, want %#x, %#x, %#x and %#x",
					got.SndUna, got.SndNxt, got.SndMax, got.RcvNxt, d.SndUna.Add(size), d.SndUna.Add(size), d.SndUna.Add(size), d.RcvNxt.Add(size))
			}
		})
	}
}

package tcp

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// The delivery algorithm, step by step: segments handed to an engine with no link (it
// transmits nothing), on a manual clock, the host's answers scripted.

const rcvStart ndis.SeqNum = 5000

type deliveryBed struct {
	t     *testing.T
	clock *ManualClock
	host  *testHost
	conn  *Conn
	seq   ndis.SeqNum
}

func newDeliveryBed(t *testing.T, cached ndis.TCPOffloadStateCached) *deliveryBed {
	clock := &ManualClock{}
	h := &testHost{notify: make(chan struct{}, 1), loop: NewLoop()}
	t.Cleanup(h.loop.Close)
	d := ndis.TCPOffloadStateDelegated{State: ndis.TcpConnectionEstablished, RcvNxt: rcvStart, RcvWnd: 65535, SndUna: 1, SndNxt: 1, SndMax: 1, SndWnd: 65535}
	c := Adopt(Config{
		Const: ndis.TCPOffloadStateConst{LocalPort: 1, RemotePort: 2, RemoteMss: 1460}, Cached: cached, Delegated: d,
		Route: func() (Route, bool) { return Route{}, true }, Host: h, Clock: clock,
	})
	return &deliveryBed{t: t, clock: clock, host: h, conn: c, seq: rcvStart}
}

// segment hands the engine the next in-order segment.
func (b *deliveryBed) segment(data string, psh bool) {
	b.conn.HandleSegment(&Segment{Seq: b.seq, Ack: 1, ACK: true, PSH: psh, Window: 65535, Payload: []byte(data)})
	b.seq = b.seq.Add(uint32(len(data)))
}

func (b *deliveryBed) received() string { return string(b.host.received) }

func TestDeliveryAlgorithm(t *testing.T) {
	t.Run("with nothing posted the data is indicated, one stand-alone list each", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		b.segment("hello", false)
		b.segment(" world", true)
		if b.received() != "hello world" || b.host.indications != 2 {
			t.Errorf("received %q in %d indications", b.received(), b.host.indications)
		}
	})
	t.Run("refused data is buffered, later data too, until a post takes it; the rest is indicated", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		b.host.answer = func([]byte) (ndis.Status, uint32) { return ndis.StatusOffloadDataNotAccepted, 0 }
		b.segment("abcdef", false)
		b.segment("ghij", false)
		if b.host.indications != 1 || b.conn.BufferedBytes() != 10 {
			t.Fatalf("%d indications, %d bytes buffered; want 1 and 10", b.host.indications, b.conn.BufferedBytes())
		}
		b.host.answer = nil
		req := requests(1, 4, false)
		b.conn.PostReceive(req)
		if req.Status != ndis.StatusSuccess || req.BytesTransferred != 4 || b.received() != "abcdefghij" || b.host.indications != 2 {
			t.Errorf("request %s %d bytes, received %q in %d indications", req.Status, req.BytesTransferred, b.received(), b.host.indications)
		}
	})
	t.Run("a partly accepted indication leaves the rest buffered", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		b.host.answer = func([]byte) (ndis.Status, uint32) { return ndis.StatusOffloadDataPartiallyAccepted, 3 }
		b.segment("abcdefgh", false)
		if b.received() != "abc" || b.conn.BufferedBytes() != 5 {
			t.Errorf("received %q, %d buffered; want abc and 5", b.received(), b.conn.BufferedBytes())
		}
	})
	t.Run("RcvIndicationSize cuts indications", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{RcvIndicationSize: 4})
		b.segment("0123456789", false)
		if b.received() != "0123456789" || b.host.indications != 3 {
			t.Errorf("received %q in %d indications, want 3", b.received(), b.host.indications)
		}
	})
	t.Run("a push-mode request partly filled completes at a PSH", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		req := requests(1, 100, false)
		b.conn.PostReceive(req)
		b.segment("abc", false)
		if req.Status == ndis.StatusSuccess && req.BytesTransferred == 3 {
			t.Fatal("completed before a PSH or the push timer")
		}
		b.segment("de", true)
		if req.Status != ndis.StatusSuccess || req.BytesTransferred != 5 || len(b.host.recvDone) != 1 {
			t.Errorf("request %s with %d bytes", req.Status, req.BytesTransferred)
		}
	})
	t.Run("a push-mode request partly filled completes when the push timer expires, restarted by data", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		req := requests(1, 100, false)
		b.conn.PostReceive(req)
		b.segment("abc", false)
		b.clock.Advance(400 * time.Millisecond)
		b.segment("de", false) // restarts the timer
		b.clock.Advance(400 * time.Millisecond)
		if len(b.host.recvDone) != 0 {
			t.Fatal("completed before the restarted push timer expired")
		}
		b.clock.Advance(100 * time.Millisecond)
		if len(b.host.recvDone) != 1 || req.BytesTransferred != 5 {
			t.Errorf("after the push timer: %d completions, %d bytes", len(b.host.recvDone), req.BytesTransferred)
		}
	})
	t.Run("a nonpush request waits until it is filled, PSH and timer notwithstanding", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		req := requests(1, 6, true)
		b.conn.PostReceive(req)
		b.segment("abc", true)
		b.clock.Advance(time.Second)
		if len(b.host.recvDone) != 0 {
			t.Fatal("a nonpush request completed partly filled")
		}
		b.segment("defgh", false)
		if req.BytesTransferred != 6 || b.received() != "abcdefgh" || b.host.indications != 1 {
			t.Errorf("request %d bytes, received %q in %d indications", req.BytesTransferred, b.received(), b.host.indications)
		}
	})
	t.Run("requests fill in the order they were posted", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		reqs := requests(3, 2, false)
		b.conn.PostReceive(reqs)
		b.segment("abcde", true)
		got := ""
		for _, l := range b.host.recvDone {
			got += string(l.FirstNetBuffer.Data[:l.BytesTransferred]) + "|"
		}
		if got != "ab|cd|e|" {
			t.Errorf("completions %q, want ab|cd|e|", got)
		}
	})
	t.Run("the peer's FIN is indicated after the data before it, and ends posted requests", func(t *testing.T) {
		b := newDeliveryBed(t, ndis.TCPOffloadStateCached{})
		b.host.answer = func([]byte) (ndis.Status, uint32) { return ndis.StatusOffloadDataNotAccepted, 0 }
		b.segment("tail", false)
		b.conn.HandleSegment(&Segment{Seq: b.seq, Ack: 1, ACK: true, FIN: true, Window: 65535})
		if b.host.hasEvent(ndis.TcpIndicateDisconnect) {
			t.Fatal("TcpIndicateDisconnect before the data was taken")
		}
		req := requests(2, 100, true)
		b.conn.PostReceive(req)
		if !b.host.hasEvent(ndis.TcpIndicateDisconnect) || b.received() != "tail" || len(b.host.recvDone) != 2 {
			t.Errorf("events %v, received %q, %d completions", b.host.events, b.received(), len(b.host.recvDone))
		}
	})
}

// Frames carry an 802.1Q tag exactly when the neighbor's VLAN or the connection's priority is
// non-zero; IPv4 has DF and an upper-half ID, IPv6 the traffic class and flow label; the
// checksums hold, and the engine's parser reads back what was built.
func TestFrames(t *testing.T) {
	for _, tc := range []struct {
		name     string
		local    netip.Addr
		vlan     uint16
		priority uint8
		tagged   bool
	}{
		{"IPv4 untagged", host4, 0, 0, false},
		{"IPv4 on a VLAN", host4, 42, 0, true},
		{"IPv4 with a priority only", host4, 0, 5, true},
		{"IPv6 on a VLAN with a priority", host6, 7, 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Route{LocalMAC: hostMAC, RemoteMAC: peerMAC, VlanID: tc.vlan, Local: tc.local, Remote: peer4, PathMTU: 1500}
			if tc.local.Is6() {
				r.Remote = peer6
			}
			cached := ndis.TCPOffloadStateCached{TtlOrHopLimit: ourTTL, TosOrTrafficClass: 0x28, FlowLabel: 0xabcde, UserPriority: tc.priority}
			s := outSegment{seq: 100, ack: 200, ackFlag: true, psh: true, window: 1000, timestamp: true, tsVal: 7, tsEcr: 9, payload: []byte("payload")}
			frame, err := buildFrame(r, &cached, 0x8123, 1000, 80, &s)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkFrame(frame, ourTTL); err != nil {
				t.Fatal(err)
			}
			p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
			q, tagged := p.Layer(layers.LayerTypeDot1Q).(*layers.Dot1Q)
			if tagged != tc.tagged || tagged && (q.VLANIdentifier != tc.vlan || q.Priority != tc.priority) {
				t.Errorf("tag %v %+v, want tagged %v with VLAN %d priority %d", tagged, q, tc.tagged, tc.vlan, tc.priority)
			}
			if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok && (ip.TOS != 0x28 || ip.Id != 0x8123) {
				t.Errorf("IPv4 TOS %#x ID %#x", ip.TOS, ip.Id)
			}
			if ip, ok := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6); ok && (ip.TrafficClass != 0x28 || ip.FlowLabel != 0xabcde) {
				t.Errorf("IPv6 traffic class %#x flow label %#x", ip.TrafficClass, ip.FlowLabel)
			}
			seg, err := ParseFrame(frame)
			if err != nil {
				t.Fatal(err)
			}
			if seg.Tagged != tc.tagged || seg.VlanID != tc.vlan || seg.Seq != 100 || seg.Ack != 200 || !seg.PSH || !seg.HasTimestamp ||
				seg.TSval != 7 || seg.TSecr != 9 || string(seg.Payload) != "payload" || seg.Key.Local.Addr() != r.Remote {
				t.Errorf("parsed back %+v", seg)
			}
			frame[len(frame)-1] ^= 0xff
			if _, err := ParseFrame(frame); err != ErrBadChecksum {
				t.Errorf("a corrupted frame parsed with %v, want ErrBadChecksum", err)
			}
		})
	}
}

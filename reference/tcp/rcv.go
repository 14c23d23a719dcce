package tcp

import "github.com/ndis-chimney/conformance/target/ndis"

// receiver is the receive half: the next sequence number expected, and the receive window.
// The window is what the receive buffer has room for, the buffer being what the host handed
// over (RcvWnd, or InitialRcvWnd when larger) less the received bytes the engine still holds
// for the host. Its right edge never moves left (RFC 7323 2.4).
type receiver struct {
	c           *Conn
	nxt         ndis.SeqNum
	acc         ndis.SeqNum // the right edge of the window last advertised
	buf         uint32
	scale       uint8 // our window scale (RcvWindScale)
	lastAckSent ndis.SeqNum
	finReceived bool // the peer's FIN came in sequence
}

func (r *receiver) adopt(c *Conn, d ndis.TCPOffloadStateDelegated) {
	r.c = c
	r.nxt, r.lastAckSent = d.RcvNxt, d.RcvNxt
	r.acc = d.RcvNxt.Add(d.RcvWnd)
	r.buf = max(d.RcvWnd, c.cached.InitialRcvWnd)
	if c.konst.Flags&ndis.TCPFlagWindowScalingEnabled != 0 {
		r.scale = min(c.konst.RcvWindScale, 14)
	}
	switch d.State {
	case ndis.TcpConnectionCloseWait, ndis.TcpConnectionClosing, ndis.TcpConnectionLastAck, ndis.TcpConnectionTimeWait:
		r.finReceived = true
	}
}

// window returns the receive window as last advertised (RcvWnd).
func (r *receiver) window() uint32 {
	if r.acc.LessThan(r.nxt) {
		return 0
	}
	return r.nxt.Size(r.acc)
}

// room returns the window the buffer has room for now, no more than the Window field can say.
func (r *receiver) room() uint32 {
	held := uint32(r.c.dlv.held())
	room := uint32(0)
	if held < r.buf {
		room = r.buf - held
	}
	return min(room, 0xffff<<r.scale)
}

// advertise returns the Window field of a segment about to leave, moving the right edge out
// when the buffer has room.
func (r *receiver) advertise() uint16 {
	room := r.room() >> r.scale << r.scale
	if edge := r.nxt.Add(room); r.acc.LessThan(edge) {
		r.acc = edge
	}
	return uint16(min(r.window()>>r.scale, 0xffff))
}

// windowOpened reports whether the buffer has room for a window larger than the one last
// advertised by enough to tell the peer at once: half the buffer or an MSS (RFC 1122 4.2.3.3).
func (r *receiver) windowOpened() bool {
	room, wnd := r.room(), r.window()
	return room > wnd && room-wnd >= min(r.buf/2, r.c.mss())
}

// acceptable reports whether a segment is acceptable (RFC 793 "SEGMENT ARRIVES", first
// check): some of it lies in the receive window. With the window closed only a segment at
// RcvNxt is, so that its acknowledgment and window are still processed.
func (r *receiver) acceptable(seg *Segment) bool {
	n, wnd := seg.Len(), r.window()
	in := func(s ndis.SeqNum) bool { return r.nxt.LessThanEq(s) && s.LessThan(r.nxt.Add(wnd)) }
	switch {
	case wnd == 0:
		return seg.Seq == r.nxt
	case n == 0:
		return in(seg.Seq)
	}
	return in(seg.Seq) || in(seg.Seq.Add(n-1))
}

// HandleSegment processes a segment received for the connection.
func (c *Conn) HandleSegment(seg *Segment) {
	if c.Closed() {
		return
	}
	c.segmentArrives(seg)
	c.flush()
}

// segmentArrives is RFC 793's "SEGMENT ARRIVES" for the synchronized states, with RFC 7323
// timestamps: PAWS, acceptability, RST, SYN, ACK, data, FIN.
func (c *Conn) segmentArrives(seg *Segment) {
	if c.ts.enabled && seg.HasTimestamp && !seg.RST && int32(seg.TSval-c.ts.recent) < 0 {
		c.ackNow = true // PAWS: an old duplicate
		return
	}
	if !c.rcv.acceptable(seg) {
		if !seg.RST {
			c.ackNow = true
		}
		return
	}
	if seg.RST {
		c.peerReset()
		return
	}
	if seg.SYN {
		c.ackNow = true // a SYN in the window is answered with an ACK (RFC 5961 4.2)
		return
	}
	if !seg.ACK {
		return
	}
	if seg.URG {
		// Urgent data is the host stack's: ask for an upload and do not acknowledge it
		// (ddi/nc-ndischimney-ndis_tcp_offload_event_indicate.md, ReceivedUrgentData).
		c.requestUpload(ndis.ReceivedUrgentData)
		return
	}
	if c.ts.enabled && seg.HasTimestamp && seg.Seq.LessThanEq(c.rcv.lastAckSent) {
		c.ts.recent, c.ts.recentAt = seg.TSval, c.cfg.Clock.Now()
	}
	if !c.snd.acknowledge(seg) || c.state == ndis.TcpConnectionClosed {
		return
	}
	c.rcv.dataArrived(seg)
}

// receivesData reports whether the connection takes data: the peer has not sent its FIN.
func (c *Conn) receivesData() bool {
	switch c.state {
	case ndis.TcpConnectionEstablished, ndis.TcpConnectionFinWait1, ndis.TcpConnectionFinWait2:
		return true
	}
	return false
}

// dataArrived takes the data and FIN of an acceptable segment: what is in order is delivered
// and acknowledged; a segment beyond RcvNxt is dropped and answered with a duplicate ACK (no
// reassembly yet); data already received is trimmed off.
func (r *receiver) dataArrived(seg *Segment) {
	c := r.c
	payload, seq, fin := seg.Payload, seg.Seq, seg.FIN
	if seq.LessThan(r.nxt) {
		skip := seq.Size(r.nxt)
		switch {
		case skip < uint32(len(payload)):
			payload = payload[skip:]
		case skip == uint32(len(payload)):
			payload = nil
		default:
			payload, fin = nil, false
		}
		seq = r.nxt
	}
	if seq != r.nxt {
		c.ackNow = true
		return
	}
	if wnd := r.window(); uint32(len(payload)) > wnd {
		payload, fin = payload[:wnd], false
	}
	if len(payload) == 0 && !fin {
		if len(seg.Payload) > 0 || seg.FIN {
			c.ackNow = true // nothing new, or no room: say where we are
		}
		return
	}
	c.ackNow = true // an ACK for every in-order segment (no delayed ACK yet)
	if !c.receivesData() {
		return // the peer's FIN came already: anything after it is ignored
	}
	if len(payload) > 0 {
		r.nxt = r.nxt.Add(uint32(len(payload)))
		c.dlv.segmentArrived(payload, seg.PSH || fin) // a FIN pushes the data before it
	}
	if fin && !r.finReceived {
		r.nxt = r.nxt.Add(1)
		r.finReceived = true
		c.peerFIN()
	}
}

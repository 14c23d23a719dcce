package tcp

import (
	"math"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// sendEntry is one NET_BUFFER_LIST of send data in the send queue, at its place in sequence
// space.
type sendEntry struct {
	nbl   *ndis.NetBufferList
	data  []byte      // the list's bytes, its NET_BUFFERs one after the other
	start ndis.SeqNum // the sequence number of data[0]
	// disconnect marks the data of a graceful disconnect request: it is completed with the
	// request once the FIN is acknowledged, never through NdisTcpOffloadSendComplete.
	disconnect bool
}

func (e *sendEntry) end() ndis.SeqNum { return e.start.Add(uint32(len(e.data))) }

// disconnectRequest is a graceful disconnect waiting for its FIN to be acknowledged.
type disconnectRequest struct {
	nbl   *ndis.NetBufferList
	start ndis.SeqNum // its data's first sequence number
	bytes uint32      // its data's length
}

// sender is the send half: the queue of send data mapped onto sequence space
// (concepts/mapping-snduna--sndnxt--and-sndmax-to-the-mdls.md). The first byte of the first
// queued list is SndUna; the bytes up to SndNxt were sent and are not yet acknowledged; the
// bytes from SndNxt to SndMax were sent before (by the host, before the offload) and are sent
// again first; the bytes after SndMax have never been sent.
type sender struct {
	c     *Conn
	queue []*sendEntry

	una, nxt, max ndis.SeqNum
	end           ndis.SeqNum // the sequence number after the last queued byte

	wnd, maxWnd uint32      // the peer's window, scaled, and the largest seen
	wl1, wl2    ndis.SeqNum // the segment that last updated wnd (RFC 793 SND.WL1, SND.WL2)
	scale       uint8       // the peer's window scale (SndWindScale)

	cwnd, ssthresh uint32

	finQueued, finSent, finAcked bool
	finSeq                       ndis.SeqNum
	disconnects                  []disconnectRequest
}

func (s *sender) adopt(c *Conn, d ndis.TCPOffloadStateDelegated, chain []*ndis.NetBufferList) {
	s.c = c
	s.una, s.nxt, s.max = d.SndUna, d.SndNxt, d.SndMax
	if s.max.LessThan(s.nxt) {
		s.max = s.nxt
	}
	s.end = s.una
	for _, l := range chain {
		s.enqueue(l, false)
	}
	s.wnd, s.maxWnd, s.wl1, s.wl2 = d.SndWnd, max(d.MaxSndWnd, d.SndWnd), d.SendWL1, d.SndUna
	if c.konst.Flags&ndis.TCPFlagWindowScalingEnabled != 0 {
		s.scale = min(c.konst.SndWindScale, 14)
	}
	s.cwnd, s.ssthresh = d.CWnd, d.SsThresh
	if s.ssthresh == 0 {
		s.ssthresh = math.MaxUint32
	}
	// A connection handed over after the host closed its send half has sent its FIN: it is
	// the last sequence number sent.
	switch d.State {
	case ndis.TcpConnectionFinWait1, ndis.TcpConnectionClosing, ndis.TcpConnectionLastAck:
		s.finQueued, s.finSent, s.finSeq = true, true, s.max.Add(^uint32(0))
	case ndis.TcpConnectionFinWait2, ndis.TcpConnectionTimeWait:
		s.finQueued, s.finSent, s.finAcked, s.finSeq = true, true, true, s.una.Add(^uint32(0))
	}
}

// enqueue puts a list at the end of the send queue.
func (s *sender) enqueue(l *ndis.NetBufferList, disconnect bool) *sendEntry {
	e := &sendEntry{nbl: l, data: listBytes(l), start: s.end, disconnect: disconnect}
	s.queue = append(s.queue, e)
	s.end = e.end()
	return e
}

// listBytes returns the data of a list's NET_BUFFERs: the first's own slice when it has only
// one, a copy of them all otherwise.
func listBytes(l *ndis.NetBufferList) []byte {
	nbs := l.NetBuffers()
	switch len(nbs) {
	case 0:
		return nil
	case 1:
		return nbs[0].Data
	}
	var out []byte
	for _, nb := range nbs {
		out = append(out, nb.Data...)
	}
	return out
}

// Send queues send requests (MiniportTcpOffloadSend) for transmission after everything queued
// before, in list order. A connection being uploaded completes them at once with
// NDIS_STATUS_UPLOAD_IN_PROGRESS; one that was reset, or whose send half is closed, with
// NDIS_STATUS_REQUEST_ABORTED.
func (c *Conn) Send(chain *ndis.NetBufferList) {
	lists := chain.Chain()
	switch {
	case c.terminated:
		c.completeSends(lists, ndis.StatusUploadInProgress)
		return
	case c.aborted || c.state == ndis.TcpConnectionClosed || c.snd.finQueued:
		c.completeSends(lists, ndis.StatusRequestAborted)
	default:
		for _, l := range lists {
			c.snd.enqueue(l, false)
		}
	}
	c.flush()
}

// completeSends hands lists back through NdisTcpOffloadSendComplete with status, none of their
// data acknowledged.
func (c *Conn) completeSends(lists []*ndis.NetBufferList, status ndis.Status) {
	if len(lists) == 0 {
		return
	}
	for _, l := range lists {
		l.Status, l.BytesTransferred = status, 0
	}
	c.cfg.Host.NdisTcpOffloadSendComplete(ndis.LinkNetBufferLists(lists...))
}

// initialWindow is the congestion window a connection handed over without one starts with
// (RFC 3390).
func initialWindow(mss uint32) uint32 { return min(4*mss, max(2*mss, 4380)) }

// output transmits what the windows allow: the data from SndNxt on, in segments of at most
// the MSS, each list's last segment with PSH (MiniportTcpOffloadSend page), then the FIN of a
// graceful disconnect once all data is sent.
func (s *sender) output() {
	c := s.c
	if c.cfg.Link == nil || c.aborted || c.state == ndis.TcpConnectionClosed {
		return
	}
	mss := c.mss()
	if s.cwnd == 0 {
		s.cwnd = initialWindow(mss)
	}
	for {
		if s.nxt.LessThan(s.end) {
			avail := s.nxt.Size(s.end)
			flight := s.una.Size(s.nxt)
			limit := min(s.wnd, s.cwnd)
			if flight >= limit {
				return // the window is full: an acknowledgment (or, next, the persist timer) opens it
			}
			n := min(avail, mss, limit-flight)
			if n < mss && n < avail && n < s.maxWnd/2 {
				return // silly window avoidance (RFC 1122 4.2.3.4): wait for a useful window
			}
			if n < mss && n == avail && flight > 0 && c.cached.Flags&ndis.TCPFlagNaglingEnabled != 0 {
				return // Nagle (RFC 896): a small segment waits while data is unacknowledged
			}
			payload, push := s.bytesAt(s.nxt, n)
			if !c.transmit(outSegment{seq: s.nxt, ackFlag: true, psh: push, payload: payload}) {
				return
			}
			s.advanceNxt(n)
			continue
		}
		if s.finQueued && !s.finSent && s.nxt == s.end {
			if !c.transmit(outSegment{seq: s.nxt, ackFlag: true, fin: true}) {
				return
			}
			s.finSent, s.finSeq = true, s.nxt
			s.advanceNxt(1)
		}
		return
	}
}

func (s *sender) advanceNxt(n uint32) {
	s.nxt = s.nxt.Add(n)
	if s.max.LessThan(s.nxt) {
		s.max = s.nxt
	}
}

// bytesAt copies n queued bytes from sequence number seq, and reports whether they end a list
// (the segment then carries PSH).
func (s *sender) bytesAt(seq ndis.SeqNum, n uint32) ([]byte, bool) {
	out := make([]byte, 0, n)
	last := seq.Add(n)
	push := false
	for _, e := range s.queue {
		if !e.start.LessThan(last) {
			break // the segment ends before this list
		}
		if len(e.data) == 0 || !seq.LessThan(e.end()) {
			continue // the segment starts after this list
		}
		from, to := uint32(0), uint32(len(e.data))
		if e.start.LessThan(seq) {
			from = e.start.Size(seq)
		}
		if last.LessThan(e.end()) {
			to = e.start.Size(last)
		}
		out = append(out, e.data[from:to]...)
		push = push || e.end() == last
	}
	return out, push
}

// acknowledge processes the acknowledgment and window of an acceptable segment (RFC 793
// "SEGMENT ARRIVES", fifth check). It reports false when the segment acknowledges data not
// yet sent, which is answered with an ACK and dropped.
func (s *sender) acknowledge(seg *Segment) bool {
	ack := seg.Ack
	if s.max.LessThan(ack) {
		s.c.ackNow = true
		return false
	}
	if ack.LessThan(s.una) {
		return true // an old acknowledgment: nothing to do
	}
	if s.una.LessThan(ack) {
		acked := s.una.Size(ack)
		s.una = ack
		if s.nxt.LessThan(ack) {
			s.nxt = ack // the peer had data the host sent before the offload
		}
		s.grow(acked)
		s.completeAcknowledged()
		if s.finSent && !s.finAcked && s.finSeq.LessThan(ack) {
			s.finAcked = true
			s.c.ourFINAcked()
		}
	}
	// The window, from a segment newer than the last that set it (RFC 793 SND.WL1/WL2).
	if s.wl1.LessThan(seg.Seq) || (s.wl1 == seg.Seq && s.wl2.LessThanEq(ack)) {
		s.wnd = uint32(seg.Window) << s.scale
		s.wl1, s.wl2 = seg.Seq, ack
		s.maxWnd = max(s.maxWnd, s.wnd)
	}
	return true
}

// grow opens the congestion window for newly acknowledged data: slow start below ssthresh,
// congestion avoidance above it (RFC 5681). Loss recovery comes with the retransmission timer.
func (s *sender) grow(acked uint32) {
	mss := s.c.mss()
	if s.cwnd < s.ssthresh {
		s.cwnd += min(acked, mss)
	} else {
		s.cwnd += max(1, mss*mss/max(s.cwnd, 1))
	}
}

// completeAcknowledged completes, in FIFO order and in one call, every send request whose data
// is all acknowledged: NDIS_STATUS_SUCCESS with all its bytes transferred
// (ddi/nc-ndischimney-ndis_tcp_offload_send_complete.md).
func (s *sender) completeAcknowledged() {
	var done []*ndis.NetBufferList
	for len(s.queue) > 0 && s.queue[0].end().LessThanEq(s.una) {
		e := s.queue[0]
		s.queue = s.queue[1:]
		if e.disconnect {
			continue // completed with its disconnect request
		}
		e.nbl.Status, e.nbl.BytesTransferred = ndis.StatusSuccess, uint32(len(e.data))
		done = append(done, e.nbl)
	}
	if len(done) > 0 {
		s.c.cfg.Host.NdisTcpOffloadSendComplete(ndis.LinkNetBufferLists(done...))
	}
}

// abort completes every send request still queued with status, with the bytes of each that
// were acknowledged, and forgets the queue.
func (s *sender) abort(status ndis.Status) {
	var lists []*ndis.NetBufferList
	for _, e := range s.queue {
		if e.disconnect {
			continue
		}
		e.nbl.Status, e.nbl.BytesTransferred = status, s.acknowledgedOf(e.start, uint32(len(e.data)))
		lists = append(lists, e.nbl)
	}
	s.queue = nil
	s.end = s.nxt
	if len(lists) > 0 {
		s.c.cfg.Host.NdisTcpOffloadSendComplete(ndis.LinkNetBufferLists(lists...))
	}
	s.completeDisconnects(status)
}

// acknowledgedOf returns how many of n bytes from start are acknowledged.
func (s *sender) acknowledgedOf(start ndis.SeqNum, n uint32) uint32 {
	if !start.LessThan(s.una) {
		return 0
	}
	return min(start.Size(s.una), n)
}

// completeDisconnects completes the waiting graceful disconnect requests with status and the
// bytes of their data acknowledged.
func (s *sender) completeDisconnects(status ndis.Status) {
	reqs := s.disconnects
	s.disconnects = nil
	for _, r := range reqs {
		r.nbl.Status, r.nbl.BytesTransferred = status, s.acknowledgedOf(r.start, r.bytes)
		s.c.cfg.Host.NdisTcpOffloadDisconnectComplete(r.nbl)
	}
}

// uploadDisconnects completes the waiting disconnect requests of a connection being
// terminated with NDIS_STATUS_UPLOAD_IN_PROGRESS.
func (s *sender) uploadDisconnects() { s.completeDisconnects(ndis.StatusUploadInProgress) }

// handBack returns the send requests still queued, unacknowledged and unsent, in their
// original order, and forgets them. The first's acknowledged bytes are advanced past, so that
// its first byte is SndUna (concepts/mapping-snduna--sndnxt--and-sndmax-to-the-mdls.md).
func (s *sender) handBack() []*ndis.NetBufferList {
	var out []*ndis.NetBufferList
	for _, e := range s.queue {
		if e.disconnect {
			continue
		}
		if acked := s.acknowledgedOf(e.start, uint32(len(e.data))); acked > 0 {
			advanceDataStart(e.nbl, acked)
		}
		out = append(out, e.nbl)
	}
	s.queue = nil
	return out
}

// advanceDataStart drops n bytes from the front of a list's NET_BUFFERs, as
// NdisAdvanceNetBufferDataStart does.
func advanceDataStart(l *ndis.NetBufferList, n uint32) {
	for _, nb := range l.NetBuffers() {
		k := min(uint32(len(nb.Data)), n)
		nb.Data = nb.Data[k:]
		n -= k
	}
}

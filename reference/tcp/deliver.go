package tcp

import "github.com/ndis-chimney/conformance/target/ndis"

// The receive delivery algorithm (concepts/delivery-algorithm.md), as its three flowcharts
// give it (concepts/images/receive-algorithm1.png to 3.png):
//
//   - An in-sequence segment goes into the posted receive requests when there are any;
//     otherwise, when data is already buffered, it is appended to the buffered data; otherwise
//     it is indicated (NdisTcpOffloadReceiveHandler).
//   - Receive requests posted while data is buffered take the buffered data; otherwise they
//     are queued.
//   - Placing data (connector A): fill the requests in the order they were posted, complete
//     every filled one (NdisTcpOffloadReceiveComplete) and stop the push timer if one was
//     completed. Data left over when the requests run out is indicated (connector B). A
//     request left partly filled completes at once when in push mode and the segment carried
//     PSH; a push-mode request otherwise starts the push timer; a nonpush request
//     (TcpReceiveNoPush) waits until it is filled.
//   - Indicating (connector B): a stand-alone list with one NET_BUFFER. SUCCESS: the host took
//     all of it and keeps the list until MiniportTcpOffloadReceiveReturn; more data is
//     indicated the same way. NOT_ACCEPTED or PARTIALLY_ACCEPTED: the list is the target's
//     again and what the host did not consume is buffered; it is not indicated again until
//     the host posts a request.
//   - The push timer expiring completes a partly filled push-mode request.
//
// "Completion or indication in progress: queue it and process it when finished" needs no code
// here: the engine handles one event at a time on its loop, and a request the host posts from
// inside a completion or indication is an event that waits for the current one to finish.

// request is a posted receive request: one list with one NET_BUFFER, filled from the start.
type request struct {
	nbl    *ndis.NetBufferList
	buf    []byte
	filled int
	push   bool // push mode: TcpReceiveNoPush is FALSE
}

func (r *request) full() bool { return r.filled == len(r.buf) }

// delivery holds the receive requests posted and the received data not yet delivered.
type delivery struct {
	c      *Conn
	posted []*request
	// buffered is received data the host has not taken: refused by an indication, handed
	// over at initiate, or arrived while earlier data waited. bufferedPush says whether its
	// last segment carried PSH.
	buffered     []byte
	bufferedPush bool
	push         timer
	// disconnectIndicated: TcpIndicateDisconnect was made; later requests complete with
	// NDIS_STATUS_INVALID_STATE.
	disconnectIndicated bool
}

func (d *delivery) adopt(c *Conn, buffered []byte) {
	d.c = c
	d.buffered = buffered
	d.push = newTimer(c.cfg.Clock, func() {
		if c.terminated {
			return
		}
		d.pushExpired()
		c.flush()
	})
}

// held returns how many received bytes the engine holds for the host.
func (d *delivery) held() int { return len(d.buffered) }

// PostReceive posts receive requests (MiniportTcpOffloadReceive), each a list with one
// NET_BUFFER to fill. A connection being uploaded completes them at once with
// NDIS_STATUS_UPLOAD_IN_PROGRESS, one that was reset with NDIS_STATUS_REQUEST_ABORTED, and one
// that has indicated the peer's FIN with NDIS_STATUS_INVALID_STATE
// (ddi/nc-ndischimney-ndis_tcp_offload_receive_complete.md).
func (c *Conn) PostReceive(chain *ndis.NetBufferList) {
	lists := chain.Chain()
	var status ndis.Status
	switch {
	case c.terminated:
		status = ndis.StatusUploadInProgress
	case c.aborted || c.state == ndis.TcpConnectionClosed:
		status = ndis.StatusRequestAborted
	case c.dlv.disconnectIndicated:
		status = ndis.StatusInvalidState
	default:
		reqs := make([]*request, 0, len(lists))
		for _, l := range lists {
			r := &request{nbl: l, push: !l.ReceiveNoPush}
			if nb := l.FirstNetBuffer; nb != nil {
				r.buf = nb.Data
			}
			reqs = append(reqs, r)
		}
		c.dlv.requestsPosted(reqs)
		c.flush()
		return
	}
	for _, l := range lists {
		l.Status, l.BytesTransferred = status, 0
	}
	if len(lists) > 0 {
		c.cfg.Host.NdisTcpOffloadReceiveComplete(ndis.LinkNetBufferLists(lists...))
	}
}

// requestsPosted is the left column of the first flowchart.
func (d *delivery) requestsPosted(reqs []*request) {
	d.posted = append(d.posted, reqs...)
	if len(d.buffered) == 0 {
		return // queued until data arrives
	}
	data, push := d.buffered, d.bufferedPush
	d.buffered, d.bufferedPush = nil, false
	d.place(data, push)
}

// segmentArrived is the right column of the first flowchart, for the data of an in-sequence
// segment; push says it carried PSH.
func (d *delivery) segmentArrived(data []byte, push bool) {
	switch {
	case len(d.posted) > 0:
		d.place(data, push)
	case len(d.buffered) > 0:
		d.buffered = append(d.buffered, data...)
		d.bufferedPush = push
	default:
		d.indicate(data, push)
	}
}

// place is connector A: data into the posted requests.
func (d *delivery) place(data []byte, push bool) {
	var filled []*request
	for len(data) > 0 && len(d.posted) > 0 {
		r := d.posted[0]
		n := copy(r.buf[r.filled:], data)
		r.filled += n
		data = data[n:]
		if !r.full() {
			break
		}
		// Full, a zero-byte request at once: it takes no data, it only lets the data after
		// it be indicated.
		filled = append(filled, r)
		d.posted = d.posted[1:]
	}
	if len(filled) > 0 {
		d.complete(filled, ndis.StatusSuccess)
		d.push.stop()
	}
	if len(data) > 0 {
		d.indicate(data, push) // connector B: the requests ran out
		return
	}
	if len(d.posted) == 0 || d.posted[0].filled == 0 {
		return // no request partly filled: no more receive data
	}
	head := d.posted[0]
	if !head.push {
		return // nonpush mode: completed when filled
	}
	if push {
		d.posted = d.posted[1:]
		d.complete([]*request{head}, ndis.StatusSuccess)
		d.push.stop()
		return
	}
	// The flowchart starts the push timer when it is not running; the receive handler's page
	// also has it restarted when data arrives while it runs.
	d.push.reset(d.c.cfg.PushTimeout)
}

// indicate is connector B and the second flowchart: the data is indicated in stand-alone lists
// of one NET_BUFFER each, RcvIndicationSize bytes at a time when the host set one
// (concepts/using-the-specified-receive-indication-size.md).
func (d *delivery) indicate(data []byte, push bool) {
	c := d.c
	for len(data) > 0 {
		n := len(data)
		if size := int(c.cached.RcvIndicationSize); size > 0 && n > size {
			n = size
		}
		nbl := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: append([]byte(nil), data[:n]...)}, Status: ndis.StatusSuccess}
		answer, consumed := c.cfg.Host.NdisTcpOffloadReceiveHandler(c.cfg.Handle, nbl, ndis.StatusSuccess)
		switch answer {
		case ndis.StatusSuccess:
			consumed = uint32(n) // the host keeps the list until MiniportTcpOffloadReceiveReturn
		case ndis.StatusOffloadDataPartiallyAccepted:
			consumed = min(consumed, uint32(n))
		default: // NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED (the remarks call it NDIS_STATUS_NOT_ACCEPTED)
			consumed = 0
		}
		data = data[consumed:]
		if answer != ndis.StatusSuccess {
			// Refused, all or part: the list is the target's again. The data waits for the
			// host's next post (nothing it posts from inside the indication has reached the
			// engine yet).
			if len(d.posted) > 0 {
				d.place(data, push)
				return
			}
			d.buffered = append(append([]byte(nil), data...), d.buffered...)
			d.bufferedPush = push
			return
		}
		if len(data) > 0 && len(d.posted) > 0 {
			d.place(data, push)
			return
		}
	}
}

// pushExpired is the third flowchart.
func (d *delivery) pushExpired() {
	if len(d.posted) == 0 || d.posted[0].filled == 0 || !d.posted[0].push {
		return
	}
	head := d.posted[0]
	d.posted = d.posted[1:]
	d.complete([]*request{head}, ndis.StatusSuccess)
}

// complete hands requests back in one NdisTcpOffloadReceiveComplete call, each with status
// and the bytes placed in it.
func (d *delivery) complete(reqs []*request, status ndis.Status) {
	if len(reqs) == 0 {
		return
	}
	lists := make([]*ndis.NetBufferList, len(reqs))
	for i, r := range reqs {
		r.nbl.Status, r.nbl.BytesTransferred = status, uint32(r.filled)
		lists[i] = r.nbl
	}
	d.c.cfg.Host.NdisTcpOffloadReceiveComplete(ndis.LinkNetBufferLists(lists...))
}

// maybeIndicateDisconnect indicates the peer's FIN (TcpIndicateDisconnect) once every byte
// received before it has been delivered
// (concepts/responding-to-the-reception-of-a-fin-or-rst-segment.md). The requests still
// posted are completed first, a partly filled one with its bytes and the others with none:
// the end of the stream.
func (d *delivery) maybeIndicateDisconnect() {
	c := d.c
	if !c.rcv.finReceived || d.disconnectIndicated || c.aborted || len(d.buffered) > 0 {
		return
	}
	d.push.stop()
	reqs := d.posted
	d.posted = nil
	d.complete(reqs, ndis.StatusSuccess)
	d.disconnectIndicated = true
	c.cfg.Host.NdisTcpOffloadEventHandler(c.cfg.Handle, ndis.TcpIndicateDisconnect, 0)
}

// abortRequests completes every posted request with NDIS_STATUS_REQUEST_ABORTED and the bytes
// placed in it, and drops the buffered data.
func (d *delivery) abortRequests() {
	d.push.stop()
	reqs := d.posted
	d.posted, d.buffered = nil, nil
	d.complete(reqs, ndis.StatusRequestAborted)
}

// uploadRequests completes the posted requests of a connection being terminated: a partly
// filled one with NDIS_STATUS_SUCCESS and its bytes (they are the host's, and RcvNxt counts
// them), the others with NDIS_STATUS_UPLOAD_IN_PROGRESS.
func (d *delivery) uploadRequests() {
	d.push.stop()
	reqs := d.posted
	d.posted = nil
	if len(reqs) == 0 {
		return
	}
	lists := make([]*ndis.NetBufferList, len(reqs))
	for i, r := range reqs {
		r.nbl.Status, r.nbl.BytesTransferred = ndis.StatusUploadInProgress, 0
		if r.filled > 0 {
			r.nbl.Status, r.nbl.BytesTransferred = ndis.StatusSuccess, uint32(r.filled)
		}
		lists[i] = r.nbl
	}
	d.c.cfg.Host.NdisTcpOffloadReceiveComplete(ndis.LinkNetBufferLists(lists...))
}

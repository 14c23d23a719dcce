package tcp

import "github.com/ndis-chimney/conformance/target/ndis"

// Closing, both ways (RFC 793 3.5). The states the connection moves through:
//
//	ESTABLISHED --disconnect, FIN queued--> FIN_WAIT_1 --FIN acknowledged--> FIN_WAIT_2
//	ESTABLISHED --peer's FIN--> CLOSE_WAIT --disconnect--> LAST_ACK --FIN acknowledged--> CLOSED
//	FIN_WAIT_1 --peer's FIN--> CLOSING --FIN acknowledged--> TIME_WAIT
//	FIN_WAIT_2 --peer's FIN--> TIME_WAIT
//	any --RST sent or accepted--> CLOSED
//
// TIME_WAIT has no timer yet: the connection stays there until the host terminates it. A
// connection in CLOSED hands what it receives to the host stack unprocessed.

// Disconnect closes the send half (MiniportTcpOffloadDisconnect).
//
// Graceful: the request's own data, if any, is queued after everything queued before, then a
// FIN; the request completes with NDIS_STATUS_SUCCESS once the FIN is acknowledged.
//
// Abortive: an RST goes out, every outstanding send request completes with
// NDIS_STATUS_REQUEST_ABORTED, then the request with NDIS_STATUS_SUCCESS
// (ddi/nc-ndischimney-w_tcp_offload_disconnect_handler.md).
func (c *Conn) Disconnect(nbl *ndis.NetBufferList, flags ndis.DisconnectFlags) {
	switch {
	case c.terminated:
		c.completeDisconnect(nbl, ndis.StatusUploadInProgress)
		return
	case c.aborted || c.state == ndis.TcpConnectionClosed:
		c.completeDisconnect(nbl, ndis.StatusRequestAborted)
		return
	case flags == ndis.DisconnectAbortiveClose:
		c.abortiveClose(nbl)
		return
	}
	s := &c.snd
	data := listBytes(nbl)
	if !s.finQueued {
		start := s.end
		if len(data) > 0 {
			s.enqueue(nbl, true)
		}
		s.finQueued = true
		s.disconnects = append(s.disconnects, disconnectRequest{nbl: nbl, start: start, bytes: uint32(len(data))})
		switch c.state {
		case ndis.TcpConnectionEstablished:
			c.state = ndis.TcpConnectionFinWait1
		case ndis.TcpConnectionCloseWait:
			c.state = ndis.TcpConnectionLastAck
		}
	} else {
		// The send half is closed already: the request completes with the FIN that closed it.
		s.disconnects = append(s.disconnects, disconnectRequest{nbl: nbl, start: s.end})
		if s.finAcked {
			s.completeDisconnects(ndis.StatusSuccess)
		}
	}
	c.flush()
}

func (c *Conn) completeDisconnect(nbl *ndis.NetBufferList, status ndis.Status) {
	nbl.Status, nbl.BytesTransferred = status, 0
	c.cfg.Host.NdisTcpOffloadDisconnectComplete(nbl)
}

// abortiveClose sends an RST, the only RST an offload target sends, and aborts everything
// outstanding. From then on the connection receives nothing: it is CLOSED.
func (c *Conn) abortiveClose(nbl *ndis.NetBufferList) {
	c.transmit(outSegment{seq: c.snd.nxt, ackFlag: true, rst: true})
	c.abort()
	c.completeDisconnect(nbl, ndis.StatusSuccess)
}

// peerReset handles an acceptable RST: the connection is marked aborted, the host is told
// (TcpIndicateAbort), and every outstanding send, receive and disconnect request completes
// with NDIS_STATUS_REQUEST_ABORTED (ddi/nc-ndischimney-ndis_tcp_offload_event_indicate.md).
func (c *Conn) peerReset() {
	c.aborted = true
	c.state = ndis.TcpConnectionClosed
	c.cfg.Host.NdisTcpOffloadEventHandler(c.cfg.Handle, ndis.TcpIndicateAbort, 0)
	c.abort()
}

// abort completes everything outstanding with NDIS_STATUS_REQUEST_ABORTED: send requests
// first, then disconnect requests, then posted receive requests.
func (c *Conn) abort() {
	c.aborted = true
	c.state = ndis.TcpConnectionClosed
	c.snd.abort(ndis.StatusRequestAborted)
	c.dlv.abortRequests()
}

// ourFINAcked moves the state on when the peer acknowledges our FIN, and completes the
// graceful disconnect requests waiting for it with all their data transferred.
func (c *Conn) ourFINAcked() {
	switch c.state {
	case ndis.TcpConnectionFinWait1:
		c.state = ndis.TcpConnectionFinWait2
	case ndis.TcpConnectionClosing:
		c.state = ndis.TcpConnectionTimeWait
	case ndis.TcpConnectionLastAck:
		c.state = ndis.TcpConnectionClosed
	}
	c.snd.completeDisconnects(ndis.StatusSuccess)
}

// peerFIN moves the state on when the peer's FIN arrives in sequence. The host hears of it
// once the data before it is delivered (delivery.maybeIndicateDisconnect).
func (c *Conn) peerFIN() {
	switch c.state {
	case ndis.TcpConnectionEstablished:
		c.state = ndis.TcpConnectionCloseWait
	case ndis.TcpConnectionFinWait1:
		c.state = ndis.TcpConnectionClosing
	case ndis.TcpConnectionFinWait2:
		c.state = ndis.TcpConnectionTimeWait
	}
}

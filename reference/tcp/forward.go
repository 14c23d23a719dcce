package tcp

import "github.com/ndis-chimney/conformance/target/ndis"

// Forward processes TCP segments the host received for the connection but did not
// acknowledge (MiniportTcpOffloadForward): each list carries one segment, TCP header first,
// and is processed as if it had arrived on the wire. The lists complete in one
// NdisTcpOffloadForwardComplete call once all are processed: NDIS_STATUS_SUCCESS for each (a
// segment the connection finds unacceptable or malformed is dropped, as it would be off the
// wire), NDIS_STATUS_UPLOAD_IN_PROGRESS when the connection is being uploaded.
func (c *Conn) Forward(chain *ndis.NetBufferList) {
	lists := chain.Chain()
	for _, l := range lists {
		l.Status = ndis.StatusSuccess
		if c.terminated {
			l.Status = ndis.StatusUploadInProgress
			continue
		}
		seg, err := ParseTCP(listBytes(l))
		if err != nil || seg.Key.Local.Port() != c.konst.LocalPort || seg.Key.Remote.Port() != c.konst.RemotePort {
			continue
		}
		if !c.Closed() {
			c.segmentArrives(seg)
		}
	}
	c.flush()
	if len(lists) > 0 {
		c.cfg.Host.NdisTcpOffloadForwardComplete(ndis.LinkNetBufferLists(lists...))
	}
}

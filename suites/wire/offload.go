package wire

import (
	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// OffloadTree returns the initiate tree that offloads this connection as it stands: a neighbor
// with the peer's MAC (and no DlSourceAddress: frames leave from the interface's MAC, which
// the host stack shares), the path between the two addresses, and the connection with the
// constant, cached and delegated state the handshake and the data since established.
func (e *Endpoint) OffloadTree() *ndis.MiniportOffloadBlockList {
	c := e.State()
	neighbor := fixtures.NewNeighbor(0)
	neighbor.NeighborCached.DlDestinationAddress = ndis.MAC(e.peerMAC[0], e.peerMAC[1], e.peerMAC[2], e.peerMAC[3], e.peerMAC[4], e.peerMAC[5])
	pathType := ndis.Ip4OffloadState
	if e.local.Addr().Is6() {
		pathType = ndis.Ip6OffloadState
	}
	path := fixtures.NewPath(pathType, e.local.Addr(), e.remote.Addr(), 1500)
	conn := fixtures.NewConnection(0)
	k := conn.TCPConst
	k.Flags, k.LocalPort, k.RemotePort, k.RemoteMss = 0, e.local.Port(), e.remote.Port(), c.PeerMSS
	k.SndWindScale, k.RcvWindScale = 0, 0
	if c.Timestamps {
		k.Flags |= ndis.TCPFlagTimestampEnabled
	}
	if c.SACK {
		k.Flags |= ndis.TCPFlagSackEnabled
	}
	if c.SndWindScale >= 0 {
		k.Flags |= ndis.TCPFlagWindowScalingEnabled
		k.SndWindScale, k.RcvWindScale = uint8(c.SndWindScale), uint8(c.RcvWindScale)
	}
	d := conn.TCPDelegated
	d.State = ndis.TcpConnectionEstablished
	d.RcvNxt, d.RcvWnd = ndis.SeqNum(c.RcvNxt), c.RcvWnd
	d.SndUna, d.SndNxt, d.SndMax = ndis.SeqNum(c.SndUna), ndis.SeqNum(c.SndNxt), ndis.SeqNum(c.SndNxt)
	d.SndWnd, d.MaxSndWnd = c.SndWnd, c.MaxSndWnd
	d.SendWL1 = ndis.SeqNum(c.RcvNxt)
	d.TsRecent, d.TsRecentAge, d.TsTime = c.TsRecent, 0, e.tsVal()
	return fixtures.Under(neighbor, fixtures.Under(path, conn))
}

// CarryOn takes the connection back from the delegated state a target handed back at
// terminate: the host's next segment uses the returned SndNxt and RcvNxt, with the returned
// windows and timestamp, and its timestamp clock goes on from the returned TsTime
// (concepts/calculating-the-timestamp-delta.md), so that the peer's PAWS check does not
// take the host's segments for old duplicates.
func (e *Endpoint) CarryOn(d *ndis.TCPOffloadStateDelegated) {
	if e.State().Timestamps {
		now := e.tsVal()
		e.tsMu.Lock()
		e.tsOffset += uint32(d.TsTime) - now
		e.tsMu.Unlock()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &e.conn
	c.SndUna, c.SndNxt, c.RcvNxt = uint32(d.SndUna), uint32(d.SndNxt), uint32(d.RcvNxt)
	c.SndWnd, c.MaxSndWnd, c.RcvWnd = d.SndWnd, d.MaxSndWnd, d.RcvWnd
	if c.Timestamps {
		c.TsRecent = d.TsRecent
	}
}

package reference

import (
	"errors"

	"github.com/ndis-chimney/conformance/reference/tcp"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// ReceiveFrame takes a frame arriving from the wire. The frame is copied and handled on the
// loop: a TCP segment of an offloaded connection goes to its engine; any other frame the port
// accepts (for its own or an offloaded neighbor's MAC address, or broadcast or multicast),
// including segments of connections in CLOSED or already terminated, goes to the host stack
// unprocessed, one list per frame (NdisMIndicateReceiveNetBufferLists). A frame with a bad
// checksum is dropped, as a NIC drops it.
func (t *Target) ReceiveFrame(frame []byte) {
	data := append([]byte(nil), frame...)
	_ = t.post(func() { t.receiveFrame(data) })
}

func (t *Target) receiveFrame(frame []byte) {
	if len(frame) < 14 || !t.acceptsDestination(frame[:6]) {
		return
	}
	seg, err := tcp.ParseFrame(frame)
	switch {
	case errors.Is(err, tcp.ErrBadChecksum):
		return
	case err == nil:
		if c, n := t.connectionFor(seg.Key); c != nil {
			// concepts/receiving-802-1q-marked-and-802-1p-marked-packets-on-an-offloaded-tcp-.md:
			// with a VLAN on the neighbor, only frames tagged with it are the connection's.
			if vlan := n.konst.VlanID; vlan != 0 && (!seg.Tagged || seg.VlanID != vlan) {
				return
			}
			c.engine.HandleSegment(seg)
			return
		}
	}
	t.host.NdisMIndicateReceiveNetBufferLists(&ndis.NetBufferList{
		FirstNetBuffer: &ndis.NetBuffer{Data: frame}, Status: ndis.StatusSuccess,
	})
}

// connectionFor returns the offloaded connection with the given ends, and its neighbor, unless
// it is in CLOSED.
func (t *Target) connectionFor(k tcp.Key) (*connection, *neighbor) {
	ctx, ok := t.byKey[k]
	if !ok {
		return nil, nil
	}
	c := t.objects.connection(ctx)
	if c == nil || c.engine.Closed() {
		return nil, nil
	}
	p := t.objects.path(c.path)
	if p == nil {
		return nil, nil
	}
	n := t.objects.neighbor(p.neighbor)
	if n == nil {
		return nil, nil
	}
	return c, n
}

// acceptsDestination reports whether the port takes a frame for this MAC address: its own, an
// offloaded neighbor's DlSourceAddress, or a group address.
func (t *Target) acceptsDestination(dst []byte) bool {
	if dst[0]&1 != 0 {
		return true
	}
	hw := t.hardwareAddress()
	if string(dst) == string(hw[:]) {
		return true
	}
	var a ndis.DlAddress
	copy(a[:], dst)
	return t.objects.sourceMACs[a] > 0
}

// route returns where the frames of the connection ctx names go: its neighbor's addresses and
// VLAN, its path's addresses and MTU. It is false when the connection or an object below it is
// invalid (or gone), and the connection must not transmit.
func (t *Target) route(ctx ndis.Context) (tcp.Route, bool) {
	c := t.objects.connection(ctx)
	if c == nil || c.invalid {
		return tcp.Route{}, false
	}
	p := t.objects.path(c.path)
	if p == nil || p.invalid {
		return tcp.Route{}, false
	}
	n := t.objects.neighbor(p.neighbor)
	if n == nil || n.invalid {
		return tcp.Route{}, false
	}
	r := tcp.Route{
		LocalMAC: t.hardwareAddress(), VlanID: n.konst.VlanID,
		Local: p.konst.SourceAddress, Remote: p.konst.DestinationAddress, PathMTU: p.cached.PathMTU,
	}
	if src := n.konst.DlSourceAddress; !src.IsNull() {
		copy(r.LocalMAC[:], src[:6])
	}
	copy(r.RemoteMAC[:], n.cached.DlDestinationAddress[:6])
	return r, true
}

package scenario

import (
	"net/netip"
	"slices"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// builder turns steps into trees for one session: it numbers every new object, so that no two
// share a value a swap would hide (addresses, ports, windows, sequence numbers), and no 4-tuple
// is offloaded twice while offloaded, as no host does.
type builder struct {
	limits target.Limits
	ipv6   bool // the target declares IPv6 offload; otherwise every path is IPv4
	// arbitraryTypes gives placeholders a Type of another layer (placeholderTypeArbitrary,
	// CONFLICT-TREE-01), which the target must not rely on.
	arbitraryTypes bool
	n              int
}

// mix spreads a seed and an object number over 32 bits.
func mix(seed uint32, n int) uint32 {
	x := seed ^ uint32(n)*0x9E3779B1
	x ^= x >> 16
	x *= 0x85EBCA6B
	x ^= x >> 13
	return x
}

func (b *builder) next() int { b.n++; return b.n }

// neighbor builds a new neighbor block.
func (b *builder) neighbor(spec Neighbor) *ndis.MiniportOffloadBlockList {
	n := b.next()
	x := mix(spec.Seed, n)
	blk := fixtures.NewNeighbor(n)
	blk.NeighborCached.DlDestinationAddress = ndis.MAC(0x02, 0x5e, byte(x>>8), byte(x), byte(n>>8), byte(n))
	blk.NeighborCached.HostReachabilityDelta = 1 + x%5000
	blk.NeighborDelegated.NicReachabilityDelta = 2 + (x>>12)%5000
	if spec.SourceMAC != 0 {
		blk.NeighborConst.DlSourceAddress = ndis.MAC(0x02, 0xaa, 0, 0, 0, spec.SourceMAC)
	}
	blk.NeighborConst.VlanID = b.vlan(spec.VLAN)
	return blk
}

// vlan maps a VLAN choice to an ID: the interface's own, or others, among them one that
// aliases a configured ID modulo 256.
func (b *builder) vlan(choice uint8) uint16 {
	if choice == 0 {
		return 0
	}
	var configured []uint16
	for _, id := range b.limits.InterfaceVLANIDs.IDs {
		if id != 0 {
			configured = append(configured, id)
		}
	}
	if i := int(choice) - 1; i < len(configured) {
		return configured[i]
	}
	others := []uint16{4094, 100, 3000}
	if len(configured) > 0 && configured[0]+256 < 4095 {
		others = append([]uint16{configured[0] + 256}, others...)
	}
	var free []uint16
	for _, id := range others {
		if !slices.Contains(configured, id) {
			free = append(free, id)
		}
	}
	return free[int(choice)%len(free)]
}

// path builds a new path block.
func (b *builder) path(spec Path) *ndis.MiniportOffloadBlockList {
	n := b.next()
	x := mix(spec.Seed, n)
	mtu := 1280 + x%221
	if spec.MTUOver {
		mtu = 9001
		if l := b.limits.MaxPathMTU; l.Declared && l.Value < 0xFFFFFF00 {
			mtu = l.Value + 1 + x%64
		}
	}
	src := spec.Source % 4
	if spec.IPv6 && b.ipv6 {
		s := [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 15: 1 + src}
		d := [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 2, 12: byte(x >> 8), 13: byte(x), 14: byte(n >> 8), 15: byte(n)}
		return fixtures.NewPath(ndis.Ip6OffloadState, netip.AddrFrom16(s), netip.AddrFrom16(d), mtu)
	}
	return fixtures.NewPath(ndis.Ip4OffloadState, netip.AddrFrom4([4]byte{192, 0, 2, 1 + src}),
		netip.AddrFrom4([4]byte{10, byte(x), byte(n >> 8), byte(n)}), mtu)
}

// conn builds a new connection block, with distinct values in every variable.
func (b *builder) conn(spec Conn, ipv6 bool) *ndis.MiniportOffloadBlockList {
	n := b.next()
	x, y := mix(spec.Seed, n), mix(spec.Seed^0xA5A5, n)
	blk := fixtures.NewConnection(n)
	k, c, d := blk.TCPConst, blk.TCPCached, blk.TCPDelegated
	k.Flags = spec.ConstFlags & (ndis.TCPFlagTimestampEnabled | ndis.TCPFlagSackEnabled | ndis.TCPFlagWindowScalingEnabled)
	k.LocalPort = uint16(1024 + n) // unique while the session lasts: no 4-tuple twice
	k.RemotePort = uint16(1 + x%60000)
	k.SndWindScale, k.RcvWindScale = 0, 0
	if k.Flags&ndis.TCPFlagWindowScalingEnabled != 0 {
		k.SndWindScale, k.RcvWindScale = uint8(1+x%14), uint8(1+y%14)
	}
	k.RemoteMss = uint16(536 + y%8000)
	k.HashValue = x ^ y
	c.Flags = spec.CachedFlags & (ndis.TCPFlagKeepAliveEnabled | ndis.TCPFlagNaglingEnabled)
	c.InitialRcvWnd = 4096 + x%60000
	if spec.WindowOver {
		c.InitialRcvWnd = 0xFFFFFFFF
		if l := b.limits.MaxInitialRcvWnd; l.Declared && l.Value < 0xFFFFFF00 {
			c.InitialRcvWnd = l.Value + 1 + y%64
		}
	}
	c.RcvIndicationSize = y % 9000
	c.KaProbeCount = uint8(1 + x%20)
	c.KaTimeout = 1000 + y%100000
	c.KaInterval = 100 + x%10000
	c.MaxRT = y % 500
	if ipv6 {
		c.FlowLabel = x & 0xFFFFF
	}
	c.TtlOrHopLimit = uint8(1 + y%254)
	c.TosOrTrafficClass = uint8(x >> 24)
	c.UserPriority = uint8(y & 7)
	states := fixtures.OffloadableStates
	una := ndis.SeqNum(x)
	*d = ndis.TCPOffloadStateDelegated{
		Header: d.Header, State: states[int(spec.State)%len(states)],
		RcvNxt: ndis.SeqNum(y), RcvWnd: 1000 + x%50000,
		SndUna: una, SndNxt: una, SndMax: una,
		MaxSndWnd: 20000 + y%40000, SendWL1: ndis.SeqNum(y - 100), CWnd: 2920 + x%30000, SsThresh: 10000 + y%50000,
		SRtt: uint16(8 * (1 + x%1000)), RttVar: uint16(4 * (1 + y%1000)),
		TsRecent: x ^ 0x1234, TsRecentAge: y % 1000, TsTime: x % 100000,
		TotalRT: y % 100, DupAckCount: uint8(x % 3), SndWndProbeCount: uint8(y % 4),
		KeepAlive:  ndis.TCPKeepAlive{TimeoutDelta: ndis.TimerNotRunning},
		Retransmit: ndis.TCPRetransmit{TimeoutDelta: ndis.TimerNotRunning},
		DWnd:       x % 1000,
	}
	d.SndWnd = d.MaxSndWnd - 1 - x%1000 // never equal, so that a swap shows
	if c.Flags&ndis.TCPFlagKeepAliveEnabled != 0 {
		d.KeepAlive = ndis.TCPKeepAlive{ProbeCount: uint8(y % 5), TimeoutDelta: 1 + x%7200}
	}
	if len(spec.Send) > 0 {
		sizes := make([]int, len(spec.Send))
		total := 0
		for i, s := range spec.Send {
			sizes[i] = 1 + int(s)%4000
			total += sizes[i]
		}
		sent := int(spec.Sent) % (total + 1)
		fixtures.WithSendData(blk, sent, sizes...)
		if sent > 1 {
			d.SndNxt = d.SndUna.Add(uint32(sent / 2)) // a retransmission rewound SndNxt below SndMax
		}
		if d.SndUna != d.SndMax {
			d.Retransmit = ndis.TCPRetransmit{Count: uint8(x % 3), TimeoutDelta: 1 + y%3000}
		}
	}
	if spec.Buffered > 0 {
		data := make([]byte, 1+int(spec.Buffered)%3000)
		for i := range data {
			data[i] = byte(int(x) + i)
		}
		first := fixtures.WithBufferedReceiveData(blk, data)
		splitList(first, 1+int(spec.BufferedLists)%4)
	}
	return blk
}

// initiateTree builds an initiate tree from its roots, resolving linkers against the objects
// the target holds. A linker with nothing to name becomes a placeholder.
func (b *builder) initiateTree(m *harness.Model, roots []Root) *ndis.MiniportOffloadBlockList {
	neighbors, paths := live(m, ndis.LayerNeighbor), live(m, ndis.LayerPath)
	var level []*ndis.MiniportOffloadBlockList
	for _, r := range roots {
		var blk *ndis.MiniportOffloadBlockList
		switch {
		case r.Role == Linker && len(neighbors) > 0:
			blk = fixtures.Linker(ndis.LayerNeighbor, neighbors[r.Link%len(neighbors)].Context)
		case r.Role == Linker || r.Role == Placeholder:
			blk = b.placeholder(ndis.LayerNeighbor, r.Link)
		default:
			blk = b.neighbor(r.Neighbor)
		}
		var below []*ndis.MiniportOffloadBlockList
		for _, p := range r.Paths {
			below = append(below, b.pathNode(p, paths, blk.Role() == ndis.RolePlaceholder))
		}
		level = append(level, fixtures.Under(blk, below...))
	}
	return fixtures.Chain(level...)
}

// pathNode builds a path-level block. Below a placeholder neighbor a new path has no neighbor
// to hang from, so it becomes a linker (or a placeholder when no path is offloaded).
func (b *builder) pathNode(p PathNode, paths []*harness.Object, underPlaceholder bool) *ndis.MiniportOffloadBlockList {
	role := p.Role
	if underPlaceholder && role == New {
		role = Linker
	}
	var blk *ndis.MiniportOffloadBlockList
	ipv6 := p.Path.IPv6 && b.ipv6
	switch {
	case role == Linker && len(paths) > 0:
		o := paths[p.Link%len(paths)]
		blk, ipv6 = fixtures.Linker(ndis.LayerPath, o.Context), o.IPv6
	case role == Linker || role == Placeholder:
		blk = b.placeholder(ndis.LayerPath, p.Link)
	default:
		blk = b.path(p.Path)
	}
	conns := make([]*ndis.MiniportOffloadBlockList, 0, len(p.Conns))
	if blk.Role() != ndis.RolePlaceholder {
		for _, c := range p.Conns {
			conns = append(conns, b.conn(c, ipv6))
		}
	}
	return fixtures.Under(blk, conns...)
}

// placeholder builds a placeholder block at layer l; under placeholderTypeArbitrary its Type
// is that of another layer, picked by pick.
func (b *builder) placeholder(l ndis.Layer, pick int) *ndis.MiniportOffloadBlockList {
	blk := fixtures.Placeholder(l)
	if b.arbitraryTypes {
		others := []ndis.OffloadStateType{ndis.NeighborOffloadState, ndis.Ip4OffloadState, ndis.Ip6OffloadState, ndis.TcpOffloadState}
		others = slices.DeleteFunc(others, func(t ndis.OffloadStateType) bool { return t.Layer() == l })
		blk.Header.Type = others[pick%len(others)]
	}
	return blk
}

// live returns the offloaded objects at layer l, in the order they were offloaded.
func live(m *harness.Model, l ndis.Layer) []*harness.Object {
	var out []*harness.Object
	for _, o := range m.Objects() {
		if o.Layer == l {
			out = append(out, o)
		}
	}
	return out
}

// splitList splits the data of a one-buffer list into n lists chained through Next, so that
// buffered receive data comes in several lists, as a host may hand it over.
func splitList(l *ndis.NetBufferList, n int) {
	data := l.FirstNetBuffer.Data
	if n > len(data) {
		n = len(data)
	}
	size := len(data) / n
	lists := []*ndis.NetBufferList{l}
	l.FirstNetBuffer.Data = data[:size]
	for i := 1; i < n; i++ {
		end := (i + 1) * size
		if i == n-1 {
			end = len(data)
		}
		lists = append(lists, &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: data[i*size : end]}})
	}
	ndis.LinkNetBufferLists(lists...)
}

package tcp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/link/channel"
	"gvisor.dev/gvisor/pkg/tcpip/link/ethernet"
	"gvisor.dev/gvisor/pkg/tcpip/network/arp"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	gtcp "gvisor.dev/gvisor/pkg/tcpip/transport/tcp"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// The test bed: the engine on a loop, talking over a simulated Ethernet link to gVisor's
// netstack, the independent TCP that judges it. Every frame the engine transmits is decoded
// and checked (checksums recomputed, DF, IP ID, TTL) before gVisor gets it.

var (
	hostMAC = [6]byte{0x02, 0, 0, 0, 0, 0x01}
	peerMAC = [6]byte{0x02, 0, 0, 0, 0, 0x02}
	host4   = netip.MustParseAddr("192.0.2.1")
	peer4   = netip.MustParseAddr("192.0.2.2")
	host6   = netip.MustParseAddr("2001:db8::1")
	peer6   = netip.MustParseAddr("2001:db8::2")
)

// patience bounds every wait of a test: a stalled engine fails the test that stalled it
// instead of hanging the package until go test's own timeout.
const patience = 20 * time.Second

const (
	nicID    tcpip.NICID = 1
	peerPort             = 80
	ourTTL               = 61
)

type bed struct {
	t     *testing.T
	loop  *Loop
	stack *stack.Stack
	ep    *channel.Endpoint
	host  *testHost
	route Route

	// On the loop only:
	conn      *Conn
	handshake chan *Segment
	held      [][]byte // the peer's TCP segments (header first) while no engine has the connection
	toHost    int      // frames that went to the host stack (a closed connection's)

	mu  sync.Mutex
	bad []error
}

func newBed(t *testing.T, v6 bool) *bed {
	t.Helper()
	b := &bed{t: t, loop: NewLoop(), handshake: make(chan *Segment, 16)}
	b.host = &testHost{loop: b.loop, notify: make(chan struct{}, 1)}
	b.route = Route{LocalMAC: hostMAC, RemoteMAC: peerMAC, Local: host4, Remote: peer4, PathMTU: 1500}
	if v6 {
		b.route.Local, b.route.Remote = host6, peer6
	}
	b.ep = channel.New(1024, 1500, tcpip.LinkAddress(peerMAC[:]))
	b.stack = stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, ipv6.NewProtocol, arp.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{gtcp.NewProtocol},
	})
	if err := b.stack.CreateNIC(nicID, ethernet.New(b.ep)); err != nil {
		t.Fatal(err)
	}
	for _, a := range []netip.Prefix{netip.PrefixFrom(peer4, 24), netip.PrefixFrom(peer6, 64)} {
		proto := ipv4.ProtocolNumber
		if a.Addr().Is6() {
			proto = ipv6.ProtocolNumber
		}
		pa := tcpip.ProtocolAddress{Protocol: proto, AddressWithPrefix: tcpip.AddressWithPrefix{Address: tcpip.AddrFromSlice(a.Addr().AsSlice()), PrefixLen: a.Bits()}}
		if err := b.stack.AddProtocolAddress(nicID, pa, stack.AddressProperties{}); err != nil {
			t.Fatal(err)
		}
		b.stack.AddRoute(tcpip.Route{Destination: pa.AddressWithPrefix.Subnet(), NIC: nicID})
	}
	for _, a := range []netip.Addr{host4, host6} {
		proto := ipv4.ProtocolNumber
		if a.Is6() {
			proto = ipv6.ProtocolNumber
		}
		if err := b.stack.AddStaticNeighbor(nicID, proto, tcpip.AddrFromSlice(a.AsSlice()), tcpip.LinkAddress(hostMAC[:])); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	pumped := make(chan struct{})
	go func() {
		defer close(pumped)
		for {
			pkt := b.ep.ReadContext(ctx)
			if pkt == nil {
				return
			}
			var frame []byte
			for _, s := range pkt.AsSlices() {
				frame = append(frame, s...)
			}
			pkt.DecRef()
			b.loop.Post(func() { b.fromPeer(frame) })
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-pumped
		b.loop.Close()
		b.stack.Close()
		b.stack.Wait()
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, err := range b.bad {
			t.Error(err)
		}
	})
	return b
}

// fromPeer runs on the loop: a frame gVisor sent.
func (b *bed) fromPeer(frame []byte) {
	seg, err := ParseFrame(frame)
	if err != nil {
		return // ARP, NDP: the host stack's
	}
	switch {
	case b.conn == nil && b.handshake != nil:
		b.handshake <- seg
	case b.conn == nil:
		b.held = append(b.held, tcpBytes(frame))
	case b.conn.Closed():
		b.toHost++
	default:
		b.conn.HandleSegment(seg)
	}
}

// TransmitFrame is the engine's link: the frame is checked, then handed to gVisor.
func (b *bed) TransmitFrame(frame []byte) {
	if err := checkFrame(frame, ourTTL); err != nil {
		b.mu.Lock()
		b.bad = append(b.bad, err)
		b.mu.Unlock()
	}
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(append([]byte(nil), frame...))})
	b.ep.InjectInbound(0, pkt)
	pkt.DecRef()
}

// checkFrame decodes a frame the engine built and recomputes what a receiver checks.
func checkFrame(frame []byte, ttl uint8) error {
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	if e := p.ErrorLayer(); e != nil {
		return fmt.Errorf("undecodable frame: %v", e.Error())
	}
	t, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if !ok {
		return errors.New("no TCP segment in the frame")
	}
	seg := append(append([]byte{}, t.Contents...), t.Payload...)
	var pseudo uint32
	if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
		if fold(onesSum(0, ip.Contents)) != 0xffff {
			return errors.New("bad IPv4 header checksum")
		}
		if ip.Flags&layers.IPv4DontFragment == 0 || ip.Id < 0x8000 || ip.TTL != ttl {
			return fmt.Errorf("IPv4 flags %v, ID %#x, TTL %d: want DF, an ID from 0x8000, TTL %d", ip.Flags, ip.Id, ip.TTL, ttl)
		}
		src, _ := netip.AddrFromSlice(ip.SrcIP.To4())
		dst, _ := netip.AddrFromSlice(ip.DstIP.To4())
		pseudo = pseudoHeader(src, dst, len(seg))
	}
	if ip, ok := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6); ok {
		if ip.HopLimit != ttl {
			return fmt.Errorf("IPv6 hop limit %d, want %d", ip.HopLimit, ttl)
		}
		src, _ := netip.AddrFromSlice(ip.SrcIP)
		dst, _ := netip.AddrFromSlice(ip.DstIP)
		pseudo = pseudoHeader(src, dst, len(seg))
	}
	if fold(onesSum(pseudo, seg)) != 0xffff {
		return fmt.Errorf("bad TCP checksum %#04x", t.Checksum)
	}
	return nil
}

// options are what our SYN offers.
type options struct {
	wscale     int // -1: none
	timestamps bool
}

// connect performs the active open with the engine's own segment code and returns the state
// a host would offload from it. The peer must listen on peerPort.
func (b *bed) connect(localPort uint16, iss ndis.SeqNum, opts options, rcvWnd uint32) (ndis.TCPOffloadStateConst, ndis.TCPOffloadStateCached, ndis.TCPOffloadStateDelegated) {
	b.t.Helper()
	cached := ndis.TCPOffloadStateCached{InitialRcvWnd: rcvWnd, TtlOrHopLimit: ourTTL}
	const tsStart = 1000
	syn := outSegment{seq: iss, syn: true, window: 65535, mss: 1460, wscale: opts.wscale}
	if b.route.Local.Is6() {
		syn.mss = 1440
	}
	if opts.timestamps {
		syn.timestamp, syn.tsVal = true, tsStart
	}
	send := func(s outSegment) {
		f, err := buildFrame(b.route, &cached, 0x8000, localPort, peerPort, &s)
		if err != nil {
			b.t.Fatal(err)
		}
		b.TransmitFrame(f)
	}
	send(syn)
	var synack *Segment
	select {
	case synack = <-b.handshake:
	case <-time.After(patience):
		b.t.Fatal("no SYN-ACK from the peer")
	}
	if !synack.SYN || !synack.ACK || synack.Ack != iss+1 {
		b.t.Fatalf("the peer answered %+v", synack)
	}
	k := ndis.TCPOffloadStateConst{LocalPort: localPort, RemotePort: peerPort, RemoteMss: 536}
	if synack.MSS != 0 {
		k.RemoteMss = synack.MSS
	}
	peerScale := synack.WindowScale
	if opts.wscale >= 0 && peerScale >= 0 {
		k.Flags |= ndis.TCPFlagWindowScalingEnabled
		k.SndWindScale, k.RcvWindScale = uint8(peerScale), uint8(opts.wscale)
	}
	if opts.timestamps && synack.HasTimestamp {
		k.Flags |= ndis.TCPFlagTimestampEnabled
	}
	window := uint16(min(rcvWnd>>k.RcvWindScale, 65535))
	advertised := uint32(window) << k.RcvWindScale
	ack := outSegment{seq: iss + 1, ackFlag: true, ack: synack.Seq + 1, window: window}
	if k.Flags&ndis.TCPFlagTimestampEnabled != 0 {
		ack.timestamp, ack.tsVal, ack.tsEcr = true, tsStart, synack.TSval
	}
	send(ack)
	d := ndis.TCPOffloadStateDelegated{
		State:  ndis.TcpConnectionEstablished,
		RcvNxt: synack.Seq + 1, RcvWnd: advertised,
		SndUna: iss + 1, SndNxt: iss + 1, SndMax: iss + 1,
		SndWnd: uint32(synack.Window), MaxSndWnd: uint32(synack.Window), SendWL1: synack.Seq,
		CWnd: 10 * 1460, SsThresh: 0xffffffff,
		TsRecent: synack.TSval, TsTime: tsStart,
		KeepAlive:  ndis.TCPKeepAlive{TimeoutDelta: ndis.TimerNotRunning},
		Retransmit: ndis.TCPRetransmit{TimeoutDelta: ndis.TimerNotRunning},
	}
	b.loop.PostWait(func() { b.handshake = nil })
	return k, cached, d
}

// adopt offloads the connection to a new engine on the loop; setup, when not nil, runs
// before the engine starts (the host's first requests). Segments the peer sent while no
// engine had the connection are then handed to it.
func (b *bed) adopt(cfg Config, setup func(c *Conn)) {
	b.loop.PostWait(func() {
		cfg.Route = func() (Route, bool) { return b.route, true }
		cfg.Host, cfg.Link = b.host, b
		if cfg.Clock == nil {
			cfg.Clock = LoopClock(RealClock(), b.loop)
		}
		b.conn = Adopt(cfg)
		if setup != nil {
			setup(b.conn)
		}
		b.conn.Start()
		// As a host does, the segments received meanwhile are forwarded.
		var lists []*ndis.NetBufferList
		for _, seg := range b.held {
			lists = append(lists, &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: seg}})
		}
		b.held = nil
		if len(lists) > 0 {
			b.conn.Forward(ndis.LinkNetBufferLists(lists...))
		}
	})
}

// tcpBytes returns the TCP segment of a frame, header first.
func tcpBytes(frame []byte) []byte {
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	if ip := p.NetworkLayer(); ip != nil {
		return append([]byte(nil), ip.LayerPayload()...)
	}
	return nil
}

// do runs f on the loop with the engine and waits for it.
func (b *bed) do(f func(c *Conn)) { b.loop.PostWait(func() { f(b.conn) }) }

// within returns the next value from ch, or fails the test when none comes in time.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(patience):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// bounded gives a peer socket a deadline, so that a read or write the engine never answers
// fails instead of blocking.
func bounded(s net.Conn) net.Conn {
	s.SetDeadline(time.Now().Add(2 * patience))
	return s
}

// waitConn waits until cond holds of the engine, asked on the loop.
func (b *bed) waitConn(what string, cond func(c *Conn) bool) {
	b.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		var ok bool
		b.do(func(c *Conn) { ok = cond(c) })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			b.stalled(what)
		}
		time.Sleep(time.Millisecond)
	}
}

// listen listens on the peer.
func (b *bed) listen() *gonet.TCPListener {
	b.t.Helper()
	addr, proto := b.route.Remote, tcpip.NetworkProtocolNumber(ipv4.ProtocolNumber)
	if addr.Is6() {
		proto = ipv6.ProtocolNumber
	}
	l, err := gonet.ListenTCP(b.stack, tcpip.FullAddress{NIC: nicID, Addr: tcpip.AddrFromSlice(addr.AsSlice()), Port: peerPort}, proto)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { l.Close() })
	return l
}

// wait waits until cond holds of the host; on a timeout it reports the engine's state.
func (b *bed) wait(what string, cond func(h *testHost) bool) {
	b.t.Helper()
	if b.host.waitFor(cond) {
		return
	}
	b.stalled(what)
}

// stalled fails the test with the engine's state and what the host has seen.
func (b *bed) stalled(what string) {
	b.t.Helper()
	var d ndis.TCPOffloadStateDelegated
	var desc string
	b.loop.PostWait(func() {
		if b.conn != nil {
			b.conn.Export(&d)
			desc = fmt.Sprintf("state %s SndUna %#x SndNxt %#x SndMax %#x end %#x SndWnd %d CWnd %d RcvNxt %#x RcvWnd %d posted %d buffered %d",
				d.State, d.SndUna, d.SndNxt, d.SndMax, b.conn.snd.end, d.SndWnd, d.CWnd, d.RcvNxt, d.RcvWnd, len(b.conn.dlv.posted), len(b.conn.dlv.buffered))
		}
	})
	b.host.mu.Lock()
	defer b.host.mu.Unlock()
	b.t.Fatalf("timed out waiting for %s: %s; host received %d bytes, %d sends completed, events %v", what, desc, len(b.host.received), len(b.host.sendDone), b.host.events)
}

// testHost is the host stack's side: it records every completion and indication, takes
// indicated data (or refuses it, as answer says), and keeps the bytes delivered in order.
type testHost struct {
	loop   *Loop
	notify chan struct{}

	mu           sync.Mutex
	received     []byte
	sendDone     []*ndis.NetBufferList
	recvDone     []*ndis.NetBufferList
	discDone     []*ndis.NetBufferList
	fwdDone      []*ndis.NetBufferList
	events       []ndis.TCPOffloadEventType
	indications  int
	answer       func(data []byte) (ndis.Status, uint32) // nil: accept all
	afterReceive func()                                  // posted to the loop after each receive completion
}

func (h *testHost) changed() {
	select {
	case h.notify <- struct{}{}:
	default:
	}
}

func (h *testHost) NdisTcpOffloadSendComplete(chain *ndis.NetBufferList) {
	h.mu.Lock()
	h.sendDone = append(h.sendDone, chain.Chain()...)
	h.mu.Unlock()
	h.changed()
}

func (h *testHost) NdisTcpOffloadReceiveComplete(chain *ndis.NetBufferList) {
	h.mu.Lock()
	for _, l := range chain.Chain() {
		h.recvDone = append(h.recvDone, l)
		if l.Status == ndis.StatusSuccess || l.BytesTransferred > 0 {
			h.received = append(h.received, l.FirstNetBuffer.Data[:l.BytesTransferred]...)
		}
	}
	after := h.afterReceive
	h.mu.Unlock()
	if after != nil {
		h.loop.Post(after)
	}
	h.changed()
}

func (h *testHost) NdisTcpOffloadDisconnectComplete(nbl *ndis.NetBufferList) {
	h.mu.Lock()
	h.discDone = append(h.discDone, nbl)
	h.mu.Unlock()
	h.changed()
}

func (h *testHost) NdisTcpOffloadForwardComplete(chain *ndis.NetBufferList) {
	h.mu.Lock()
	h.fwdDone = append(h.fwdDone, chain.Chain()...)
	h.mu.Unlock()
	h.changed()
}

func (h *testHost) NdisTcpOffloadReceiveHandler(_ ndis.Handle, nbl *ndis.NetBufferList, status ndis.Status) (ndis.Status, uint32) {
	h.mu.Lock()
	defer h.changed()
	defer h.mu.Unlock()
	h.indications++
	data := nbl.FirstNetBuffer.Data
	if nbl.Next != nil || status != ndis.StatusSuccess {
		panic("an indication must be one stand-alone list with status NDIS_STATUS_SUCCESS")
	}
	answer, consumed := ndis.StatusSuccess, uint32(len(data))
	if h.answer != nil {
		answer, consumed = h.answer(data)
	}
	h.received = append(h.received, data[:consumed]...)
	return answer, consumed
}

func (h *testHost) NdisTcpOffloadEventHandler(_ ndis.Handle, event ndis.TCPOffloadEventType, _ uint32) {
	h.mu.Lock()
	h.events = append(h.events, event)
	h.mu.Unlock()
	h.changed()
}

// waitFor waits until cond holds of the host, and reports whether it did.
func (h *testHost) waitFor(cond func(h *testHost) bool) bool {
	deadline := time.After(patience)
	for {
		h.mu.Lock()
		ok := cond(h)
		h.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-h.notify:
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			return false
		}
	}
}

func (h *testHost) hasEvent(e ndis.TCPOffloadEventType) bool {
	for _, got := range h.events {
		if got == e {
			return true
		}
	}
	return false
}

package wire

import (
	"context"
	"fmt"
	"net/netip"

	"gvisor.dev/gvisor/pkg/buffer"
	"gvisor.dev/gvisor/pkg/tcpip"
	"gvisor.dev/gvisor/pkg/tcpip/adapters/gonet"
	"gvisor.dev/gvisor/pkg/tcpip/link/channel"
	"gvisor.dev/gvisor/pkg/tcpip/link/ethernet"
	"gvisor.dev/gvisor/pkg/tcpip/network/arp"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv4"
	"gvisor.dev/gvisor/pkg/tcpip/network/ipv6"
	"gvisor.dev/gvisor/pkg/tcpip/stack"
	"gvisor.dev/gvisor/pkg/tcpip/transport/tcp"
	"gvisor.dev/gvisor/pkg/waiter"
)

// Peer is a real TCP/IP stack, gVisor's netstack, on one port of a wire: the independent TCP
// implementation the target's connections talk to. It computes and checks its own checksums
// (no offload capability is declared), resolves addresses with ARP or NDP, and runs TCP as
// gVisor does.
type Peer struct {
	Stack *stack.Stack
	MAC   tcpip.LinkAddress
	Addrs []netip.Prefix

	ep     *channel.Endpoint
	cancel context.CancelFunc
	done   chan struct{}
}

// PeerConfig is what a peer is given: its MAC, its addresses with their prefixes (IPv4, IPv6
// or both), and the link MTU.
type PeerConfig struct {
	MAC   [6]byte
	Addrs []netip.Prefix
	MTU   uint32 // the IP MTU; 1500 when zero
}

const nic tcpip.NICID = 1

// queueLen is how many outbound frames the peer's link queue holds before gVisor drops them.
const queueLen = 1024

// NewPeer starts a gVisor stack on port: frames it sends are transmitted on the wire, frames
// arriving at port are handed to it.
func NewPeer(port Plug, cfg PeerConfig) (*Peer, error) {
	mtu := cfg.MTU
	if mtu == 0 {
		mtu = 1500
	}
	mac := tcpip.LinkAddress(cfg.MAC[:])
	ep := channel.New(queueLen, mtu, mac)
	s := stack.New(stack.Options{
		NetworkProtocols:   []stack.NetworkProtocolFactory{ipv4.NewProtocol, ipv6.NewProtocol, arp.NewProtocol},
		TransportProtocols: []stack.TransportProtocolFactory{tcp.NewProtocol},
	})
	if err := s.CreateNIC(nic, ethernet.New(ep)); err != nil {
		s.Close()
		return nil, fmt.Errorf("gVisor: creating the NIC: %s", err)
	}
	var routes []tcpip.Route
	for _, a := range cfg.Addrs {
		proto, addr := ipv4.ProtocolNumber, tcpip.AddrFromSlice(a.Addr().AsSlice())
		if a.Addr().Is6() {
			proto = ipv6.ProtocolNumber
		}
		pa := tcpip.ProtocolAddress{Protocol: proto, AddressWithPrefix: tcpip.AddressWithPrefix{Address: addr, PrefixLen: a.Bits()}}
		if err := s.AddProtocolAddress(nic, pa, stack.AddressProperties{}); err != nil {
			s.Close()
			return nil, fmt.Errorf("gVisor: adding %s: %s", a, err)
		}
		routes = append(routes, tcpip.Route{Destination: pa.AddressWithPrefix.Subnet(), NIC: nic})
	}
	s.SetRouteTable(routes)
	ctx, cancel := context.WithCancel(context.Background())
	p := &Peer{Stack: s, MAC: mac, Addrs: cfg.Addrs, ep: ep, cancel: cancel, done: make(chan struct{})}
	port.Attach(p.deliver)
	go p.pump(ctx, port)
	return p, nil
}

// pump transmits every frame the stack sends.
func (p *Peer) pump(ctx context.Context, port Plug) {
	defer close(p.done)
	for {
		pkt := p.ep.ReadContext(ctx)
		if pkt == nil {
			return
		}
		var frame []byte
		for _, s := range pkt.AsSlices() {
			frame = append(frame, s...)
		}
		pkt.DecRef()
		port.Transmit(frame)
	}
}

// deliver hands a frame arriving from the wire to the stack.
func (p *Peer) deliver(frame []byte) {
	pkt := stack.NewPacketBuffer(stack.PacketBufferOptions{Payload: buffer.MakeWithData(frame)})
	p.ep.InjectInbound(0, pkt)
	pkt.DecRef()
}

// AddNeighbor tells the peer the MAC of addr, so that it needs no ARP or NDP to reach a
// crafted endpoint, which answers neither.
func (p *Peer) AddNeighbor(addr netip.Addr, mac [6]byte) error {
	if err := p.Stack.AddStaticNeighbor(nic, protocolOf(addr), tcpip.AddrFromSlice(addr.AsSlice()), tcpip.LinkAddress(mac[:])); err != nil {
		return fmt.Errorf("gVisor: a static neighbor %s: %s", addr, err)
	}
	return nil
}

// Listen listens for TCP connections on port of the peer's address addr.
func (p *Peer) Listen(addr netip.Addr, port uint16) (*gonet.TCPListener, error) {
	return gonet.ListenTCP(p.Stack, fullAddress(addr, port), protocolOf(addr))
}

// Dial opens a TCP connection to addr:port.
func (p *Peer) Dial(ctx context.Context, addr netip.Addr, port uint16) (*gonet.TCPConn, error) {
	return gonet.DialContextTCP(ctx, p.Stack, fullAddress(addr, port), protocolOf(addr))
}

// Close stops the stack and its pump.
func (p *Peer) Close() {
	p.cancel()
	<-p.done
	p.Stack.Close()
	p.Stack.Wait()
}

func fullAddress(addr netip.Addr, port uint16) tcpip.FullAddress {
	return tcpip.FullAddress{NIC: nic, Addr: tcpip.AddrFromSlice(addr.AsSlice()), Port: port}
}

func protocolOf(addr netip.Addr) tcpip.NetworkProtocolNumber {
	if addr.Is6() {
		return ipv6.ProtocolNumber
	}
	return ipv4.ProtocolNumber
}

// PeerConn is one connection of the peer's application, with its gVisor endpoint, so that
// the application can also abort it.
type PeerConn struct {
	*gonet.TCPConn
	ep tcpip.Endpoint
}

// Abort closes the connection with a RST (SO_LINGER with a zero timeout, as with BSD sockets).
func (c *PeerConn) Abort() error {
	c.ep.SocketOptions().SetLinger(tcpip.LingerOption{Enabled: true, Timeout: 0})
	return c.Close()
}

// Acceptor listens on one address and port and accepts connections as PeerConns.
type Acceptor struct {
	ep tcpip.Endpoint
	wq *waiter.Queue
}

// ListenConns listens for TCP connections on port of the peer's address addr.
func (p *Peer) ListenConns(addr netip.Addr, port uint16) (*Acceptor, error) {
	var wq waiter.Queue
	ep, err := p.Stack.NewEndpoint(tcp.ProtocolNumber, protocolOf(addr), &wq)
	if err != nil {
		return nil, fmt.Errorf("gVisor: a TCP endpoint: %s", err)
	}
	if err := ep.Bind(fullAddress(addr, port)); err != nil {
		ep.Close()
		return nil, fmt.Errorf("gVisor: binding %s:%d: %s", addr, port, err)
	}
	if err := ep.Listen(16); err != nil {
		ep.Close()
		return nil, fmt.Errorf("gVisor: listening on %s:%d: %s", addr, port, err)
	}
	return &Acceptor{ep: ep, wq: &wq}, nil
}

// Accept waits for the next connection, or until ctx ends.
func (a *Acceptor) Accept(ctx context.Context) (*PeerConn, error) {
	entry, ready := waiter.NewChannelEntry(waiter.ReadableEvents)
	a.wq.EventRegister(&entry)
	defer a.wq.EventUnregister(&entry)
	for {
		n, wq, err := a.ep.Accept(nil)
		if err == nil {
			return &PeerConn{TCPConn: gonet.NewTCPConn(wq, n), ep: n}, nil
		}
		if _, would := err.(*tcpip.ErrWouldBlock); !would {
			return nil, fmt.Errorf("gVisor: accept: %s", err)
		}
		select {
		case <-ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Close stops listening.
func (a *Acceptor) Close() { a.ep.Close() }

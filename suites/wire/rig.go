package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/ndis-chimney/conformance/target"
)

// Rig puts a target on the wire with a real TCP peer at the other end. The host's side of
// the wire is shared, as on a real interface, by the target's link and the host stack's own
// endpoint: frames of a connection while it is offloaded go to the target, all others to the
// host stack. The rig opens the connection from the host stack (the handshake is crafted, so
// every number is known), offloads it, and keeps a byte ledger for each direction.
type Rig struct {
	Wire     *Wire
	Peer     *Peer
	Host     *Endpoint // the host stack's end of the connection
	Target   target.Target
	DataPath target.DataPath
	Local    netip.AddrPort // the host's address and port
	Remote   netip.AddrPort // the peer's
	HostMAC  [6]byte        // the target's interface MAC, which the host stack uses too
	PeerMAC  [6]byte
	Config   RigConfig
	// ToPeer and ToHost are the byte ledgers: what the host's applications wrote against
	// what the peer's application read, and back.
	ToPeer, ToHost *ByteLedger

	offloaded   atomic.Bool // frames of the connection go to the target
	mu          sync.Mutex
	hostReceive func([]byte)
	peerConn    *PeerConn
	listener    *Acceptor
	closeOnce   sync.Once
	writes      sync.WaitGroup // the peer application's writes in progress
	lastWrite   chan struct{}  // closed when the latest write is done
	readerDone  chan struct{}
}

// RigConfig is what a rig is built with.
type RigConfig struct {
	IPv6     bool
	VLAN     uint16 // the neighbor's VlanId; frames on the wire carry the tag when non-zero
	Priority uint8  // the connection's 802.1p UserPriority
	Options  Options
	// Capture, when set, receives every frame.
	Capture *Capture
	// MaxKept bounds the frames kept in memory (the capture has them all).
	MaxKept int
}

// The addresses of the rig's two stations (TEST-NET-1 and the documentation prefix).
var (
	hostIPv4 = netip.MustParseAddr("192.0.2.1")
	peerIPv4 = netip.MustParseAddr("192.0.2.2")
	hostIPv6 = netip.MustParseAddr("2001:db8::1")
	peerIPv6 = netip.MustParseAddr("2001:db8::2")
	peerMAC  = [6]byte{0x02, 0x00, 0x5e, 0x00, 0x00, 0x02}
)

// PeerPort is the port the peer listens on.
const PeerPort = 8080

// ErrNoRole is wrapped by NewRig's error when the target lacks a role the wire needs.
var ErrNoRole = errors.New("the target does not declare the role")

// NewRig attaches the target's link to a new wire with a gVisor peer on its other end. The
// target must have the data-path and wired roles.
func NewRig(t target.Target, cfg RigConfig) (*Rig, error) {
	roles := target.RolesOf(t)
	for _, r := range []target.Role{target.RoleDataPath, target.RoleWired} {
		if !roles.Has(r) {
			return nil, fmt.Errorf("%w %s (it declares: %s)", ErrNoRole, r, roles)
		}
	}
	wired := t.(target.Wired)
	mac := wired.HardwareAddress()
	if len(mac) != 6 {
		return nil, fmt.Errorf("the target's HardwareAddress is %q, not a 6-byte MAC", mac)
	}
	r := &Rig{Target: t, DataPath: t.(target.DataPath), Config: cfg, PeerMAC: peerMAC,
		ToPeer: NewByteLedger("host → peer"), ToHost: NewByteLedger("peer → host"), readerDone: make(chan struct{})}
	copy(r.HostMAC[:], mac)
	r.Wire = New(cfg.Capture)
	r.Wire.MaxKept = cfg.MaxKept
	local, remote := hostIPv4, peerIPv4
	prefix := 24
	if cfg.IPv6 {
		local, remote, prefix = hostIPv6, peerIPv6, 64
	}
	r.Local, r.Remote = netip.AddrPortFrom(local, 49152), netip.AddrPortFrom(remote, PeerPort)
	r.Wire.A.Attach(r.arrive)
	peer, err := NewPeer(peerPlug{r}, PeerConfig{MAC: peerMAC, Addrs: []netip.Prefix{netip.PrefixFrom(remote, prefix)}})
	if err != nil {
		return nil, err
	}
	r.Peer = peer
	if err := peer.AddNeighbor(local, r.HostMAC); err != nil {
		peer.Close()
		return nil, err
	}
	r.Host = NewEndpoint(hostPlug{r}, r.HostMAC, peerMAC, r.Local, r.Remote, cfg.Options)
	if err := wired.AttachLink(targetLink{r}); err != nil {
		peer.Close()
		return nil, fmt.Errorf("attaching the target's link: %w", err)
	}
	return r, nil
}

// Observe makes f run for every later frame, after it is recorded and before it is
// delivered, on the transmitting goroutine.
func (r *Rig) Observe(f func(Frame)) { r.Wire.Observe(f) }

// Connect opens the connection: the peer listens, the host stack performs the active open,
// and the peer's application starts reading into the host → peer ledger.
func (r *Rig) Connect(ctx context.Context, iss uint32) (Connection, error) {
	l, err := r.Peer.ListenConns(r.Remote.Addr(), r.Remote.Port())
	if err != nil {
		return Connection{}, fmt.Errorf("the peer cannot listen: %w", err)
	}
	r.mu.Lock()
	r.listener = l
	r.mu.Unlock()
	accepted := make(chan *PeerConn, 1)
	go func() {
		c, err := l.Accept(ctx)
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	c, err := r.Host.Connect(ctx, iss)
	if err != nil {
		return c, err
	}
	select {
	case pc, ok := <-accepted:
		if !ok {
			return c, errors.New("the peer's listener closed before accepting")
		}
		r.mu.Lock()
		r.peerConn = pc
		r.mu.Unlock()
		go r.peerReads(pc)
	case <-ctx.Done():
		return c, fmt.Errorf("the peer did not accept the connection: %w", ctx.Err())
	}
	return c, nil
}

// peerReads is the peer's application: it reads everything and hands it to the ledger.
func (r *Rig) peerReads(c *PeerConn) {
	defer close(r.readerDone)
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			r.ToPeer.Delivered("the peer's application", buf[:n])
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				r.ToPeer.Ended(err.Error())
			} else {
				r.ToPeer.Ended("")
			}
			return
		}
	}
}

// PeerWrite has the peer's application write data, after what it wrote before; the host
// must receive it in order. The writes are made in turn by one goroutine, so that a write
// blocked by a closed window does not hold up the spec.
func (r *Rig) PeerWrite(data []byte) {
	r.mu.Lock()
	c := r.peerConn
	prev := r.lastWrite
	done := make(chan struct{})
	r.lastWrite = done
	r.mu.Unlock()
	r.ToHost.Wrote(data)
	r.writes.Add(1)
	go func() {
		defer r.writes.Done()
		defer close(done)
		if prev != nil {
			<-prev // in the order the application wrote
		}
		if _, err := c.Write(data); err != nil {
			r.ToHost.Ended(fmt.Sprintf("the peer's write failed: %v", err))
		}
	}()
}

// PeerClose closes the peer's side gracefully (a FIN) or, with abort, with a RST. A graceful
// close first waits, up to wait, until the application's writes are in the peer's send
// buffer, so that the FIN comes after their data.
func (r *Rig) PeerClose(abort bool, wait time.Duration) error {
	r.mu.Lock()
	c := r.peerConn
	r.mu.Unlock()
	if !abort {
		done := make(chan struct{})
		go func() {
			r.writes.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(wait):
			return fmt.Errorf("the peer's application could not write its data within %s: the target's window stayed closed", wait)
		}
	}
	if abort {
		return c.Abort()
	}
	return c.CloseWrite()
}

// Offloading switches the connection's frames to the target (from the moment the host calls
// initiate) or back to the host stack (once a terminate has completed).
func (r *Rig) Offloading(on bool) { r.offloaded.Store(on) }

// arrive is the host's side of the wire: a frame of the offloaded connection goes to the
// target, any other to the host stack.
func (r *Rig) arrive(frame []byte) {
	if r.offloaded.Load() && r.ofConnection(frame) {
		r.Target.(target.Wired).ReceiveFrame(frame)
		return
	}
	r.mu.Lock()
	recv := r.hostReceive
	r.mu.Unlock()
	if recv != nil {
		recv(frame)
	}
}

// DeliverToHost hands the host stack a frame the target indicated on the ordinary receive
// path.
func (r *Rig) DeliverToHost(frame []byte) {
	r.mu.Lock()
	recv := r.hostReceive
	r.mu.Unlock()
	if recv != nil {
		recv(frame)
	}
}

// ofConnection reports whether a frame carries a TCP segment from the peer's address and
// port to the host's.
func (r *Rig) ofConnection(frame []byte) bool {
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	t, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if !ok || uint16(t.SrcPort) != r.Remote.Port() || uint16(t.DstPort) != r.Local.Port() {
		return false
	}
	switch ip := p.NetworkLayer().(type) {
	case *layers.IPv4:
		a, _ := netip.AddrFromSlice(ip.SrcIP.To4())
		return a == r.Remote.Addr()
	case *layers.IPv6:
		a, _ := netip.AddrFromSlice(ip.SrcIP)
		return a == r.Remote.Addr()
	}
	return false
}

// Close stops the peer and closes the wire and its capture. It returns the capture's error.
func (r *Rig) Close() error {
	var err error
	r.closeOnce.Do(func() {
		r.mu.Lock()
		c, l := r.peerConn, r.listener
		r.mu.Unlock()
		if c != nil {
			_ = c.Abort()
		}
		if l != nil {
			l.Close()
		}
		r.Peer.Close()
		err = r.Wire.Close()
	})
	return err
}

// targetLink is the Link the target transmits through.
type targetLink struct{ r *Rig }

func (l targetLink) TransmitFrame(frame []byte) {
	l.r.Wire.A.Send(frame, "target")
}

// hostPlug is the host stack's share of port A: its frames are tagged as the connection's
// when the rig runs on a VLAN, and it receives what arrive gives it.
type hostPlug struct{ r *Rig }

func (h hostPlug) Attach(receive func([]byte)) {
	h.r.mu.Lock()
	h.r.hostReceive = receive
	h.r.mu.Unlock()
}

func (h hostPlug) Transmit(frame []byte) {
	h.r.Wire.A.Send(h.r.tag(frame), "host")
}

// peerPlug is the peer's port B, behind a VLAN switch port when the rig runs on a VLAN: the
// peer's frames are tagged on the way out, and a tag is removed on the way in (an untagged
// frame, or one of another VLAN, is dropped, as such a port would).
type peerPlug struct{ r *Rig }

func (p peerPlug) Attach(receive func([]byte)) {
	p.r.Wire.B.Attach(func(frame []byte) {
		if in, ok := p.r.untag(frame); ok {
			receive(in)
		}
	})
}

func (p peerPlug) Transmit(frame []byte) {
	p.r.Wire.B.Send(p.r.tag(frame), "peer")
}

// tagged reports whether the rig's frames carry an 802.1Q tag.
func (r *Rig) tagged() bool { return r.Config.VLAN != 0 || r.Config.Priority != 0 }

// tag inserts the connection's 802.1Q tag after the MAC addresses, when it has one.
func (r *Rig) tag(frame []byte) []byte {
	if !r.tagged() || len(frame) < 14 {
		return frame
	}
	tci := uint16(r.Config.Priority)<<13 | r.Config.VLAN&0xFFF
	out := make([]byte, 0, len(frame)+4)
	out = append(out, frame[:12]...)
	out = append(out, 0x81, 0x00, byte(tci>>8), byte(tci))
	return append(out, frame[12:]...)
}

// untag removes the tag from a frame arriving for the peer; it reports false for a frame the
// switch port would drop.
func (r *Rig) untag(frame []byte) ([]byte, bool) {
	if !r.tagged() {
		return frame, true
	}
	if len(frame) < 18 || frame[12] != 0x81 || frame[13] != 0x00 {
		return nil, false
	}
	if vid := (uint16(frame[14])<<8 | uint16(frame[15])) & 0xFFF; vid != r.Config.VLAN {
		return nil, false
	}
	out := make([]byte, 0, len(frame)-4)
	out = append(out, frame[:12]...)
	return append(out, frame[16:]...), true
}

// WaitDelivered waits until ledger l has delivered everything written to it. It gives up
// when ctx ends or when stall passes without a byte delivered.
func WaitDelivered(ctx context.Context, l *ByteLedger, stall time.Duration) error {
	return WaitDeliveredAtLeast(ctx, l, -1, stall)
}

// WaitDeliveredAtLeast waits until ledger l has delivered n bytes (everything written, when
// n is negative), as WaitDelivered does.
func WaitDeliveredAtLeast(ctx context.Context, l *ByteLedger, n int, stall time.Duration) error {
	timer := time.NewTimer(stall)
	defer timer.Stop()
	last := l.DeliveredBytes()
	for {
		done, ch := l.state()
		if n >= 0 {
			done = l.DeliveredBytes() >= n || l.Breach() != ""
		}
		if done {
			return nil
		}
		select {
		case <-ch:
			if n := l.DeliveredBytes(); n != last {
				last = n
				timer.Reset(stall)
			}
		case <-timer.C:
			return fmt.Errorf("%s: no progress for %s: %s", l.Name, stall, l.Shortfall())
		case <-ctx.Done():
			return fmt.Errorf("%s: %s", l.Name, l.Shortfall())
		}
	}
}

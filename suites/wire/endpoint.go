package wire

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Endpoint is the host stack's side of one TCP connection, crafted frame by frame with gopacket.
// The suite opens a connection with the peer itself, so that it knows every sequence number,
// window and option, and builds from them the state it offloads; after a terminate it carries
// the connection on from the state the target hands back.
type Endpoint struct {
	port          Plug
	mac, peerMAC  net.HardwareAddr
	local, remote netip.AddrPort
	opts          Options
	segments      chan *layers.TCP
	start         time.Time
	mu            sync.Mutex
	conn          Connection
	received      []byte            // in order, not yet read
	ahead         map[uint32][]byte // segments received ahead of RcvNxt, by sequence number
	tsOffset      uint32            // added to the timestamp clock: the TsTime a terminate handed back
	tsMu          sync.Mutex
}

// Options are what the endpoint offers in its SYN.
type Options struct {
	MSS         uint16 // 0: 1460 for IPv4, 1440 for IPv6
	WindowScale int    // -1: no window scale option
	SACK        bool
	Timestamps  bool
	Window      uint16 // the window it advertises, before scaling; 0: 65535
}

// Connection is what the handshake and the data since have established.
type Connection struct {
	ISS, IRS       uint32 // initial send and receive sequence numbers
	SndUna, SndNxt uint32
	RcvNxt         uint32
	SndWnd         uint32 // the peer's latest window, scaled
	MaxSndWnd      uint32
	PeerMSS        uint16 // 536 when the peer sent none
	SndWindScale   int    // the peer's shift, -1 when window scaling was not agreed
	RcvWindScale   int    // ours, -1 when not agreed
	SACK           bool   // both sides offered SACK-permitted
	Timestamps     bool   // both sides sent timestamps
	TsRecent       uint32 // the peer's latest TSval
	RcvWnd         uint32 // what we advertise, scaled
}

// NewEndpoint attaches an endpoint with address local and MAC mac to port, to talk to remote
// at peerMAC. Frames arriving for other addresses or ports are ignored; it answers nothing
// else (the peer is given a static neighbor entry for it).
func NewEndpoint(port Plug, mac, peerMAC [6]byte, local, remote netip.AddrPort, opts Options) *Endpoint {
	if opts.MSS == 0 {
		opts.MSS = 1460
		if local.Addr().Is6() {
			opts.MSS = 1440
		}
	}
	if opts.Window == 0 {
		opts.Window = 65535
	}
	e := &Endpoint{port: port, mac: mac[:], peerMAC: peerMAC[:], local: local, remote: remote, opts: opts,
		segments: make(chan *layers.TCP, 4096), start: time.Now()}
	port.Attach(e.receive)
	return e
}

// receive keeps the TCP segments of this connection, in arrival order.
func (e *Endpoint) receive(frame []byte) {
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	t, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if !ok || int(t.DstPort) != int(e.local.Port()) || int(t.SrcPort) != int(e.remote.Port()) {
		return
	}
	if errs := Check(p); len(errs) > 0 {
		return // a receiver drops it; the wire has recorded why
	}
	cp := *t
	cp.Payload = append([]byte(nil), t.Payload...)
	select {
	case e.segments <- &cp:
	default: // a flood: the peer retransmits what is lost
	}
}

// Connect performs the active open: SYN, the peer's SYN-ACK, ACK.
func (e *Endpoint) Connect(ctx context.Context, iss uint32) (Connection, error) {
	c := Connection{ISS: iss, SndUna: iss, SndNxt: iss + 1, SndWindScale: -1, RcvWindScale: -1, PeerMSS: 536}
	syn := e.segment(c, iss, 0, func(t *layers.TCP) {
		t.SYN = true
		t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: be16(e.opts.MSS)})
		if e.opts.WindowScale >= 0 {
			t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{byte(e.opts.WindowScale)}})
		}
		if e.opts.SACK {
			t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2})
		}
		if e.opts.Timestamps {
			t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: append(be32(e.tsVal()), be32(0)...)})
		}
	})
	if err := e.send(syn); err != nil {
		return c, err
	}
	for {
		t, err := e.next(ctx)
		if err != nil {
			return c, fmt.Errorf("waiting for the SYN-ACK: %w", err)
		}
		if t.RST {
			return c, errors.New("the peer reset the connection (is it listening?)")
		}
		if !t.SYN || !t.ACK || t.Ack != iss+1 {
			continue
		}
		c.IRS, c.RcvNxt, c.SndUna = t.Seq, t.Seq+1, t.Ack
		peerScale := -1
		for _, o := range t.Options {
			switch o.OptionType {
			case layers.TCPOptionKindMSS:
				if len(o.OptionData) == 2 {
					c.PeerMSS = binary.BigEndian.Uint16(o.OptionData)
				}
			case layers.TCPOptionKindWindowScale:
				if len(o.OptionData) == 1 {
					peerScale = int(min(o.OptionData[0], 14))
				}
			case layers.TCPOptionKindSACKPermitted:
				c.SACK = e.opts.SACK
			case layers.TCPOptionKindTimestamps:
				if len(o.OptionData) == 8 && e.opts.Timestamps {
					c.Timestamps, c.TsRecent = true, binary.BigEndian.Uint32(o.OptionData)
				}
			}
		}
		if peerScale >= 0 && e.opts.WindowScale >= 0 {
			c.SndWindScale, c.RcvWindScale = peerScale, e.opts.WindowScale
		}
		c.SndWnd = uint32(t.Window) // a SYN's window is never scaled
		c.MaxSndWnd = c.SndWnd
		c.RcvWnd = e.rcvWnd(c)
		break
	}
	e.mu.Lock()
	e.conn = c
	e.mu.Unlock()
	return c, e.send(e.segment(c, c.SndNxt, c.RcvNxt, func(t *layers.TCP) { t.ACK = true }))
}

// Write sends data in segments of at most the peer's MSS, within the peer's window, and
// returns once the peer has acknowledged all of it. Lost segments are not retransmitted: the
// wire loses nothing, and a peer that does not acknowledge is an error after ctx ends.
func (e *Endpoint) Write(ctx context.Context, data []byte) error {
	for len(data) > 0 || e.outstanding() > 0 {
		e.mu.Lock()
		c := e.conn
		e.mu.Unlock()
		room := int64(c.SndWnd) - int64(c.SndNxt-c.SndUna)
		if len(data) > 0 && room > 0 {
			n := min(len(data), int(c.PeerMSS)-e.optionBytes(c), int(room))
			payload := data[:n]
			seg := e.segment(c, c.SndNxt, c.RcvNxt, func(t *layers.TCP) { t.ACK, t.PSH = true, n == len(data) })
			seg.payload = payload
			if err := e.send(seg); err != nil {
				return err
			}
			e.mu.Lock()
			e.conn.SndNxt += uint32(n)
			e.mu.Unlock()
			data = data[n:]
			continue
		}
		if err := e.await(ctx); err != nil {
			return fmt.Errorf("waiting for the peer to acknowledge up to %d: %w", c.SndNxt, err)
		}
	}
	return nil
}

// ReadFull reads until len(buf) bytes have arrived in order, acknowledging every segment.
func (e *Endpoint) ReadFull(ctx context.Context, buf []byte) error {
	for {
		e.mu.Lock()
		if len(e.received) >= len(buf) {
			copy(buf, e.received)
			e.received = e.received[len(buf):]
			e.mu.Unlock()
			return nil
		}
		e.mu.Unlock()
		if err := e.await(ctx); err != nil {
			return fmt.Errorf("waiting for %d bytes: %w", len(buf), err)
		}
	}
}

// State returns the connection as it stands.
func (e *Endpoint) State() Connection {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.conn
}

func (e *Endpoint) outstanding() uint32 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.conn.SndNxt - e.conn.SndUna
}

// await processes the next segment: its acknowledgment and window, and its data when it is
// the next in order (which it acknowledges).
func (e *Endpoint) await(ctx context.Context) error {
	t, err := e.next(ctx)
	if err != nil {
		return err
	}
	e.mu.Lock()
	c := &e.conn
	if t.ACK && seqGT(t.Ack, c.SndUna) && !seqGT(t.Ack, c.SndNxt) {
		c.SndUna = t.Ack
	}
	if t.ACK {
		c.SndWnd = uint32(t.Window) << max(c.SndWindScale, 0)
		c.MaxSndWnd = max(c.MaxSndWnd, c.SndWnd)
	}
	for _, o := range t.Options {
		if o.OptionType == layers.TCPOptionKindTimestamps && len(o.OptionData) == 8 && c.Timestamps {
			c.TsRecent = binary.BigEndian.Uint32(o.OptionData)
		}
	}
	ack := false
	if len(t.Payload) > 0 {
		ack = true
		e.accept(t.Seq, t.Payload)
	}
	if t.FIN && t.Seq+uint32(len(t.Payload)) == c.RcvNxt {
		c.RcvNxt++
		ack = true
	}
	snapshot := *c
	e.mu.Unlock()
	if ack {
		return e.send(e.segment(snapshot, snapshot.SndNxt, snapshot.RcvNxt, func(t *layers.TCP) { t.ACK = true }))
	}
	return nil
}

func (e *Endpoint) next(ctx context.Context) (*layers.TCP, error) {
	select {
	case t := <-e.segments:
		return t, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// crafted is a segment ready to be serialized.
type crafted struct {
	tcp     *layers.TCP
	payload []byte
}

// segment builds a segment of this connection with seq and ack, the current window and, when
// agreed, a timestamp; set adds flags and options.
func (e *Endpoint) segment(c Connection, seq, ack uint32, set func(*layers.TCP)) crafted {
	t := &layers.TCP{SrcPort: layers.TCPPort(e.local.Port()), DstPort: layers.TCPPort(e.remote.Port()), Seq: seq, Ack: ack, Window: e.opts.Window}
	if c.RcvWindScale > 0 {
		t.Window = uint16(min(c.RcvWnd>>c.RcvWindScale, 65535))
	}
	set(t)
	if c.Timestamps && !t.SYN {
		t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: append(be32(e.tsVal()), be32(c.TsRecent)...)})
	}
	return crafted{tcp: t}
}

// send serializes a segment into an Ethernet frame, with lengths and checksums computed, and
// transmits it.
func (e *Endpoint) send(s crafted) error {
	eth := &layers.Ethernet{SrcMAC: e.mac, DstMAC: e.peerMAC, EthernetType: layers.EthernetTypeIPv4}
	var ip gopacket.NetworkLayer
	src, dst := net.IP(e.local.Addr().AsSlice()), net.IP(e.remote.Addr().AsSlice())
	if e.local.Addr().Is6() {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip = &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolTCP, HopLimit: 64, SrcIP: src, DstIP: dst}
	} else {
		ip = &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Flags: layers.IPv4DontFragment, Protocol: layers.IPProtocolTCP, SrcIP: src, DstIP: dst}
	}
	if err := s.tcp.SetNetworkLayerForChecksum(ip); err != nil {
		return err
	}
	buf := gopacket.NewSerializeBuffer()
	err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		eth, ip.(gopacket.SerializableLayer), s.tcp, gopacket.Payload(s.payload))
	if err != nil {
		return fmt.Errorf("crafting a segment: %w", err)
	}
	e.port.Transmit(buf.Bytes())
	return nil
}

// rcvWnd is the window the endpoint advertises, scaled.
func (e *Endpoint) rcvWnd(c Connection) uint32 {
	return uint32(e.opts.Window) << max(c.RcvWindScale, 0)
}

// optionBytes is how much of each data segment the options take (the MSS counts the payload
// and TCP options beyond the fixed header, RFC 6691).
func (e *Endpoint) optionBytes(c Connection) int {
	if c.Timestamps {
		return 12
	}
	return 0
}

// tsVal is the endpoint's timestamp clock: milliseconds since it was made.
func (e *Endpoint) tsVal() uint32 {
	e.tsMu.Lock()
	defer e.tsMu.Unlock()
	return uint32(time.Since(e.start).Milliseconds()) + 1 + e.tsOffset
}

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// accept takes a segment's data: in order it is appended (with any queued data it makes
// contiguous); ahead of RcvNxt it is queued, as a host stack queues out-of-order segments
// (frames handed up by the target and frames arriving directly may cross); behind it, only
// its new tail counts. It runs with e.mu held.
func (e *Endpoint) accept(seq uint32, data []byte) {
	c := &e.conn
	if seqGT(c.RcvNxt, seq) {
		skip := c.RcvNxt - seq
		if skip >= uint32(len(data)) {
			return // all of it already received
		}
		seq, data = c.RcvNxt, data[skip:]
	}
	if seq != c.RcvNxt {
		if e.ahead == nil {
			e.ahead = map[uint32][]byte{}
		}
		e.ahead[seq] = append([]byte(nil), data...)
		return
	}
	e.received = append(e.received, data...)
	c.RcvNxt += uint32(len(data))
	for {
		next, ok := e.ahead[c.RcvNxt]
		if !ok {
			for s, d := range e.ahead { // drop what is now behind RcvNxt
				if !seqGT(s+uint32(len(d)), c.RcvNxt) {
					delete(e.ahead, s)
				}
			}
			return
		}
		delete(e.ahead, c.RcvNxt)
		e.received = append(e.received, next...)
		c.RcvNxt += uint32(len(next))
	}
}

// seqGT reports a > b in sequence space.
func seqGT(a, b uint32) bool { return int32(a-b) > 0 }

// Drain forgets the segments received and not yet processed: those from before the
// connection was offloaded, which the host stack would have processed at the time.
func (e *Endpoint) Drain() {
	for {
		select {
		case <-e.segments:
		default:
			return
		}
	}
}

package tcp

import (
	"time"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Host is what the engine calls on the host's side: the completions and indications of the
// data path. A target.Host is one.
type Host interface {
	target.SendCompleter
	target.DataPathCompleter
	target.ReceiveIndicator
	target.EventIndicator
}

// Config is what a connection is adopted from and with.
type Config struct {
	// Handle is the NdisOffloadHandle of the connection's block, which indications carry.
	Handle ndis.Handle
	// The state of the connection's TCP block.
	Const     ndis.TCPOffloadStateConst
	Cached    ndis.TCPOffloadStateCached
	Delegated ndis.TCPOffloadStateDelegated
	// SendData is the outstanding send data handed over with the connection (the block's
	// NetBufferListChain): its first byte is SndUna.
	SendData []*ndis.NetBufferList
	// BufferedData is the receive data the host had not yet delivered (the delegated
	// BufferedData, copied).
	BufferedData []byte

	// Route returns where the connection's frames go, as the path and neighbor below it say
	// now; false when one of them is invalid, and the connection must not transmit.
	Route func() (Route, bool)
	Host  Host
	// Link is the port's wire; nil for a target with none, whose connections never transmit.
	Link target.Link
	// Clock reads time and runs timers; its AfterFunc must call back on the goroutine that
	// drives the engine (LoopClock).
	Clock target.Clock
	// TicksPerSecond is the unit of the delegated variables counted in clock ticks and of the
	// timestamps the connection sends; 1000 (milliseconds) when zero.
	TicksPerSecond uint32
	// PushTimeout is the push timer's period; the Windows default of 500 ms when zero
	// (concepts/push-timer.md).
	PushTimeout time.Duration
}

// Conn is an offloaded TCP connection. Its methods must all be called on the goroutine that
// drives it (a Loop); see the package comment.
type Conn struct {
	cfg    Config
	konst  ndis.TCPOffloadStateConst
	cached ndis.TCPOffloadStateCached
	state  ndis.TCPOffloadConnectionState

	snd sender
	rcv receiver
	dlv delivery
	ts  timestamps

	ipID uint16 // the last IPv4 identification sent

	// ackNow says the event being handled owes the peer an acknowledgment; a segment
	// transmitted pays it.
	ackNow bool
	// aborted: an RST was sent or accepted; everything outstanding was completed with
	// NDIS_STATUS_REQUEST_ABORTED.
	aborted bool
	// terminated: the host uploaded the connection; the engine does nothing more.
	terminated bool
	// retrieveIndicated: a TcpIndicateRetrieve was made, which the host answers by uploading.
	retrieveIndicated bool
}

// Adopt takes over a live connection from the state the host handed over. It transmits
// nothing until Start.
func Adopt(cfg Config) *Conn {
	if cfg.TicksPerSecond == 0 {
		cfg.TicksPerSecond = 1000
	}
	if cfg.PushTimeout == 0 {
		cfg.PushTimeout = 500 * time.Millisecond
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock()
	}
	d := cfg.Delegated
	c := &Conn{cfg: cfg, konst: cfg.Const, cached: cfg.Cached, state: d.State}
	c.snd.adopt(c, d, cfg.SendData)
	c.rcv.adopt(c, d)
	c.ts.adopt(c, d)
	c.dlv.adopt(c, cfg.BufferedData)
	return c
}

// Start lets the connection transmit what it was handed: the data from SndNxt on, and a FIN
// it owes.
func (c *Conn) Start() { c.flush() }

// State returns the connection's TCP state.
func (c *Conn) State() ndis.TCPOffloadConnectionState { return c.state }

// Closed reports whether the connection is in CLOSED (after an abort, or the last ACK): frames
// for it then go to the host stack through the ordinary receive path
// (concepts/responding-to-the-reception-of-a-fin-or-rst-segment.md).
func (c *Conn) Closed() bool { return c.state == ndis.TcpConnectionClosed || c.terminated }

// BufferedBytes returns the received bytes the engine holds that the host has not taken.
func (c *Conn) BufferedBytes() int { return len(c.dlv.buffered) }

// SetCached applies new cached variables (MiniportUpdateOffload): TTL, traffic class, flow
// label and priority of later frames, the receive indication size, Nagle, and with
// TCP_FLAG_UPDATE_RCV_WND a new receive buffer, advertised at once when it opens the window.
func (c *Conn) SetCached(cached ndis.TCPOffloadStateCached) {
	if c.terminated {
		return
	}
	c.cached = cached
	if cached.Flags&ndis.TCPFlagUpdateRcvWnd != 0 && cached.InitialRcvWnd != c.rcv.buf {
		c.rcv.buf = cached.InitialRcvWnd
	}
	c.flush()
}

// Export writes the delegated variables the engine keeps into d, the way the wire shows them:
// state, sequence numbers, windows, congestion window and timestamps. The other variables
// (those of timers the engine does not run yet, the RTT estimates, the pointers) are left as
// d holds them: the owner keeps them as handed over or updated.
func (c *Conn) Export(d *ndis.TCPOffloadStateDelegated) {
	d.State = c.state
	d.RcvNxt = c.rcv.nxt
	d.RcvWnd = c.rcv.window()
	d.SndUna, d.SndNxt, d.SndMax = c.snd.una, c.snd.nxt, c.snd.max
	d.SndWnd, d.MaxSndWnd, d.SendWL1 = c.snd.wnd, c.snd.maxWnd, c.snd.wl1
	d.CWnd = c.snd.cwnd
	d.TsRecent, d.TsRecentAge, d.TsTime = c.ts.recent, c.ts.recentAge(), c.ts.now()
}

// Upload is what a terminated connection hands back besides its delegated state.
type Upload struct {
	// SendData is the outstanding send data, unacknowledged and unsent, in its original
	// order: the first list's data starts at SndUna (its acknowledged bytes are advanced
	// past, as NdisAdvanceNetBufferDataStart would).
	SendData []*ndis.NetBufferList
	// Received is the receive data the host has not taken.
	Received []byte
}

// Terminate uploads the connection (MiniportTerminateOffload): it stops its timers and stops
// transmitting, completes the posted receive requests (a partly filled one with
// NDIS_STATUS_SUCCESS and the bytes placed in it, the others with
// NDIS_STATUS_UPLOAD_IN_PROGRESS) and pending disconnect requests, writes the delegated state
// into d and returns the send data and receive data it still holds.
func (c *Conn) Terminate(d *ndis.TCPOffloadStateDelegated) Upload {
	var up Upload
	if c.terminated {
		return up
	}
	c.dlv.push.stop()
	c.Export(d)
	c.terminated = true
	c.dlv.uploadRequests()
	c.snd.uploadDisconnects()
	up.SendData = c.snd.handBack()
	up.Received = c.dlv.buffered
	c.dlv.buffered = nil
	return up
}

// flush ends every event: it makes the delivery algorithm's closing checks (a FIN to
// indicate), transmits what the windows allow, then pays an acknowledgment still owed and
// advertises a window that has opened.
func (c *Conn) flush() {
	if c.terminated {
		return
	}
	c.dlv.maybeIndicateDisconnect()
	c.snd.output()
	if c.ackNow || c.rcv.windowOpened() {
		c.sendACK()
	}
}

// transmit builds a segment of this connection into a frame and puts it on the wire. Every
// segment but the first SYN of an active open carries the acknowledgment, the window and,
// when agreed, a timestamp. It reports whether the segment left.
func (c *Conn) transmit(s outSegment) bool {
	if c.cfg.Link == nil || c.terminated {
		return false
	}
	r, ok := c.cfg.Route()
	if !ok {
		// concepts: a connection that depends on an invalidated state object asks to be
		// uploaded when it has something to send (TCP_UPLOAD_REASON InvalidState, mandatory).
		c.requestUpload(ndis.InvalidState)
		return false
	}
	if !s.syn || s.ackFlag {
		s.ackFlag = true
		s.ack = c.rcv.nxt
		s.window = c.rcv.advertise()
		c.rcv.lastAckSent = c.rcv.nxt
	}
	if c.ts.enabled {
		s.timestamp, s.tsVal, s.tsEcr = true, c.ts.now(), c.ts.recent
	}
	c.ipID++
	c.ipID |= 0x8000 // the upper half of the IPv4 ID space is the offload target's
	frame, err := buildFrame(r, &c.cached, c.ipID, c.konst.LocalPort, c.konst.RemotePort, &s)
	if err != nil {
		return false
	}
	c.ackNow = false
	c.cfg.Link.TransmitFrame(frame)
	return true
}

// sendACK transmits a segment with no data: an acknowledgment, a window update.
func (c *Conn) sendACK() {
	c.transmit(outSegment{seq: c.snd.nxt, ackFlag: true})
}

// requestUpload asks the host to terminate the offload of the connection (TcpIndicateRetrieve),
// once.
func (c *Conn) requestUpload(reason ndis.TCPUploadReason) {
	if c.retrieveIndicated {
		return
	}
	c.retrieveIndicated = true
	c.cfg.Host.NdisTcpOffloadEventHandler(c.cfg.Handle, ndis.TcpIndicateRetrieve, uint32(reason))
}

// mss is the largest payload of a segment: the peer's MSS, but no more than the path MTU
// leaves after the IP and TCP headers, less the options every segment carries (RFC 6691).
func (c *Conn) mss() uint32 {
	mss := uint32(c.konst.RemoteMss)
	if mss == 0 {
		mss = 536
	}
	if r, ok := c.cfg.Route(); ok && r.PathMTU > 0 {
		ip := uint32(ipv4HeaderLen)
		if r.Local.Is6() {
			ip = ipv6HeaderLen
		}
		if r.PathMTU > ip+tcpHeaderLen {
			mss = min(mss, r.PathMTU-ip-tcpHeaderLen)
		}
	}
	if c.ts.enabled && mss > tsOptionLen {
		mss -= tsOptionLen
	}
	return max(mss, 1)
}

// ticks converts a duration into clock ticks.
func (c *Conn) ticks(d time.Duration) uint32 {
	return uint32(d * time.Duration(c.cfg.TicksPerSecond) / time.Second)
}

// timestamps keeps RFC 7323 timestamps: the peer's latest TSval to echo, and the offload
// target's own timestamp clock, which goes on from the host's
// (concepts/calculating-the-timestamp-delta.md: NicDelta = TsTime - NicTime).
//
// A connection with no link never transmits or receives: its timestamp clock stands still, so
// that it hands TsTime and TsRecentAge back as they came (and a query answers the same twice).
type timestamps struct {
	c        *Conn
	enabled  bool
	delta    uint32        // TsTime - NicTime at adoption
	recent   uint32        // TS.Recent
	recentAt time.Duration // when TS.Recent was received, on the clock
	still    bool          // no link: the clock stands at adoption
	adopted  ndis.TCPOffloadStateDelegated
}

func (t *timestamps) adopt(c *Conn, d ndis.TCPOffloadStateDelegated) {
	t.c = c
	t.enabled = c.konst.Flags&ndis.TCPFlagTimestampEnabled != 0
	now := c.cfg.Clock.Now()
	t.delta = d.TsTime - c.ticks(now)
	t.recent = d.TsRecent
	t.recentAt = now - time.Duration(d.TsRecentAge)*time.Second/time.Duration(c.cfg.TicksPerSecond)
	t.still, t.adopted = c.cfg.Link == nil, d
}

// now is the timestamp value the connection sends now (TsTime).
func (t *timestamps) now() uint32 {
	if t.still {
		return t.adopted.TsTime
	}
	return t.c.ticks(t.c.cfg.Clock.Now()) + t.delta
}

// recentAge is the time in ticks since TS.Recent was received (TsRecentAge).
func (t *timestamps) recentAge() uint32 {
	if t.still {
		return t.adopted.TsRecentAge
	}
	return t.c.ticks(max(t.c.cfg.Clock.Now()-t.recentAt, 0))
}

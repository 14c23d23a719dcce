package wire

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// FrameJudge holds every frame the target transmits for an offloaded connection against the
// state the host offloaded and the traffic so far: headers against the neighbor, path and
// TCP state; data against the host's send data; sequence and acknowledgment numbers against
// what the peer advertised and sent. It watches the peer's frames to know the latter. It
// runs on every frame of every wire spec, whatever the spec is about.
type FrameJudge struct {
	mu      sync.Mutex
	session *harness.Session
	iface   [6]byte // the target's interface MAC

	judging   bool // the connection is offloaded
	neighbor  ndis.NeighborOffloadStateConst
	dest      ndis.DlAddress
	local     netip.AddrPort
	remote    netip.AddrPort
	pathMTU   uint32
	tcpConst  ndis.TCPOffloadStateConst
	tcpCached ndis.TCPOffloadStateCached

	base      ndis.SeqNum // SndUna at offload: the first byte of stream
	stream    []byte      // the host's send data from base on
	calls     []int       // where each MiniportTcpOffloadSend call's data starts in stream
	rcvBase   ndis.SeqNum // RcvNxt at offload
	peerEnd   ndis.SeqNum // one past the last sequence number the peer has sent (FIN counted)
	peerSeen  bool
	peerFIN   bool        // the peer has sent its FIN
	peerAcked ndis.SeqNum // the highest acknowledgment the peer has sent
	finSeq    ndis.SeqNum // the sequence number of the target's FIN, when it sent one
	sentFIN   bool
	sentRST   bool
	rightEdge ndis.SeqNum // the largest right edge of the peer's window so far
	abortive  bool        // the host asked for an abortive disconnect
	sndMax    ndis.SeqNum // one past the highest sequence number sent (the offload's SndMax, then the target's frames)
	acked     ndis.SeqNum // the highest acknowledgment sent (the offload's RcvNxt, then the target's frames)

	found []harness.Violation
	shown map[*rules.Rule]int
}

func init() {
	harness.JudgedElsewhere("wire frames", rules.FrameChecksums, rules.NeighborDlDestinationAddressMeaning, rules.SourceMACOfSentFrames,
		rules.FrameUntaggedWhenNoVlanNoPriority, rules.FrameVlanTagFromNeighbor, rules.FrameTagCFIZero,
		rules.FrameIPAddressesFromPath, rules.TCPConstantVariablesMeaning, rules.FrameIPv4DontFragment, rules.FrameNoIPFragments,
		rules.FrameIPv4IDUpperHalf, rules.FrameTTLFromCachedState, rules.FrameTOSFromCachedState, rules.FrameFlowLabelFromCachedState,
		rules.FrameSegmentSizeBounds, rules.FrameNoTimestampWhenDisabled, rules.FrameNoSACKWhenDisabled,
		rules.TimestampFlagStampsEverySegment, rules.SegmentDataIsTheHosts, rules.SendListOrderFIFO, rules.SendCallsInPostingOrder,
		rules.SegmentWithinPeerWindow, rules.SegmentAcksOnlyReceived, rules.RSTOnlyForAbortiveDisconnect)
	harness.JudgedElsewhere("wire at terminate", rules.TerminateStateMatchesWire, rules.TerminateSendsDelayedAcks)
	harness.JudgedElsewhere("byte ledgers", rules.UploadKeepsTheStream, rules.DeliveryAlgorithmMandatory,
		rules.DataIndicatedWithoutRequests, rules.AfterRefusedIndication, rules.AfterPartiallyAcceptedIndication)
}

// maxShownPerRule bounds the violations kept per rule: a target that gets one header wrong
// gets it wrong on every frame.
const maxShownPerRule = 3

// NewFrameJudge returns a judge reporting to s for a target whose interface MAC is iface.
func NewFrameJudge(s *harness.Session, iface [6]byte) *FrameJudge {
	return &FrameJudge{session: s, iface: iface, shown: map[*rules.Rule]int{}}
}

// Offloaded starts judging the connection offloaded by tree (its one neighbor, path and TCP
// block), with the host's send data from the initiate chain.
func (j *FrameJudge) Offloaded(tree *ndis.MiniportOffloadBlockList) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, v := range ndis.Walk(tree) {
		b := v.Block
		switch v.Layer {
		case ndis.LayerNeighbor:
			j.neighbor, j.dest = *b.NeighborConst, b.NeighborCached.DlDestinationAddress
		case ndis.LayerPath:
			j.local = netip.AddrPortFrom(b.PathConst.SourceAddress, 0)
			j.remote = netip.AddrPortFrom(b.PathConst.DestinationAddress, 0)
			j.pathMTU = b.PathCached.PathMTU
		case ndis.LayerTCP:
			j.tcpConst, j.tcpCached = *b.TCPConst, *b.TCPCached
			d := b.TCPDelegated
			j.base, j.rcvBase = d.SndUna, d.RcvNxt
			j.sndMax, j.acked = d.SndMax, d.RcvNxt
			j.rightEdge = d.SndUna.Add(d.SndWnd)
			j.stream, j.calls = nil, nil
			for _, l := range b.NetBufferListChain.Chain() {
				for _, nb := range l.NetBuffers() {
					j.stream = append(j.stream, nb.Data...)
				}
			}
		}
	}
	j.local = netip.AddrPortFrom(j.local.Addr(), j.tcpConst.LocalPort)
	j.remote = netip.AddrPortFrom(j.remote.Addr(), j.tcpConst.RemotePort)
	j.judging = true
}

// HostSent records the send data the host handed over in one MiniportTcpOffloadSend call.
func (j *FrameJudge) HostSent(data []byte) {
	j.mu.Lock()
	j.calls = append(j.calls, len(j.stream))
	j.stream = append(j.stream, data...)
	j.mu.Unlock()
}

// Aborting records that the host asked for an abortive disconnect: a RST is due.
func (j *FrameJudge) Aborting() {
	j.mu.Lock()
	j.abortive = true
	j.mu.Unlock()
}

// Uploaded stops judging: the connection is the host stack's again.
func (j *FrameJudge) Uploaded() {
	j.mu.Lock()
	j.judging = false
	j.mu.Unlock()
}

// Terminated judges the delegated state a terminate completion hands back against the wire;
// it runs inside the completion call, so that no later frame counts.
func (j *FrameJudge) Terminated(d *ndis.TCPOffloadStateDelegated) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.judging = false
	if d == nil {
		return
	}
	add := func(r *rules.Rule, format string, args ...any) {
		j.found = append(j.found, harness.Violation{Rule: r, Op: harness.Terminate, Path: "tcp delegated", Message: fmt.Sprintf(format, args...)})
	}
	j.session.Count(rules.TerminateStateMatchesWire)
	if d.SndMax != j.sndMax {
		add(rules.TerminateStateMatchesWire, "SndMax %d returned; the highest sequence number sent is %d (the target's frames, or the offload's SndMax)", d.SndMax, j.sndMax)
	} else if !d.SndUna.LessThanEq(d.SndNxt) || !d.SndNxt.LessThanEq(d.SndMax) {
		add(rules.TerminateStateMatchesWire, "SndUna %d, SndNxt %d, SndMax %d returned: SndNxt is not between SndUna and SndMax", d.SndUna, d.SndNxt, d.SndMax)
	}
	j.session.Count(rules.TerminateSendsDelayedAcks)
	if d.RcvNxt != j.acked {
		add(rules.TerminateSendsDelayedAcks, "RcvNxt %d returned, and the highest acknowledgment the target sent before completing is %d: %d bytes received and never acknowledged",
			d.RcvNxt, j.acked, j.acked.Size(d.RcvNxt))
	}
}

// PeerSent returns how many data bytes the peer has sent since the offload (its sequence
// space, FIN excluded, counted from the RcvNxt the connection was offloaded with).
func (j *FrameJudge) PeerSent() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.peerSeen || j.peerEnd.LessThan(j.rcvBase) {
		return 0
	}
	n := int(j.rcvBase.Size(j.peerEnd))
	if j.peerFIN {
		n--
	}
	return n
}

// Stream returns the host's send data from the SndUna the connection was offloaded with on:
// the initiate chain and every MiniportTcpOffloadSend call, in order.
func (j *FrameJudge) Stream() (ndis.SeqNum, []byte) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.base, append([]byte(nil), j.stream...)
}

// SentFIN reports whether the target has sent a FIN, and SentRST a RST.
func (j *FrameJudge) SentFIN() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.sentFIN
}

func (j *FrameJudge) SentRST() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.sentRST
}

// PeerAckedFIN reports whether the peer has acknowledged the target's FIN (and so all the
// data before it).
func (j *FrameJudge) PeerAckedFIN() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.sentFIN && j.finSeq.LessThan(j.peerAcked)
}

// PeerFINTaken reports whether the peer has sent its FIN and the target acknowledged it.
func (j *FrameJudge) PeerFINTaken() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.peerFIN && j.acked == j.peerEnd
}

// AllAcked reports whether the target has acknowledged everything the peer has sent.
func (j *FrameJudge) AllAcked() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.peerSeen && j.acked == j.peerEnd
}

// Violations returns what the judge found since the last call.
func (j *FrameJudge) Violations() []harness.Violation {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := j.found
	j.found = nil
	return out
}

// Frame judges one frame: a peer's frame updates what the peer has sent and advertised; a
// target's frame of the offloaded connection is held against every rule.
func (j *FrameJudge) Frame(f Frame) {
	p := f.Decode()
	switch f.From {
	case "peer":
		j.peerFrame(p)
	case "target":
		j.targetFrame(f, p)
	}
}

func (j *FrameJudge) peerFrame(p gopacket.Packet) {
	t, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if !ok {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	end := ndis.SeqNum(t.Seq).Add(uint32(len(t.Payload)))
	if t.SYN || t.FIN {
		end = end.Add(1)
	}
	j.peerFIN = j.peerFIN || t.FIN
	if !j.peerSeen || j.peerEnd.LessThan(end) {
		j.peerEnd, j.peerSeen = end, true
	}
	if t.ACK && (j.peerAcked == 0 || j.peerAcked.LessThan(ndis.SeqNum(t.Ack))) {
		j.peerAcked = ndis.SeqNum(t.Ack)
	}
	if t.ACK && !t.SYN {
		wnd := uint32(t.Window)
		if j.tcpConst.Flags&ndis.TCPFlagWindowScalingEnabled != 0 {
			wnd <<= j.tcpConst.SndWindScale & 0xF
		}
		if edge := ndis.SeqNum(t.Ack).Add(wnd); j.rightEdge.LessThan(edge) {
			j.rightEdge = edge
		}
	}
}

func (j *FrameJudge) targetFrame(f Frame, p gopacket.Packet) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.judging {
		return
	}
	j.check(rules.FrameChecksums, f, func() string {
		if errs := Check(p); len(errs) > 0 {
			return fmt.Sprint(errs)
		}
		return ""
	})
	eth, _ := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	if eth == nil {
		return
	}
	j.check(rules.NeighborDlDestinationAddressMeaning, f, func() string {
		if want := net.HardwareAddr(j.dest[:6]); !bytes.Equal(eth.DstMAC, want) {
			return fmt.Sprintf("destination MAC %s, the neighbor's DlDestinationAddress is %s", eth.DstMAC, want)
		}
		return ""
	})
	j.check(rules.SourceMACOfSentFrames, f, func() string {
		want := net.HardwareAddr(j.iface[:])
		if src := j.neighbor.DlSourceAddress; src != (ndis.DlAddress{}) {
			want = net.HardwareAddr(src[:6])
		}
		if !bytes.Equal(eth.SrcMAC, want) {
			return fmt.Sprintf("source MAC %s, want %s", eth.SrcMAC, want)
		}
		return ""
	})
	j.judgeVLAN(f, p)
	ip := p.NetworkLayer()
	tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if ip == nil || tcp == nil {
		return
	}
	j.check(rules.FrameIPAddressesFromPath, f, func() string { return j.addressProblem(ip, nil) })
	j.check(rules.TCPConstantVariablesMeaning, f, func() string { return j.portProblem(tcp) })
	if v4, ok := ip.(*layers.IPv4); ok {
		j.check(rules.FrameIPv4DontFragment, f, func() string {
			if v4.Flags&layers.IPv4DontFragment == 0 {
				return fmt.Sprintf("IPv4 flags %s: Don't Fragment is clear", v4.Flags)
			}
			return ""
		})
		j.check(rules.FrameNoIPFragments, f, func() string {
			if v4.Flags&layers.IPv4MoreFragments != 0 || v4.FragOffset != 0 {
				return fmt.Sprintf("an IP fragment: flags %s, fragment offset %d", v4.Flags, v4.FragOffset)
			}
			return ""
		})
		j.check(rules.FrameIPv4IDUpperHalf, f, func() string {
			if v4.Id < 0x8000 {
				return fmt.Sprintf("IP ID 0x%04x is in the host stack's half (0x0000-0x7FFF)", v4.Id)
			}
			return ""
		})
	}
	j.judgeIPFields(f, ip)
	j.check(rules.FrameSegmentSizeBounds, f, func() string { return j.sizeProblem(ip, tcp) })
	j.judgeOptions(f, tcp)
	if j.tcpConst.Flags&ndis.TCPFlagTimestampEnabled != 0 {
		j.check(rules.TimestampFlagStampsEverySegment, f, func() string {
			for _, o := range tcp.Options {
				if o.OptionType == layers.TCPOptionKindTimestamps {
					return ""
				}
			}
			if tcp.RST {
				return "" // RFC 1323 3.2 asks for the option on every non-RST segment
			}
			return "no timestamp option, and TCP_FLAG_TIMESTAMP_ENABLED is set"
		})
	}
	j.judgeData(f, tcp)
	j.check(rules.SegmentWithinPeerWindow, f, func() string {
		if len(tcp.Payload) == 0 {
			return ""
		}
		if end := ndis.SeqNum(tcp.Seq).Add(uint32(len(tcp.Payload))); j.rightEdge.LessThan(end) {
			return fmt.Sprintf("data ends at %d, %d bytes past the right edge %d of the largest window the peer advertised", end, j.rightEdge.Size(end), j.rightEdge)
		}
		return ""
	})
	j.check(rules.SegmentAcksOnlyReceived, f, func() string {
		if !tcp.ACK {
			return ""
		}
		ack := ndis.SeqNum(tcp.Ack)
		if ack.LessThan(j.rcvBase) {
			return fmt.Sprintf("acknowledges %d, behind the RcvNxt %d the connection was offloaded with", ack, j.rcvBase)
		}
		if j.peerSeen && j.peerEnd.LessThan(ack) {
			return fmt.Sprintf("acknowledges %d, %d past the end %d of what the peer has sent", ack, j.peerEnd.Size(ack), j.peerEnd)
		}
		return ""
	})
	end := ndis.SeqNum(tcp.Seq).Add(uint32(len(tcp.Payload)))
	if tcp.FIN {
		j.finSeq, j.sentFIN = end, true
		end = end.Add(1)
	}
	j.sentRST = j.sentRST || tcp.RST
	if j.sndMax.LessThan(end) {
		j.sndMax = end
	}
	if tcp.ACK && j.acked.LessThan(ndis.SeqNum(tcp.Ack)) {
		j.acked = ndis.SeqNum(tcp.Ack)
	}
	j.check(rules.RSTOnlyForAbortiveDisconnect, f, func() string {
		if tcp.RST && !j.abortive {
			return "a RST, and the host asked for no abortive disconnect"
		}
		return ""
	})
}

// check judges one rule on one frame; problem returns what is wrong, or "".
func (j *FrameJudge) check(r *rules.Rule, f Frame, problem func() string) {
	j.session.Count(r)
	msg := problem()
	if msg == "" {
		return
	}
	j.report(r, f, msg)
}

// report records a violation of r on frame f, up to maxShownPerRule per rule.
func (j *FrameJudge) report(r *rules.Rule, f Frame, msg string) {
	j.shown[r]++
	if j.shown[r] > maxShownPerRule {
		return
	}
	j.found = append(j.found, harness.Violation{Rule: r, Path: fmt.Sprintf("frame %d", f.Index),
		Message: fmt.Sprintf("%s\n  %s", msg, f)})
}

// judgeVLAN holds the frame's 802.1Q tag against the neighbor's VlanId and the connection's
// UserPriority (the tagging algorithm of the 802.1Q pages). The priority bits are held only
// where UserPriority is zero: a target without 802.1p, which it may lack, leaves them zero
// whatever UserPriority says (CONFLICT-FRAME-03).
func (j *FrameJudge) judgeVLAN(f Frame, p gopacket.Packet) {
	q, tagged := p.Layer(layers.LayerTypeDot1Q).(*layers.Dot1Q)
	vid, prio := j.neighbor.VlanID&0xFFF, j.tcpCached.UserPriority&7
	if vid == 0 && prio == 0 {
		j.check(rules.FrameUntaggedWhenNoVlanNoPriority, f, func() string {
			if tagged {
				return fmt.Sprintf("an 802.1Q tag (VLAN %d, priority %d); the neighbor's VlanId and the connection's UserPriority are both zero", q.VLANIdentifier, q.Priority)
			}
			return ""
		})
	}
	if vid != 0 {
		j.check(rules.FrameVlanTagFromNeighbor, f, func() string {
			switch {
			case !tagged:
				return fmt.Sprintf("no 802.1Q tag; the neighbor's VlanId is %d", vid)
			case q.VLANIdentifier != vid:
				return fmt.Sprintf("802.1Q tag VLAN %d; the neighbor's VlanId is %d", q.VLANIdentifier, vid)
			case prio == 0 && q.Priority != 0:
				return fmt.Sprintf("802.1Q tag priority %d; the connection's UserPriority is 0", q.Priority)
			}
			return ""
		})
	}
	if tagged {
		j.check(rules.FrameTagCFIZero, f, func() string {
			if q.DropEligible {
				return "the 802.1Q tag's CFI bit is set"
			}
			return ""
		})
	}
}

func (j *FrameJudge) addressProblem(ip gopacket.NetworkLayer, _ *layers.TCP) string {
	src, _ := netip.AddrFromSlice(ip.NetworkFlow().Src().Raw())
	dst, _ := netip.AddrFromSlice(ip.NetworkFlow().Dst().Raw())
	if src.Unmap() != j.local.Addr() || dst.Unmap() != j.remote.Addr() {
		return fmt.Sprintf("%s > %s; the path is %s > %s", src.Unmap(), dst.Unmap(), j.local.Addr(), j.remote.Addr())
	}
	return ""
}

func (j *FrameJudge) portProblem(tcp *layers.TCP) string {
	if uint16(tcp.SrcPort) != j.local.Port() || uint16(tcp.DstPort) != j.remote.Port() {
		return fmt.Sprintf("TCP ports %d > %d; the connection's LocalPort and RemotePort are %d > %d", tcp.SrcPort, tcp.DstPort, j.local.Port(), j.remote.Port())
	}
	return ""
}

// judgeIPFields holds TTL or hop limit, TOS or traffic class and the flow label against the
// connection's cached values.
func (j *FrameJudge) judgeIPFields(f Frame, ip gopacket.NetworkLayer) {
	c := j.tcpCached
	var ttl, tos uint8
	v6, is6 := ip.(*layers.IPv6)
	switch v := ip.(type) {
	case *layers.IPv4:
		ttl, tos = v.TTL, v.TOS
	case *layers.IPv6:
		ttl, tos = v.HopLimit, v.TrafficClass
	}
	j.check(rules.FrameTTLFromCachedState, f, func() string {
		if ttl != c.TtlOrHopLimit {
			return fmt.Sprintf("TTL or hop limit %d; the connection's TtlOrHopLimit is %d", ttl, c.TtlOrHopLimit)
		}
		return ""
	})
	j.check(rules.FrameTOSFromCachedState, f, func() string {
		if tos != c.TosOrTrafficClass {
			return fmt.Sprintf("TOS or traffic class 0x%02x; the connection's TosOrTrafficClass is 0x%02x", tos, c.TosOrTrafficClass)
		}
		return ""
	})
	if is6 {
		j.check(rules.FrameFlowLabelFromCachedState, f, func() string {
			if v6.FlowLabel != c.FlowLabel&0xFFFFF {
				return fmt.Sprintf("flow label 0x%05x; the connection's FlowLabel is 0x%05x", v6.FlowLabel, c.FlowLabel&0xFFFFF)
			}
			return ""
		})
	}
}

func (j *FrameJudge) sizeProblem(ip gopacket.NetworkLayer, tcp *layers.TCP) string {
	optBytes := int(tcp.DataOffset)*4 - 20
	if n := len(tcp.Payload) + optBytes; len(tcp.Payload) > 0 && n > int(j.tcpConst.RemoteMss) {
		return fmt.Sprintf("%d data bytes and %d option bytes, more than the peer's RemoteMss %d", len(tcp.Payload), optBytes, j.tcpConst.RemoteMss)
	}
	var length int
	switch v := ip.(type) {
	case *layers.IPv4:
		length = int(v.Length)
	case *layers.IPv6:
		length = int(v.Length) + 40
	}
	if j.pathMTU > 0 && length > int(j.pathMTU) {
		return fmt.Sprintf("a %d-byte datagram, longer than the PathMtu %d", length, j.pathMTU)
	}
	return ""
}

// judgeOptions: no option the connection's constant flags leave disabled.
func (j *FrameJudge) judgeOptions(f Frame, tcp *layers.TCP) {
	has := func(kind layers.TCPOptionKind) bool {
		for _, o := range tcp.Options {
			if o.OptionType == kind {
				return true
			}
		}
		return false
	}
	if j.tcpConst.Flags&ndis.TCPFlagTimestampEnabled == 0 {
		j.check(rules.FrameNoTimestampWhenDisabled, f, func() string {
			if has(layers.TCPOptionKindTimestamps) {
				return "a timestamp option, and TCP_FLAG_TIMESTAMP_ENABLED is clear"
			}
			return ""
		})
	}
	if j.tcpConst.Flags&ndis.TCPFlagSackEnabled == 0 {
		j.check(rules.FrameNoSACKWhenDisabled, f, func() string {
			if has(layers.TCPOptionKindSACK) {
				return "SACK blocks, and TCP_FLAG_SACK_ENABLED is clear"
			}
			return ""
		})
	}
}

// judgeData holds a segment's data against the host's send data at its sequence numbers. A
// mismatch found elsewhere in the host's data is misordered: within one call (XMIT-003) or
// across calls (XMIT-004, a SHOULD); data found nowhere, or past what was handed over, was
// never the host's (WIRE-002).
func (j *FrameJudge) judgeData(f Frame, tcp *layers.TCP) {
	if len(tcp.Payload) == 0 {
		return
	}
	j.session.Count(rules.SendListOrderFIFO)
	j.session.Count(rules.SendCallsInPostingOrder)
	j.check(rules.SegmentDataIsTheHosts, f, func() string {
		seq := ndis.SeqNum(tcp.Seq)
		if seq.LessThan(j.base) {
			return fmt.Sprintf("data at %d, before SndUna %d at offload: data the peer had acknowledged before the offload", seq, j.base)
		}
		off := int(j.base.Size(seq))
		end := off + len(tcp.Payload)
		if end > len(j.stream) {
			return fmt.Sprintf("data at offsets %d-%d of the send stream (from SndUna %d), and the host has handed over only %d bytes", off, end, j.base, len(j.stream))
		}
		i := firstDiff(j.stream[off:end], tcp.Payload)
		if i < 0 {
			return ""
		}
		mismatch := fmt.Sprintf("byte %d of the segment (sequence %d) is 0x%02x; the host's send data there is 0x%02x", i, seq.Add(uint32(i)), tcp.Payload[i], j.stream[off+i])
		at := bytes.Index(j.stream, tcp.Payload[i:min(len(tcp.Payload), i+32)])
		if len(tcp.Payload)-i < 16 || at < 0 {
			return mismatch + ", and no run of the host's data holds the segment's bytes from there"
		}
		r := rules.SendCallsInPostingOrder
		if j.callOf(at) == j.callOf(off+i) {
			r = rules.SendListOrderFIFO
		}
		j.report(r, f, fmt.Sprintf("%s: the segment's bytes from there are the host's bytes at offset %d (sequence %d), out of the order the host handed them over", mismatch, at, j.base.Add(uint32(at))))
		return ""
	})
}

// callOf returns the index of the send call that handed over the stream byte at off (-1 for
// the initiate chain).
func (j *FrameJudge) callOf(off int) int {
	for i := len(j.calls) - 1; i >= 0; i-- {
		if off >= j.calls[i] {
			return i
		}
	}
	return -1
}

package tcp

import (
	"encoding/binary"
	"errors"
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// Key names a connection by its two ends, seen from the target: Local is the address and
// port of the host's side (the path's SourceAddress and the connection's LocalPort), Remote
// the peer's.
type Key struct {
	Local, Remote netip.AddrPort
}

// Segment is a received TCP segment, decoded.
type Segment struct {
	Key    Key    // from the target's side: the segment's destination is Local
	Tagged bool   // the frame carried an 802.1Q tag
	VlanID uint16 // the tag's VLAN identifier

	Seq, Ack                     ndis.SeqNum
	SYN, ACK, FIN, RST, PSH, URG bool
	Window                       uint16 // as on the wire, not yet scaled

	// HasTimestamp reports a timestamps option (RFC 7323) with TSval and TSecr.
	HasTimestamp bool
	TSval, TSecr uint32
	// MSS and WindowScale are the options of a SYN: zero and -1 when absent.
	MSS         uint16
	WindowScale int

	Payload []byte
}

// Len returns the sequence space the segment occupies: its data, and one for a SYN or FIN.
func (s *Segment) Len() uint32 {
	n := uint32(len(s.Payload))
	if s.SYN {
		n++
	}
	if s.FIN {
		n++
	}
	return n
}

// Reasons a frame is not a segment the engine processes. The target hands such frames to
// the host stack unprocessed (NdisMIndicateReceiveNetBufferLists).
var (
	ErrNotTCP      = errors.New("not a TCP segment over IPv4 or IPv6")
	ErrIPOptions   = errors.New("IPv4 options or a fragment: the host stack processes them")
	ErrBadChecksum = errors.New("bad IPv4 header or TCP checksum")
)

// ParseFrame decodes an Ethernet frame (with or without an 802.1Q tag) carrying a TCP segment
// over IPv4 or IPv6 and verifies its IPv4 header and TCP checksums, as a NIC does before it
// hands a segment to an offloaded connection. The segment's payload aliases frame.
func ParseFrame(frame []byte) (*Segment, error) {
	var (
		eth   layers.Ethernet
		dot1q layers.Dot1Q
		ip4   layers.IPv4
		ip6   layers.IPv6
		tcp   layers.TCP
	)
	p := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &dot1q, &ip4, &ip6, &tcp)
	p.IgnoreUnsupported = true
	var decoded []gopacket.LayerType
	if err := p.DecodeLayers(frame, &decoded); err != nil {
		return nil, ErrNotTCP
	}
	s := &Segment{}
	var src, dst netip.Addr
	var pseudo uint32
	var raw []byte // the whole TCP segment, header and data
	haveTCP := false
	for _, t := range decoded {
		switch t {
		case layers.LayerTypeDot1Q:
			s.Tagged, s.VlanID = true, dot1q.VLANIdentifier
		case layers.LayerTypeIPv4:
			if ip4.IHL != 5 || ip4.Flags&layers.IPv4MoreFragments != 0 || ip4.FragOffset != 0 {
				return nil, ErrIPOptions
			}
			if fold(onesSum(0, ip4.Contents)) != 0xffff {
				return nil, ErrBadChecksum
			}
			src, _ = netip.AddrFromSlice(ip4.SrcIP.To4())
			dst, _ = netip.AddrFromSlice(ip4.DstIP.To4())
			raw = ip4.Payload
			pseudo = pseudoHeader(src, dst, len(raw))
		case layers.LayerTypeIPv6:
			if ip6.NextHeader != layers.IPProtocolTCP {
				return nil, ErrNotTCP // extension headers are the host stack's
			}
			src, _ = netip.AddrFromSlice(ip6.SrcIP.To16())
			dst, _ = netip.AddrFromSlice(ip6.DstIP.To16())
			raw = ip6.Payload
			pseudo = pseudoHeader(src, dst, len(raw))
		case layers.LayerTypeTCP:
			haveTCP = true
		}
	}
	if !haveTCP || !src.IsValid() {
		return nil, ErrNotTCP
	}
	if fold(onesSum(pseudo, raw)) != 0xffff {
		return nil, ErrBadChecksum
	}
	fillSegment(s, &tcp)
	s.Key = Key{Local: netip.AddrPortFrom(dst, uint16(tcp.DstPort)), Remote: netip.AddrPortFrom(src, uint16(tcp.SrcPort))}
	return s, nil
}

// ParseTCP decodes a bare TCP segment, header first, as MiniportTcpOffloadForward hands them
// over. The host stack has verified it; without the IP header there is no pseudo header to
// check the checksum against, and the key's addresses are left zero.
func ParseTCP(b []byte) (*Segment, error) {
	var tcp layers.TCP
	if err := tcp.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
		return nil, ErrNotTCP
	}
	s := &Segment{}
	fillSegment(s, &tcp)
	s.Key = Key{Local: netip.AddrPortFrom(netip.Addr{}, uint16(tcp.DstPort)), Remote: netip.AddrPortFrom(netip.Addr{}, uint16(tcp.SrcPort))}
	return s, nil
}

func fillSegment(s *Segment, t *layers.TCP) {
	s.Seq, s.Ack = ndis.SeqNum(t.Seq), ndis.SeqNum(t.Ack)
	s.SYN, s.ACK, s.FIN, s.RST, s.PSH, s.URG = t.SYN, t.ACK, t.FIN, t.RST, t.PSH, t.URG
	s.Window = t.Window
	s.Payload = t.Payload
	s.WindowScale = -1
	for _, o := range t.Options {
		switch {
		case o.OptionType == layers.TCPOptionKindTimestamps && len(o.OptionData) == 8:
			s.HasTimestamp = true
			s.TSval = binary.BigEndian.Uint32(o.OptionData)
			s.TSecr = binary.BigEndian.Uint32(o.OptionData[4:])
		case o.OptionType == layers.TCPOptionKindMSS && len(o.OptionData) == 2:
			s.MSS = binary.BigEndian.Uint16(o.OptionData)
		case o.OptionType == layers.TCPOptionKindWindowScale && len(o.OptionData) == 1:
			s.WindowScale = int(min(o.OptionData[0], 14))
		}
	}
}

// pseudoHeader is the ones' complement sum of the IPv4 or IPv6 pseudo header of a TCP
// segment of length bytes.
func pseudoHeader(src, dst netip.Addr, length int) uint32 {
	s := onesSum(0, src.AsSlice())
	s = onesSum(s, dst.AsSlice())
	return s + uint32(layers.IPProtocolTCP) + uint32(length>>16) + uint32(length&0xffff)
}

// onesSum adds b to sum as 16-bit big-endian words (an odd last byte padded with zero).
func onesSum(sum uint32, b []byte) uint32 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	return sum
}

// fold folds the carries of a ones' complement sum into 16 bits.
func fold(sum uint32) uint16 {
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

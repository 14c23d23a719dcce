// Package wire is the suite's simulated Ethernet link: it carries frames between two ports,
// decodes every frame with gopacket, checks what gopacket does not (the IPv4 header checksum
// and the TCP and UDP checksums over their pseudo-headers), and writes every frame to a pcap
// file that opens in Wireshark. One end is a real TCP peer, gVisor's netstack (peer.go); the
// other is the host's side, where the target's link and the host stack's own endpoint
// (endpoint.go) share the port (rig.go).
package wire

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Direction is the way a frame crossed the wire: from port A to port B, or back.
type Direction int

const (
	AToB Direction = iota + 1
	BToA
)

func (d Direction) String() string {
	switch d {
	case AToB:
		return "A→B"
	case BToA:
		return "B→A"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

// Frame is one Ethernet frame that crossed the wire.
type Frame struct {
	Index int           // 1-based, in the order frames crossed, both directions together (as in the pcap)
	Dir   Direction     // which way it went
	At    time.Duration // since the wire was made
	Data  []byte        // the whole frame, from the destination MAC on
	From  string        // who transmitted it ("target", "host", "peer"), when known
}

// Decode decodes the frame with gopacket's layers.
func (f Frame) Decode() gopacket.Packet {
	return gopacket.NewPacket(f.Data, layers.LayerTypeEthernet, gopacket.Default)
}

// String names the frame and its headers in one line, as a failure message shows it.
func (f Frame) String() string {
	from := f.Dir.String()
	if f.From != "" {
		from = f.From + ", " + from
	}
	return fmt.Sprintf("frame %d (%s, %s): %s", f.Index, from, f.At.Round(time.Microsecond), Summary(f.Decode()))
}

// Summary is a one-line account of a decoded frame's headers: addresses, ports, flags,
// sequence and acknowledgment numbers, window, options and payload length.
func Summary(p gopacket.Packet) string {
	var parts []string
	if eth, ok := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet); ok {
		parts = append(parts, fmt.Sprintf("%s > %s", eth.SrcMAC, eth.DstMAC))
	}
	if q, ok := p.Layer(layers.LayerTypeDot1Q).(*layers.Dot1Q); ok {
		parts = append(parts, fmt.Sprintf("vlan %d prio %d", q.VLANIdentifier, q.Priority))
	}
	if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
		parts = append(parts, fmt.Sprintf("IPv4 %s > %s ttl %d tos %#x", ip.SrcIP, ip.DstIP, ip.TTL, ip.TOS))
	}
	if ip, ok := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6); ok {
		parts = append(parts, fmt.Sprintf("IPv6 %s > %s hlim %d tc %#x flow %#x", ip.SrcIP, ip.DstIP, ip.HopLimit, ip.TrafficClass, ip.FlowLabel))
	}
	if arp, ok := p.Layer(layers.LayerTypeARP).(*layers.ARP); ok {
		parts = append(parts, fmt.Sprintf("ARP op %d", arp.Operation))
	}
	if t, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP); ok {
		parts = append(parts, fmt.Sprintf("TCP %d > %d [%s] seq %d ack %d win %d%s len %d",
			t.SrcPort, t.DstPort, tcpFlags(t), t.Seq, t.Ack, t.Window, tcpOptions(t), len(t.Payload)))
	}
	if e := p.ErrorLayer(); e != nil {
		parts = append(parts, "undecodable: "+e.Error().Error())
	}
	return strings.Join(parts, ", ")
}

func tcpFlags(t *layers.TCP) string {
	var f []string
	for _, x := range []struct {
		on   bool
		name string
	}{{t.SYN, "S"}, {t.FIN, "F"}, {t.RST, "R"}, {t.PSH, "P"}, {t.ACK, "."}, {t.URG, "U"}, {t.ECE, "E"}, {t.CWR, "C"}} {
		if x.on {
			f = append(f, x.name)
		}
	}
	return strings.Join(f, "")
}

func tcpOptions(t *layers.TCP) string {
	var o []string
	for _, opt := range t.Options {
		switch opt.OptionType {
		case layers.TCPOptionKindMSS:
			if len(opt.OptionData) == 2 {
				o = append(o, fmt.Sprintf("mss %d", binary.BigEndian.Uint16(opt.OptionData)))
			}
		case layers.TCPOptionKindWindowScale:
			if len(opt.OptionData) == 1 {
				o = append(o, fmt.Sprintf("wscale %d", opt.OptionData[0]))
			}
		case layers.TCPOptionKindSACKPermitted:
			o = append(o, "sackOK")
		case layers.TCPOptionKindSACK:
			o = append(o, "sack")
		case layers.TCPOptionKindTimestamps:
			if len(opt.OptionData) == 8 {
				o = append(o, fmt.Sprintf("TS val %d ecr %d", binary.BigEndian.Uint32(opt.OptionData), binary.BigEndian.Uint32(opt.OptionData[4:])))
			}
		}
	}
	if len(o) == 0 {
		return ""
	}
	return " <" + strings.Join(o, ",") + ">"
}

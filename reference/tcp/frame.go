package tcp

import (
	"encoding/binary"
	"net"
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// Route is what the layers below the connection say about its frames: the neighbor's MAC
// addresses and VLAN, the path's addresses and MTU.
type Route struct {
	LocalMAC  [6]byte // the neighbor's DlSourceAddress, or the port's own address when it is NULL
	RemoteMAC [6]byte // the neighbor's DlDestinationAddress
	VlanID    uint16  // the neighbor's VlanId; zero for none
	Local     netip.Addr
	Remote    netip.Addr
	PathMTU   uint32
}

// outSegment is a segment the connection is about to transmit.
type outSegment struct {
	seq, ack                    ndis.SeqNum
	syn, ackFlag, fin, rst, psh bool
	window                      uint16
	mss                         uint16 // the MSS option, on a SYN only
	wscale                      int    // the window scale option, on a SYN only; -1 for none
	timestamp                   bool
	tsVal, tsEcr                uint32
	payload                     []byte
}

// ipv4HeaderLen, ipv6HeaderLen and tcpHeaderLen are the fixed header sizes the MSS leaves
// room for.
const (
	ipv4HeaderLen = 20
	ipv6HeaderLen = 40
	tcpHeaderLen  = 20
	// tsOptionLen is what the timestamps option takes in every segment: NOP, NOP, kind 8.
	tsOptionLen = 12
)

// buildFrame serializes a segment into an Ethernet frame with gopacket, lengths and checksums
// computed:
//   - an 802.1Q tag when the neighbor's VlanId or the connection's UserPriority is non-zero,
//     with the VLAN of the neighbor and the priority of the connection
//     (concepts/sending-802-1q-marked-and-802-1p-marked-packets-on-an-offloaded-tcp-co.md);
//   - IPv4 with DF always set and an IP ID from the upper half of the ID space
//     (concepts/sending-data-from-an-offload-target.md), TTL and TOS from the cached state;
//   - IPv6 with the hop limit, traffic class and flow label of the cached state.
func buildFrame(r Route, cached *ndis.TCPOffloadStateCached, ipID uint16, localPort, remotePort uint16, s *outSegment) ([]byte, error) {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr(r.LocalMAC[:]), DstMAC: net.HardwareAddr(r.RemoteMAC[:])}
	ipType := layers.EthernetTypeIPv4
	if r.Local.Is6() {
		ipType = layers.EthernetTypeIPv6
	}
	all := []gopacket.SerializableLayer{eth}
	if prio := cached.UserPriority & 7; r.VlanID != 0 || prio != 0 {
		eth.EthernetType = layers.EthernetTypeDot1Q
		all = append(all, &layers.Dot1Q{Priority: prio, VLANIdentifier: r.VlanID & 0xfff, Type: ipType})
	} else {
		eth.EthernetType = ipType
	}
	var network gopacket.NetworkLayer
	if r.Local.Is6() {
		ip := &layers.IPv6{
			Version: 6, TrafficClass: cached.TosOrTrafficClass, FlowLabel: cached.FlowLabel & 0xfffff,
			NextHeader: layers.IPProtocolTCP, HopLimit: cached.TtlOrHopLimit,
			SrcIP: net.IP(r.Local.AsSlice()), DstIP: net.IP(r.Remote.AsSlice()),
		}
		network = ip
		all = append(all, ip)
	} else {
		ip := &layers.IPv4{
			Version: 4, IHL: 5, TOS: cached.TosOrTrafficClass, Id: ipID, Flags: layers.IPv4DontFragment,
			TTL: cached.TtlOrHopLimit, Protocol: layers.IPProtocolTCP,
			SrcIP: net.IP(r.Local.AsSlice()), DstIP: net.IP(r.Remote.AsSlice()),
		}
		network = ip
		all = append(all, ip)
	}
	t := &layers.TCP{
		SrcPort: layers.TCPPort(localPort), DstPort: layers.TCPPort(remotePort),
		Seq: uint32(s.seq), Ack: uint32(s.ack),
		SYN: s.syn, ACK: s.ackFlag, FIN: s.fin, RST: s.rst, PSH: s.psh,
		Window: s.window,
	}
	if s.syn {
		t.Options = append(t.Options, layers.TCPOption{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: binary.BigEndian.AppendUint16(nil, s.mss)})
		if s.wscale >= 0 {
			t.Options = append(t.Options,
				layers.TCPOption{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
				layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{byte(s.wscale)}})
		}
	}
	if s.timestamp {
		data := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, s.tsVal), s.tsEcr)
		t.Options = append(t.Options,
			layers.TCPOption{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
			layers.TCPOption{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
			layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: data})
	}
	if err := t.SetNetworkLayerForChecksum(network); err != nil {
		return nil, err
	}
	all = append(all, t, gopacket.Payload(s.payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, all...); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

package remote

import (
	"fmt"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

func limitToPB(l target.Limit) *pb.Limit { return &pb.Limit{Value: l.Value, Declared: l.Declared} }
func limitFromPB(l *pb.Limit) target.Limit {
	return target.Limit{Value: l.GetValue(), Declared: l.GetDeclared()}
}

func infoToPB(in target.Info) *pb.Info {
	c, l := in.Capabilities.TCPConnectionOffload, in.Capabilities.Limits
	vlans := &pb.VlanIds{Declared: l.InterfaceVLANIDs.Declared}
	for _, id := range l.InterfaceVLANIDs.IDs {
		vlans.Ids = append(vlans.Ids, uint32(id))
	}
	return &pb.Info{
		Name: in.Name, Vendor: in.Vendor, Version: in.Version,
		TcpConnectionOffload: &pb.TcpConnectionOffload{
			Encapsulation: c.Encapsulation, SupportIpv4: c.SupportIPv4, SupportIpv6: c.SupportIPv6,
			SupportIpv6ExtensionHeaders: c.SupportIPv6ExtensionHeaders, SupportSack: c.SupportSack,
			CongestionAlgorithm: uint32(c.CongestionAlgorithm), TcpConnectionOffloadCapacity: c.TCPConnectionOffloadCapacity, Flags: c.Flags,
		},
		Limits: &pb.Limits{
			TcpEntries: limitToPB(l.TCPEntries), PathEntries: limitToPB(l.PathEntries), NeighborEntries: limitToPB(l.NeighborEntries),
			HostMemoryObjects: limitToPB(l.HostMemoryObjects), SourceIpAddressEntries: limitToPB(l.SourceIPAddressEntries),
			ConfigurableSourceMac: &pb.Flag{Value: l.ConfigurableSourceMAC.Value, Declared: l.ConfigurableSourceMAC.Declared},
			SourceMacEntries:      limitToPB(l.SourceMACEntries), InterfaceVlanIds: vlans, VlanEntries: limitToPB(l.VLANEntries),
			MaxInitialRcvWnd: limitToPB(l.MaxInitialRcvWnd), MaxPathMtu: limitToPB(l.MaxPathMTU),
			TransmitBuffers: limitToPB(l.TransmitBuffers), ReceiveBuffers: limitToPB(l.ReceiveBuffers),
		},
	}
}

func infoFromPB(m *pb.Info) (target.Info, error) {
	c, l := m.GetTcpConnectionOffload(), m.GetLimits()
	if c.GetCongestionAlgorithm() > 0xF {
		return target.Info{}, fmt.Errorf("congestion_algorithm %d does not fit 4 bits", c.GetCongestionAlgorithm())
	}
	var ids []uint16
	for _, id := range l.GetInterfaceVlanIds().GetIds() {
		if id > 0xFFF {
			return target.Info{}, fmt.Errorf("interface VLAN ID %d does not fit 12 bits", id)
		}
		ids = append(ids, uint16(id))
	}
	return target.Info{
		Name: m.GetName(), Vendor: m.GetVendor(), Version: m.GetVersion(),
		Capabilities: target.Capabilities{
			TCPConnectionOffload: target.TCPConnectionOffload{
				Encapsulation: c.GetEncapsulation(), SupportIPv4: c.GetSupportIpv4(), SupportIPv6: c.GetSupportIpv6(),
				SupportIPv6ExtensionHeaders: c.GetSupportIpv6ExtensionHeaders(), SupportSack: c.GetSupportSack(),
				CongestionAlgorithm: uint8(c.GetCongestionAlgorithm()), TCPConnectionOffloadCapacity: c.GetTcpConnectionOffloadCapacity(), Flags: c.GetFlags(),
			},
			Limits: target.Limits{
				TCPEntries: limitFromPB(l.GetTcpEntries()), PathEntries: limitFromPB(l.GetPathEntries()), NeighborEntries: limitFromPB(l.GetNeighborEntries()),
				HostMemoryObjects: limitFromPB(l.GetHostMemoryObjects()), SourceIPAddressEntries: limitFromPB(l.GetSourceIpAddressEntries()),
				ConfigurableSourceMAC: target.Flag{Value: l.GetConfigurableSourceMac().GetValue(), Declared: l.GetConfigurableSourceMac().GetDeclared()},
				SourceMACEntries:      limitFromPB(l.GetSourceMacEntries()),
				InterfaceVLANIDs:      target.VLANIDs{IDs: ids, Declared: l.GetInterfaceVlanIds().GetDeclared()},
				VLANEntries:           limitFromPB(l.GetVlanEntries()), MaxInitialRcvWnd: limitFromPB(l.GetMaxInitialRcvWnd()),
				MaxPathMTU: limitFromPB(l.GetMaxPathMtu()), TransmitBuffers: limitFromPB(l.GetTransmitBuffers()), ReceiveBuffers: limitFromPB(l.GetReceiveBuffers()),
			},
		},
	}, nil
}

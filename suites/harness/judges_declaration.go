package harness

import (
	"fmt"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
)

// declarationRules are judged once per session, on what the target declared when it was opened
// (ddi/ns-ntddndis-_ndis_tcp_connection_offload.md).
var declarationRules = []*rules.Rule{rules.ChimneyEncapsulation, rules.IPv4OrIPv6}

// declarationViolations holds the target's NDIS_TCP_CONNECTION_OFFLOAD to the page: one of the
// two chimney encapsulations set (CAP-001), and IPv4, IPv6 or both (CAP-002).
func (s *Session) declarationViolations() []Violation {
	var found []Violation
	c := s.Info.Capabilities.TCPConnectionOffload
	s.judged(rules.ChimneyEncapsulation)
	if c.Encapsulation&(target.EncapsulationIEEE8023|target.EncapsulationIEEELLCSNAPRouted) == 0 {
		found = append(found, Violation{Rule: rules.ChimneyEncapsulation, Message: fmt.Sprintf("Encapsulation = %#x: neither NDIS_ENCAPSULATION_IEEE_802_3 (0x2) nor NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED (0x10) is set", c.Encapsulation)})
	}
	s.judged(rules.IPv4OrIPv6)
	if !c.SupportIPv4 && !c.SupportIPv6 {
		found = append(found, Violation{Rule: rules.IPv4OrIPv6, Message: "neither SupportIPv4 nor SupportIPv6 is set"})
	}
	return found
}

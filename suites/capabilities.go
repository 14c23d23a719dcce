package suites

import (
	"fmt"

	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("NDIS_TCP_CONNECTION_OFFLOAD", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when the target is opened and declares its capabilities", func() {
		It("sets NDIS_ENCAPSULATION_IEEE_802_3, NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED or both in Encapsulation", Rule(rules.ChimneyEncapsulation), func() {
			enc := s.Info.Capabilities.TCPConnectionOffload.Encapsulation
			Expect(enc&(target.EncapsulationIEEE8023|target.EncapsulationIEEELLCSNAPRouted)).NotTo(BeZero(),
				fmt.Sprintf("%s\n  Encapsulation = %#x", harness.Because(rules.ChimneyEncapsulation, 0, ""), enc))
		})

		It("sets SupportIPv4, SupportIPv6 or both", Rule(rules.IPv4OrIPv6), func() {
			c := s.Info.Capabilities.TCPConnectionOffload
			Expect(c.SupportIPv4 || c.SupportIPv6).To(BeTrue(), harness.Because(rules.IPv4OrIPv6, 0, ""))
		})
	})
})

package suites

import (
	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Once an initiate completes, the host frees the buffer that held the connection's buffered
// receive data. The suite overwrites it instead, so a target that kept the host's buffer
// rather than a copy hands back the overwritten bytes at terminate.

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when a connection is offloaded with buffered receive data and the host reuses that buffer afterwards", func() {
		It("copies the bytes BufferedData points to before NdisMInitiateOffloadComplete, so the terminate hands back the original bytes", Rule(rules.InitiateCopiesBufferedReceiveData), func(ctx SpecContext) {
			rule := rules.InitiateCopiesBufferedReceiveData
			data := []byte("bytes received and buffered by the host, not yet delivered to the application")
			tree := fixtures.OneConnection()
			hostBuffer := fixtures.WithBufferedReceiveData(fixtures.TCPBlock(tree), data)
			s.MustInitiate(ctx, tree)
			for _, nb := range hostBuffer.Chain() {
				for b := nb.FirstNetBuffer; b != nil; b = b.Next {
					for i := range b.Data {
						b.Data[i] = 0xEE // the host reuses the buffer it freed
					}
				}
			}
			out := s.MustDo(ctx, harness.Terminate, fixtures.ReferenceTree(tree, fixtures.DelegatedOnly))
			conn := fixtures.TCPBlock(out.Tree)
			got := conn.TCPDelegated.BufferedData
			if got == nil {
				Skip("the target handed back no BufferedData at terminate, so whether it kept a copy does not show")
			}
			Expect(stBytes(got)).To(Equal(data), harness.Because(rule, harness.Initiate, ndis.PathOf(out.Tree, conn))+
				"\n  the bytes handed back at terminate are not those handed over at initiate: the target kept the host's buffer, not a copy")
		})
	})
})

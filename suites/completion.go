package suites

import (
	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("NdisMInitiateOffloadComplete", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	It("is called after MiniportInitiateOffload returns, not inside it", Rule(rules.InitiateHandlerReturnsBeforeCompleting), func(ctx SpecContext) {
		out := s.Initiate(ctx, fixtures.OneConnection())
		Expect(out.Event.DuringCall).To(BeFalse(), harness.Because(rules.InitiateHandlerReturnsBeforeCompleting, harness.Initiate, ""))
	})

	It("writes a Status into every block of the tree", Rule(rules.InitiateStatusInEveryBlock), func(ctx SpecContext) {
		tree := fixtures.SeveralNeighbors(2)
		s.Initiate(ctx, tree)
		for _, v := range ndis.Walk(tree) {
			Expect(v.Block.Status).NotTo(Equal(harness.StatusUnwritten), harness.Because(rules.InitiateStatusInEveryBlock, harness.Initiate, v.Path))
		}
	})
})

package suites

import (
	"github.com/ndis-chimney/conformance/suites/rules"
	. "github.com/onsi/ginkgo/v2"
)

// MiniportTcpOffloadSend on the wire: the host's send data reaches the peer's application
// once and in order, sent within what the peer allows.

var _ = Describe("MiniportTcpOffloadSend", Label("wire"), func() {
	Context("when the host sends a transfer in calls that straddle segment boundaries", func() {
		It("puts the host's bytes, in the host's order, at the sequence numbers that follow SndUna", Rule(rules.SegmentDataIsTheHosts), func(ctx SpecContext) {
			w := openWire(shapeAllOptions)
			w.offload(ctx)
			w.sendInPieces(run.cfg.Wire.TransferSize(), 3*1460+1)
			w.waitDelivered(ctx, w.rig.ToPeer)
		})
	})

	Context("when the host sends in calls of one list and of several", func() {
		It("returns NDIS_STATUS_PENDING from every call", Rule(rules.SendHandlerReturnsPending), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.send(1)
			w.send(1460, 1461, 20000)
			w.sendInPieces(64<<10, 4096)
			w.waitDelivered(ctx, w.rig.ToPeer)
		})
	})

	Context("when the host hands over data in many calls of several lists each", func() {
		It("transmits each call's lists in their order", Rule(rules.SendListOrderFIFO), func(ctx SpecContext) {
			w := openWire(shapeAllOptions)
			w.offload(ctx)
			for range 24 {
				w.send(700, 1, 2900, 1460)
			}
			w.waitDelivered(ctx, w.rig.ToPeer)
		})

		It("transmits the calls' data in the order the calls posted it", Rule(rules.SendCallsInPostingOrder), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			for i := range 64 {
				w.send(100 + 97*i)
			}
			w.waitDelivered(ctx, w.rig.ToPeer)
		})
	})

	Context("when the peer's window, unscaled, is far smaller than the transfer", func() {
		It("sends nothing beyond the right edge of the window the peer advertised", Rule(rules.SegmentWithinPeerWindow), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.sendInPieces(run.cfg.Wire.TransferSize(), 64<<10)
			w.waitDelivered(ctx, w.rig.ToPeer)
		})
	})
})

package suites

import (
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
)

// Received data on the wire: the peer's application writes, and the host receives through
// requests it posts (MiniportTcpOffloadReceive, completed by NdisTcpOffloadReceiveComplete)
// or through indications it accepts, refuses or takes in part (NdisTcpOffloadReceiveHandler),
// every byte once and in order (the peer → host ledger), by the delivery algorithm.

// receiveTransfer offloads a connection of the given shape, has the host keep requests of
// size bytes posted (nonpush mode with noPush) and the peer send n bytes, and waits for them.
func receiveTransfer(ctx SpecContext, shape wireShape, posts, size int, noPush bool, n int) *wireConn {
	GinkgoHelper()
	w := openWire(shape)
	w.offload(ctx)
	if posts > 0 {
		w.keepPosted(posts, size, noPush)
	}
	w.rig.PeerWrite(w.payload(n))
	w.waitDelivered(ctx, w.rig.ToHost)
	return w
}

// indicationsMade returns the receive indications the target has made.
func indicationsMade(w *wireConn) []harness.DataPathCall {
	var out []harness.DataPathCall
	for _, c := range w.s.Host.DataPathCalls() {
		if c.Kind == harness.ReceiveIndicated {
			out = append(out, c)
		}
	}
	return out
}

var _ = Describe("MiniportTcpOffloadReceive", Label("wire"), func() {
	Context("when the host keeps push-mode requests posted while the peer sends a transfer", func() {
		It("delivers the transfer into them by the delivery algorithm: every byte once, in order", Rule(rules.DeliveryAlgorithmMandatory), func(ctx SpecContext) {
			receiveTransfer(ctx, shapeAllOptions, 4, 8<<10, false, run.cfg.Wire.TransferSize())
		})

		It("returns NDIS_STATUS_PENDING from every post", Rule(rules.ReceiveHandlerReturnsPending), func(ctx SpecContext) {
			receiveTransfer(ctx, shapeIPv4, 3, 3000, false, 256<<10)
		})

		It("completes each request once, with an allowed status", Rule(rules.ReceiveCompleteStatusValues), func(ctx SpecContext) {
			receiveTransfer(ctx, shapeIPv4, 2, 5000, false, 256<<10)
		})

		It("counts in TcpOffloadBytesTransferred no more than the buffer holds, and the bytes it placed", Rule(rules.ReceiveCompleteBytesTransferred), func(ctx SpecContext) {
			receiveTransfer(ctx, shapeIPv4, 2, 1000, false, 128<<10)
		})

		It("completes the requests in the order they were posted", Rule(rules.ReceiveCompletesInPostingOrder), func(ctx SpecContext) {
			receiveTransfer(ctx, shapeAllOptions, 6, 2048, false, 256<<10)
		})

		It("never has two receive completions or indications in progress at once", Rule(rules.ReceiveCallsSerializedPerConnection), func(ctx SpecContext) {
			receiveTransfer(ctx, shapeAllOptions, 1, 700, false, 256<<10)
		})
	})

	Context("when the host keeps nonpush-mode requests posted and refuses every indication", func() {
		It("completes each one only when it is full", Rule(rules.NonpushRequestCompletedWhenFull), func(ctx SpecContext) {
			// Refused, data that finds no request posted waits for the next post, so the whole
			// transfer, a multiple of the request size, fills the requests exactly.
			size := 16 << 10
			w := openWire(shapeAllOptions)
			w.offload(ctx)
			w.s.Host.AnswerIndications(func(ndis.Handle, []byte) (ndis.Status, uint32) { return ndis.StatusOffloadDataNotAccepted, 0 })
			w.keepPosted(2, size, true)
			// In writes a quarter of a request long, each ending with a PSH that a nonpush
			// request ignores.
			for range (run.cfg.Wire.TransferSize() / size) * 4 {
				w.rig.PeerWrite(w.payload(size / 4))
			}
			w.waitDelivered(ctx, w.rig.ToHost)
		})
	})

	Context("when the host terminates with requests still posted", func() {
		It("completes every outstanding request before the terminate completes", Rule(rules.TerminateCompletesOutstandingDataCalls), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.post(false, 4096, 4096, 4096)
			w.send(10000)
			w.waitDelivered(ctx, w.rig.ToPeer)
			w.terminate(ctx)
		})

		It("completes every request exactly once, those it completes at terminate included", Rule(rules.ReceiveRequestsAllCompleted), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.post(true, 8192, 8192)
			w.rig.PeerWrite(w.payload(10000))
			w.waitSome(ctx, w.rig.ToHost, 8192)
			w.terminate(ctx)
			w.hostReads(ctx, 10000-w.rig.ToHost.DeliveredBytes())
		})
	})
})

var _ = Describe("NdisTcpOffloadReceiveHandler", Label("wire"), func() {
	Context("when the host posts no request and accepts every indication", func() {
		It("indicates the data, every byte once, in order", Rule(rules.DataIndicatedWithoutRequests), func(ctx SpecContext) {
			w := receiveTransfer(ctx, shapeAllOptions, 0, 0, false, run.cfg.Wire.TransferSize())
			if len(indicationsMade(w)) == 0 {
				Fail("the target delivered the transfer without one receive indication, and the host posted no request")
			}
		})

		DescribeTable("each indication",
			func(ctx SpecContext, r *rules.Rule) {
				w := receiveTransfer(ctx, shapeIPv4, 0, 0, false, 128<<10)
				if w.s.Judged(r.ID) == 0 {
					Fail("[harness] no receive indication was judged")
				}
			},
			Entry("passes Status NDIS_STATUS_SUCCESS", rules.IndicationStatusSuccess, Rule(rules.IndicationStatusSuccess)),
			Entry("is one stand-alone NET_BUFFER_LIST", rules.IndicationStandAloneNBL, Rule(rules.IndicationStandAloneNBL)),
			Entry("has exactly one NET_BUFFER", rules.IndicationOneNetBufferPerNBL, Rule(rules.IndicationOneNetBufferPerNBL)),
			Entry("is left untouched until the host returns it", rules.AcceptedIndicationListsUntouched, Rule(rules.AcceptedIndicationListsUntouched)),
			Entry("is taken back by MiniportTcpOffloadReceiveReturn with NDIS_STATUS_SUCCESS", rules.ReceiveReturnSucceeds, Rule(rules.ReceiveReturnSucceeds)),
		)
	})

	Context("when the host refuses an indication and posts requests later", func() {
		It("keeps the refused data and completes the host's requests with it", Rule(rules.AfterRefusedIndication), func(ctx SpecContext) {
			w := refuseThenPost(ctx)
			w.waitDelivered(ctx, w.rig.ToHost)
		})

		It("indicates nothing more until the host posts", Rule(rules.RefusedDataNotReindicated), func(ctx SpecContext) {
			w := refuseThenPost(ctx)
			w.waitDelivered(ctx, w.rig.ToHost)
		})

		It("fills the requests posted after the refusal before it indicates again", Rule(rules.NormalPostsBeforeIndications), func(ctx SpecContext) {
			w := refuseThenPost(ctx)
			w.waitDelivered(ctx, w.rig.ToHost)
		})
	})

	Context("when the host takes part of an indication", func() {
		It("counts the bytes consumed as delivered and delivers the rest into the requests posted next", Rule(rules.AfterPartiallyAcceptedIndication), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			first := true
			w.s.Host.AnswerIndications(func(_ ndis.Handle, data []byte) (ndis.Status, uint32) {
				if first && len(data) > 1 {
					first = false
					return ndis.StatusOffloadDataPartiallyAccepted, uint32(len(data) / 3)
				}
				return ndis.StatusSuccess, uint32(len(data))
			})
			n := 30000 // within the target's window: held back, it must all reach the target
			w.rig.PeerWrite(w.payload(n))
			w.waitSome(ctx, w.rig.ToHost, 1)
			w.waitQuiet(ctx)
			w.keepPosted(2, 4096, false)
			w.waitDelivered(ctx, w.rig.ToHost)
		})
	})
})

// refuseThenPost has the host refuse every indication, the peer send 48 KB, and once the
// target has acknowledged all of it (so holds it refused), the host post requests for it.
func refuseThenPost(ctx SpecContext) *wireConn {
	GinkgoHelper()
	w := openWire(shapeIPv4)
	w.offload(ctx)
	w.s.Host.AnswerIndications(func(ndis.Handle, []byte) (ndis.Status, uint32) {
		return ndis.StatusOffloadDataNotAccepted, 0
	})
	n := 48 << 10
	w.rig.PeerWrite(w.payload(n))
	w.waitQuiet(ctx)
	if len(indicationsMade(w)) == 0 {
		Fail("[harness] the target made no receive indication with no request posted")
	}
	w.s.Host.AnswerIndications(harness.AcceptAll)
	w.keepPosted(2, 4096, false)
	return w
}

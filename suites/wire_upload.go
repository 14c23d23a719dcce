package suites

import (
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
)

// MiniportTerminateOffload of a live connection: the host terminates the offload in the
// middle of a transfer and carries the connection on from what the terminate hands back.
// The byte ledgers show the upload's integrity: every byte arrives once, in order, whichever
// side sent it and however it travelled (the target, BufferedData, the host stack after).

var _ = Describe("MiniportTerminateOffload", Label("wire"), func() {
	Context("when the host terminates in the middle of sending a transfer", func() {
		It("hands the connection back so that the host stack sends the rest: nothing lost, repeated or reordered", Rule(rules.UploadKeepsTheStream), func(ctx SpecContext) {
			w := openWire(shapeAllOptions)
			w.offload(ctx)
			n := run.cfg.Wire.TransferSize()
			w.sendInPieces(n/2, 8<<10+3)
			By("terminating while the first half is still on its way")
			w.terminate(ctx)
			w.hostWrites(ctx, w.payload(n-n/2))
			w.waitDelivered(ctx, w.rig.ToPeer)
		})
	})

	Context("when the host terminates in the middle of receiving a transfer", func() {
		It("hands the connection back so that the host stack receives the rest: nothing lost, repeated or reordered", Rule(rules.UploadKeepsTheStream), func(ctx SpecContext) {
			w := openWire(shapeAllOptions)
			w.offload(ctx)
			n := run.cfg.Wire.TransferSize()
			w.keepPosted(2, 4<<10, false)
			w.rig.PeerWrite(w.payload(n))
			By("terminating once some of the transfer has been delivered")
			w.waitSome(ctx, w.rig.ToHost, n/8)
			w.terminate(ctx)
			w.hostReads(ctx, n-w.rig.ToHost.DeliveredBytes())
			w.waitDelivered(ctx, w.rig.ToHost)
		})
	})

	Context("when the host terminates while the target holds received data the host refused", func() {
		It("hands that data back in BufferedData, so that the host stack receives it once, in order", Rule(rules.UploadKeepsTheStream), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.s.Host.AnswerIndications(func(ndis.Handle, []byte) (ndis.Status, uint32) {
				return ndis.StatusOffloadDataNotAccepted, 0
			})
			n := 40000
			w.rig.PeerWrite(w.payload(n))
			w.waitQuiet(ctx)
			w.terminate(ctx)
			w.hostReads(ctx, n-w.rig.ToHost.DeliveredBytes())
			w.waitDelivered(ctx, w.rig.ToHost)
		})
	})

	Context("when the host terminates while data flows both ways", func() {
		It("hands back a SndMax and a RcvNxt that the frames on the wire bear out", Rule(rules.TerminateStateMatchesWire), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			n := run.cfg.Wire.TransferSize() / 4
			w.keepPosted(2, 8<<10, false)
			w.sendInPieces(n, 5000)
			w.rig.PeerWrite(w.payload(n))
			w.waitSome(ctx, w.rig.ToHost, n/4)
			w.terminate(ctx)
			w.hostReads(ctx, n-w.rig.ToHost.DeliveredBytes())
			w.waitDelivered(ctx, w.rig.ToPeer)
		})

		It("acknowledges on the wire, before completing, every byte its RcvNxt counts", Rule(rules.TerminateSendsDelayedAcks), func(ctx SpecContext) {
			w := openWire(shapeAllOptions)
			w.offload(ctx)
			n := run.cfg.Wire.TransferSize() / 4
			w.keepPosted(1, 1<<10, true)
			w.rig.PeerWrite(w.payload(n))
			w.waitSome(ctx, w.rig.ToHost, 2<<10)
			w.terminate(ctx)
			w.hostReads(ctx, n-w.rig.ToHost.DeliveredBytes())
		})
	})
})

package suites

import (
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Closing an offloaded connection on the wire: the host's graceful and abortive disconnect
// requests (MiniportTcpOffloadDisconnect, NdisTcpOffloadDisconnectComplete) and the peer's
// FIN and RST (NdisTcpOffloadEventHandler).

// gracefulClose offloads a connection, sends n bytes and asks for a graceful disconnect; it
// waits for the peer's application to read everything and see the end, and returns the
// disconnect's completion.
func gracefulClose(ctx SpecContext, shape wireShape, n int) (*wireConn, harness.DataPathCall) {
	GinkgoHelper()
	w := openWire(shape)
	w.offload(ctx)
	if n > 0 {
		w.sendInPieces(n, 10000)
	}
	l := w.disconnect(ndis.DisconnectGracefulClose)
	c := w.waitDisconnected(ctx, l)
	w.waitDelivered(ctx, w.rig.ToPeer)
	return w, c
}

// abortiveClose offloads a connection, sends n bytes without waiting, asks for an abortive
// disconnect and returns its completion.
func abortiveClose(ctx SpecContext, n int) (*wireConn, harness.DataPathCall) {
	GinkgoHelper()
	w := openWire(shapeIPv4)
	w.offload(ctx)
	w.sendInPieces(n, 16<<10)
	l := w.disconnect(ndis.DisconnectAbortiveClose)
	return w, w.waitDisconnected(ctx, l)
}

var _ = Describe("MiniportTcpOffloadDisconnect", Label("wire"), func() {
	Context("when the host asks for a graceful disconnect after sending data", func() {
		It("returns NDIS_STATUS_PENDING", Rule(rules.DisconnectHandlerReturnsPending), func(ctx SpecContext) {
			gracefulClose(ctx, shapeIPv4, 1000)
		})

		It("sends a FIN after the data", Rule(rules.GracefulDisconnectSendsFIN), func(ctx SpecContext) {
			gracefulClose(ctx, shapeAllOptions, 200<<10)
		})

		It("completes with NDIS_STATUS_SUCCESS only once the peer has acknowledged the FIN", Rule(rules.GracefulDisconnectSuccessMeansAcked), func(ctx SpecContext) {
			gracefulClose(ctx, shapeIPv4, 64<<10)
		})

		It("completes with the request's own list", Rule(rules.DisconnectCompletesOwnNBL), func(ctx SpecContext) {
			gracefulClose(ctx, shapeIPv4, 0)
		})

		It("completes with NDIS_STATUS_SUCCESS, UPLOAD_IN_PROGRESS or REQUEST_ABORTED", Rule(rules.GracefulDisconnectStatusValues), func(ctx SpecContext) {
			gracefulClose(ctx, shapeIPv4, 3000)
		})
	})

	Context("when the host asks for an abortive disconnect with sends outstanding", func() {
		It("sends a RST", Rule(rules.AbortiveDisconnectSendsRST), func(ctx SpecContext) {
			abortiveClose(ctx, 256<<10)
		})

		It("has completed every outstanding send before it completes", Rule(rules.AbortiveDisconnectAbortsSends), func(ctx SpecContext) {
			abortiveClose(ctx, 512<<10)
		})
	})
})

var _ = Describe("NdisTcpOffloadEventHandler", Label("wire"), func() {
	Context("when the peer sends data and then a FIN", func() {
		It("indicates TcpIndicateDisconnect", Rule(rules.PeerFINIndicatesDisconnect), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.keepPosted(2, 4096, false)
			w.rig.PeerWrite(w.payload(20000))
			w.waitDelivered(ctx, w.rig.ToHost)
			Expect(w.rig.PeerClose(false, run.cfg.Wire.StallTimeout())).To(Succeed())
			w.waitEvent(ctx, ndis.TcpIndicateDisconnect)
		})

		It("names only event types TCP_OFFLOAD_EVENT_TYPE defines", Rule(rules.EventTypes), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			Expect(w.rig.PeerClose(false, run.cfg.Wire.StallTimeout())).To(Succeed())
			w.waitEvent(ctx, ndis.TcpIndicateDisconnect)
		})

		It("indicates the disconnect only once the data before the FIN has reached the host", Rule(rules.DisconnectIndicatedAfterDataConsumed), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.s.Host.AnswerIndications(func(ndis.Handle, []byte) (ndis.Status, uint32) {
				return ndis.StatusOffloadDataNotAccepted, 0
			})
			w.rig.PeerWrite(w.payload(30000))
			Expect(w.rig.PeerClose(false, run.cfg.Wire.StallTimeout())).To(Succeed())
			By("posting requests only once the FIN has arrived, with the data still held")
			w.waitPeerFIN(ctx)
			w.s.Host.AnswerIndications(harness.AcceptAll)
			w.keepPosted(2, 8192, false)
			w.waitDelivered(ctx, w.rig.ToHost)
			w.waitEvent(ctx, ndis.TcpIndicateDisconnect)
		})
	})

	Context("when the peer resets the connection", func() {
		It("indicates TcpIndicateAbort", Rule(rules.PeerRSTIndicatesAbort), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			w.dp.PeerReset()
			Expect(w.rig.PeerClose(true, 0)).To(Succeed())
			w.waitEvent(ctx, ndis.TcpIndicateAbort)
		})

		It("completes the outstanding receive requests with NDIS_STATUS_REQUEST_ABORTED", Rule(rules.PeerRSTAbortsRequests), func(ctx SpecContext) {
			w := openWire(shapeIPv4)
			w.offload(ctx)
			posted := w.post(false, 4096, 4096)
			w.dp.PeerReset()
			Expect(w.rig.PeerClose(true, 0)).To(Succeed())
			w.waitEvent(ctx, ndis.TcpIndicateAbort)
			for _, l := range posted {
				w.waitCall(ctx, "the completion of "+l.String(), func(c harness.DataPathCall) bool {
					return c.Kind == harness.ReceiveCompleted && containsList(c.Lists, l)
				})
			}
		})
	})
})

func containsList(lists []*ndis.NetBufferList, l *ndis.NetBufferList) bool {
	for _, x := range lists {
		if x == l {
			return true
		}
	}
	return false
}

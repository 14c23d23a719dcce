package suites

import (
	"fmt"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/suites/wire"
	. "github.com/onsi/ginkgo/v2"
)

// The frames a target transmits for an offloaded connection, held against the offloaded
// state by the frame judge (suites/wire/judges.go), which runs on every frame of every wire
// spec. Each spec here makes its rule's situation arise on a connection shaped for it, moves
// data both ways, and fails with the judge's findings, each naming its frame decoded.

var (
	shapeIPv4 = wireShape{name: "IPv4, no options", cfg: wire.RigConfig{Options: wire.Options{WindowScale: -1}}}
	shapeIPv6 = wireShape{name: "IPv6 with timestamps and window scaling", cfg: wire.RigConfig{IPv6: true,
		Options: wire.Options{WindowScale: 7, Timestamps: true}}}
	shapeAllOptions = wireShape{name: "IPv4 with timestamps, window scaling and SACK-permitted", cfg: wire.RigConfig{
		Options: wire.Options{WindowScale: 2, Timestamps: true, SACK: true}}}
)

// frameExchangeBytes is what each frame spec moves each way: a few dozen segments.
const frameExchangeBytes = 48 << 10

// exchangeOn offloads a connection of the given shape, moves frameExchangeBytes each way,
// and checks that r was judged on the target's frames.
func exchangeOn(ctx SpecContext, shape wireShape, r *rules.Rule) {
	GinkgoHelper()
	w := openWire(shape)
	w.offload(ctx)
	w.keepPosted(4, 16<<10, false)
	w.sendInPieces(frameExchangeBytes, 1460*3+17)
	w.rig.PeerWrite(w.payload(frameExchangeBytes))
	w.waitDelivered(ctx, w.rig.ToPeer)
	w.waitDelivered(ctx, w.rig.ToHost)
	w.checkpoint()
	if w.s.Judged(r.ID) == 0 {
		Fail(fmt.Sprintf("[harness] the target transmitted no frame on which %s could be judged", r.ID))
	}
}

var _ = Describe("Frames of an offloaded connection", Label("wire"), func() {
	DescribeTable("every frame the target transmits",
		func(ctx SpecContext, shape wireShape, r *rules.Rule) { exchangeOn(ctx, shape, r) },
		Entry("has correct IPv4 and TCP checksums", shapeIPv4, rules.FrameChecksums, Rule(rules.FrameChecksums)),
		Entry("has correct TCP checksums over the IPv6 pseudo-header", shapeIPv6, rules.FrameChecksums, Rule(rules.FrameChecksums), Capability("ipv6")),
		Entry("is addressed to the neighbor's DlDestinationAddress", shapeIPv4, rules.FrameDestinationMAC, Rule(rules.FrameDestinationMAC)),
		Entry("leaves from the interface's MAC when the neighbor has no DlSourceAddress", shapeIPv4, rules.SourceMACOfSentFrames, Rule(rules.SourceMACOfSentFrames)),
		Entry("carries the path's addresses and the connection's ports", shapeIPv4, rules.FrameAddressesAndPorts, Rule(rules.FrameAddressesAndPorts)),
		Entry("has Don't Fragment set and is no fragment", shapeIPv4, rules.FrameDontFragment, Rule(rules.FrameDontFragment)),
		Entry("has an IP ID in the target's half of the ID space", shapeIPv4, rules.FrameIPID, Rule(rules.FrameIPID)),
		Entry("carries the connection's TTL and TOS", shapeIPv4, rules.FrameTTLAndTOS, Rule(rules.FrameTTLAndTOS)),
		Entry("stays within the peer's MSS and the path MTU", shapeAllOptions, rules.FrameSegmentSize, Rule(rules.FrameSegmentSize)),
		Entry("carries only the options the connection negotiated", shapeIPv4, rules.FrameNegotiatedOptions, Rule(rules.FrameNegotiatedOptions)),
		Entry("carries a timestamp when timestamps are enabled", shapeAllOptions, rules.TimestampFlagStampsEverySegment, Rule(rules.TimestampFlagStampsEverySegment)),
		Entry("acknowledges only what the peer sent", shapeIPv4, rules.SegmentAcksOnlyReceived, Rule(rules.SegmentAcksOnlyReceived)),
		Entry("sends no RST unless the host asks for an abortive disconnect", shapeIPv4, rules.ResetOnlyOnAbortiveDisconnect, Rule(rules.ResetOnlyOnAbortiveDisconnect)),
	)

	It("carries the neighbor's VLAN ID in an 802.1Q tag", Rule(rules.FrameVLANTag), Capability("interfaceVLANIDs"), func(ctx SpecContext) {
		exchangeOn(ctx, wireShape{name: "IPv4 on a VLAN", cfg: wire.RigConfig{Options: wire.Options{WindowScale: -1}}, vlan: true}, rules.FrameVLANTag)
	})
})

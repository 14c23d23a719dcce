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
		Entry("is addressed to the neighbor's DlDestinationAddress, the next hop's MAC", shapeIPv4, rules.NeighborDlDestinationAddressMeaning, Rule(rules.NeighborDlDestinationAddressMeaning)),
		Entry("leaves from the interface's MAC when the neighbor has no DlSourceAddress", shapeIPv4, rules.SourceMACOfSentFrames, Rule(rules.SourceMACOfSentFrames)),
		Entry("carries no 802.1Q tag when VlanId and UserPriority are both zero", shapeIPv4, rules.FrameUntaggedWhenNoVlanNoPriority, Rule(rules.FrameUntaggedWhenNoVlanNoPriority)),
		Entry("goes from the path's source address to its destination address", shapeIPv6, rules.FrameIPAddressesFromPath, Rule(rules.FrameIPAddressesFromPath), Capability("ipv6")),
		Entry("goes from the connection's LocalPort to its RemotePort", shapeIPv4, rules.TCPConstantVariablesMeaning, Rule(rules.TCPConstantVariablesMeaning)),
		Entry("has Don't Fragment set", shapeIPv4, rules.FrameIPv4DontFragment, Rule(rules.FrameIPv4DontFragment)),
		Entry("is no IP fragment", shapeIPv4, rules.FrameNoIPFragments, Rule(rules.FrameNoIPFragments)),
		Entry("has an IP ID in the target's half of the ID space", shapeIPv4, rules.FrameIPv4IDUpperHalf, Rule(rules.FrameIPv4IDUpperHalf)),
		Entry("carries the connection's TtlOrHopLimit", shapeIPv4, rules.FrameTTLFromCachedState, Rule(rules.FrameTTLFromCachedState)),
		Entry("carries the connection's TosOrTrafficClass", shapeIPv6, rules.FrameTOSFromCachedState, Rule(rules.FrameTOSFromCachedState), Capability("ipv6")),
		Entry("carries the connection's FlowLabel over IPv6", shapeIPv6, rules.FrameFlowLabelFromCachedState, Rule(rules.FrameFlowLabelFromCachedState), Capability("ipv6")),
		Entry("stays within the peer's RemoteMss and the path's PathMtu", shapeAllOptions, rules.FrameSegmentSizeBounds, Rule(rules.FrameSegmentSizeBounds)),
		Entry("carries no timestamp when timestamps are disabled", shapeIPv4, rules.FrameNoTimestampWhenDisabled, Rule(rules.FrameNoTimestampWhenDisabled)),
		Entry("carries no SACK blocks when SACK is disabled", shapeIPv6, rules.FrameNoSACKWhenDisabled, Rule(rules.FrameNoSACKWhenDisabled), Capability("ipv6")),
		Entry("carries a timestamp when timestamps are enabled", shapeAllOptions, rules.TimestampFlagStampsEverySegment, Rule(rules.TimestampFlagStampsEverySegment)),
		Entry("acknowledges only what the peer sent", shapeIPv4, rules.SegmentAcksOnlyReceived, Rule(rules.SegmentAcksOnlyReceived)),
		Entry("is no RST, since the host asks for no abortive disconnect", shapeIPv4, rules.RSTOnlyForAbortiveDisconnect, Rule(rules.RSTOnlyForAbortiveDisconnect)),
	)

	Context("when the neighbor has a VLAN ID configured on the interface", Capability("interfaceVLANIDs"), func() {
		vlan := wireShape{name: "IPv4 on a VLAN", cfg: wire.RigConfig{Options: wire.Options{WindowScale: -1}}, vlan: true}
		It("carries an 802.1Q tag with the neighbor's VLAN ID", Rule(rules.FrameVlanTagFromNeighbor), func(ctx SpecContext) {
			exchangeOn(ctx, vlan, rules.FrameVlanTagFromNeighbor)
		})
		It("carries a tag whose CFI bit is zero", Rule(rules.FrameTagCFIZero), func(ctx SpecContext) {
			exchangeOn(ctx, vlan, rules.FrameTagCFIZero)
		})
	})
})

package suites

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Generated traffic: every rule the wire's judges apply, judged over traffic patterns drawn
// from a seed (the connection's shape, the host's sends in calls of several lists, its
// receive requests in push or nonpush mode, how it answers indications, what the peer's
// application writes, and how the connection ends: not at all, by a terminate, a graceful or
// abortive disconnect, the peer's FIN or RST). Each pattern runs on its own target and wire;
// every judge runs on every frame and callback. The pattern and its seed are in the report,
// so a failing one can be run again as it was.

// trafficPattern is one drawn pattern of traffic on an offloaded connection.
type trafficPattern struct {
	seed   uint64
	shape  wireShape
	sends  [][]int // MiniportTcpOffloadSend calls, each with its lists' sizes
	posts  int     // receive requests kept posted (0: none, the data is indicated)
	size   int     // their size
	noPush bool
	answer string // how indications are answered: accept, refuse-then-post, partial
	peer   []int  // the peer application's writes
	end    string // none, terminate, graceful, abortive, peer-fin, peer-rst
}

func (p trafficPattern) String() string {
	return fmt.Sprintf("seed %d: %s; sends %v; posts %d×%d nonpush=%v; indications %s; peer writes %v; ends %s",
		p.seed, p.shape.name, p.sends, p.posts, p.size, p.noPush, p.answer, p.peer, p.end)
}

var patternShapes = []wireShape{shapeIPv4, shapeAllOptions, shapeIPv6}

// drawPattern draws a pattern from seed; sizes are spread over orders of magnitude, so that
// one byte, a segment's worth and many segments all occur.
func drawPattern(seed uint64, ipv6 bool, vlan bool) trafficPattern {
	rng := rand.New(rand.NewPCG(seed, 0x70a77e))
	size := func(max int) int { return 1 + int(float64(max)*rng.Float64()*rng.Float64()*rng.Float64()) }
	p := trafficPattern{seed: seed}
	shapes := patternShapes
	if !ipv6 {
		shapes = shapes[:2]
	}
	p.shape = shapes[rng.IntN(len(shapes))]
	if vlan && rng.IntN(3) == 0 {
		p.shape.vlan, p.shape.name = true, p.shape.name+", on a VLAN"
	}
	for range rng.IntN(5) {
		var lists []int
		for range 1 + rng.IntN(3) {
			lists = append(lists, size(40000))
		}
		p.sends = append(p.sends, lists)
	}
	p.answer = []string{"accept", "refuse-then-post", "partial"}[rng.IntN(3)]
	if rng.IntN(2) == 0 || p.answer != "accept" {
		p.posts, p.size, p.noPush = 1+rng.IntN(3), size(16384), rng.IntN(3) == 0
	}
	limit := 40000 // what the target may have to hold back, within its receive window
	for range rng.IntN(3) {
		n := min(size(30000), limit)
		if n > 0 {
			p.peer = append(p.peer, n)
			limit -= n
		}
	}
	p.end = []string{"none", "none", "terminate", "graceful", "abortive", "peer-fin", "peer-rst"}[rng.IntN(7)]
	if p.noPush && p.end != "terminate" {
		p.noPush = false // a nonpush request not filled completes only at a terminate
	}
	return p
}

// focusOn steers a pattern towards r's situation, as the state properties' focus does: the
// end a disconnect, event or terminate rule needs, the answer a refusal rule needs.
func focusOn(p trafficPattern, r *rules.Rule, vlan bool) trafficPattern {
	rng := rand.New(rand.NewPCG(p.seed, 0xf0c05))
	has := func(op string) bool {
		for _, o := range r.Ops {
			if o == op {
				return true
			}
		}
		return false
	}
	switch {
	case r.ID == "RECV-016":
		p.noPush, p.end = true, "terminate"
		p.posts, p.size = max(p.posts, 1), max(p.size, 2048)
	case r.ID == "RECV-038" || r.ID == "RECV-040" || r.ID == "RECV-041":
		p.answer = "refuse-then-post"
	case r.ID == "RECV-039":
		p.answer = "partial"
	case strings.HasPrefix(r.ID, "FRAME-016") || strings.HasPrefix(r.ID, "FRAME-017"):
		p.shape.vlan = vlan
	case has(rules.OpDisconnect):
		p.end = []string{"graceful", "abortive", "peer-fin", "peer-rst"}[rng.IntN(4)]
	case has(rules.OpTerminate):
		p.end = "terminate"
	}
	if p.answer != "accept" && len(p.peer) == 0 {
		p.peer = []int{1 + rng.IntN(20000)}
	}
	if p.posts == 0 && p.answer != "accept" {
		p.posts, p.size = 1, 4096
	}
	if p.noPush && p.end != "terminate" {
		p.noPush = false
	}
	return p
}

// runPattern plays a pattern and reports how many times it judged r.
func runPattern(ctx SpecContext, p trafficPattern, r *rules.Rule) int {
	GinkgoHelper()
	By("traffic pattern " + p.String())
	w := openWire(p.shape)
	w.offload(ctx)
	refusing := p.answer != "accept"
	if refusing {
		first := true
		w.s.Host.AnswerIndications(func(_ ndis.Handle, data []byte) (ndis.Status, uint32) {
			if p.answer == "partial" && first && len(data) > 1 {
				first = false
				return ndis.StatusOffloadDataPartiallyAccepted, uint32(len(data) / 2)
			}
			if p.answer == "partial" {
				return ndis.StatusSuccess, uint32(len(data))
			}
			return ndis.StatusOffloadDataNotAccepted, 0
		})
	}
	for _, call := range p.sends {
		w.send(call...)
	}
	peerBytes := 0
	for _, n := range p.peer {
		w.rig.PeerWrite(w.payload(n))
		peerBytes += n
	}
	if peerBytes > 0 && refusing {
		w.waitQuiet(ctx) // everything the peer sent is with the target, held back
		w.s.Host.AnswerIndications(harness.AcceptAll)
	}
	if p.posts > 0 {
		w.keepPosted(p.posts, p.size, p.noPush)
	} else if refusing && peerBytes > 0 {
		w.keepPosted(1, 4096, false) // the refused data waits for a post
	}
	switch p.end {
	case "none", "peer-fin":
		w.waitDelivered(ctx, w.rig.ToPeer)
		w.waitDelivered(ctx, w.rig.ToHost)
		if p.end == "peer-fin" {
			Expect(w.rig.PeerClose(false, run.cfg.Wire.StallTimeout())).To(Succeed())
			w.waitEvent(ctx, ndis.TcpIndicateDisconnect)
		}
	case "terminate":
		if peerBytes > 0 {
			w.waitQuiet(ctx) // all of it with the target, some perhaps in an unfilled request
		}
		w.terminate(ctx)
		w.hostReads(ctx, w.rig.ToHost.Written()-w.rig.ToHost.DeliveredBytes())
		w.waitDelivered(ctx, w.rig.ToPeer)
	case "graceful":
		w.waitDelivered(ctx, w.rig.ToHost)
		l := w.disconnect(ndis.DisconnectGracefulClose)
		w.waitDisconnected(ctx, l)
		w.waitDelivered(ctx, w.rig.ToPeer)
	case "abortive":
		w.waitDelivered(ctx, w.rig.ToHost)
		w.waitDisconnected(ctx, w.disconnect(ndis.DisconnectAbortiveClose))
	case "peer-rst":
		w.waitDelivered(ctx, w.rig.ToPeer)
		w.waitDelivered(ctx, w.rig.ToHost)
		w.dp.PeerReset()
		Expect(w.rig.PeerClose(true, 0)).To(Succeed())
		w.waitEvent(ctx, ndis.TcpIndicateAbort)
	}
	w.checkpoint()
	return w.s.Judged(r.ID)
}

// wireCases is how many patterns each generated-traffic spec plays: a quarter of
// properties.cases (each pattern runs a target and a TCP peer), at least 3.
func wireCases() int { return max(3, caseCount()/4) }

// patternSeed is the seed of r's i-th pattern: from properties.seed (or, with "random", the
// run's random seed) and the rule, so that every rule sees patterns of its own.
func patternSeed(r *rules.Rule, i int) uint64 {
	base := uint64(run.cfg.Properties.Seed)
	if base == 0 {
		base = uint64(GinkgoRandomSeed())
	}
	h := fnv.New64a()
	h.Write([]byte(r.ID))
	return base*1_000_003 ^ h.Sum64() + uint64(i)
}

var _ = Describe("Generated traffic", Label("generated", "wire"), func() {
	judged := harness.JudgedRules()
	for _, r := range rules.All() {
		if !r.Testable() || len(judged[r.ID]) == 0 || !harness.JudgedOnlyElsewhere(r.ID) {
			continue
		}
		It(fmt.Sprintf("keeps to %s in every generated traffic pattern", r.ID), Rule(r), func(ctx SpecContext) {
			s := open() // only to read the declaration: IPv6 offload, interface VLANs
			ipv6 := s.Info.Capabilities.TCPConnectionOffload.SupportIPv6
			vlan := false
			for _, id := range s.Limits.InterfaceVLANIDs.IDs {
				vlan = vlan || s.Limits.InterfaceVLANIDs.Declared && id != 0
			}
			n := 0
			var played []string
			for i := range wireCases() {
				p := drawPattern(patternSeed(r, i), ipv6, vlan)
				if i%2 == 0 {
					p = focusOn(p, r, vlan) // half the patterns aimed at the rule's situation
				}
				played = append(played, p.String())
				n += runPattern(ctx, p, r)
			}
			if n == 0 {
				Skip(fmt.Sprintf("%s: no generated traffic pattern brought its situation about against this target (%d patterns: %s)",
					r.ID, len(played), strings.Join(played, " | ")))
			}
		})
	}
})

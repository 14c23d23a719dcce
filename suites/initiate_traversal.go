package suites

import (
	"fmt"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The traversal order is invisible while every block fits; a declared bound on the objects a
// target can hold in host memory makes it visible. With room for exactly k more objects, a
// target walking depth-first/breadth-next offloads the first k blocks of that order and
// nothing after them; one walking breadth-first offloads Neighbor2 instead of TCP1's siblings.

// traversalRoom is how many objects the spec leaves room for before the traversal example:
// Neighbor1, Path1, TCP1 and TCP2, so that Path2 is the first block that does not fit.
const traversalRoom = 4

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when host memory has room for exactly four more objects and the traversal example is offloaded", Capability("hostMemoryObjects"), func() {
		It("offloads the first four blocks in depth-first/breadth-next order and none after them", Rule(rules.DepthFirstBreadthNextOrder), func(ctx SpecContext) {
			rule := rules.DepthFirstBreadthNextOrder
			fillHostMemory(ctx, s, traversalRoom)
			ex := fixtures.NewTraversalExample()
			s.Initiate(ctx, ex.Tree)
			for i, v := range ndis.Walk(ex.Tree) {
				name := ex.Names[v.Block]
				took := offloaded(v.Block.Status) && v.Block.Context() != 0
				if i < traversalRoom {
					Expect(took).To(BeTrue(), harness.Because(rule, harness.Initiate, v.Path)+
						fmt.Sprintf("\n  %s is step %d of the order and fits in host memory, yet Status = %s", name, i+1, v.Block.Status))
					continue
				}
				Expect(took).To(BeFalse(), harness.Because(rule, harness.Initiate, v.Path)+
					fmt.Sprintf("\n  %s comes after the %d blocks that fill host memory, yet was offloaded (Status = %s)", name, traversalRoom, v.Block.Status))
			}
		})
	})

	Context("when host memory has room for exactly four more objects and a fifth needs it", Capability("hostMemoryObjects"), func() {
		It("writes NDIS_STATUS_RESOURCES into the first block that does not fit, and into no block that fits", Rule(rules.InitiateResourcesCondition), func(ctx SpecContext) {
			rule := rules.InitiateResourcesCondition
			filled := fillHostMemory(ctx, s, traversalRoom)
			for _, f := range filled {
				for _, v := range f.After.Blocks {
					Expect(v.Members.Status).NotTo(Equal(ndis.StatusResources), harness.Because(rule, harness.Initiate, v.Path))
				}
			}
			ex := fixtures.NewTraversalExample()
			out := s.Initiate(ctx, ex.Tree)
			walk := ndis.Walk(ex.Tree)
			for _, v := range walk[:traversalRoom] {
				Expect(v.Block.Status).NotTo(Equal(ndis.StatusResources), harness.Because(rule, harness.Initiate, v.Path))
			}
			path2 := walk[traversalRoom]
			Expect(path2.Block.Status).To(Equal(ndis.StatusResources), harness.Because(rule, harness.Initiate, out.Path(path2.Block))+
				"\n  Path2 is the first block with no host memory left, and no other declared limit is reached")
		})
	})
})

// fillHostMemory offloads filler trees until the declared host memory has room for exactly
// room more objects, and returns their outcomes. It skips the spec when the host-memory bound
// is undeclared, or when the other declared limits would be reached first (the filler and the
// first room blocks of the traversal example must fit within all of them).
func fillHostMemory(ctx SpecContext, s *harness.Session, room int) []harness.Outcome {
	GinkgoHelper()
	lim := s.Limits
	total := int(needLimit(lim.HostMemoryObjects, "host memory objects"))
	if total < room {
		Skip(fmt.Sprintf("the declared host memory objects (%d) are fewer than %d", total, room))
	}
	// The first room blocks of the example: one neighbor, one path, two connections.
	neighbors, paths, conns := 1, 1, 2
	capacity, _ := connectionCapacity(s)
	left := func(l target.Limit, used int) int {
		if !l.Declared {
			return 1 << 30
		}
		return int(l.Value) - used
	}
	if capacity < conns || left(lim.NeighborEntries, neighbors) < 0 || left(lim.PathEntries, paths) < 0 {
		Skip("the declared limits do not admit the first four blocks of the traversal example")
	}
	var fillers []*ndis.MiniportOffloadBlockList
	for need := total - room; need > 0; {
		var tree *ndis.MiniportOffloadBlockList
		switch k := min(need-2, capacity-conns); {
		case left(lim.NeighborEntries, neighbors) < 1:
			Skip("the declared neighbor entries run out before host memory is filled")
		case need == 1:
			tree, neighbors = fixtures.NeighborOnly(), neighbors+1
		case need == 2 || k < 1:
			if left(lim.PathEntries, paths) < 1 {
				Skip("the declared path entries run out before host memory is filled")
			}
			tree, neighbors, paths = fixtures.NeighborAndPath(), neighbors+1, paths+1
		default:
			if left(lim.PathEntries, paths) < 1 {
				Skip("the declared path entries run out before host memory is filled")
			}
			tree, neighbors, paths, conns = fixtures.ConnectionsOnOnePath(k), neighbors+1, paths+1, conns+k
		}
		need -= len(ndis.Blocks(tree))
		fillers = append(fillers, tree)
	}
	var outs []harness.Outcome
	for _, f := range fillers {
		outs = append(outs, s.MustInitiate(ctx, f))
	}
	return outs
}

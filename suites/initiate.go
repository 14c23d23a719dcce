package suites

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Specs of MiniportInitiateOffload and NdisMInitiateOffloadComplete: the completion, the
// context slots, the per-block statuses and the traversal after a failure. The resource
// statuses, provoked through the declared limits, are in initiate_status.go.

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when a one-connection tree is handed over for initiate", func() {
		It("returns from MiniportInitiateOffload before calling NdisMInitiateOffloadComplete", Rule(rules.InitiateHandlerReturnsBeforeCompleting), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			out := s.Initiate(ctx, tree)
			Expect(out.Event.DuringCall).To(BeFalse(), harness.Because(rules.InitiateHandlerReturnsBeforeCompleting, harness.Initiate, ""))
		})

		It("calls NdisMInitiateOffloadComplete exactly once for the tree", Rule(rules.InitiateCompletedExactlyOnce), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			s.Initiate(ctx, tree)
			Expect(s.Host.CompletionsOf(harness.Initiate, tree)).To(HaveLen(1), harness.Because(rules.InitiateCompletedExactlyOnce, harness.Initiate, ""))
		})

		It("passes NdisMInitiateOffloadComplete the OffloadBlockList pointer MiniportInitiateOffload was given", Rule(rules.InitiateCompletionSamePointer), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			out := s.Initiate(ctx, tree)
			Expect(out.Event.Tree).To(BeIdenticalTo(tree), harness.Because(rules.InitiateCompletionSamePointer, harness.Initiate, ""))
		})

		It("writes a non-NULL PVOID into MiniportOffloadContext of every block it offloaded", Rule(rules.TargetWritesContextOnOffload), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			out := s.Initiate(ctx, tree)
			for _, b := range newOffloads(out) {
				if offloaded(b.Status) {
					Expect(b.Context()).NotTo(BeZero(), harness.Because(rules.TargetWritesContextOnOffload, harness.Initiate, out.Path(b)))
				}
			}
		})

		It("writes NDIS_STATUS_SUCCESS into every block it offloaded with all its immediately dependent blocks", Rule(rules.InitiateSuccessCondition), func(ctx SpecContext) {
			out := s.Initiate(ctx, fixtures.OneConnection())
			expectStatusFromDependents(out, rules.InitiateSuccessCondition, ndis.StatusSuccess, ndis.Blocks(out.Tree)...)
		})
	})

	// Every other spec opens a fresh target and offloads a few dozen objects at most; a target
	// whose contexts run out, wrap to NULL or stop naming their object once it reuses its
	// storage shows only over many offloads on one target.
	Context("when the host offloads and terminates a one-connection tree 300 times on one target", func() {
		It("writes a non-NULL PVOID into MiniportOffloadContext of every block it offloaded, every time", Rule(rules.TargetWritesContextOnOffload), func(ctx SpecContext) {
			for round := range 300 {
				out := s.MustInitiate(ctx, fixtures.OneConnection())
				for _, v := range ndis.Walk(out.Tree) {
					Expect(v.Block.Context()).NotTo(BeZero(), harness.Because(rules.TargetWritesContextOnOffload, harness.Initiate, v.Path)+
						fmt.Sprintf("\n  in offload %d of 300 on one target", round+1))
				}
				s.MustDo(ctx, harness.Terminate, fixtures.ReferenceTree(out.Tree, fixtures.DelegatedOnly))
			}
		})
	})

	Context("when an initiate tree holds a placeholder, a linker to an offloaded path and new connections", func() {
		var tree *ndis.MiniportOffloadBlockList
		BeforeEach(func(ctx SpecContext) {
			first := fixtures.OneConnection()
			s.MustInitiate(ctx, first)
			tree = fixtures.ConnectionOnOffloadedPath(first.DependentBlockList.Context(), 2)
		})

		It("writes a Status into every block, the placeholder and the linker included", Rule(rules.InitiateStatusInEveryBlock), func(ctx SpecContext) {
			s.Initiate(ctx, tree)
			for _, v := range ndis.Walk(tree) {
				Expect(v.Block.Status).NotTo(Equal(harness.StatusUnwritten), harness.Because(rules.InitiateStatusInEveryBlock, harness.Initiate, v.Path))
			}
		})

		It("writes NDIS_STATUS_SUCCESS into the placeholder, the linker and the new connections it offloaded", Rule(rules.InitiateSuccessCondition), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			expectStatusFromDependents(out, rules.InitiateSuccessCondition, ndis.StatusSuccess, ndis.Blocks(tree)...)
		})

		It("leaves the tree as it was at NdisMInitiateOffloadComplete while the host goes on", Rule(rules.InitiateTreeUntouchedAfterCompletion), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			By("offloading another neighbor after the completion")
			s.MustInitiate(ctx, fixtures.NewNeighbor(7))
			changes := harness.Diff(out.After, harness.Take(tree))
			Expect(changes).To(BeEmpty(), harness.Because(rules.InitiateTreeUntouchedAfterCompletion, harness.Initiate, ""))
		})
	})

	Context("when a second initiate is handed over while the first is in progress", func() {
		It("completes each initiate with its own NdisMInitiateOffloadComplete", Rule(rules.InitiateConcurrentInitiates), func(ctx SpecContext) {
			first := fixtures.Under(fixtures.NewNeighbor(1), fixtures.Under(fixtures.NewPath4(1), fixtures.NewConnection(1)))
			second := fixtures.Under(fixtures.NewNeighbor(2), fixtures.Under(fixtures.NewPath4(2), fixtures.NewConnection(2)))
			p1 := s.Begin(harness.Initiate, first)
			p2 := s.Begin(harness.Initiate, second)
			for _, out := range []harness.Outcome{p1.Await(ctx), p2.Await(ctx)} {
				for _, v := range ndis.Walk(out.Tree) {
					Expect(v.Block.Status).To(BeElementOf(initiateStatuses), harness.Because(rules.InitiateConcurrentInitiates, harness.Initiate, v.Path))
				}
			}
		})
	})

	// INIT-034: the first initiate is in progress until its NdisMInitiateOffloadComplete call
	// has returned, so a second one the host starts from inside that call is one INIT-035
	// requires the target to accept. A target that handles it only after the completion has
	// returned never returns from the second handler: the harness gives up after its handler
	// timeout, so the spec fails instead of hanging.
	Context("when the host starts a second initiate from inside NdisMInitiateOffloadComplete of the first", func() {
		It("returns from the second MiniportInitiateOffload and completes each initiate with its own NdisMInitiateOffloadComplete", Rule(rules.InitiateConcurrentInitiates), func(ctx SpecContext) {
			rule := rules.InitiateConcurrentInitiates
			if k := run.cfg.Target.Kind; k == config.KindExec || k == config.KindConnect {
				Skip("the protocol adapter (target/remote) delivers completions on the goroutine that reads its event stream, " +
					"so a handler called from inside a completion would wait for its own CallReturned (open: cmd/mutate/gaps.md)")
			}
			first := fixtures.Under(fixtures.NewNeighbor(1), fixtures.Under(fixtures.NewPath4(1), fixtures.NewConnection(1)))
			second := fixtures.Under(fixtures.NewNeighbor(2), fixtures.Under(fixtures.NewPath4(2), fixtures.NewConnection(2)))
			p2 := s.Prepare(harness.Initiate, second)
			called := make(chan error, 1)
			var once sync.Once
			s.Host.OnCompletion(func(op harness.Op, tree *ndis.MiniportOffloadBlockList) {
				if op == harness.Initiate && tree == first {
					once.Do(func() { called <- p2.Call() })
				}
			})
			out1 := s.Begin(harness.Initiate, first).Await(ctx)
			By("waiting for the MiniportInitiateOffload call made inside the first completion to return")
			var err error
			select {
			case err = <-called:
			case <-time.After(2 * s.Timing.Handler):
				err = fmt.Errorf("NdisMInitiateOffloadComplete did not return within %s", 2*s.Timing.Handler)
			}
			Expect(err).NotTo(HaveOccurred(), harness.Because(rule, harness.Initiate, "")+
				"\n  MiniportInitiateOffload, called by the host from inside NdisMInitiateOffloadComplete of another tree")
			out2 := p2.Await(ctx)
			for _, out := range []harness.Outcome{out1, out2} {
				for _, v := range ndis.Walk(out.Tree) {
					Expect(v.Block.Status).To(BeElementOf(initiateStatuses), harness.Because(rule, harness.Initiate, v.Path))
				}
			}
		})
	})

	Context("when one connection with outstanding send data cannot be offloaded", Capability("maxInitialRcvWnd"), func() {
		var tree, failed *ndis.MiniportOffloadBlockList
		var lists []*ndis.NetBufferList
		BeforeEach(func() {
			tree = fixtures.ConnectionsOnOnePath(2)
			failed = tree.DependentBlockList.DependentBlockList.NextBlock
			lists = fixtures.WithSendData(failed, 100, 100, 200)
			failConnection(s, failed)
		})

		It("leaves NULL in the MiniportOffloadContext location of that connection", Rule(rules.InitiateLeavesContextOnFailure), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			for _, b := range newOffloads(out) {
				if !offloaded(b.Status) {
					Expect(b.Context()).To(BeZero(), harness.Because(rules.InitiateLeavesContextOnFailure, harness.Initiate, out.Path(b)))
				}
			}
			Expect(offloaded(failed.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPRcvWindowCondition, harness.Initiate, out.Path(failed)))
		})

		It("leaves Status of every NET_BUFFER_LIST in that connection's NetBufferListChain unchanged", Rule(rules.FailedInitiateLeavesNBLStatus), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(failed.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPRcvWindowCondition, harness.Initiate, out.Path(failed)))
			for i, l := range lists {
				Expect(l.Status).To(Equal(harness.StatusCanary), harness.Because(rules.FailedInitiateLeavesNBLStatus, harness.Initiate, fmt.Sprintf("%s NetBufferListChain[%d]", out.Path(failed), i)))
			}
		})

		It("does not call NdisTcpOffloadSendComplete for that connection's outstanding send data", Rule(rules.FailedInitiateNoSendComplete), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(failed.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPRcvWindowCondition, harness.Initiate, out.Path(failed)))
			for _, c := range s.Host.SendCompletions() {
				for _, l := range c.Lists {
					Expect(lists).NotTo(ContainElement(BeIdenticalTo(l)), harness.Because(rules.FailedInitiateNoSendComplete, harness.Initiate, out.Path(failed)))
				}
			}
		})

		It("does not write NDIS_STATUS_FAILURE into the connection whose InitialRcvWnd is too large, a cause with its own status", Rule(rules.InitiateFailureCondition), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(failed.Status).NotTo(Equal(ndis.StatusFailure), harness.Because(rules.InitiateFailureCondition, harness.Initiate, out.Path(failed)))
		})
	})

	Context("when one connection more than the connection capacity carries outstanding send data", func() {
		var tree, last *ndis.MiniportOffloadBlockList
		var lists []*ndis.NetBufferList
		BeforeEach(func() {
			m := overCapacity(s)
			tree = fixtures.ConnectionsOnOnePath(m + 1)
			last = tree.DependentBlockList.Dependents()[m]
			lists = fixtures.WithSendData(last, 100, 100, 200)
		})

		It("leaves NULL in the MiniportOffloadContext location of every connection it did not offload", Rule(rules.InitiateLeavesContextOnFailure), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(last.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPEntriesCondition, harness.Initiate, out.Path(last)))
			for _, b := range newOffloads(out) {
				if !offloaded(b.Status) {
					Expect(b.Context()).To(BeZero(), harness.Because(rules.InitiateLeavesContextOnFailure, harness.Initiate, out.Path(b)))
				}
			}
		})

		It("leaves Status of every NET_BUFFER_LIST in the NetBufferListChain of the connection it did not offload unchanged", Rule(rules.FailedInitiateLeavesNBLStatus), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(last.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPEntriesCondition, harness.Initiate, out.Path(last)))
			for i, l := range lists {
				Expect(l.Status).To(Equal(harness.StatusCanary), harness.Because(rules.FailedInitiateLeavesNBLStatus, harness.Initiate, fmt.Sprintf("%s NetBufferListChain[%d]", out.Path(last), i)))
			}
		})

		It("does not call NdisTcpOffloadSendComplete for the outstanding send data of the connection it did not offload", Rule(rules.FailedInitiateNoSendComplete), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(last.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPEntriesCondition, harness.Initiate, out.Path(last)))
			for _, c := range s.Host.SendCompletions() {
				for _, l := range c.Lists {
					Expect(lists).NotTo(ContainElement(BeIdenticalTo(l)), harness.Because(rules.FailedInitiateNoSendComplete, harness.Initiate, out.Path(last)))
				}
			}
		})
	})

	Context("when the first path under a neighbor cannot be offloaded", Capability("maxPathMTU"), func() {
		var tree, failed *ndis.MiniportOffloadBlockList
		BeforeEach(func() {
			// Two connections on each path, so that a skipped block's NextBlock siblings are
			// checked as well as the first dependent.
			tree = fixtures.LongChains(2, 2)
			failed = tree.DependentBlockList
			failPath(s, failed)
		})

		It("offloads no connection that depends on that path", Rule(rules.InitiateNoOffloadUnderFailedBlock), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(failed.Status)).To(BeFalse(), harness.Because(rules.InitiatePathMTUCondition, harness.Initiate, out.Path(failed)))
			for _, b := range ndis.Blocks(failed.DependentBlockList) {
				Expect(offloaded(b.Status)).To(BeFalse(), harness.Because(rules.InitiateNoOffloadUnderFailedBlock, harness.Initiate, out.Path(b)))
				Expect(b.Context()).To(BeZero(), harness.Because(rules.InitiateNoOffloadUnderFailedBlock, harness.Initiate, out.Path(b)))
			}
		})

		It("leaves NULL in the MiniportOffloadContext location of that path", Rule(rules.InitiateLeavesContextOnFailure), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(failed.Status)).To(BeFalse(), harness.Because(rules.InitiatePathMTUCondition, harness.Initiate, out.Path(failed)))
			Expect(failed.Context()).To(BeZero(), harness.Because(rules.InitiateLeavesContextOnFailure, harness.Initiate, out.Path(failed)))
		})

		It("writes NDIS_STATUS_FAILURE into each connection it did not attempt", Rule(rules.InitiateSkippedBlocksGetFailure), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(failed.Status)).To(BeFalse(), harness.Because(rules.InitiatePathMTUCondition, harness.Initiate, out.Path(failed)))
			for _, b := range ndis.Blocks(failed.DependentBlockList) {
				Expect(b.Status).To(Equal(ndis.StatusFailure), harness.Because(rules.InitiateSkippedBlocksGetFailure, harness.Initiate, out.Path(b)))
			}
		})

		It("still attempts the next path and its connections (under pathOrNeighborFailureStopsWholeTree, none of them)", Rule(rules.InitiateFailureSkipsOnlyItsSubtree), func(ctx SpecContext) {
			roomFor(s, 7)
			initiateAfterFailure(ctx, s, tree, failed, rules.InitiatePathMTUCondition, failed.NextBlock)
		})
	})

	Context("when the first of three connections on a path cannot be offloaded", Capability("maxInitialRcvWnd"), func() {
		It("still attempts the connections after it on the NextBlock list: none is left as a skipped block", Rule(rules.InitiateFailureSkipsOnlyItsSubtree), func(ctx SpecContext) {
			roomFor(s, 5)
			tree := fixtures.ConnectionsOnOnePath(3)
			failed := tree.DependentBlockList.DependentBlockList
			failConnection(s, failed)
			initiateAfterFailure(ctx, s, tree, failed, rules.InitiateTCPRcvWindowCondition, failed.NextBlock)
		})
	})

	// A failed first block below the root ends only its own subtree under either reading of
	// CONFLICT-INIT-08: rootFailureStopsWholeTree concerns the block OffloadBlockList points to,
	// not the first block of each level.
	Context("when the first of two new connections under a linker to an offloaded path cannot be offloaded", Capability("maxInitialRcvWnd"), func() {
		It("still attempts the second connection: it is not left as a skipped block", Rule(rules.InitiateFailureSkipsOnlyItsSubtree), func(ctx SpecContext) {
			if m, _ := connectionCapacity(s); m < 2 {
				Skip("the declared connection capacity is below two connections")
			}
			roomFor(s, 4)
			first := s.MustInitiate(ctx, fixtures.OneConnection())
			tree := fixtures.ConnectionOnOffloadedPath(first.Tree.DependentBlockList.Context(), 2)
			failed := tree.DependentBlockList.DependentBlockList
			failConnection(s, failed)
			initiateAfterFailure(ctx, s, tree, failed, rules.InitiateTCPRcvWindowCondition, failed.NextBlock)
		})
	})

	Context("when the only connection under the first of two path linkers below a placeholder cannot be offloaded", Capability("maxInitialRcvWnd"), func() {
		It("still attempts the second linker and its connection: neither is left as a skipped block", Rule(rules.InitiateFailureSkipsOnlyItsSubtree), func(ctx SpecContext) {
			if m, _ := connectionCapacity(s); m < 3 {
				Skip("the declared connection capacity is below three connections")
			}
			limitAtLeast(s.Limits.PathEntries, 2, "path entries")
			roomFor(s, 6)
			first := s.MustInitiate(ctx, fixtures.PathsOnOneNeighbor(2))
			paths := first.Tree.Dependents()
			failed := fixtures.NewConnection(200)
			failConnection(s, failed)
			second := fixtures.Under(fixtures.Linker(ndis.LayerPath, paths[1].Context()), fixtures.NewConnection(201))
			tree := fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor),
				fixtures.Under(fixtures.Linker(ndis.LayerPath, paths[0].Context()), failed), second)
			initiateAfterFailure(ctx, s, tree, failed, rules.InitiateTCPRcvWindowCondition, second)
		})
	})

	Context("when the first dependent of a placeholder root is a new path, with no neighbor below it to depend on, and a path linker follows", func() {
		It("still attempts the linker and its connection (under pathOrNeighborFailureStopsWholeTree, neither)", Rule(rules.InitiateFailureSkipsOnlyItsSubtree), func(ctx SpecContext) {
			if m, _ := connectionCapacity(s); m < 2 {
				Skip("the declared connection capacity is below two connections")
			}
			roomFor(s, 5)
			first := s.MustInitiate(ctx, fixtures.OneConnection())
			orphan := fixtures.NewPath4(100)
			linker := fixtures.Under(fixtures.Linker(ndis.LayerPath, first.Tree.DependentBlockList.Context()), fixtures.NewConnection(100))
			tree := fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), orphan, linker)
			out := s.Initiate(ctx, tree)
			if offloaded(orphan.Status) {
				Skip("the target offloaded a path with no neighbor below it, so nothing failed before the linker")
			}
			expectGoesOnAfter(out, tree, orphan, linker)
		})
	})

	// A linker root carries no state of its own: under either reading its failed dependents do
	// not make it a root whose state could not be offloaded.
	Context("when the root of an initiate tree is a neighbor linker whose only new path cannot be offloaded", Capability("maxPathMTU"), func() {
		It("still attempts the neighbor after the root: it is not left as a skipped block", Rule(rules.InitiateFailureSkipsOnlyItsSubtree), func(ctx SpecContext) {
			limitAtLeast(s.Limits.NeighborEntries, 2, "neighbor entries")
			limitAtLeast(s.Limits.PathEntries, 2, "path entries")
			roomFor(s, 5)
			first := s.MustInitiate(ctx, fixtures.NeighborOnly())
			failed := fixtures.NewPath4(100)
			failPath(s, failed)
			next := fixtures.NewNeighbor(1)
			tree := fixtures.Chain(fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, first.Tree.Context()), failed), next)
			initiateAfterFailure(ctx, s, tree, failed, rules.InitiatePathMTUCondition, next)
		})
	})

	Context("when the root neighbor of an initiate tree cannot be offloaded", Capability("interfaceVLANIDs"), func() {
		It("writes NDIS_STATUS_FAILURE into every path and connection above the root, none of which it attempted", Rule(rules.InitiateSkippedBlocksGetFailure), func(ctx SpecContext) {
			tree := fixtures.LongChains(2, 2)
			failNeighbor(s, tree)
			out := s.Initiate(ctx, tree)
			Expect(offloaded(tree.Status)).To(BeFalse(), harness.Because(rules.InitiateVlanMismatchStatus, harness.Initiate, out.Path(tree)))
			for _, b := range ndis.Blocks(tree.DependentBlockList) {
				Expect(b.Status).To(Equal(ndis.StatusFailure), harness.Because(rules.InitiateSkippedBlocksGetFailure, harness.Initiate, out.Path(b)))
			}
		})

		It("still attempts the neighbors after the root: none is left as a skipped block", Rule(rules.InitiateFailureSkipsOnlyItsSubtree), func(ctx SpecContext) {
			if interpretations().RootFailureStopsWholeTree {
				Skip("CONFLICT-INIT-08 reading: a failed root ends the whole traversal (rootFailureStopsWholeTree is on)")
			}
			roomFor(s, 6)
			tree := fixtures.SeveralNeighbors(2)
			failNeighbor(s, tree)
			out := s.Initiate(ctx, tree)
			Expect(offloaded(tree.Status)).To(BeFalse(), harness.Because(rules.InitiateVlanMismatchStatus, harness.Initiate, out.Path(tree)))
			expectAttempted(out, tree.NextBlock)
		})

		It("offloads nothing the root leads to (nor, under rootFailureStopsWholeTree, the neighbors after it)", Rule(rules.InitiateRootFailureStopsTraversal), func(ctx SpecContext) {
			tree := fixtures.SeveralNeighbors(2)
			failNeighbor(s, tree)
			out := s.Initiate(ctx, tree)
			Expect(offloaded(tree.Status)).To(BeFalse(), harness.Because(rules.InitiateVlanMismatchStatus, harness.Initiate, out.Path(tree)))
			stopped := ndis.Blocks(tree.DependentBlockList)
			if interpretations().RootFailureStopsWholeTree {
				stopped = append(stopped, ndis.Blocks(tree.NextBlock)...)
			}
			for _, b := range stopped {
				Expect(offloaded(b.Status)).To(BeFalse(), harness.Because(rules.InitiateRootFailureStopsTraversal, harness.Initiate, out.Path(b)))
				Expect(b.Context()).To(BeZero(), harness.Because(rules.InitiateRootFailureStopsTraversal, harness.Initiate, out.Path(b)))
			}
		})
	})

	Context("when TCP2 and Path2 of the partial-offload example cannot be offloaded", Capability("maxInitialRcvWnd"), Capability("maxPathMTU"), func() {
		It("writes NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS into Neighbor1 and Path1", Rule(rules.InitiatePartialSuccessCondition), func(ctx SpecContext) {
			e := fixtures.NewPartialOffloadExample()
			failConnection(s, e.TCP2)
			failPath(s, e.Path2)
			out := s.Initiate(ctx, e.Tree)
			Expect(offloaded(e.TCP2.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPRcvWindowCondition, harness.Initiate, out.Path(e.TCP2)))
			Expect(offloaded(e.Path2.Status)).To(BeFalse(), harness.Because(rules.InitiatePathMTUCondition, harness.Initiate, out.Path(e.Path2)))
			// The page's table: fixtures.PartialExampleNeighbor1 and PartialExamplePath1.
			expectStatusFromDependents(out, rules.InitiatePartialSuccessCondition, fixtures.PartialExampleNeighbor1, e.Neighbor1)
			expectStatusFromDependents(out, rules.InitiatePartialSuccessCondition, fixtures.PartialExamplePath1, e.Path1)
		})

		It("writes NDIS_STATUS_SUCCESS into TCP1, offloaded beside the failed TCP2, and into every block offloaded with all its immediately dependent blocks", Rule(rules.InitiateSuccessCondition), func(ctx SpecContext) {
			e := fixtures.NewPartialOffloadExample()
			failConnection(s, e.TCP2)
			failPath(s, e.Path2)
			out := s.Initiate(ctx, e.Tree)
			Expect(offloaded(e.TCP2.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPRcvWindowCondition, harness.Initiate, out.Path(e.TCP2)))
			Expect(offloaded(e.Path2.Status)).To(BeFalse(), harness.Because(rules.InitiatePathMTUCondition, harness.Initiate, out.Path(e.Path2)))
			// The page's table: fixtures.PartialExampleTCP1.
			expectStatusFromDependents(out, rules.InitiateSuccessCondition, fixtures.PartialExampleTCP1, e.TCP1)
			expectStatusFromDependents(out, rules.InitiateSuccessCondition, ndis.StatusSuccess, ndis.Blocks(e.Tree)...)
		})
	})

	Context("when only TCP2 of the partial-offload example cannot be offloaded", Capability("maxInitialRcvWnd"), func() {
		It("writes NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS into Path1, of which TCP2 is immediately dependent, and NDIS_STATUS_SUCCESS into Neighbor1, of which it is not", Rule(rules.InitiateImmediatelyDependentDefinition), func(ctx SpecContext) {
			e := fixtures.NewPartialOffloadExample()
			failConnection(s, e.TCP2)
			out := s.Initiate(ctx, e.Tree)
			Expect(offloaded(e.TCP2.Status)).To(BeFalse(), harness.Because(rules.InitiateTCPRcvWindowCondition, harness.Initiate, out.Path(e.TCP2)))
			expectStatusFromDependents(out, rules.InitiateImmediatelyDependentDefinition, ndis.StatusOffloadPartialSuccess, e.Path1)
			expectStatusFromDependents(out, rules.InitiateImmediatelyDependentDefinition, ndis.StatusSuccess, e.Neighbor1)
		})
	})

	Context("when one of two new connections under a linker cannot be offloaded", Capability("maxInitialRcvWnd"), func() {
		var tree, linker *ndis.MiniportOffloadBlockList
		BeforeEach(func(ctx SpecContext) {
			first := fixtures.OneConnection()
			s.MustInitiate(ctx, first)
			tree = fixtures.ConnectionOnOffloadedPath(first.DependentBlockList.Context(), 2)
			linker = tree.DependentBlockList
			failConnection(s, linker.DependentBlockList.NextBlock)
		})

		It("writes NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS into the linker", Rule(rules.InitiatePartialSuccessCondition), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			expectStatusFromDependents(out, rules.InitiatePartialSuccessCondition, ndis.StatusOffloadPartialSuccess, linker)
		})

		It("writes NDIS_STATUS_SUCCESS into the placeholder, whose linker was offloaded though one of its connections was not", Rule(rules.InitiateSuccessCondition), func(ctx SpecContext) {
			out := s.Initiate(ctx, tree)
			Expect(offloaded(linker.Status)).To(BeTrue(), harness.Because(rules.InitiatePartialSuccessCondition, harness.Initiate, out.Path(linker)))
			expectStatusFromDependents(out, rules.InitiateSuccessCondition, ndis.StatusSuccess, tree)
		})
	})

	Context("when no new connection under a linker can be offloaded", Capability("maxInitialRcvWnd"), func() {
		It("writes NDIS_STATUS_FAILURE into the linker (NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS under linkerAllDependentsFailedPartialSuccess)", Rule(rules.InitiateFailureCondition), func(ctx SpecContext) {
			first := fixtures.OneConnection()
			s.MustInitiate(ctx, first)
			tree := fixtures.ConnectionOnOffloadedPath(first.DependentBlockList.Context(), 2)
			linker := tree.DependentBlockList
			for _, c := range linker.Dependents() {
				failConnection(s, c)
			}
			out := s.Initiate(ctx, tree)
			want := ndis.StatusFailure
			if interpretations().LinkerAllDependentsFailedPartialSuccess {
				want = ndis.StatusOffloadPartialSuccess
			}
			Expect(linker.Status).To(Equal(want), harness.Because(rules.InitiateFailureCondition, harness.Initiate, out.Path(linker)))
		})
	})

	DescribeTable("when a tree of any shape is initiated, the target writes only statuses of the initiate list", Rule(rules.InitiateStatusFromInitiateList),
		func(ctx SpecContext, build func() *ndis.MiniportOffloadBlockList) {
			tree := build()
			s.Initiate(ctx, tree)
			for _, v := range ndis.Walk(tree) {
				Expect(v.Block.Status).To(BeElementOf(initiateStatuses), harness.Because(rules.InitiateStatusFromInitiateList, harness.Initiate, v.Path))
			}
		},
		Entry("a one-connection tree", fixtures.OneConnection),
		Entry("a dual-stack tree", fixtures.DualStack),
		Entry("eight paths of three connections each", func() *ndis.MiniportOffloadBlockList { return fixtures.LongChains(8, 3) }),
		Entry("six neighbors", func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(6) }),
	)

	DescribeTable("when a tree of any shape is initiated, NDIS_STATUS_OFFLOAD_CONNECTION_REJECTED appears only on connections left without a context", Rule(rules.InitiateConnectionRejected),
		func(ctx SpecContext, build func() *ndis.MiniportOffloadBlockList) {
			tree := build()
			s.Initiate(ctx, tree)
			for _, v := range ndis.Walk(tree) {
				if v.Block.Status != ndis.StatusOffloadConnectionRejected {
					continue
				}
				Expect(v.Layer).To(Equal(ndis.LayerTCP), harness.Because(rules.InitiateConnectionRejected, harness.Initiate, v.Path))
				Expect(v.Block.Context()).To(BeZero(), harness.Because(rules.InitiateConnectionRejected, harness.Initiate, v.Path))
			}
		},
		Entry("a one-connection tree", fixtures.OneConnection),
		Entry("a dual-stack tree", fixtures.DualStack),
		Entry("eight paths of three connections each", func() *ndis.MiniportOffloadBlockList { return fixtures.LongChains(8, 3) }),
	)
})

// initiateStatuses are the statuses an initiate may write into a block (INIT-013), as the
// judges hold them.
var initiateStatuses = harness.InitiateStatuses

// offloaded reports whether an initiate status says the block's own state was offloaded.
func offloaded(st ndis.Status) bool { return harness.Offloaded(st) }

// newOffloads returns the blocks that carried new state to offload when the tree was handed over.
func newOffloads(out harness.Outcome) []*ndis.MiniportOffloadBlockList {
	var bs []*ndis.MiniportOffloadBlockList
	for _, b := range out.Before.Blocks {
		if b.Members.MiniportOffloadContext != nil && b.Slot == 0 {
			bs = append(bs, b.Block)
		}
	}
	return bs
}

// roleAtHandOver returns the role b had when the tree was handed over.
func roleAtHandOver(out harness.Outcome, b *ndis.MiniportOffloadBlockList) ndis.Role {
	for _, bs := range out.Before.Blocks {
		if bs.Block == b {
			switch {
			case bs.Members.MiniportOffloadContext == nil:
				return ndis.RolePlaceholder
			case bs.Slot != 0:
				return ndis.RoleLinker
			}
			return ndis.RoleNewOffload
		}
	}
	return 0
}

// expectAttempted requires every block from first on (through NextBlock and their dependents)
// to have been attempted after a failure before it: an attempted block is offloaded, with a
// context, or fails for a cause of its own; NDIS_STATUS_FAILURE is what a block the traversal
// skipped carries (INIT-031).
func expectAttempted(out harness.Outcome, first *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	for _, b := range ndis.Blocks(first) {
		because := harness.Because(rules.InitiateFailureSkipsOnlyItsSubtree, harness.Initiate, out.Path(b))
		if !offloaded(b.Status) {
			Expect(b.Status).NotTo(Equal(ndis.StatusFailure), because)
			continue
		}
		Expect(b.Context()).NotTo(BeZero(), because)
	}
}

// initiateAfterFailure offloads tree, in which failed fails for the cause of rule cause, and
// requires every block from next on to have been attempted all the same (INIT-032).
func initiateAfterFailure(ctx SpecContext, s *harness.Session, tree, failed *ndis.MiniportOffloadBlockList, cause *rules.Rule, next *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	out := s.Initiate(ctx, tree)
	Expect(offloaded(failed.Status)).To(BeFalse(), harness.Because(cause, harness.Initiate, out.Path(failed)))
	expectGoesOnAfter(out, tree, failed, next)
}

// expectGoesOnAfter requires the traversal to have gone on past failed, a block of tree that is
// not its root, to the blocks from next: attempted (INIT-032), or, under CONFLICT-INIT-13's other
// reading when failed is a path or neighbor, not attempted at all.
func expectGoesOnAfter(out harness.Outcome, tree, failed, next *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	if failed != tree && failed.Layer() != ndis.LayerTCP && interpretations().PathOrNeighborFailureStopsWholeTree {
		for _, b := range ndis.Blocks(next) {
			because := harness.Because(rules.InitiateFailureSkipsOnlyItsSubtree, harness.Initiate, out.Path(b))
			Expect(b.Status).To(Equal(ndis.StatusFailure), because)
			if roleAtHandOver(out, b) == ndis.RoleNewOffload {
				Expect(b.Context()).To(BeZero(), because)
			}
		}
		return
	}
	expectAttempted(out, next)
}

// statusFromDependents returns the status INIT-044 and INIT-045 give b from what became of its
// own state and of its immediately dependent blocks (INIT-043), under the selected readings of
// placeholders (CONFLICT-INIT-10) and linkers (CONFLICT-INIT-11). It returns false where the
// rules fix no status: b's own state was not offloaded, or the dependents of a block without
// state all failed (INIT-047's case).
func statusFromDependents(out harness.Outcome, b *ndis.MiniportOffloadBlockList) (ndis.Status, bool) {
	role := roleAtHandOver(out, b)
	if role == ndis.RolePlaceholder && !interpretations().PlaceholderStatusFollowsDependents {
		return ndis.StatusSuccess, true
	}
	placeholder := role == ndis.RolePlaceholder
	if role == ndis.RoleNewOffload && !offloaded(b.Status) && b.Context() == 0 {
		return 0, false
	}
	ok, failed := 0, 0
	for _, d := range b.Dependents() {
		if offloaded(d.Status) {
			ok++
		} else {
			failed++
		}
	}
	switch {
	case failed == 0:
		return ndis.StatusSuccess, true
	case ok == 0 && role != ndis.RoleNewOffload && !placeholder:
		return 0, false
	}
	return ndis.StatusOffloadPartialSuccess, true
}

// expectStatusFromDependents requires want of every one of blocks to which the rules give want.
func expectStatusFromDependents(out harness.Outcome, rule *rules.Rule, want ndis.Status, blocks ...*ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	for _, b := range blocks {
		if st, ok := statusFromDependents(out, b); ok && st == want {
			Expect(b.Status).To(Equal(want), harness.Because(rule, harness.Initiate, out.Path(b)))
		}
	}
}

// needLimit returns a declared limit's value, or skips the spec when it is undeclared.
func needLimit(l target.Limit, name string) uint32 {
	GinkgoHelper()
	if !l.Declared {
		Skip("target does not declare " + name)
	}
	return l.Value
}

// roomFor skips the spec when the declared host-memory bound would stop fewer than objects
// objects from being offloaded before the cause the spec provokes.
func roomFor(s *harness.Session, objects int) {
	GinkgoHelper()
	if l := s.Limits.HostMemoryObjects; l.Declared && int(l.Value) < objects {
		Skip(fmt.Sprintf("the declared host memory objects (%d) bind before the spec's %d objects", l.Value, objects))
	}
}

// overCapacity returns the smallest declared connection bound, skipping the spec when none is
// declared, it is too large to exhaust in one tree, or another declared limit would bind before
// it.
func overCapacity(s *harness.Session) int {
	GinkgoHelper()
	m, _ := connectionCapacity(s)
	if m == math.MaxInt {
		Skip("target declares none of the TCP entries, transmit buffers and receive buffers limits")
	}
	if m > 256 {
		Skip(fmt.Sprintf("the declared connection capacity (%d) is too large to exhaust in one tree", m))
	}
	limitAtLeast(s.Limits.PathEntries, 1, "path entries")
	limitAtLeast(s.Limits.NeighborEntries, 1, "neighbor entries")
	roomFor(s, m+3)
	return m
}

// failConnection makes a new-offload connection block fail for its own documented cause:
// an InitialRcvWnd one above the declared largest (NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW).
func failConnection(s *harness.Session, b *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	w := needLimit(s.Limits.MaxInitialRcvWnd, "a largest InitialRcvWnd")
	if w == math.MaxUint32 {
		Skip("the declared largest InitialRcvWnd leaves no larger value")
	}
	b.TCPCached.InitialRcvWnd = w + 1
}

// failPath makes a new-offload path block fail for its own documented cause: a PathMtu one
// above the declared largest (NDIS_STATUS_OFFLOAD_PATH_MTU).
func failPath(s *harness.Session, b *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	u := needLimit(s.Limits.MaxPathMTU, "a largest path MTU")
	if u == math.MaxUint32 {
		Skip("the declared largest path MTU leaves no larger value")
	}
	b.PathCached.PathMTU = u + 1
}

// failNeighbor makes a new-offload neighbor block fail for its own documented cause: a VlanId
// the interface does not have configured (NDIS_STATUS_OFFLOAD_VLAN_MISMATCH).
func failNeighbor(s *harness.Session, b *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	if l := s.Limits.VLANEntries; l.Declared && l.Value == 0 {
		Skip("the target declares no VLAN entries, so VLAN_ENTRIES would bind before VLAN_MISMATCH")
	}
	b.NeighborConst.VlanID = unconfiguredVLAN(configuredVLANs(s))
}

// configuredVLANs returns the non-zero interface VLAN IDs, skipping the spec when the target
// does not declare them or has none configured.
func configuredVLANs(s *harness.Session) []uint16 {
	GinkgoHelper()
	if !s.Limits.InterfaceVLANIDs.Declared {
		Skip("target does not declare its interface VLAN IDs")
	}
	var ids []uint16
	for _, id := range s.Limits.InterfaceVLANIDs.IDs {
		if id != 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		Skip("the interface has no VLAN IDs configured")
	}
	return ids
}

// unconfiguredVLAN returns a valid non-zero VLAN ID that is not among ids.
func unconfiguredVLAN(ids []uint16) uint16 {
	for v := uint16(4094); v > 0; v-- {
		if !slices.Contains(ids, v) {
			return v
		}
	}
	return 0
}

package suites

import (
	"fmt"
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

// Helpers of the update and invalidate specs. Update trees, and the query and terminate trees
// that follow them, are built by mirroring a shape of linker blocks (fixtures.Linker) with
// fixtures.UpdateTree or fixtures.ReferenceTree, so every block names an offloaded object.

// updBlockAt returns the block at a Walk path of tree.
func updBlockAt(tree *ndis.MiniportOffloadBlockList, path string) *ndis.MiniportOffloadBlockList {
	GinkgoHelper()
	for _, v := range ndis.Walk(tree) {
		if v.Path == path {
			return v.Block
		}
	}
	Fail(fmt.Sprintf("[harness] no block at %s in\n%s", path, ndis.Format(tree)))
	return nil
}

// updCtx returns the context the target wrote for the initiate block at path.
func updCtx(initiated *ndis.MiniportOffloadBlockList, path string) ndis.Context {
	GinkgoHelper()
	return updBlockAt(initiated, path).Context()
}

// updNewCached returns new cached values for the object an initiate (or linker) block names:
// every layer gets values other than the fixtures' own, and no flag that resets delegated
// state. A block of another layer than only gets none.
func updNewCached(only ndis.Layer) func(*ndis.MiniportOffloadBlockList) any {
	return func(b *ndis.MiniportOffloadBlockList) any {
		if only != 0 && b.Layer() != only {
			return nil
		}
		switch b.Layer() {
		case ndis.LayerNeighbor:
			return &ndis.NeighborOffloadStateCached{
				Header:                ndis.OffloadStateHeader{Length: ndis.SizeofNeighborOffloadStateCached},
				DlDestinationAddress:  ndis.MAC(0x02, 0x00, 0x5e, 0x77, 0x00, byte(b.Context())),
				HostReachabilityDelta: 33,
			}
		case ndis.LayerPath:
			return &ndis.PathOffloadStateCached{Header: ndis.OffloadStateHeader{Length: ndis.SizeofPathOffloadStateCached}, PathMTU: 1280}
		case ndis.LayerTCP:
			return &ndis.TCPOffloadStateCached{
				Header:            ndis.OffloadStateHeader{Length: ndis.SizeofTCPOffloadStateCached},
				Flags:             ndis.TCPFlagNaglingEnabled | ndis.TCPFlagKeepAliveEnabled,
				InitialRcvWnd:     32768,
				RcvIndicationSize: 4096,
				KaProbeCount:      5,
				KaTimeout:         3600000,
				KaInterval:        2000,
				TtlOrHopLimit:     99,
				TosOrTrafficClass: 0x20,
			}
		}
		return nil
	}
}

// updCachedOf returns the cached structure after b, with its header cleared, for comparing
// values only; nil when there is none.
func updCachedOf(b *ndis.MiniportOffloadBlockList) any {
	switch {
	case b.NeighborCached != nil:
		c := *b.NeighborCached
		c.Header = ndis.OffloadStateHeader{}
		return c
	case b.PathCached != nil:
		c := *b.PathCached
		c.Header = ndis.OffloadStateHeader{}
		return c
	case b.TCPCached != nil:
		c := *b.TCPCached
		c.Header = ndis.OffloadStateHeader{}
		return c
	}
	return nil
}

// updExpectQueryShows queries every object the update tree names and requires each block the
// update completed with SUCCESS to read back the cached values the update carried. A query
// block answered with NDIS_STATUS_FAILURE reports corrupt state, which is never rejected
// (CONFLICT-QRY-02); when that leaves nothing to compare, the spec is skipped.
func updExpectQueryShows(ctx SpecContext, s *harness.Session, rule *rules.Rule, update *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	q := s.Query(ctx, fixtures.ReferenceTree(update, fixtures.AllClasses))
	if compared, failed := updCompareCached(Default, rule, update, q.Tree); compared == 0 && failed {
		Skip(fmt.Sprintf("%s: the target answered the query of every updated object with NDIS_STATUS_FAILURE, so no updated value could be read back", rule.ID))
	}
}

// updCompareCached compares the cached values of every SUCCESS block of update with the block
// at the same path of queried, skipping a queried block that reads NDIS_STATUS_FAILURE; it
// returns how many blocks it compared and whether it skipped any.
func updCompareCached(g Gomega, rule *rules.Rule, update, queried *ndis.MiniportOffloadBlockList) (compared int, failed bool) {
	GinkgoHelper()
	for _, v := range ndis.Walk(update) {
		want := updCachedOf(v.Block)
		if want == nil || v.Block.Status != ndis.StatusSuccess {
			continue
		}
		got := updBlockAt(queried, v.Path)
		if got.Status == ndis.StatusFailure {
			failed = true
			continue
		}
		compared++
		g.Expect(got.Status).To(Equal(ndis.StatusSuccess), harness.Because(rule, harness.Query, v.Path))
		g.Expect(updCachedOf(got)).To(Equal(want), harness.Because(rule, harness.Query, v.Path))
	}
	return compared, failed
}

// updExpectLegal requires every Status of an outcome to be SUCCESS or FAILURE.
func updExpectLegal(rule *rules.Rule, out harness.Outcome) {
	GinkgoHelper()
	for _, b := range out.After.Blocks {
		Expect(b.Members.Status).To(BeElementOf(ndis.StatusSuccess, ndis.StatusFailure), harness.Because(rule, out.Op, b.Path))
	}
}

// updExpectAllSuccess requires every block of an outcome to be NDIS_STATUS_SUCCESS, judging
// NDIS_STATUS_FAILURE first (judgeFailure).
func updExpectAllSuccess(rule *rules.Rule, out harness.Outcome) {
	GinkgoHelper()
	judgeFailure(rule, out)
	for _, b := range out.After.Blocks {
		Expect(b.Members.Status).To(Equal(ndis.StatusSuccess), harness.Because(rule, out.Op, b.Path))
	}
}

// updSkipUnlessSucceeded skips a spec whose rule applies only to an update the target made,
// when the target answered some block with NDIS_STATUS_FAILURE (legal, UPD-019); the host then
// terminates what it offloaded (UPD-021).
func updSkipUnlessSucceeded(ctx SpecContext, s *harness.Session, out harness.Outcome, initiated *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	for _, b := range out.After.Blocks {
		if b.Members.Status != ndis.StatusSuccess {
			updTerminateAll(ctx, s, initiated)
			Skip(fmt.Sprintf("the target completed %s of the update with %s; the rule applies to an update it made", b.Path, b.Members.Status))
		}
	}
}

// updTerminateAll terminates everything an initiate tree offloaded, as the host must end
// every scenario.
func updTerminateAll(ctx SpecContext, s *harness.Session, initiated *ndis.MiniportOffloadBlockList) harness.Outcome {
	GinkgoHelper()
	return s.Terminate(ctx, fixtures.ReferenceTree(initiated, fixtures.DelegatedOnly))
}

// updStandAloneTCP is a stand-alone block naming the first connection of an initiate tree.
func updStandAloneTCP(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	return fixtures.Linker(ndis.LayerTCP, updCtx(initiated, "neighbor[0]/path[0]/tcp[0]"))
}

// updRelink holds the contexts of a two-neighbor tree (fixtures.SeveralNeighbors(2)) whose
// first path is to be moved from the first neighbor (old) to the second (new).
type updRelink struct {
	initiated                               *ndis.MiniportOffloadBlockList
	oldNeighbor, newNeighbor, moved, stayed ndis.Context
	movedConn, stayedConn                   ndis.Context
}

func updOffloadTwoNeighbors(ctx SpecContext, s *harness.Session) updRelink {
	GinkgoHelper()
	tree := fixtures.SeveralNeighbors(2)
	s.MustInitiate(ctx, tree)
	return updRelink{
		initiated:   tree,
		oldNeighbor: updCtx(tree, "neighbor[0]"),
		moved:       updCtx(tree, "neighbor[0]/path[0]"),
		movedConn:   updCtx(tree, "neighbor[0]/path[0]/tcp[0]"),
		newNeighbor: updCtx(tree, "neighbor[1]"),
		stayed:      updCtx(tree, "neighbor[1]/path[0]"),
		stayedConn:  updCtx(tree, "neighbor[1]/path[0]/tcp[0]"),
	}
}

// relinkShape is the relink update's shape: the new neighbor with the moved path under it.
func (r updRelink) relinkShape() *ndis.MiniportOffloadBlockList {
	return fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, r.newNeighbor), fixtures.Linker(ndis.LayerPath, r.moved))
}

// afterShape is the whole offloaded tree as it stands after the relink: everything under the
// new neighbor.
func (r updRelink) afterShape() *ndis.MiniportOffloadBlockList {
	return fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, r.newNeighbor),
		fixtures.Under(fixtures.Linker(ndis.LayerPath, r.stayed), fixtures.Linker(ndis.LayerTCP, r.stayedConn)),
		fixtures.Under(fixtures.Linker(ndis.LayerPath, r.moved), fixtures.Linker(ndis.LayerTCP, r.movedConn)))
}

// checkMovedUnderNew terminates the old neighbor alone, then queries and terminates the moved
// path and its connection under the new neighbor: all must be found.
func (r updRelink) checkMovedUnderNew(ctx SpecContext, s *harness.Session, rule *rules.Rule) {
	GinkgoHelper()
	By("terminating the old neighbor alone")
	old := s.Terminate(ctx, fixtures.ReferenceTree(fixtures.Linker(ndis.LayerNeighbor, r.oldNeighbor), fixtures.DelegatedOnly))
	updExpectAllSuccess(rule, old)
	By("querying the moved path and its connection under the new neighbor")
	q := s.Query(ctx, fixtures.ReferenceTree(fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, r.newNeighbor),
		fixtures.Under(fixtures.Linker(ndis.LayerPath, r.moved), fixtures.Linker(ndis.LayerTCP, r.movedConn))), fixtures.AllClasses))
	updExpectAllSuccess(rule, q)
	By("terminating everything under the new neighbor")
	updExpectAllSuccess(rule, s.Terminate(ctx, fixtures.ReferenceTree(r.afterShape(), fixtures.DelegatedOnly)))
}

// updUnderPlaceholderNeighbor is the shape of a placeholder neighbor block above linkers to
// the first path and connection of an initiate tree.
func updUnderPlaceholderNeighbor(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	return fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor),
		fixtures.Under(fixtures.Linker(ndis.LayerPath, updCtx(initiated, "neighbor[0]/path[0]")),
			fixtures.Linker(ndis.LayerTCP, updCtx(initiated, "neighbor[0]/path[0]/tcp[0]"))))
}

// updKeepaliveResetFlag is the cached flag that, under the selected reading of CONFLICT-UPD-02,
// resets the delegated keepalive counters on an update.
func updKeepaliveResetFlag() uint16 {
	if interpretations().KeepaliveResetFlag == config.ResetOnKeepAliveRestart {
		return ndis.TCPFlagKeepAliveRestart
	}
	return ndis.TCPFlagMaxRTRestart
}

var _ = Describe("MiniportUpdateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	// updateCase is one form of update tree, built from the offloaded one-connection tree.
	type updateCase struct {
		shape func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList
	}

	DescribeTable("when the update tree is a stand-alone block or the root of a tree",
		func(ctx SpecContext, c updateCase) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(c.shape(initiated), updNewCached(0))
			out := s.Update(ctx, update)
			updExpectLegal(rules.UpdateTreeStandAloneOrRoot, out)
			updExpectQueryShows(ctx, s, rules.UpdateTreeStandAloneOrRoot, update)
			updTerminateAll(ctx, s, initiated)
		},
		Entry("completes a stand-alone TCP block with a legal Status and applies its cached state", Rule(rules.UpdateTreeStandAloneOrRoot),
			updateCase{shape: updStandAloneTCP}),
		Entry("completes a stand-alone path block with a legal Status and applies its cached state", Rule(rules.UpdateTreeStandAloneOrRoot),
			updateCase{shape: func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
				return fixtures.Linker(ndis.LayerPath, updCtx(t, "neighbor[0]/path[0]"))
			}}),
		Entry("completes a stand-alone neighbor block with a legal Status and applies its cached state", Rule(rules.UpdateTreeStandAloneOrRoot),
			updateCase{shape: func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
				return fixtures.Linker(ndis.LayerNeighbor, updCtx(t, "neighbor[0]"))
			}}),
		Entry("completes every block of a neighbor-path-TCP tree with a legal Status and applies its cached state", Rule(rules.UpdateTreeStandAloneOrRoot),
			updateCase{shape: func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList { return t }}),
	)

	Context("when a TCP block of an update carries altered constant and delegated structures", func() {
		It("leaves the connection's TCPConst and TCPDelegated variables as they were", Rule(rules.UpdateOnlyCachedVariables), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			conn := updCtx(initiated, "neighbor[0]/path[0]/tcp[0]")
			queryConn := func() *ndis.MiniportOffloadBlockList {
				return fixtures.ReferenceTree(fixtures.Linker(ndis.LayerTCP, conn), fixtures.AllClasses)
			}
			before := s.MustDo(ctx, harness.Query, queryConn()).Tree

			By("updating with a full TcpOffloadState block whose constant and delegated values differ")
			update := fixtures.Linker(ndis.LayerTCP, conn)
			update.Header.Type = ndis.TcpOffloadState
			k := *before.TCPConst
			k.LocalPort, k.RemotePort, k.RemoteMss, k.HashValue = k.LocalPort+1, k.RemotePort+1, 536, k.HashValue^0xFFFF
			d := *before.TCPDelegated
			d.State = ndis.TcpConnectionCloseWait
			d.RcvNxt, d.SndUna, d.SndNxt, d.SndMax = d.RcvNxt.Add(0x5000), d.SndUna.Add(0x3000), d.SndNxt.Add(0x3000), d.SndMax.Add(0x3000)
			d.SendWL1 = d.SendWL1.Add(0x5000)
			update.TCPConst, update.TCPDelegated = &k, &d
			update.TCPCached = updNewCached(0)(updBlockAt(initiated, "neighbor[0]/path[0]/tcp[0]")).(*ndis.TCPOffloadStateCached)
			s.Update(ctx, update)

			after := s.Query(ctx, queryConn()).Tree
			if after.Status == ndis.StatusFailure {
				updTerminateAll(ctx, s, initiated)
				Skip("the target answered the query after the update with NDIS_STATUS_FAILURE (a report of corrupt state, CONFLICT-QRY-02), so no value could be read back")
			}
			Expect(after.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.UpdateOnlyCachedVariables, harness.Query, "tcp[0]"))
			Expect(*after.TCPConst).To(Equal(*before.TCPConst), harness.Because(rules.UpdateOnlyCachedVariables, harness.Query, "tcp[0]"))
			type seq struct {
				State                                   ndis.TCPOffloadConnectionState
				RcvNxt, SndUna, SndNxt, SndMax, SendWL1 ndis.SeqNum
			}
			pick := func(d *ndis.TCPOffloadStateDelegated) seq {
				return seq{d.State, d.RcvNxt, d.SndUna, d.SndNxt, d.SndMax, d.SendWL1}
			}
			Expect(pick(after.TCPDelegated)).To(Equal(pick(before.TCPDelegated)),
				harness.Because(rules.UpdateOnlyCachedVariables, harness.Query, "tcp[0]")+"\n  (state and sequence variables of an idle connection)")
			updTerminateAll(ctx, s, initiated)
		})
	})

	Context("when the host hands over an update of a one-connection tree", func() {
		It("returns from MiniportUpdateOffload before calling NdisMUpdateOffloadComplete", Rule(rules.UpdateHandlerReturnsBeforeCompletion), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			out := s.Update(ctx, fixtures.UpdateTree(initiated, updNewCached(0)))
			Expect(out.Event.DuringCall).To(BeFalse(), harness.Because(rules.UpdateHandlerReturnsBeforeCompletion, harness.Update, ""))
		})

		It("calls NdisMUpdateOffloadComplete exactly once", Rule(rules.UpdateCompletesExactlyOnce), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(initiated, updNewCached(0))
			s.Update(ctx, update)
			Expect(s.Host.CompletionsOf(harness.Update, update)).To(HaveLen(1), harness.Because(rules.UpdateCompletesExactlyOnce, harness.Update, ""))
		})

		It("leaves the update tree unchanged after NdisMUpdateOffloadComplete", Rule(rules.TargetLeavesUpdateTreeAfterCompletion), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(initiated, updNewCached(0))
			out := s.Update(ctx, update)
			By("querying, so that the target has had time to act on the tree again")
			s.Query(ctx, fixtures.ReferenceTree(initiated, fixtures.AllClasses))
			Expect(harness.Diff(out.After, harness.Take(update))).To(BeEmpty(),
				harness.Because(rules.TargetLeavesUpdateTreeAfterCompletion, harness.Update, ""))
		})

		It("passes NdisMUpdateOffloadComplete the OffloadBlockList it was given", Rule(rules.UpdateCompletionSamePointer), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(initiated, updNewCached(0))
			out := s.Update(ctx, update)
			Expect(out.Event.Tree).To(BeIdenticalTo(update), harness.Because(rules.UpdateCompletionSamePointer, harness.Update, ""))
		})
	})

	Context("when an update tree has a placeholder neighbor block above a path and its connection", func() {
		It("writes a Status into every block, the placeholder included", Rule(rules.UpdateStatusInEveryBlock), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			out := s.Update(ctx, fixtures.UpdateTree(updUnderPlaceholderNeighbor(initiated), updNewCached(0)))
			for _, b := range out.After.Blocks {
				Expect(b.Members.Status).NotTo(Equal(harness.StatusUnwritten), harness.Because(rules.UpdateStatusInEveryBlock, harness.Update, b.Path))
			}
		})
	})

	// statusCase is one update whose statuses must all be SUCCESS or FAILURE.
	type statusCase struct {
		need   func(s *harness.Session) string // the reason to skip, or ""
		change func(s *harness.Session) func(*ndis.MiniportOffloadBlockList) any
		shape  func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList // nil: the whole tree
	}
	DescribeTable("when the host updates cached variables, within or beyond the declared limits",
		func(ctx SpecContext, c statusCase) {
			if c.need != nil {
				if reason := c.need(s); reason != "" {
					Skip(reason)
				}
			}
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			shape := initiated
			if c.shape != nil {
				shape = c.shape(initiated)
			}
			updExpectLegal(rules.UpdateStatusSuccessOrFailure, s.Update(ctx, fixtures.UpdateTree(shape, c.change(s))))
			updTerminateAll(ctx, s, initiated)
		},
		Entry("writes NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE into every block of an ordinary update", Rule(rules.UpdateStatusSuccessOrFailure),
			statusCase{change: func(*harness.Session) func(*ndis.MiniportOffloadBlockList) any { return updNewCached(0) }}),
		Entry("writes NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE into every block of an update with a placeholder neighbor block", Rule(rules.UpdateStatusSuccessOrFailure),
			statusCase{change: func(*harness.Session) func(*ndis.MiniportOffloadBlockList) any { return updNewCached(0) }, shape: updUnderPlaceholderNeighbor}),
		Entry("writes NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE, never NDIS_STATUS_OFFLOAD_PATH_MTU, for a PathMtu above MaxPathMTU",
			Rule(rules.UpdateStatusSuccessOrFailure), Capability("maxPathMTU"),
			statusCase{need: updNeedMaxPathMTU, change: updPathMTUAboveMax}),
		Entry("writes NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE, never NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW, for an InitialRcvWnd above MaxInitialRcvWnd",
			Rule(rules.UpdateStatusSuccessOrFailure), Capability("maxInitialRcvWnd"),
			statusCase{need: updNeedMaxInitialRcvWnd, change: updRcvWndAboveMax}),
	)

	// layerCase names the layer whose cached variables an update changes (zero: all three).
	type layerCase struct{ layer ndis.Layer }
	DescribeTable("when an update carries new cached variables of offloaded objects",
		func(ctx SpecContext, c layerCase) {
			initiated := fixtures.DualStack()
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(initiated, updNewCached(c.layer))
			s.Update(ctx, update)
			updExpectQueryShows(ctx, s, rules.UpdateCopiesCachedValues, update)
			updTerminateAll(ctx, s, initiated)
		},
		Entry("copies NeighborCached into the neighbor, so that a query returns it", Rule(rules.UpdateCopiesCachedValues), layerCase{layer: ndis.LayerNeighbor}),
		Entry("copies PathCached into IPv4 and IPv6 paths, so that a query returns it", Rule(rules.UpdateCopiesCachedValues), layerCase{layer: ndis.LayerPath}),
		Entry("copies TCPCached into each connection, so that a query returns it", Rule(rules.UpdateCopiesCachedValues), layerCase{layer: ndis.LayerTCP}),
		Entry("copies the cached structures of all three layers in one update, so that a query returns them", Rule(rules.UpdateCopiesCachedValues), layerCase{}),
	)

	Context("when the host queries right after NdisMUpdateOffloadComplete", func() {
		It("has applied the update's cached values by the completion", Rule(rules.UpdateAppliedByCompletion), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(initiated, updNewCached(0))
			pending := s.Begin(harness.Update, update)
			if interpretations().UpdateAppliedBeforeReturn {
				By("querying between the handler's return and the completion (updateAppliedBeforeReturn)")
				q := s.Begin(harness.Query, fixtures.ReferenceTree(initiated, fixtures.AllClasses))
				pending.Await(ctx)
				updCompareCached(Default, rules.UpdateAppliedByCompletion, update, q.Await(ctx).Tree)
				return
			}
			pending.Await(ctx)
			updExpectQueryShows(ctx, s, rules.UpdateAppliedByCompletion, update)
		})
	})

	Context("when an update of two paths on one neighbor completes with NDIS_STATUS_SUCCESS", func() {
		It("has updated the variables of each object whose block reads NDIS_STATUS_SUCCESS", Rule(rules.UpdateSuccessMeaning), func(ctx SpecContext) {
			initiated := fixtures.PathsOnOneNeighbor(2)
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(initiated, updNewCached(0))
			out := s.Update(ctx, update)
			updExpectLegal(rules.UpdateSuccessMeaning, out)
			updExpectQueryShows(ctx, s, rules.UpdateSuccessMeaning, update)
			updTerminateAll(ctx, s, initiated)
		})
	})

	Context("when an update with a placeholder neighbor block above a path and its connection completes", func() {
		It("has updated the variables of the path and the connection wherever their blocks read NDIS_STATUS_SUCCESS", Rule(rules.UpdateSuccessMeaning), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(updUnderPlaceholderNeighbor(initiated), updNewCached(0))
			out := s.Update(ctx, update)
			updExpectLegal(rules.UpdateSuccessMeaning, out)
			updExpectQueryShows(ctx, s, rules.UpdateSuccessMeaning, update)
			updTerminateAll(ctx, s, initiated)
		})
	})

	Context("when one update both relinks a path to another neighbor and changes cached variables", func() {
		It("applies the new PathCached and NeighborCached and moves the path under the new neighbor", Rule(rules.UpdateMayCarryVariablesAndLinks), func(ctx SpecContext) {
			r := updOffloadTwoNeighbors(ctx, s)
			update := fixtures.UpdateTree(r.relinkShape(), updNewCached(0))
			out := s.Update(ctx, update)
			updExpectLegal(rules.UpdateMayCarryVariablesAndLinks, out)
			updSkipUnlessSucceeded(ctx, s, out, r.initiated)
			updExpectQueryShows(ctx, s, rules.UpdateMayCarryVariablesAndLinks, update)
			r.checkMovedUnderNew(ctx, s, rules.UpdateMayCarryVariablesAndLinks)
		})
	})

	Context("when the target answers an update with NDIS_STATUS_FAILURE", func() {
		It("keeps the object offloaded: a query and the host's terminate still find it", Rule(rules.ContinueNormallyAfterUpdateFailure), Capability("maxPathMTU"), func(ctx SpecContext) {
			if reason := updNeedMaxPathMTU(s); reason != "" {
				Skip(reason)
			}
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			By("updating the path with a PathMtu above MaxPathMTU, which a target may refuse")
			out := s.Update(ctx, fixtures.UpdateTree(initiated, updPathMTUAboveMax(s)))
			failed := false
			for _, b := range out.After.Blocks {
				failed = failed || b.Members.Status == ndis.StatusFailure
			}
			if !failed {
				Skip("the target completed every block of the update with NDIS_STATUS_SUCCESS; the rule applies only after a FAILURE")
			}
			updExpectAllSuccess(rules.ContinueNormallyAfterUpdateFailure, s.Query(ctx, fixtures.ReferenceTree(initiated, fixtures.AllClasses)))
			term := updTerminateAll(ctx, s, initiated)
			updExpectAllSuccess(rules.ContinueNormallyAfterUpdateFailure, term)
			conn := updBlockAt(term.Tree, "neighbor[0]/path[0]/tcp[0]")
			Expect(conn.TCPDelegated.SndUna).To(Equal(fixtures.InitialSeq),
				harness.Because(rules.ContinueNormallyAfterUpdateFailure, harness.Terminate, "neighbor[0]/path[0]/tcp[0]"))
		})
	})

	Context("when a path is relinked to a new neighbor and the old neighbor is then terminated", func() {
		It("keeps the relinked path and its connection offloaded under the new neighbor", Rule(rules.RelinkedPathsLeaveOldNeighbor), func(ctx SpecContext) {
			r := updOffloadTwoNeighbors(ctx, s)
			updSkipUnlessSucceeded(ctx, s, s.Update(ctx, fixtures.UpdateTree(r.relinkShape(), func(*ndis.MiniportOffloadBlockList) any { return nil })), r.initiated)
			r.checkMovedUnderNew(ctx, s, rules.RelinkedPathsLeaveOldNeighbor)
		})
	})

	Context("when one update relinks the paths of two neighbors to a third and the old neighbors are then terminated", func() {
		It("keeps both relinked paths and their connections offloaded under the new neighbor", Rule(rules.RelinkedPathsLeaveOldNeighbor), func(ctx SpecContext) {
			for _, l := range []struct {
				name  string
				limit target.Limit
			}{{"neighbor entries", s.Limits.NeighborEntries}, {"path entries", s.Limits.PathEntries}, {"TCP entries", s.Limits.TCPEntries}} {
				if l.limit.Declared && l.limit.Value < 3 {
					Skip(fmt.Sprintf("the declared %s (%d) are fewer than the 3 the spec offloads", l.name, l.limit.Value))
				}
			}
			initiated := fixtures.SeveralNeighbors(3)
			s.MustInitiate(ctx, initiated)
			at := func(p string) ndis.Context { return updCtx(initiated, p) }
			moved := func(n int) *ndis.MiniportOffloadBlockList {
				return fixtures.Under(fixtures.Linker(ndis.LayerPath, at(fmt.Sprintf("neighbor[%d]/path[0]", n))),
					fixtures.Linker(ndis.LayerTCP, at(fmt.Sprintf("neighbor[%d]/path[0]/tcp[0]", n))))
			}
			relink := fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, at("neighbor[1]")),
				fixtures.Linker(ndis.LayerPath, at("neighbor[0]/path[0]")), fixtures.Linker(ndis.LayerPath, at("neighbor[2]/path[0]")))
			updSkipUnlessSucceeded(ctx, s, s.Update(ctx, fixtures.UpdateTree(relink, func(*ndis.MiniportOffloadBlockList) any { return nil })), initiated)
			for _, n := range []int{0, 2} {
				By(fmt.Sprintf("terminating the old neighbor[%d] alone", n))
				updExpectAllSuccess(rules.RelinkedPathsLeaveOldNeighbor, s.Terminate(ctx,
					fixtures.ReferenceTree(fixtures.Linker(ndis.LayerNeighbor, at(fmt.Sprintf("neighbor[%d]", n))), fixtures.DelegatedOnly)))
			}
			By("querying both moved paths and their connections under the new neighbor")
			updExpectAllSuccess(rules.RelinkedPathsLeaveOldNeighbor, s.Query(ctx,
				fixtures.ReferenceTree(fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, at("neighbor[1]")), moved(0), moved(2)), fixtures.AllClasses)))
			By("terminating everything under the new neighbor")
			updExpectAllSuccess(rules.RelinkedPathsLeaveOldNeighbor, s.Terminate(ctx, fixtures.ReferenceTree(
				fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, at("neighbor[1]")), moved(1), moved(0), moved(2)), fixtures.DelegatedOnly)))
		})
	})

	Context("when the old neighbor is invalidated, its path relinked to a new neighbor and the old neighbor terminated", func() {
		It("keeps the relinked path and its connection offloaded under the new neighbor", Rule(rules.RelinkedPathsLeaveOldNeighbor), func(ctx SpecContext) {
			r := updOffloadTwoNeighbors(ctx, s)
			By("invalidating the old neighbor")
			s.MustDo(ctx, harness.Invalidate, fixtures.ReferenceTree(fixtures.Linker(ndis.LayerNeighbor, r.oldNeighbor), fixtures.NoState))
			updSkipUnlessSucceeded(ctx, s, s.Update(ctx, fixtures.UpdateTree(r.relinkShape(), func(*ndis.MiniportOffloadBlockList) any { return nil })), r.initiated)
			r.checkMovedUnderNew(ctx, s, rules.RelinkedPathsLeaveOldNeighbor)
		})
	})

	Context("when two updates of different connections are outstanding at once", func() {
		It("completes each with its own tree and applies each one's TCPCached", Rule(rules.ConcurrentUpdatesOfDistinctObjects), func(ctx SpecContext) {
			initiated := fixtures.ConnectionsOnOnePath(2)
			s.MustInitiate(ctx, initiated)
			first := fixtures.UpdateTree(fixtures.Linker(ndis.LayerTCP, updCtx(initiated, "neighbor[0]/path[0]/tcp[0]")), updNewCached(0))
			second := fixtures.UpdateTree(fixtures.Linker(ndis.LayerTCP, updCtx(initiated, "neighbor[0]/path[0]/tcp[1]")), updNewCached(0))
			second.TCPCached.KaInterval, second.TCPCached.TtlOrHopLimit = 3000, 77
			a, b := s.Begin(harness.Update, first), s.Begin(harness.Update, second)
			for _, out := range []harness.Outcome{a.Await(ctx), b.Await(ctx)} {
				updExpectLegal(rules.ConcurrentUpdatesOfDistinctObjects, out)
				updExpectQueryShows(ctx, s, rules.ConcurrentUpdatesOfDistinctObjects, out.Tree)
			}
			updTerminateAll(ctx, s, initiated)
		})
	})

	Context("when the host queries cached variables after initiate, after an update and over a pause", func() {
		It("returns the TCPCached, PathCached and NeighborCached values the host last supplied", Rule(rules.TargetNeverChangesCachedVariables), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			s.MustInitiate(ctx, initiated)
			By("querying after initiate")
			supplied := fixtures.UpdateTree(initiated, func(b *ndis.MiniportOffloadBlockList) any {
				switch {
				case b.NeighborCached != nil:
					c := *b.NeighborCached
					return &c
				case b.PathCached != nil:
					c := *b.PathCached
					return &c
				case b.TCPCached != nil:
					c := *b.TCPCached
					return &c
				}
				return nil
			})
			for _, b := range ndis.Blocks(supplied) {
				b.Status = ndis.StatusSuccess // compare every block, as if updated
			}
			updCompareCached(Default, rules.TargetNeverChangesCachedVariables, supplied, s.Query(ctx, fixtures.ReferenceTree(initiated, fixtures.AllClasses)).Tree)
			By("updating, then querying over a pause")
			update := fixtures.UpdateTree(initiated, updNewCached(0))
			updExpectLegal(rules.TargetNeverChangesCachedVariables, s.Update(ctx, update)) // a FAILURE block is not compared
			Consistently(func(g Gomega) {
				q := s.Query(ctx, fixtures.ReferenceTree(update, fixtures.AllClasses))
				updCompareCached(g, rules.TargetNeverChangesCachedVariables, update, q.Tree)
			}).WithContext(ctx).WithTimeout(150 * time.Millisecond).WithPolling(50 * time.Millisecond).Should(Succeed())
			updTerminateAll(ctx, s, initiated)
		})
	})

	Context("when an update of KaProbeCount carries the keepalive reset flag in the cached Flags", func() {
		It("resets the delegated KeepAlive.ProbeCount to 0", Rule(rules.ResetKeepaliveProbeCount), func(ctx SpecContext) {
			initiated := fixtures.OneConnection()
			connBlock := updBlockAt(initiated, "neighbor[0]/path[0]/tcp[0]")
			connBlock.TCPDelegated.KeepAlive = ndis.TCPKeepAlive{ProbeCount: 3, TimeoutDelta: 500}
			connBlock.TCPCached.Flags |= ndis.TCPFlagKeepAliveEnabled
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(fixtures.Linker(ndis.LayerTCP, connBlock.Context()), func(*ndis.MiniportOffloadBlockList) any {
				c := *connBlock.TCPCached
				c.Flags |= updKeepaliveResetFlag()
				c.KaProbeCount = 4
				return &c
			})
			s.Update(ctx, update)
			if update.Status != ndis.StatusSuccess {
				Skip(fmt.Sprintf("the target completed the update with %s; the reset applies to an update it made", update.Status))
			}
			q := s.Query(ctx, fixtures.ReferenceTree(fixtures.Linker(ndis.LayerTCP, connBlock.Context()), fixtures.AllClasses)).Tree
			Expect(q.TCPDelegated.KeepAlive.ProbeCount).To(BeZero(), harness.Because(rules.ResetKeepaliveProbeCount, harness.Query, "tcp[0]"))
		})
	})

	Context("when an update of KaTimeout and KaInterval carries the keepalive reset flag in the cached Flags", func() {
		It("resets the delegated KeepAlive.TimeoutDelta instead of carrying the remaining time over", Rule(rules.ResetKeepaliveTimeoutDelta), func(ctx SpecContext) {
			// Ticks left on the keepalive timer at offload. The tick length is the host's
			// TicksPerSecond (ddi/ns-ndischimney-_ndis_tcp_connection_offload_parameters.md),
			// which this spec does not rely on: a reset timer starts from KaTimeout or
			// KaInterval, both above 500000 ticks, and would need 495679 ticks to fall to the
			// value carried over, so anything at or below it is the old timer counting down.
			const remaining = 4321
			initiated := fixtures.OneConnection()
			connBlock := updBlockAt(initiated, "neighbor[0]/path[0]/tcp[0]")
			connBlock.TCPDelegated.KeepAlive = ndis.TCPKeepAlive{ProbeCount: 0, TimeoutDelta: remaining}
			connBlock.TCPCached.Flags |= ndis.TCPFlagKeepAliveEnabled
			s.MustInitiate(ctx, initiated)
			update := fixtures.UpdateTree(fixtures.Linker(ndis.LayerTCP, connBlock.Context()), func(*ndis.MiniportOffloadBlockList) any {
				c := *connBlock.TCPCached
				c.Flags |= updKeepaliveResetFlag()
				c.KaTimeout, c.KaInterval = 600000, 500000
				return &c
			})
			s.Update(ctx, update)
			if update.Status != ndis.StatusSuccess {
				Skip(fmt.Sprintf("the target completed the update with %s; the reset applies to an update it made", update.Status))
			}
			q := s.Query(ctx, fixtures.ReferenceTree(fixtures.Linker(ndis.LayerTCP, connBlock.Context()), fixtures.AllClasses)).Tree
			delta := q.TCPDelegated.KeepAlive.TimeoutDelta
			if delta != 0 && delta <= remaining {
				harness.Failf(rules.ResetKeepaliveTimeoutDelta, harness.Query, "tcp[0]",
					"KeepAlive.TimeoutDelta = %d ticks, at most the %d left before the update: the old timer carried over, want it restarted from KaTimeout (600000) or KaInterval (500000)", delta, remaining)
			}
		})
	})
})

// updNeedMaxPathMTU returns why a spec needing MaxPathMTU cannot run, or "".
func updNeedMaxPathMTU(s *harness.Session) string {
	if !s.Limits.MaxPathMTU.Declared {
		return "target does not declare MaxPathMTU"
	}
	if s.Limits.MaxPathMTU.Value == ^uint32(0) {
		return "no PathMtu exceeds the declared MaxPathMTU"
	}
	return ""
}

// updNeedMaxInitialRcvWnd returns why a spec needing MaxInitialRcvWnd cannot run, or "".
func updNeedMaxInitialRcvWnd(s *harness.Session) string {
	if !s.Limits.MaxInitialRcvWnd.Declared {
		return "target does not declare MaxInitialRcvWnd"
	}
	if s.Limits.MaxInitialRcvWnd.Value == ^uint32(0) {
		return "no InitialRcvWnd exceeds the declared MaxInitialRcvWnd"
	}
	return ""
}

// updPathMTUAboveMax changes only the path: its PathMtu one above the declared MaxPathMTU.
func updPathMTUAboveMax(s *harness.Session) func(*ndis.MiniportOffloadBlockList) any {
	return func(b *ndis.MiniportOffloadBlockList) any {
		if b.Layer() != ndis.LayerPath {
			return nil
		}
		return &ndis.PathOffloadStateCached{Header: ndis.OffloadStateHeader{Length: ndis.SizeofPathOffloadStateCached}, PathMTU: s.Limits.MaxPathMTU.Value + 1}
	}
}

// updRcvWndAboveMax changes only the connection: its InitialRcvWnd one above the declared
// MaxInitialRcvWnd.
func updRcvWndAboveMax(s *harness.Session) func(*ndis.MiniportOffloadBlockList) any {
	return func(b *ndis.MiniportOffloadBlockList) any {
		if b.Layer() != ndis.LayerTCP {
			return nil
		}
		c := *b.TCPCached
		c.InitialRcvWnd = s.Limits.MaxInitialRcvWnd.Value + 1
		return &c
	}
}

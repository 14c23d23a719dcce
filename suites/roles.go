package suites

import (
	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Specs of block roles (placeholders, linkers, new offloads), offload contexts and the block
// members the host reserves for others.

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when an initiate tree of a given shape is offloaded", func() {
		DescribeTable("writes a non-NULL PVOID into *MiniportOffloadContext of every new offload block",
			Rule(rules.TargetWritesContextOnOffload),
			func(ctx SpecContext, shape roleShape) {
				tree := shape.Build()
				treeRequire(s, treeLoadOf(tree))
				out := s.MustInitiate(ctx, tree)
				for _, b := range out.After.Blocks {
					if roleHandedOver(out, b.Block) != ndis.RoleNewOffload {
						continue
					}
					Expect(b.Members.MiniportOffloadContext).NotTo(BeNil(), harness.Because(rules.TargetWritesContextOnOffload, harness.Initiate, b.Path))
					Expect(b.Slot).NotTo(BeZero(), harness.Because(rules.TargetWritesContextOnOffload, harness.Initiate, b.Path))
				}
			},
			roleShapeEntries(),
		)

		DescribeTable("writes a PVOID of its own into *MiniportOffloadContext of every new offload block",
			Rule(rules.OneContextAreaPerObject),
			func(ctx SpecContext, shape roleShape) {
				tree := shape.Build()
				treeRequire(s, treeLoadOf(tree))
				out := s.MustInitiate(ctx, tree)
				roleDistinct(out, map[ndis.Context]string{})
			},
			roleShapeEntries(),
		)
	})

	Context("when objects are offloaded by successive initiate trees", func() {
		It("writes a PVOID not held by any object still offloaded into *MiniportOffloadContext", Rule(rules.OneContextAreaPerObject), func(ctx SpecContext) {
			treeRequire(s, treeLoad{neighbors: 3, paths: 4, tcps: 4})
			seen := map[ndis.Context]string{}
			first := s.MustInitiate(ctx, fixtures.OneConnection())
			roleDistinct(first, seen)
			o := treeContexts(first.Tree)
			roleDistinct(s.MustInitiate(ctx, fixtures.PathOnOffloadedNeighbor(o.Neighbor)), seen)
			roleDistinct(s.MustInitiate(ctx, fixtures.ConnectionOnOffloadedPath(o.Path, 1)), seen)
			// Numbered after OneConnection's, which is still offloaded: no 4-tuple twice.
			roleDistinct(s.MustInitiate(ctx, fixtures.SeveralNeighborsFrom(1, 2)), seen)
		})
	})

	Context("when an initiate tree mixes placeholders, linkers and new offloads", func() {
		It("leaves the placeholders' NULL MiniportOffloadContext and the linkers' PVOIDs as the host set them", Rule(rules.TargetWritesContextOnOffload), func(ctx SpecContext) {
			treeRequire(s, treeLoad{neighbors: 1, paths: 2, tcps: 3})
			first := s.MustInitiate(ctx, fixtures.OneConnection())
			out := s.Initiate(ctx, roleMixedTree(treeContexts(first.Tree)))
			for _, c := range out.Changes() {
				if c.Member != "MiniportOffloadContext" && c.Member != "*MiniportOffloadContext" {
					continue
				}
				if role := roleAt(out, c.Path); c.Member == "MiniportOffloadContext" || role != ndis.RoleNewOffload {
					harness.Failf(rules.TargetWritesContextOnOffload, harness.Initiate, c.Path,
						"%s changed from %v to %v in a %s block; only new offload blocks get a PVOID", c.Member, c.Before, c.After, role)
				}
			}
		})
	})

	Context("when some connections of the tree exceed the declared limits", func() {
		// A context written into a block reported not offloaded breaks only the handler page's
		// "should not" (INIT-009, checked there), not what Status reports.
		It("writes NDIS_STATUS_SUCCESS or NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS only into new offload blocks whose *MiniportOffloadContext it wrote", Rule(rules.NewOffloadStatusReflectsOutcome), Capability("tcpEntries"), func(ctx SpecContext) {
			room := roleTCPFill(s)
			out := s.Initiate(ctx, fixtures.ConnectionsOnOnePath(room+2))
			for _, b := range out.After.Blocks {
				if roleHandedOver(out, b.Block) != ndis.RoleNewOffload {
					continue
				}
				if b.Members.Status == ndis.StatusSuccess || b.Members.Status == ndis.StatusOffloadPartialSuccess {
					Expect(b.Slot).NotTo(BeZero(), harness.Because(rules.NewOffloadStatusReflectsOutcome, harness.Initiate, b.Path)+
						"\nStatus reports the block offloaded, but *MiniportOffloadContext is NULL")
				}
			}
		})
	})

	Context("when a placeholder's dependents all fail to offload", func() {
		It("writes the Status the selected reading gives into the placeholder", Rule(rules.PlaceholderAlwaysSucceedsOnInitiate), Capability("tcpEntries"), func(ctx SpecContext) {
			room := roleTCPFill(s)
			first := s.MustInitiate(ctx, fixtures.ConnectionsOnOnePath(room))
			tree := fixtures.ConnectionOnOffloadedPath(first.Tree.DependentBlockList.Context(), 2)
			out := s.Initiate(ctx, tree)
			want := ndis.StatusSuccess
			if interpretations().PlaceholderStatusFollowsDependents && roleFromDependents(tree) != ndis.StatusSuccess {
				want = ndis.StatusOffloadPartialSuccess // never FAILURE: a placeholder has no state of its own to fail
			}
			Expect(tree.Status).To(Equal(want), harness.Because(rules.PlaceholderAlwaysSucceedsOnInitiate, harness.Initiate, out.Path(tree)))
		})
	})

	Context("when every block depending on a linker is offloaded", func() {
		DescribeTable("writes NDIS_STATUS_SUCCESS into the linker", Rule(rules.LinkerSuccessWhenAllDependentsOffloaded),
			func(ctx SpecContext, build func(treeOffloaded) *ndis.MiniportOffloadBlockList, linker func(*ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList) {
				treeRequire(s, treeLoad{neighbors: 1, paths: 2, tcps: 3})
				first := s.MustInitiate(ctx, fixtures.OneConnection())
				tree := build(treeContexts(first.Tree))
				out := s.Initiate(ctx, tree)
				l := linker(tree)
				Expect(l.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.LinkerSuccessWhenAllDependentsOffloaded, harness.Initiate, out.Path(l)))
			},
			Entry("a neighbor linker with a new path and connection", func(o treeOffloaded) *ndis.MiniportOffloadBlockList {
				return fixtures.PathOnOffloadedNeighbor(o.Neighbor)
			}, func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList { return t }),
			Entry("a path linker with two new connections", func(o treeOffloaded) *ndis.MiniportOffloadBlockList {
				return fixtures.ConnectionOnOffloadedPath(o.Path, 2)
			}, func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList { return t.DependentBlockList }),
		)
	})

	Context("when some but not all blocks depending on a linker fail to offload", func() {
		It("writes NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS into the linker", Rule(rules.LinkerPartialWhenSomeDependentsFail), Capability("tcpEntries"), func(ctx SpecContext) {
			room := roleTCPFill(s)
			first := s.MustInitiate(ctx, fixtures.ConnectionsOnOnePath(room-1))
			tree := fixtures.ConnectionOnOffloadedPath(first.Tree.DependentBlockList.Context(), 2)
			out := s.Initiate(ctx, tree)
			linker := tree.DependentBlockList
			Expect(linker.Status).To(Equal(ndis.StatusOffloadPartialSuccess), harness.Because(rules.LinkerPartialWhenSomeDependentsFail, harness.Initiate, out.Path(linker)))
		})
	})

	Context("when every block depending on a linker fails to offload", func() {
		It("writes the Status the selected reading gives into the linker", Rule(rules.LinkerFailureWhenAllDependentsFail), Capability("tcpEntries"), func(ctx SpecContext) {
			room := roleTCPFill(s)
			first := s.MustInitiate(ctx, fixtures.ConnectionsOnOnePath(room))
			tree := fixtures.ConnectionOnOffloadedPath(first.Tree.DependentBlockList.Context(), 2)
			out := s.Initiate(ctx, tree)
			want := ndis.StatusFailure
			if interpretations().LinkerAllDependentsFailedPartialSuccess {
				want = ndis.StatusOffloadPartialSuccess
			}
			linker := tree.DependentBlockList
			Expect(linker.Status).To(Equal(want), harness.Because(rules.LinkerFailureWhenAllDependentsFail, harness.Initiate, out.Path(linker)))
		})
	})

	Context("when a placeholder's Header.Type names another layer", func() {
		It("offloads the blocks under the placeholder as if its Type named its own layer", Rule(rules.PlaceholderTypeNotSignificant), func(ctx SpecContext) {
			if !interpretations().PlaceholderTypeArbitrary {
				Skip("CONFLICT-TREE-01 reading: placeholders carry a Type of their own layer (placeholderTypeArbitrary is off)")
			}
			treeRequire(s, treeLoad{neighbors: 1, paths: 1, tcps: 2})
			first := s.MustInitiate(ctx, fixtures.OneConnection())
			tree := fixtures.ConnectionOnOffloadedPath(treeContexts(first.Tree).Path, 1)
			tree.Header.Type = ndis.TcpOffloadState
			out := s.Initiate(ctx, tree)
			for _, b := range out.After.Blocks {
				Expect(b.Members.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.PlaceholderTypeNotSignificant, harness.Initiate, b.Path))
			}
		})
	})
})

// Specs that apply to every operation, one Describe per handler.
var _ = func() bool {
	for _, c := range roleOpCases() {
		Describe(c.Op.Handler(), func() {
			var s *harness.Session
			BeforeEach(func() { s = open() })

			Context("when its tree holds placeholders beside blocks naming offloaded objects", func() {
				It("writes a Status into every placeholder", Rule(rules.PlaceholderGetsStatus), func(ctx SpecContext) {
					out := roleRun(ctx, s, c)
					for _, b := range out.After.Blocks {
						if roleHandedOver(out, b.Block) == ndis.RolePlaceholder {
							Expect(b.Members.Status).NotTo(Equal(harness.StatusUnwritten), harness.Because(rules.PlaceholderGetsStatus, c.Op, b.Path))
						}
					}
				})

				It("writes NDIS_STATUS_SUCCESS into a placeholder whose DependentBlockList is NULL", Rule(rules.LonePlaceholderSucceeds), func(ctx SpecContext) {
					out := roleRun(ctx, s, c)
					for _, b := range out.After.Blocks {
						if roleHandedOver(out, b.Block) == ndis.RolePlaceholder && b.Members.DependentBlockList == nil {
							Expect(b.Members.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.LonePlaceholderSucceeds, c.Op, b.Path))
						}
					}
				})
			})

			Context("when its tree carries the members reserved for protocol and intermediate drivers", func() {
				for _, m := range []struct {
					rule   *rules.Rule
					member string
				}{
					{rules.ProtocolReservedUntouched, "ProtocolReserved"},
					{rules.ImReservedUntouched, "ImReserved"},
					{rules.SourceHandleUntouched, "SourceHandle"},
				} {
					It("leaves "+m.member+" of every block as the host wrote it", Rule(m.rule), func(ctx SpecContext) {
						out := roleRun(ctx, s, c)
						for _, ch := range out.Changes() {
							if ch.Member == m.member {
								harness.Failf(m.rule, c.Op, ch.Path, "%s changed from %#x to %#x", m.member, ch.Before, ch.After)
							}
						}
					})
				}
			})

			if c.Op == harness.Initiate || c.Op == harness.Invalidate {
				return
			}
			Context("when its tree names objects offloaded before another initiate", func() {
				It("completes every block that names an object and carries state with NDIS_STATUS_SUCCESS", Rule(rules.ContextStaysValidWhileOffloaded), func(ctx SpecContext) {
					treeRequire(s, treeLoad{neighbors: 2, paths: 2, tcps: 2})
					first := s.MustInitiate(ctx, fixtures.OneConnection())
					s.MustInitiate(ctx, fixtures.Under(fixtures.NewNeighbor(1), fixtures.Under(fixtures.NewPath4(1), fixtures.NewConnection(1))))
					out := s.Do(ctx, c.Op, c.Plain(first.Tree))
					judgeFailure(rules.ContextStaysValidWhileOffloaded, out)
					for _, b := range out.After.Blocks {
						if roleHandedOver(out, b.Block) != ndis.RoleLinker || !b.Block.HasState() {
							continue
						}
						Expect(b.Members.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.ContextStaysValidWhileOffloaded, c.Op, b.Path))
					}
				})
			})
		})
	}
	return true
}()

var _ = Describe("MiniportQueryOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when the blocks of a query tree name objects in another order than they were offloaded", func() {
		DescribeTable("returns in each block the state of the object whose PVOID its *MiniportOffloadContext holds", Rule(rules.TargetResolvesContext),
			func(ctx SpecContext, shape roleShape, reorder func(*ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList) {
				initiated := shape.Build()
				treeRequire(s, treeLoadOf(initiated))
				s.MustInitiate(ctx, initiated)
				origs := treeByContext(initiated)
				tree := reorder(fixtures.ReferenceTree(initiated, fixtures.AllClasses))
				out := s.Query(ctx, tree)
				judgeFailure(rules.TargetResolvesContext, out)
				for _, b := range out.After.Blocks {
					orig := origs[b.Slot]
					Expect(orig).NotTo(BeNil(), harness.Because(rules.TargetResolvesContext, harness.Query, b.Path)+"\nthe host's slot no longer holds a PVOID the target issued")
					switch b.Block.Layer() {
					case ndis.LayerTCP:
						Expect(b.Block.TCPConst.LocalPort).To(Equal(orig.TCPConst.LocalPort), harness.Because(rules.TargetResolvesContext, harness.Query, b.Path+" TCPConst.LocalPort"))
					case ndis.LayerPath:
						Expect(b.Block.PathConst.DestinationAddress).To(Equal(orig.PathConst.DestinationAddress), harness.Because(rules.TargetResolvesContext, harness.Query, b.Path+" PathConst.DestinationAddress"))
					case ndis.LayerNeighbor:
						Expect(b.Block.NeighborCached.DlDestinationAddress).To(Equal(orig.NeighborCached.DlDestinationAddress), harness.Because(rules.TargetResolvesContext, harness.Query, b.Path+" NeighborCached.DlDestinationAddress"))
					}
				}
			},
			Entry("connections on one path, listed last first", roleShape{Name: "two connections", Build: func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(2) }},
				func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
					p := t.DependentBlockList
					p.DependentBlockList = roleReversed(p.DependentBlockList)
					return t
				}),
			Entry("neighbors, listed last first", roleShape{Name: "two neighbors", Build: func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(2) }},
				roleReversed),
		)
	})
})

var _ = Describe("MiniportTerminateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when its tree names one of two connections offloaded on one path", func() {
		It("terminates the connection whose PVOID the block's *MiniportOffloadContext holds and leaves the other offloaded", Rule(rules.TargetResolvesContext), func(ctx SpecContext) {
			treeRequire(s, treeLoad{neighbors: 1, paths: 1, tcps: 2})
			initiated := fixtures.ConnectionsOnOnePath(2)
			s.MustInitiate(ctx, initiated)
			kept := initiated.DependentBlockList.DependentBlockList

			By("terminating the second connection only")
			gone := fixtures.ReferenceTree(initiated, fixtures.DelegatedOnly).DependentBlockList.DependentBlockList.NextBlock
			out := s.Terminate(ctx, fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.Under(fixtures.Placeholder(ndis.LayerPath), gone)))
			judgeFailure(rules.TargetResolvesContext, out)
			Expect(gone.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.TargetResolvesContext, harness.Terminate, out.Path(gone)))

			By("querying the first connection")
			asked := fixtures.ReferenceTree(initiated, fixtures.AllClasses).DependentBlockList.DependentBlockList
			asked.NextBlock = nil
			q := s.Query(ctx, fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.Under(fixtures.Placeholder(ndis.LayerPath), asked)))
			judgeFailure(rules.TargetResolvesContext, q)
			Expect(asked.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.TargetResolvesContext, harness.Terminate, out.Path(gone))+
				"\nthe connection the terminate did not name no longer answers a query at "+q.Path(asked))
			Expect(asked.TCPConst.LocalPort).To(Equal(kept.TCPConst.LocalPort), harness.Because(rules.TargetResolvesContext, harness.Query, q.Path(asked)+" TCPConst.LocalPort"))
		})
	})
})

// roleShape names a fixture tree shape.
type roleShape struct {
	Name  string
	Build func() *ndis.MiniportOffloadBlockList
}

// roleShapeEntries are the tree shapes every context spec is run on.
func roleShapeEntries() []TableEntry {
	desc := func(shape roleShape) string { return shape.Name }
	out := []TableEntry{
		Entry(desc, Capability("ipv6"), roleShape{Name: "one IPv6 connection", Build: fixtures.OneIPv6Connection}),
		Entry(desc, Capability("ipv6"), roleShape{Name: "dual stack with an IPv4 and an IPv6 path", Build: fixtures.DualStack}),
	}
	shapes := []roleShape{
		{Name: "one connection", Build: fixtures.OneConnection},
		{Name: "a neighbor only", Build: fixtures.NeighborOnly},
		{Name: "a neighbor and a path", Build: fixtures.NeighborAndPath},
		{Name: "three connections on one path", Build: func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) }},
		{Name: "three paths on one neighbor", Build: func() *ndis.MiniportOffloadBlockList { return fixtures.PathsOnOneNeighbor(3) }},
		{Name: "two neighbors", Build: func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(2) }},
		{Name: "two paths of two connections", Build: func() *ndis.MiniportOffloadBlockList { return fixtures.LongChains(2, 2) }},
	}
	for _, sh := range shapes {
		out = append(out, Entry(desc, sh))
	}
	return out
}

// roleOpCase is an operation and the trees it is given, built from an offloaded
// one-connection tree: Build's tree starts with a placeholder without dependents, then a
// placeholder neighbor above a lone path placeholder and the blocks naming (or, at initiate,
// linking to) the offloaded path, with a lone connection placeholder beside its connection; at
// initiate it also holds linkers at both lower layers and a new neighbor, path and connection,
// so that every role appears at every layer it can. Plain's names the offloaded objects block
// for block.
type roleOpCase struct {
	Op    harness.Op
	Build func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList
	Plain func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList
}

func roleOpCases() []roleOpCase {
	withPlaceholders := func(plain func(*ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList) func(*ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
		return func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
			ref := plain(t)
			path := ref.DependentBlockList
			path.DependentBlockList = fixtures.Chain(fixtures.Placeholder(ndis.LayerTCP), path.DependentBlockList)
			return fixtures.Chain(fixtures.Placeholder(ndis.LayerNeighbor),
				fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.Placeholder(ndis.LayerPath), path))
		}
	}
	classes := func(c fixtures.StateClasses) func(*ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
		return func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
			return fixtures.ReferenceTree(t, c)
		}
	}
	update := func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
		return fixtures.UpdateTree(t, roleSameTCPCached)
	}
	return []roleOpCase{
		{Op: harness.Initiate, Build: func(t *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
			mixed := roleMixedTree(treeContexts(t))
			linker := mixed.DependentBlockList
			linker.DependentBlockList = fixtures.Chain(fixtures.Placeholder(ndis.LayerTCP), linker.DependentBlockList)
			mixed.DependentBlockList = fixtures.Chain(fixtures.Placeholder(ndis.LayerPath), linker)
			return fixtures.Chain(fixtures.Placeholder(ndis.LayerNeighbor), mixed, mixed.NextBlock,
				fixtures.Under(fixtures.NewNeighbor(4), fixtures.Under(fixtures.NewPath4(4), fixtures.NewConnection(4))))
		}},
		{Op: harness.Query, Build: withPlaceholders(classes(fixtures.AllClasses)), Plain: classes(fixtures.AllClasses)},
		{Op: harness.Update, Build: withPlaceholders(update), Plain: update},
		{Op: harness.Invalidate, Build: withPlaceholders(classes(fixtures.NoState))},
		{Op: harness.Terminate, Build: withPlaceholders(classes(fixtures.DelegatedOnly)), Plain: classes(fixtures.DelegatedOnly)},
	}
}

// roleRun offloads a one-connection tree and hands c's tree to c's operation.
func roleRun(ctx SpecContext, s *harness.Session, c roleOpCase) harness.Outcome {
	GinkgoHelper()
	treeRequire(s, treeLoad{neighbors: 2, paths: 3, tcps: 4})
	first := s.MustInitiate(ctx, fixtures.OneConnection())
	return s.Do(ctx, c.Op, c.Build(first.Tree))
}

// roleMixedTree is an initiate tree with a placeholder, linkers at the neighbor and path layers
// and new offloads under both, referencing the objects of an offloaded one-connection tree.
func roleMixedTree(o treeOffloaded) *ndis.MiniportOffloadBlockList {
	return fixtures.Chain(
		fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.Under(fixtures.Linker(ndis.LayerPath, o.Path), fixtures.NewConnection(1))),
		fixtures.Under(fixtures.Linker(ndis.LayerNeighbor, o.Neighbor), fixtures.Under(fixtures.NewPath4(2), fixtures.NewConnection(2))),
	)
}

// roleSameTCPCached updates each connection with the cached state it was offloaded with.
func roleSameTCPCached(b *ndis.MiniportOffloadBlockList) any {
	if b.TCPCached == nil {
		return nil
	}
	c := *b.TCPCached
	return &c
}

// roleTCPFill returns how many connections on one path fill the declared limits, skipping the
// spec unless at least two fit.
func roleTCPFill(s *harness.Session) int {
	GinkgoHelper()
	room := treeTCPRoom(s)
	if lim := s.Limits.HostMemoryObjects; lim.Declared && int(lim.Value)-2 < room {
		room = int(lim.Value) - 2
	}
	if room < 2 {
		Skip("the declared limits admit fewer than two connections at once")
	}
	treeRequire(s, treeLoad{neighbors: 1, paths: 1, tcps: room})
	return room
}

// roleDistinct fails the spec when a new offload block of out got a PVOID already in seen
// (PVOID to the block that got it) and adds its PVOIDs to seen.
func roleDistinct(out harness.Outcome, seen map[ndis.Context]string) {
	GinkgoHelper()
	for _, b := range out.After.Blocks {
		if roleHandedOver(out, b.Block) != ndis.RoleNewOffload || b.Slot == 0 {
			continue
		}
		if other, dup := seen[b.Slot]; dup {
			harness.Failf(rules.OneContextAreaPerObject, harness.Initiate, b.Path, "*MiniportOffloadContext = %#x, the PVOID already written for %s", uint64(b.Slot), other)
		}
		seen[b.Slot] = b.Path
	}
}

// roleHandedOver returns the role block had when the tree was handed over.
func roleHandedOver(out harness.Outcome, block *ndis.MiniportOffloadBlockList) ndis.Role {
	for _, b := range out.Before.Blocks {
		if b.Block == block {
			switch {
			case b.Members.MiniportOffloadContext == nil:
				return ndis.RolePlaceholder
			case b.Slot != 0:
				return ndis.RoleLinker
			}
			return ndis.RoleNewOffload
		}
	}
	return 0
}

// roleAt returns the role of the block at path when the tree was handed over.
func roleAt(out harness.Outcome, path string) ndis.Role {
	for _, b := range out.Before.Blocks {
		if b.Path == path {
			return roleHandedOver(out, b.Block)
		}
	}
	return 0
}

// roleFromDependents is the Status a linker gets, under the selected readings, from the
// outcome of b's immediately dependent blocks.
func roleFromDependents(b *ndis.MiniportOffloadBlockList) ndis.Status {
	ok, failed := 0, 0
	for _, d := range b.Dependents() {
		if d.Status == ndis.StatusSuccess || d.Status == ndis.StatusOffloadPartialSuccess {
			ok++
		} else {
			failed++
		}
	}
	switch {
	case failed == 0:
		return ndis.StatusSuccess
	case ok == 0 && !interpretations().LinkerAllDependentsFailedPartialSuccess:
		return ndis.StatusFailure
	}
	return ndis.StatusOffloadPartialSuccess
}

// roleReversed reverses a NextBlock list and returns its new first block.
func roleReversed(first *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	var prev *ndis.MiniportOffloadBlockList
	for b := first; b != nil; {
		next := b.NextBlock
		b.NextBlock = prev
		prev, b = b, next
	}
	return prev
}

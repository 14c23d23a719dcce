package faults

import (
	"sync"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of the tree's shape, block roles, offload contexts and reserved members. Most rewrite
// the tree at completion, before forwarding it, as a target with the defect would have left it.

var treeOps = []Op{OpInitiate, OpQuery, OpUpdate, OpInvalidate, OpTerminate}

func init() {
	Register(Fault{
		Name:   "stops-walking-after-second-sibling",
		Breaks: []*rules.Rule{rules.LayerWidthIsUnbounded},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			var level func(first *ndis.MiniportOffloadBlockList)
			level = func(first *ndis.MiniportOffloadBlockList) {
				for i, b := range first.Siblings() {
					if i >= 2 {
						treeNeverOffloaded(b)
						continue
					}
					if b.DependentBlockList != nil {
						level(b.DependentBlockList)
					}
				}
			}
			level(tree)
		})),
	})

	Register(Fault{
		Name:   "fails-single-structure-query-types",
		Breaks: []*rules.Rule{rules.HeaderTypeNamesFollowingState},
		Wrap: With(treeRewrite([]Op{OpQuery}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if c := b.Header.Type.Classes(); b.Role() != ndis.RolePlaceholder && c != (ndis.Classes{Const: true, Cached: true, Delegated: true}) {
					b.Status = ndis.StatusFailure
				}
			}
		})),
	})

	Register(Fault{Name: "ignores-placeholder-links", Breaks: []*rules.Rule{rules.TargetFollowsPlaceholderLinks}, Wrap: With(treeIgnoresPlaceholderLinks)})

	Register(Fault{
		Name:   "placeholder-status-follows-dependents",
		Breaks: []*rules.Rule{rules.PlaceholderAlwaysSucceedsOnInitiate},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Role() == ndis.RolePlaceholder && b.DependentBlockList != nil {
					b.Status = treeFromDependents(b)
				}
			}
		})),
	})

	linkerFault := func(name string, r *rules.Rule, from, to ndis.Status) {
		Register(Fault{
			Name:   name,
			Breaks: []*rules.Rule{r},
			Wrap: With(rewritesBlocksOfRole(OpInitiate, ndis.RoleLinker, func(linkers []*ndis.MiniportOffloadBlockList) {
				for _, b := range linkers {
					if b.Status == from {
						b.Status = to
					}
				}
			})),
		})
	}
	linkerFault("linker-reports-partial-success-when-all-dependents-succeed", rules.LinkerSuccessWhenAllDependentsOffloaded, ndis.StatusSuccess, ndis.StatusOffloadPartialSuccess)
	linkerFault("linker-reports-success-when-some-dependents-fail", rules.LinkerPartialWhenSomeDependentsFail, ndis.StatusOffloadPartialSuccess, ndis.StatusSuccess)
	linkerFault("linker-reports-partial-success-when-all-dependents-fail", rules.LinkerFailureWhenAllDependentsFail, ndis.StatusFailure, ndis.StatusOffloadPartialSuccess)

	// A new offload block whose slot still holds NULL at completion was not offloaded.
	Register(Fault{
		Name:   "reports-success-for-a-failed-offload",
		Breaks: []*rules.Rule{rules.NewOffloadStatusReflectsOutcome},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Role() == ndis.RoleNewOffload {
					b.Status = ndis.StatusSuccess
				}
			}
		})),
	})
	Register(Fault{
		Name:   "writes-a-context-for-a-failed-offload",
		Breaks: []*rules.Rule{rules.InitiateLeavesContextOnFailure},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for i, b := range ndis.Blocks(tree) {
				if b.Role() == ndis.RoleNewOffload {
					*b.MiniportOffloadContext = ndis.Context(0xBAD0_0000 + i)
				}
			}
		})),
	})

	Register(Fault{
		Name:   "leaves-context-null-on-success",
		Breaks: []*rules.Rule{rules.TargetWritesContextOnOffload},
		Wrap: With(rewritesBlocksOfRole(OpInitiate, ndis.RoleNewOffload, func(blocks []*ndis.MiniportOffloadBlockList) {
			for i := len(blocks) - 1; i >= 0; i-- {
				if blocks[i].Status == ndis.StatusSuccess {
					*blocks[i].MiniportOffloadContext = 0
					break
				}
			}
		})),
	})
	Register(Fault{
		Name:   "overwrites-linker-context",
		Breaks: []*rules.Rule{rules.TargetWritesContextOnOffload},
		Wrap: With(rewritesBlocksOfRole(OpInitiate, ndis.RoleLinker, func(linkers []*ndis.MiniportOffloadBlockList) {
			for _, b := range linkers {
				*b.MiniportOffloadContext += 0x8
			}
		})),
	})
	Register(Fault{
		Name:   "gives-placeholders-a-context",
		Breaks: []*rules.Rule{rules.TargetWritesContextOnOffload},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for i, b := range ndis.Blocks(tree) {
				if b.Role() == ndis.RolePlaceholder {
					slot := ndis.Context(0x9000_0000 + i)
					b.MiniportOffloadContext = &slot
				}
			}
		})),
	})

	Register(Fault{Name: "reuses-its-first-context", Breaks: []*rules.Rule{rules.OneContextAreaPerObject}, Wrap: With(treeReusesFirstContext)})
	Register(Fault{Name: "forgets-contexts-of-earlier-initiates", Breaks: []*rules.Rule{rules.ContextStaysValidWhileOffloaded}, Wrap: With(treeForgetsEarlierContexts)})
	Register(Fault{Name: "query-swaps-the-objects-of-two-connections", Breaks: []*rules.Rule{rules.TargetResolvesContext}, Wrap: With(treeSwapsConnections)})

	Register(Fault{Name: "terminate-frees-another-connection", Breaks: []*rules.Rule{rules.TargetResolvesContext}, Wrap: With(treeTerminatesAnotherConnection)})

	Register(Fault{
		Name:   "leaves-placeholder-status-unwritten",
		Breaks: []*rules.Rule{rules.PlaceholderGetsStatus},
		Wrap: With(rewritesBlocksOfRole(0, ndis.RolePlaceholder, func(placeholders []*ndis.MiniportOffloadBlockList) {
			for _, b := range placeholders {
				b.Status = harness.StatusUnwritten
			}
		})),
	})
	Register(Fault{
		Name:   "fails-lone-placeholders",
		Breaks: []*rules.Rule{rules.LonePlaceholderSucceeds},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Role() == ndis.RolePlaceholder && b.DependentBlockList == nil {
					b.Status = ndis.StatusFailure
				}
			}
		})),
	})

	for _, m := range []struct {
		name  string
		rule  *rules.Rule
		write func(b *ndis.MiniportOffloadBlockList)
	}{
		{"writes-protocol-reserved", rules.ProtocolReservedUntouched, func(b *ndis.MiniportOffloadBlockList) { b.ProtocolReserved[1] = 0 }},
		{"writes-im-reserved", rules.ImReservedUntouched, func(b *ndis.MiniportOffloadBlockList) { b.ImReserved[0]++ }},
		{"writes-source-handle", rules.SourceHandleUntouched, func(b *ndis.MiniportOffloadBlockList) { b.SourceHandle = 0 }},
	} {
		Register(Fault{
			Name:   m.name,
			Breaks: []*rules.Rule{m.rule},
			Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
				blocks := ndis.Blocks(tree)
				m.write(blocks[len(blocks)-1])
			})),
		})
	}
}

// rewrite returns hooks that apply change to the tree of every completion of ops before
// forwarding it.
func treeRewrite(ops []Op, change func(tree *ndis.MiniportOffloadBlockList)) func() Hooks {
	return func() Hooks {
		return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, o := range ops {
				if o == op {
					change(tree)
					break
				}
			}
			forward(tree)
		}}
	}
}

// rewritesBlocksOfRole returns hooks that note, when a tree of op is handed over (any op when
// op is 0), its blocks of role, and let change rewrite them when the tree is completed: the
// role as handed over, since a successful initiate turns a new offload into a linker.
func rewritesBlocksOfRole(op Op, role ndis.Role, change func(blocks []*ndis.MiniportOffloadBlockList)) func() Hooks {
	return func() Hooks {
		noted := &treeBlockSet{}
		return Hooks{
			Handler: func(o Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op == 0 || o == op {
					noted.add(tree, role)
				}
				return call(tree)
			},
			Complete: func(_ Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if blocks := noted.take(tree); len(blocks) > 0 {
					change(blocks)
				}
				forward(tree)
			},
		}
	}
}

// treeBlockSet remembers, per tree, the blocks that had a role when the tree was handed over.
type treeBlockSet struct {
	mu     sync.Mutex
	blocks map[*ndis.MiniportOffloadBlockList][]*ndis.MiniportOffloadBlockList
}

func (s *treeBlockSet) add(tree *ndis.MiniportOffloadBlockList, role ndis.Role) {
	var got []*ndis.MiniportOffloadBlockList
	for _, b := range ndis.Blocks(tree) {
		if b.Role() == role {
			got = append(got, b)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocks == nil {
		s.blocks = map[*ndis.MiniportOffloadBlockList][]*ndis.MiniportOffloadBlockList{}
	}
	s.blocks[tree] = got
}

func (s *treeBlockSet) take(tree *ndis.MiniportOffloadBlockList) []*ndis.MiniportOffloadBlockList {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := s.blocks[tree]
	delete(s.blocks, tree)
	return got
}

// treeNeverOffloaded makes b and its subtree look as if the target never offloaded them: failed,
// with NULL in the slots of new offloads.
func treeNeverOffloaded(b *ndis.MiniportOffloadBlockList) {
	b.Status = ndis.StatusFailure
	if b.MiniportOffloadContext != nil {
		*b.MiniportOffloadContext = 0
	}
	for _, d := range b.Dependents() {
		treeNeverOffloaded(d)
	}
}

// treeFailedUnseen writes NDIS_STATUS_FAILURE into b and its subtree, leaving the slots alone.
func treeFailedUnseen(b *ndis.MiniportOffloadBlockList) {
	b.Status = ndis.StatusFailure
	for _, d := range b.Dependents() {
		treeFailedUnseen(d)
	}
}

// treeFromDependents is the status a linker gets from its immediately dependent blocks.
func treeFromDependents(b *ndis.MiniportOffloadBlockList) ndis.Status {
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
	case ok == 0:
		return ndis.StatusFailure
	}
	return ndis.StatusOffloadPartialSuccess
}

// treeIgnoresPlaceholderLinks hides the dependents and next blocks of every placeholder from the
// inner target and, at completion, links them back with NDIS_STATUS_FAILURE everywhere, as a
// target that stops walking at placeholders would leave them.
func treeIgnoresPlaceholderLinks() Hooks {
	type cut struct {
		b, dep, next *ndis.MiniportOffloadBlockList
	}
	var mu sync.Mutex
	cuts := map[*ndis.MiniportOffloadBlockList][]cut{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op == OpInitiate {
				var got []cut
				for _, b := range ndis.Blocks(tree) {
					if b.Role() == ndis.RolePlaceholder {
						got = append(got, cut{b, b.DependentBlockList, b.NextBlock})
					}
				}
				for _, c := range got {
					c.b.DependentBlockList, c.b.NextBlock = nil, nil
				}
				mu.Lock()
				cuts[tree] = got
				mu.Unlock()
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			got := cuts[tree]
			delete(cuts, tree)
			mu.Unlock()
			for _, c := range got {
				c.b.DependentBlockList, c.b.NextBlock = c.dep, c.next
				for _, first := range []*ndis.MiniportOffloadBlockList{c.dep, c.next} {
					for _, s := range first.Siblings() {
						treeFailedUnseen(s)
					}
				}
			}
			forward(tree)
		},
	}
}

// treeReusesFirstContext writes the first context the target ever issued into the last new
// offload block of every initiate it completes.
func treeReusesFirstContext() Hooks {
	var mu sync.Mutex
	var first ndis.Context
	fresh := &treeBlockSet{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op == OpInitiate {
				fresh.add(tree, ndis.RoleNewOffload)
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			blocks := fresh.take(tree)
			mu.Lock()
			for _, b := range blocks {
				if first == 0 {
					first = b.Context()
				}
			}
			for i := len(blocks) - 1; i >= 0 && first != 0; i-- {
				if blocks[i].Context() != 0 {
					*blocks[i].MiniportOffloadContext = first
					break
				}
			}
			mu.Unlock()
			forward(tree)
		},
	}
}

// treeForgetsEarlierContexts no longer recognizes, once a second initiate arrives, the contexts it
// issued before: later operations naming them reach the inner target with another value.
func treeForgetsEarlierContexts() Hooks {
	var mu sync.Mutex
	issued := map[ndis.Context]bool{}
	forgotten := map[ndis.Context]bool{}
	fresh := &treeBlockSet{}
	restore := map[*ndis.MiniportOffloadBlockList]map[*ndis.MiniportOffloadBlockList]ndis.Context{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			mu.Lock()
			switch op {
			case OpInitiate:
				for c := range issued {
					forgotten[c] = true
				}
				fresh.add(tree, ndis.RoleNewOffload)
			default:
				saved := map[*ndis.MiniportOffloadBlockList]ndis.Context{}
				for _, b := range ndis.Blocks(tree) {
					if c := b.Context(); forgotten[c] {
						saved[b] = c
						*b.MiniportOffloadContext = c ^ 0x0F0F_0000
					}
				}
				restore[tree] = saved
			}
			mu.Unlock()
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			for _, b := range fresh.take(tree) {
				if c := b.Context(); c != 0 {
					issued[c] = true
				}
			}
			for b, c := range restore[tree] {
				*b.MiniportOffloadContext = c
			}
			delete(restore, tree)
			mu.Unlock()
			forward(tree)
		},
	}
}

// treeSwapsConnections hands the inner target's query the PVOIDs of the first two connections
// swapped, so that each block is answered with the other connection's state.
func treeSwapsConnections() Hooks {
	var mu sync.Mutex
	swapped := map[*ndis.MiniportOffloadBlockList][2]*ndis.MiniportOffloadBlockList{}
	swap := func(p [2]*ndis.MiniportOffloadBlockList) {
		*p[0].MiniportOffloadContext, *p[1].MiniportOffloadContext = *p[1].MiniportOffloadContext, *p[0].MiniportOffloadContext
	}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op == OpQuery {
				var conns []*ndis.MiniportOffloadBlockList
				for _, b := range ndis.Blocks(tree) {
					if b.Layer() == ndis.LayerTCP && b.Role() == ndis.RoleLinker {
						conns = append(conns, b)
					}
				}
				if len(conns) >= 2 {
					p := [2]*ndis.MiniportOffloadBlockList{conns[0], conns[1]}
					swap(p)
					mu.Lock()
					swapped[tree] = p
					mu.Unlock()
				}
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			p, ok := swapped[tree]
			delete(swapped, tree)
			mu.Unlock()
			if ok {
				swap(p)
			}
			forward(tree)
		},
	}
}

// treeTerminatesAnotherConnection hands the inner target's terminate, for each connection block,
// the PVOID of the earliest other connection still offloaded, so that the wrong connection is
// uploaded and freed.
func treeTerminatesAnotherConnection() Hooks {
	var mu sync.Mutex
	var live []ndis.Context
	fresh := &treeBlockSet{}
	restore := map[*ndis.MiniportOffloadBlockList]map[*ndis.MiniportOffloadBlockList]ndis.Context{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			mu.Lock()
			switch op {
			case OpInitiate:
				fresh.add(tree, ndis.RoleNewOffload)
			case OpTerminate:
				saved := map[*ndis.MiniportOffloadBlockList]ndis.Context{}
				for _, b := range ndis.Blocks(tree) {
					c := b.Context()
					if b.Layer() != ndis.LayerTCP || c == 0 {
						continue
					}
					for i, other := range live {
						if other != c {
							saved[b] = c
							*b.MiniportOffloadContext = other
							live = append(live[:i], live[i+1:]...)
							break
						}
					}
				}
				restore[tree] = saved
			}
			mu.Unlock()
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			for _, b := range fresh.take(tree) {
				if c := b.Context(); c != 0 && b.Layer() == ndis.LayerTCP {
					live = append(live, c)
				}
			}
			for b, c := range restore[tree] {
				*b.MiniportOffloadContext = c
			}
			delete(restore, tree)
			mu.Unlock()
			forward(tree)
		},
	}
}

// Faults whose specs run only under another reading or other limits: Configure selects them.
func init() {
	Register(Fault{
		Name:   "rejects-placeholders-typed-for-another-layer",
		Breaks: []*rules.Rule{rules.PlaceholderTypeNotSignificant},
		Configure: func(cfg *config.Config) {
			cfg.Interpretations.PlaceholderTypeArbitrary = true
		},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, v := range ndis.Walk(tree) {
				if v.Block.Role() == ndis.RolePlaceholder && v.Block.Header.Type.Layer() != v.Layer {
					treeNeverOffloaded(v.Block)
				}
			}
		})),
	})

	Register(Fault{
		Name:   "rejects-vlan-ids-on-an-untagged-interface",
		Breaks: []*rules.Rule{rules.InitiateUntaggedInterfaceAcceptsVlanID},
		Configure: func(cfg *config.Config) {
			cfg.Target.Reference.Limits.InterfaceVLANIDs = []uint16{0}
		},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.NeighborConst != nil && b.NeighborConst.VlanID != 0 { // state after the block: offloaded here, not a linker
					treeNeverOffloaded(b)
					b.Status = ndis.StatusOffloadVLANMismatch
				}
			}
		})),
	})

	// CONFLICT-INIT-08's other reading stops the traversal at a failed root, the block
	// OffloadBlockList points to; this target takes the first block of every level for a root,
	// so a failed first dependent of a linker or placeholder ends its siblings too.
	Register(Fault{
		Name:   "stops-a-level-at-its-failed-first-block",
		Breaks: []*rules.Rule{rules.InitiateFailureSkipsOnlyItsSubtree},
		Configure: func(cfg *config.Config) {
			cfg.Interpretations.RootFailureStopsWholeTree = true
		},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if deps := b.Dependents(); len(deps) > 1 && !offloadedStatus(deps[0].Status) {
					for _, d := range deps[1:] {
						treeNeverOffloaded(d)
					}
				}
			}
		})),
	})

	// Under placeholderStatusFollowsDependents alone (linkers whose dependents all failed keep
	// NDIS_STATUS_FAILURE, so a placeholder above one has a failed dependent).
	Register(Fault{
		Name:   "keeps-success-on-placeholders-with-failed-dependents",
		Breaks: []*rules.Rule{rules.PlaceholderAlwaysSucceedsOnInitiate},
		Configure: func(cfg *config.Config) {
			cfg.Interpretations.PlaceholderStatusFollowsDependents = true
		},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Role() == ndis.RolePlaceholder && b.Status == ndis.StatusOffloadPartialSuccess {
					b.Status = ndis.StatusSuccess
				}
			}
		})),
	})

	// An interface with a single VLAN ID configured: a target that looks for a mismatch only
	// when there are several.
	Register(Fault{
		Name:   "accepts-any-vlan-id-on-a-single-vlan-interface",
		Breaks: []*rules.Rule{rules.InitiateVlanMismatchStatus},
		Configure: func(cfg *config.Config) {
			cfg.Target.Reference.Limits.InterfaceVLANIDs = []uint16{10}
		},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Status == ndis.StatusOffloadVLANMismatch {
					b.Status = ndis.StatusSuccess
				}
			}
		})),
	})
}

// Faults of reserved members touched in one kind of block only, lone placeholders of one layer,
// and contexts numbered per layer.
func init() {
	// Reserved members touched in one kind of block only.
	Register(Fault{
		Name:   "writes-protocol-reserved-of-neighbor-state-blocks",
		Breaks: []*rules.Rule{rules.ProtocolReservedUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.NeighborConst != nil || b.NeighborCached != nil || b.NeighborDelegated != nil {
					b.ProtocolReserved[0] = 0
				}
			}
		})),
	})
	Register(Fault{
		Name:   "writes-im-reserved-of-connection-placeholders",
		Breaks: []*rules.Rule{rules.ImReservedUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, v := range ndis.Walk(tree) {
				if v.Block.MiniportOffloadContext == nil && v.Layer == ndis.LayerTCP {
					v.Block.ImReserved[1] = 0
				}
			}
		})),
	})
	Register(Fault{
		Name:   "writes-source-handle-of-path-placeholders",
		Breaks: []*rules.Rule{rules.SourceHandleUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, v := range ndis.Walk(tree) {
				if v.Block.MiniportOffloadContext == nil && v.Layer == ndis.LayerPath {
					v.Block.SourceHandle = 0
				}
			}
		})),
	})

	// Lone placeholders at the connection layer fail.
	Register(Fault{
		Name:   "fails-lone-connection-placeholders",
		Breaks: []*rules.Rule{rules.LonePlaceholderSucceeds},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, v := range ndis.Walk(tree) {
				if v.Block.MiniportOffloadContext == nil && v.Layer == ndis.LayerTCP && v.Block.DependentBlockList == nil {
					v.Block.Status = ndis.StatusFailure
				}
			}
		})),
	})

	// Contexts numbered per layer: a neighbor, a path and a connection share PVOID values.
	Register(Fault{
		Name:   "numbers-contexts-per-layer",
		Breaks: []*rules.Rule{rules.OneContextAreaPerObject},
		Wrap:   With(treeNumbersContextsPerLayer),
	})
}

// treeNumbersContextsPerLayer hands the host per-layer numbers instead of the inner contexts and
// translates them back when the host uses them.
func treeNumbersContextsPerLayer() Hooks {
	type key struct {
		layer ndis.Layer
		outer ndis.Context
	}
	var mu sync.Mutex
	inner := map[key]ndis.Context{}
	next := map[ndis.Layer]ndis.Context{}
	fresh := &treeBlockSet{}
	restore := map[*ndis.MiniportOffloadBlockList]map[*ndis.MiniportOffloadBlockList]ndis.Context{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			mu.Lock()
			back := map[*ndis.MiniportOffloadBlockList]ndis.Context{}
			for _, v := range ndis.Walk(tree) {
				b := v.Block
				if b.MiniportOffloadContext == nil || *b.MiniportOffloadContext == 0 {
					continue
				}
				if in, ok := inner[key{v.Layer, *b.MiniportOffloadContext}]; ok {
					back[b] = *b.MiniportOffloadContext
					*b.MiniportOffloadContext = in
				}
			}
			restore[tree] = back
			mu.Unlock()
			if op == OpInitiate {
				fresh.add(tree, ndis.RoleNewOffload)
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			for b, c := range restore[tree] {
				*b.MiniportOffloadContext = c
			}
			delete(restore, tree)
			mu.Unlock()
			if op == OpInitiate {
				blocks := fresh.take(tree)
				mu.Lock()
				for _, v := range ndis.Walk(tree) {
					for _, b := range blocks {
						if b != v.Block || *b.MiniportOffloadContext == 0 {
							continue
						}
						next[v.Layer]++
						inner[key{v.Layer, next[v.Layer]}] = *b.MiniportOffloadContext
						*b.MiniportOffloadContext = next[v.Layer]
					}
				}
				mu.Unlock()
			}
			forward(tree)
		},
	}
}

// Faults of the traversal order and the host-memory bound, which a declared
// hostMemoryObjects limit makes visible.
func init() {
	Register(Fault{
		Name:   "walks-breadth-first",
		Breaks: []*rules.Rule{rules.DepthFirstBreadthNextOrder},
		Wrap:   With(treeRewrite([]Op{OpInitiate}, breadthFirst)),
	})

	Register(Fault{
		Name:   "reports-host-memory-as-failure",
		Breaks: []*rules.Rule{rules.InitiateResourcesCondition},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Status == ndis.StatusResources {
					b.Status = ndis.StatusFailure
				}
			}
		})),
	})

	Register(Fault{
		Name:   "runs-out-of-host-memory-one-object-early",
		Breaks: []*rules.Rule{rules.DepthFirstBreadthNextOrder, rules.InitiateResourcesCondition},
		Wrap:   func(inner target.Target) target.Target { return overDeclaresHostMemory{inner} },
	})
}

// breadthFirst rewrites an initiate the reference walked depth-first/breadth-next as a target
// walking breadth-first would have left it: the same number of new offloads succeed, but they
// are the first ones level by level.
func breadthFirst(tree *ndis.MiniportOffloadBlockList) {
	var order []*ndis.MiniportOffloadBlockList
	taken := 0
	for level := []*ndis.MiniportOffloadBlockList{tree}; len(level) > 0; {
		var next []*ndis.MiniportOffloadBlockList
		for _, first := range level {
			for _, b := range first.Siblings() {
				if b.NeighborConst != nil || b.PathConst != nil || b.TCPConst != nil {
					order = append(order, b)
					if b.Status == ndis.StatusSuccess || b.Status == ndis.StatusOffloadPartialSuccess {
						taken++
					}
				}
				if b.DependentBlockList != nil {
					next = append(next, b.DependentBlockList)
				}
			}
		}
		level = next
	}
	for i, b := range order {
		if i < taken {
			if *b.MiniportOffloadContext == 0 {
				*b.MiniportOffloadContext = ndis.Context(0xBF5_0000 + uint64(i))
			}
			b.Status = ndis.StatusSuccess
			continue
		}
		*b.MiniportOffloadContext = 0
		b.Status = ndis.StatusResources
	}
}

// overDeclaresHostMemory is a target that declares one host-memory object more than it holds.
type overDeclaresHostMemory struct{ target.Target }

func (o overDeclaresHostMemory) Open(host target.Host) (target.Info, error) {
	info, err := o.Target.Open(host)
	if l := &info.Capabilities.Limits.HostMemoryObjects; l.Declared {
		l.Value++
	}
	return info, err
}

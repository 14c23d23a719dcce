package faults

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of update offload: statuses update may not write, cached state not applied, constant
// or delegated state applied, cached values drifting on their own, keepalive resets skipped,
// relinks ignored, and objects lost after a failed update.

// lostObjects plays a target that has dropped some objects: once contexts are marked lost,
// every later query, update or terminate block naming one of them fails.
type lostObjects struct {
	mu   sync.Mutex
	lost map[ndis.Context]bool
}

func newLostObjects() *lostObjects { return &lostObjects{lost: map[ndis.Context]bool{}} }

func (l *lostObjects) mark(c ndis.Context) {
	l.mu.Lock()
	l.lost[c] = true
	l.mu.Unlock()
}

func (l *lostObjects) isLost(c ndis.Context) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost[c]
}

// rewrite fails every block of tree that names a lost object.
func (l *lostObjects) rewrite(tree *ndis.MiniportOffloadBlockList) {
	for _, b := range ndis.Blocks(tree) {
		if b.Role() == ndis.RoleLinker && l.isLost(b.Context()) {
			b.Status = ndis.StatusFailure
		}
	}
}

// swapOnUpdate returns hooks that, for every update, run hide on each block before the inner
// target sees it and put back what hide returns when the update completes, so that the inner
// target works on altered blocks while the host gets its tree back as it handed it over.
func swapOnUpdate(hide func(b *ndis.MiniportOffloadBlockList) (restore func())) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		restores := map[*ndis.MiniportOffloadBlockList][]func(){}
		return Hooks{
			Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op == OpUpdate {
					var rs []func()
					for _, b := range ndis.Blocks(tree) {
						if r := hide(b); r != nil {
							rs = append(rs, r)
						}
					}
					mu.Lock()
					restores[tree] = rs
					mu.Unlock()
				}
				return call(tree)
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpUpdate {
					mu.Lock()
					rs := restores[tree]
					delete(restores, tree)
					mu.Unlock()
					for _, r := range rs {
						r()
					}
				}
				forward(tree)
			},
		}
	}
}

func init() {
	Register(Fault{
		Name:   "update-writes-resources-status",
		Breaks: []*rules.Rule{rules.UpdateStatusSuccessOrFailure},
		Wrap: With(onCompletion(OpUpdate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, b := range ndis.Blocks(tree) {
				if b.Role() != ndis.RolePlaceholder {
					b.Status = ndis.StatusResources
					break
				}
			}
			forward(tree)
		})),
	})

	Register(Fault{
		Name: "update-ignores-cached-state",
		Breaks: []*rules.Rule{rules.UpdateTreeStandAloneOrRoot, rules.UpdateCopiesCachedValues, rules.UpdateAppliedByCompletion,
			rules.UpdateSuccessMeaning, rules.UpdateMayCarryVariablesAndLinks, rules.ConcurrentUpdatesOfDistinctObjects},
		Wrap: With(swapOnUpdate(func(b *ndis.MiniportOffloadBlockList) func() {
			nc, pc, tc := b.NeighborCached, b.PathCached, b.TCPCached
			b.NeighborCached, b.PathCached, b.TCPCached = nil, nil, nil
			return func() { b.NeighborCached, b.PathCached, b.TCPCached = nc, pc, tc }
		})),
	})

	Register(Fault{
		Name:   "update-ignores-keepalive-reset-flags",
		Breaks: []*rules.Rule{rules.ResetKeepaliveProbeCount, rules.ResetKeepaliveTimeoutDelta},
		Wrap: With(swapOnUpdate(func(b *ndis.MiniportOffloadBlockList) func() {
			if b.TCPCached == nil {
				return nil
			}
			orig := b.TCPCached
			c := *orig
			c.Flags &^= ndis.TCPFlagMaxRTRestart | ndis.TCPFlagKeepAliveRestart
			b.TCPCached = &c
			return func() { b.TCPCached = orig }
		})),
	})

	Register(Fault{
		Name:   "update-resets-timers-without-restart-flags",
		Breaks: []*rules.Rule{rules.NoResetWithoutRestartFlag},
		Wrap: With(swapOnUpdate(func(b *ndis.MiniportOffloadBlockList) func() {
			if b.TCPCached == nil {
				return nil
			}
			orig := b.TCPCached
			c := *orig
			c.Flags |= ndis.TCPFlagMaxRTRestart | ndis.TCPFlagKeepAliveRestart
			b.TCPCached = &c
			return func() { b.TCPCached = orig }
		})),
	})

	Register(Fault{
		Name:   "update-applies-delegated-state",
		Breaks: []*rules.Rule{rules.UpdateOnlyCachedVariables},
		Wrap:   With(updateAppliesDelegated),
	})

	Register(Fault{
		Name:   "query-changes-cached-ttl",
		Breaks: []*rules.Rule{rules.TargetNeverChangesCachedVariables},
		Wrap: With(onCompletion(OpQuery, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, b := range ndis.Blocks(tree) {
				if b.TCPCached != nil {
					b.TCPCached.TtlOrHopLimit--
				}
			}
			forward(tree)
		})),
	})

	Register(Fault{
		Name:   "update-relink-ignored",
		Breaks: []*rules.Rule{rules.RelinkedPathsLeaveOldNeighbor, rules.UpdateMayCarryVariablesAndLinks},
		Wrap:   With(relinkIgnored),
	})

	Register(Fault{
		Name:   "update-applies-after-completion",
		Breaks: []*rules.Rule{rules.UpdateAppliedByCompletion},
		Wrap:   With(updateAppliesAfterCompletion),
	})

	Register(Fault{
		Name:   "update-failure-drops-objects",
		Breaks: []*rules.Rule{rules.ContinueNormallyAfterUpdateFailure},
		Wrap: With(func() Hooks {
			lost := newLostObjects()
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpUpdate:
					for _, b := range ndis.Blocks(tree) {
						if b.Role() == ndis.RoleLinker {
							b.Status = ndis.StatusFailure
							lost.mark(b.Context())
						}
					}
				case OpQuery, OpTerminate:
					lost.rewrite(tree)
				}
				forward(tree)
			}}
		}),
	})
}

// updateAppliesDelegated plays a target that takes the delegated structure of an update block
// into the connection: later queries return the delegated values the update carried.
func updateAppliesDelegated() Hooks {
	var mu sync.Mutex
	taken := map[ndis.Context]ndis.TCPOffloadStateDelegated{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op == OpUpdate {
				mu.Lock()
				for _, b := range ndis.Blocks(tree) {
					if b.TCPDelegated != nil && b.Role() == ndis.RoleLinker {
						taken[b.Context()] = *b.TCPDelegated
					}
				}
				mu.Unlock()
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op == OpQuery {
				mu.Lock()
				for _, b := range ndis.Blocks(tree) {
					if d, ok := taken[b.Context()]; ok && b.TCPDelegated != nil && b.Role() == ndis.RoleLinker {
						*b.TCPDelegated = d
					}
				}
				mu.Unlock()
			}
			forward(tree)
		},
	}
}

// relinkIgnored plays a target that never moves a path to a new neighbor and tears a
// neighbor's dependents down with it: it keeps the links it saw at initiate, and once a
// neighbor is terminated, its paths and their connections (by those links) are lost.
func relinkIgnored() Hooks {
	lost := newLostObjects()
	var mu sync.Mutex
	parent := map[ndis.Context]ndis.Context{} // path -> neighbor, connection -> path
	return Hooks{
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			switch op {
			case OpInitiate:
				mu.Lock()
				for _, v := range ndis.Walk(tree) {
					if v.Parent != nil && v.Parent.Context() != 0 && v.Block.Context() != 0 {
						parent[v.Block.Context()] = v.Parent.Context()
					}
				}
				mu.Unlock()
			case OpTerminate:
				lost.rewrite(tree)
				mu.Lock()
				for _, b := range ndis.Blocks(tree) {
					if b.Layer() == ndis.LayerNeighbor && b.Role() == ndis.RoleLinker && b.Status == ndis.StatusSuccess {
						for p, n := range parent {
							if n != b.Context() {
								continue
							}
							lost.mark(p)
							for c, pp := range parent {
								if pp == p {
									lost.mark(c)
								}
							}
						}
					}
				}
				mu.Unlock()
			case OpQuery, OpUpdate:
				lost.rewrite(tree)
			}
			forward(tree)
		},
	}
}

// updateAppliesAfterCompletion plays a target that completes an update first and applies its
// cached values a little later: the inner target gets the update's blocks without their cached
// structures, and a private copy of the update, which the host never sees, follows it.
func updateAppliesAfterCompletion() Hooks {
	var mu sync.Mutex
	type held struct {
		call    func(*ndis.MiniportOffloadBlockList) error
		restore []func()
	}
	pending := map[*ndis.MiniportOffloadBlockList]held{}
	private := map[*ndis.MiniportOffloadBlockList]bool{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op == OpUpdate {
				h := held{call: call}
				for _, b := range ndis.Blocks(tree) {
					nc, pc, tc := b.NeighborCached, b.PathCached, b.TCPCached
					b.NeighborCached, b.PathCached, b.TCPCached = nil, nil, nil
					h.restore = append(h.restore, func() { b.NeighborCached, b.PathCached, b.TCPCached = nc, pc, tc })
				}
				mu.Lock()
				pending[tree] = h
				mu.Unlock()
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op != OpUpdate {
				forward(tree)
				return
			}
			mu.Lock()
			h, ok := pending[tree]
			delete(pending, tree)
			mine := private[tree]
			mu.Unlock()
			if mine {
				return // the late application: the host never handed this tree over
			}
			if !ok {
				forward(tree)
				return
			}
			for _, r := range h.restore {
				r()
			}
			late := copyTree(tree)
			mu.Lock()
			private[late] = true
			mu.Unlock()
			forward(tree)
			time.AfterFunc(100*time.Millisecond, func() { _ = h.call(late) })
		},
	}
}

// copyTree returns a copy of a tree's blocks and links with the same state structures.
func copyTree(b *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	if b == nil {
		return nil
	}
	c := *b
	c.NextBlock, c.DependentBlockList = copyTree(b.NextBlock), copyTree(b.DependentBlockList)
	return &c
}

// Faults found by red-teaming the specs of this group: each a defect a driver author could
// plausibly ship, caught once the specs were strengthened where the pages allow.
func init() {
	// Query returns the cached values offloaded, ignoring updates.
	Register(Fault{
		Name:   "query-reports-cached-as-offloaded",
		Breaks: []*rules.Rule{rules.UpdateCopiesCachedValues},
		Wrap: With(func() Hooks {
			r := newSTOffloadLog()
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpInitiate:
					r.record(tree)
				case OpQuery:
					r.mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if v, ok := r.cached[b.Context()]; ok && b.Role() == ndis.RoleLinker {
							queryPutBack(b.NeighborCached, v.nca)
							queryPutBack(b.PathCached, v.pca)
							queryPutBack(b.TCPCached, v.tca)
						}
					}
					r.mu.Unlock()
				}
				forward(tree)
			}}
		}),
	})

	// Update applies the cached state of the first block of each NextBlock list only.
	Register(Fault{
		Name:   "update-applies-only-first-sibling",
		Breaks: []*rules.Rule{rules.UpdateCopiesCachedValues, rules.UpdateSuccessMeaning},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			var later map[*ndis.MiniportOffloadBlockList]bool
			inner := swapOnUpdate(func(b *ndis.MiniportOffloadBlockList) func() {
				mu.Lock()
				l := later[b]
				mu.Unlock()
				if !l {
					return nil
				}
				nc, pc, tc := b.NeighborCached, b.PathCached, b.TCPCached
				b.NeighborCached, b.PathCached, b.TCPCached = nil, nil, nil
				return func() { b.NeighborCached, b.PathCached, b.TCPCached = nc, pc, tc }
			})()
			h := inner.Handler
			inner.Handler = func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				mu.Lock()
				later = stLaterSiblings(tree)
				mu.Unlock()
				return h(op, tree, call)
			}
			return inner
		}),
	})

	// Update writes PARTIAL_SUCCESS into placeholders.
	Register(Fault{
		Name:   "update-writes-partial-success-into-placeholder",
		Breaks: []*rules.Rule{rules.UpdateStatusSuccessOrFailure},
		Wrap:   With(writesIntoPlaceholders(OpUpdate, ndis.StatusOffloadPartialSuccess)),
	})

	// Update answers an InitialRcvWnd above the limit with the initiate resource status.
	Register(Fault{
		Name:   "update-writes-rcv-window-status",
		Breaks: []*rules.Rule{rules.UpdateStatusSuccessOrFailure},
		Wrap: With(onCompletion(OpUpdate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, b := range ndis.Blocks(tree) {
				if b.TCPCached != nil && b.TCPCached.InitialRcvWnd > 1048576 {
					b.Status = ndis.StatusOffloadTCPRcvWindow
				}
			}
			forward(tree)
		})),
	})

	// Update ignores cached state of blocks under a placeholder.
	Register(Fault{
		Name:   "update-ignores-cached-under-placeholder",
		Breaks: []*rules.Rule{rules.UpdateSuccessMeaning},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			var under map[*ndis.MiniportOffloadBlockList]bool
			inner := swapOnUpdate(func(b *ndis.MiniportOffloadBlockList) func() {
				mu.Lock()
				u := under[b]
				mu.Unlock()
				if !u {
					return nil
				}
				nc, pc, tc := b.NeighborCached, b.PathCached, b.TCPCached
				b.NeighborCached, b.PathCached, b.TCPCached = nil, nil, nil
				return func() { b.NeighborCached, b.PathCached, b.TCPCached = nc, pc, tc }
			})()
			h := inner.Handler
			inner.Handler = func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				u := map[*ndis.MiniportOffloadBlockList]bool{}
				var mark func(b *ndis.MiniportOffloadBlockList, below bool)
				mark = func(b *ndis.MiniportOffloadBlockList, below bool) {
					for _, s := range b.Siblings() {
						u[s] = below
						if s.DependentBlockList != nil {
							mark(s.DependentBlockList, below || s.Role() == ndis.RolePlaceholder)
						}
					}
				}
				mark(tree, false)
				mu.Lock()
				under = u
				mu.Unlock()
				return h(op, tree, call)
			}
			return inner
		}),
	})

	// A stand-alone TCP update is applied to the newest connection.
	Register(Fault{
		Name:   "update-stand-alone-applies-to-newest-connection",
		Breaks: []*rules.Rule{rules.ConcurrentUpdatesOfDistinctObjects},
		Wrap: With(func() Hooks {
			r := newSTOffloadLog()
			var mu sync.Mutex
			orig := map[*ndis.MiniportOffloadBlockList]*ndis.Context{}
			return Hooks{
				Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
					if op == OpUpdate && tree.Layer() == ndis.LayerTCP && tree.NextBlock == nil && tree.Role() == ndis.RoleLinker {
						r.mu.Lock()
						last := r.lastTCP
						r.mu.Unlock()
						mu.Lock()
						orig[tree] = tree.MiniportOffloadContext
						mu.Unlock()
						tree.MiniportOffloadContext = &last
					}
					return call(tree)
				},
				Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
					switch op {
					case OpInitiate:
						r.record(tree)
					case OpUpdate:
						mu.Lock()
						if p, ok := orig[tree]; ok {
							tree.MiniportOffloadContext = p
							delete(orig, tree)
						}
						mu.Unlock()
					}
					forward(tree)
				},
			}
		}),
	})

	// Terminating a neighbor that had paths at initiate fails, relinked or not.
	Register(Fault{
		Name:   "terminate-refuses-neighbor-that-had-paths",
		Breaks: []*rules.Rule{rules.RelinkedPathsLeaveOldNeighbor},
		Wrap: With(func() Hooks {
			r := newSTOffloadLog()
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpInitiate:
					r.record(tree)
				case OpTerminate:
					if tree.Layer() == ndis.LayerNeighbor && tree.DependentBlockList == nil && tree.NextBlock == nil {
						r.mu.Lock()
						for _, n := range r.parent {
							if n == tree.Context() {
								tree.Status = ndis.StatusFailure
							}
						}
						r.mu.Unlock()
					}
				}
				forward(tree)
			}}
		}),
	})

	// A relink moves only the first path under the new neighbor block; the others stay
	// linked to their old neighbor and go with it when it is terminated.
	Register(Fault{
		Name:   "update-relinks-only-first-path",
		Breaks: []*rules.Rule{rules.RelinkedPathsLeaveOldNeighbor},
		Wrap: With(func() Hooks {
			r := newSTOffloadLog()
			lost := newLostObjects()
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpInitiate:
					r.record(tree)
				case OpUpdate:
					lost.rewrite(tree)
					r.mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if b.Layer() == ndis.LayerNeighbor && b.Role() == ndis.RoleLinker && b.DependentBlockList != nil && b.DependentBlockList.Role() == ndis.RoleLinker {
							r.parent[b.DependentBlockList.Context()] = b.Context()
						}
					}
					r.mu.Unlock()
				case OpTerminate:
					lost.rewrite(tree)
					r.mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if b.Layer() != ndis.LayerNeighbor || b.Role() != ndis.RoleLinker || b.Status != ndis.StatusSuccess {
							continue
						}
						for p, n := range r.parent {
							if n == b.Context() {
								lost.mark(p)
								for c, pp := range r.parent {
									if pp == p {
										lost.mark(c)
									}
								}
							}
						}
					}
					r.mu.Unlock()
				case OpQuery:
					lost.rewrite(tree)
				}
				forward(tree)
			}}
		}),
	})
}

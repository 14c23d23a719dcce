package faults

import (
	"sync"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of invalidate offload: a status invalidate may not write, state written into the
// invalidate tree, invalidated objects freed before their terminate, and a failed invalidate
// after which the target never completes the terminate.

func init() {
	Register(Fault{
		Name:   "invalidate-writes-partial-success",
		Breaks: []*rules.Rule{rules.InvalidateStatusSuccessOrFailure, rules.InvalidateTreeStandAloneOrRoot, rules.InvalidateAnyLayer},
		Wrap: With(onCompletion(OpInvalidate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			tree.Status = ndis.StatusOffloadPartialSuccess
			forward(tree)
		})),
	})

	Register(Fault{
		Name:   "invalidate-writes-delegated-state",
		Breaks: []*rules.Rule{rules.InvalidateWritesNoState},
		Wrap: With(onCompletion(OpInvalidate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, b := range ndis.Blocks(tree) {
				if b.Layer() == ndis.LayerTCP && b.Role() == ndis.RoleLinker {
					b.TCPDelegated = &ndis.TCPOffloadStateDelegated{State: ndis.TcpConnectionEstablished}
				}
			}
			forward(tree)
		})),
	})

	Register(Fault{
		Name:   "invalidate-frees-objects",
		Breaks: []*rules.Rule{rules.KeepInvalidatedObjectUntilTerminated, rules.InvalidateAnyLayer},
		Wrap: With(func() Hooks {
			lost := newLostObjects()
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpInvalidate:
					for _, b := range ndis.Blocks(tree) {
						if b.Role() == ndis.RoleLinker && b.Status == ndis.StatusSuccess {
							lost.mark(b.Context())
						}
					}
				case OpQuery, OpUpdate, OpTerminate:
					lost.rewrite(tree)
				}
				forward(tree)
			}}
		}),
	})

	Register(Fault{
		Name:   "invalidate-failure-hangs",
		Breaks: []*rules.Rule{rules.InvalidateCorruptCompleteTerminate},
		Wrap: With(func() Hooks {
			hung := false
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch {
				case op == OpInvalidate:
					for _, b := range ndis.Blocks(tree) {
						b.Status = ndis.StatusFailure
					}
					hung = true
				case hung:
					return // the target has stopped responding
				}
				forward(tree)
			}}
		}),
	})
}

// Faults found by red-teaming the specs of this group: each a defect a driver author could
// plausibly ship, caught once the specs were strengthened where the pages allow.
func init() {
	// Invalidate writes PARTIAL_SUCCESS into placeholders.
	Register(Fault{
		Name:   "invalidate-writes-partial-success-into-placeholder",
		Breaks: []*rules.Rule{rules.InvalidateStatusSuccessOrFailure},
		Wrap:   With(writesIntoPlaceholders(OpInvalidate, ndis.StatusOffloadPartialSuccess)),
	})

	// Invalidating a neighbor frees its paths and connections.
	Register(Fault{
		Name:   "invalidate-neighbor-frees-dependents",
		Breaks: []*rules.Rule{rules.InvalidateAnyLayer},
		Wrap: With(func() Hooks {
			r := newSTOffloadLog()
			lost := newLostObjects()
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpInitiate:
					r.record(tree)
				case OpInvalidate:
					r.mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if b.Role() != ndis.RoleLinker || b.Layer() != ndis.LayerNeighbor {
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
				case OpQuery, OpUpdate, OpTerminate:
					lost.rewrite(tree)
				}
				forward(tree)
			}}
		}),
	})

	// Invalidate resets the congestion state; terminate then returns it zeroed.
	Register(Fault{
		Name:   "invalidate-resets-congestion-state",
		Breaks: []*rules.Rule{rules.KeepInvalidatedObjectUntilTerminated},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			inv := map[ndis.Context]bool{}
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				mu.Lock()
				for _, b := range ndis.Blocks(tree) {
					switch {
					case op == OpInvalidate && b.Layer() == ndis.LayerTCP && b.Role() == ndis.RoleLinker:
						inv[b.Context()] = true
					case op == OpTerminate && b.TCPDelegated != nil && inv[b.Context()]:
						b.TCPDelegated.CWnd, b.TCPDelegated.SRtt, b.TCPDelegated.RttVar, b.TCPDelegated.RcvWnd = 0, 0, 0, 0
					}
				}
				mu.Unlock()
				forward(tree)
			}}
		}),
	})
}

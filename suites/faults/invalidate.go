package faults

import (
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

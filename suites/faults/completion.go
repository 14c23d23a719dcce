package faults

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of the completion contract, for initiate and update; the other operations' faults
// sit with their own rules.

var _ = Register(Fault{
	Name:   "initiate-completes-twice",
	Breaks: []*rules.Rule{rules.InitiateCompletedExactlyOnce},
	Wrap: With(func() Hooks {
		return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			forward(tree)
			if op == OpInitiate {
				forward(tree)
			}
		}}
	}),
})

var _ = Register(Fault{
	Name:   "initiate-never-completes",
	Breaks: []*rules.Rule{rules.InitiateCompletedExactlyOnce},
	Wrap: With(func() Hooks {
		return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op != OpInitiate {
				forward(tree)
			}
		}}
	}),
})

var _ = Register(Fault{
	Name:   "initiate-completes-inside-handler",
	Breaks: []*rules.Rule{rules.InitiateHandlerReturnsBeforeCompleting},
	Wrap:   With(completesInsideHandler(OpInitiate)),
})

var _ = Register(Fault{
	Name:   "update-completes-inside-handler",
	Breaks: []*rules.Rule{rules.UpdateHandlerReturnsBeforeCompletion},
	Wrap:   With(completesInsideHandler(OpUpdate)),
})

// completesInsideHandler makes the handler of op wait until the inner target has completed the
// tree, so that the completion reaches the host while the handler call is still in progress.
func completesInsideHandler(target Op) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		done := map[*ndis.MiniportOffloadBlockList]chan struct{}{}
		wait := func(tree *ndis.MiniportOffloadBlockList) chan struct{} {
			mu.Lock()
			defer mu.Unlock()
			if done[tree] == nil {
				done[tree] = make(chan struct{})
			}
			return done[tree]
		}
		return Hooks{
			Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op != target {
					return call(tree)
				}
				ch := wait(tree)
				if err := call(tree); err != nil {
					return err
				}
				select {
				case <-ch:
				case <-time.After(time.Second):
				}
				return nil
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				forward(tree)
				if op == target {
					close(wait(tree))
				}
			},
		}
	}
}

package faults

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of the completion contract, one set per operation: a completion made twice, never,
// inside the handler call, with a copy of the tree, with a block's Status left unwritten, and a
// write to the tree after it was handed back. Each breaks the rule the harness checks on every
// call of that operation (suites/harness/contract.go).

var contractOps = []struct {
	op   Op
	name string
	h    harness.Op
}{
	{OpInitiate, "initiate", harness.Initiate},
	{OpQuery, "query", harness.Query},
	{OpUpdate, "update", harness.Update},
	{OpInvalidate, "invalidate", harness.Invalidate},
	{OpTerminate, "terminate", harness.Terminate},
}

func init() {
	for _, c := range contractOps {
		rs := harness.Contract(c.h)
		register := func(name string, r *rules.Rule, hooks func() Hooks) {
			if r != nil {
				Register(Fault{Name: c.name + "-" + name, Breaks: []*rules.Rule{r}, Wrap: With(hooks)})
			}
		}
		register("completes-twice", rs.ExactlyOnce, onCompletion(c.op, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			forward(tree)
			forward(tree)
		}))
		register("never-completes", rs.ExactlyOnce, onCompletion(c.op, func(*ndis.MiniportOffloadBlockList, func(*ndis.MiniportOffloadBlockList)) {}))
		register("completes-inside-handler", rs.Asynchronous, completesInsideHandler(c.op))
		register("completes-with-a-copy", rs.SameTree, onCompletion(c.op, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			cp := *tree
			forward(&cp)
		}))
		register("leaves-last-status-unwritten", rs.StatusInEveryBlock, leavesAsHandedOver(c.op, func(tree *ndis.MiniportOffloadBlockList) []*ndis.Status {
			blocks := ndis.Blocks(tree)
			return []*ndis.Status{&blocks[len(blocks)-1].Status}
		}))
		register("writes-status-after-completion", rs.NoWriteAfterCompletion, onCompletion(c.op, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			forward(tree)
			tree.Status = ndis.StatusFailure + 0x100 // no value the target wrote before
		}))
	}
}

// A second completion long after the first: after the spec that handed the tree over has
// closed its target (100 ms, 1 s), or from inside Close. The run must still count it against
// the operation's exactly-once rule (judged after the last spec).
func init() {
	rs := harness.Contract(harness.Initiate)
	for _, later := range []struct {
		name  string
		delay time.Duration
	}{{"100ms", 100 * time.Millisecond}, {"1s", time.Second}} {
		Register(Fault{
			Name:   "initiate-completes-again-" + later.name + "-later",
			Breaks: []*rules.Rule{rs.ExactlyOnce},
			Wrap: With(onCompletion(OpInitiate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				forward(tree)
				time.AfterFunc(later.delay, func() { forward(tree) })
			})),
		})
	}
	Register(Fault{
		Name:   "initiate-completes-again-at-close",
		Breaks: []*rules.Rule{rs.ExactlyOnce},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			var completed []func()
			return Hooks{
				Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
					forward(tree)
					if op == OpInitiate {
						mu.Lock()
						completed = append(completed, func() { forward(tree) })
						mu.Unlock()
					}
				},
				Closing: func() {
					mu.Lock()
					again := completed
					completed = nil
					mu.Unlock()
					for _, f := range again {
						f()
					}
				},
			}
		}),
	})
}

// onCompletion returns hooks that replace the completion of op with complete.
func onCompletion(target Op, complete func(*ndis.MiniportOffloadBlockList, func(*ndis.MiniportOffloadBlockList))) func() Hooks {
	return func() Hooks {
		return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op != target {
				forward(tree)
				return
			}
			complete(tree, forward)
		}}
	}
}

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

// writesIntoPlaceholders returns hooks that write status into every placeholder block of an op
// tree at completion, a status the operation does not allow there.
func writesIntoPlaceholders(target Op, status ndis.Status) func() Hooks {
	return onCompletion(target, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
		for _, b := range ndis.Blocks(tree) {
			if b.Role() == ndis.RolePlaceholder {
				b.Status = status
			}
		}
		forward(tree)
	})
}

// leavesAsHandedOver returns hooks that, for trees of op, note the members fields picks when
// the tree is handed over and put them back when it is completed, as if the target never
// wrote them. fields must pick the same members both times.
func leavesAsHandedOver[T any](op Op, fields func(tree *ndis.MiniportOffloadBlockList) []*T) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		given := map[*T]T{}
		return Hooks{
			Handler: func(o Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if o == op {
					mu.Lock()
					for _, p := range fields(tree) {
						given[p] = *p
					}
					mu.Unlock()
				}
				return call(tree)
			},
			Complete: func(o Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if o == op {
					mu.Lock()
					for _, p := range fields(tree) {
						if v, ok := given[p]; ok {
							*p = v
						}
					}
					mu.Unlock()
				}
				forward(tree)
			},
		}
	}
}

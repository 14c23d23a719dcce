package faults

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of terminate offload: statuses, delegated state, tree forms, which objects a terminate
// covers, its order against other operations, uploads the host never asked for and resources
// kept after a terminate. The completion-contract faults of terminate are in completion.go.

func init() {
	Register(Fault{
		Name:   "writes-partial-success-into-terminate-root",
		Breaks: []*rules.Rule{rules.TerminateStatusSuccessOrFailure},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			tree.Status = ndis.StatusOffloadPartialSuccess
			forward(tree)
		})),
	})
	Register(Fault{
		Name:   "leaves-tcp-delegated-cwnd-unwritten-at-terminate",
		Breaks: []*rules.Rule{rules.TerminateSuccessMeaning},
		Wrap: With(leavesAsHandedOver(OpTerminate, func(tree *ndis.MiniportOffloadBlockList) (out []*uint32) {
			for _, b := range ndis.Blocks(tree) {
				if b.TCPDelegated != nil {
					out = append(out, &b.TCPDelegated.CWnd)
				}
			}
			return out
		})),
	})
	Register(Fault{
		Name:   "ignores-next-block-siblings-at-terminate",
		Breaks: []*rules.Rule{rules.TerminateTreeStandAloneOrRoot},
		Wrap:   With(termIgnoresNextBlockSiblings),
	})
	Register(Fault{
		Name:   "fails-terminate-of-path-objects",
		Breaks: []*rules.Rule{rules.TerminateAnyObjectOrCombination},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, b := range ndis.Blocks(tree) {
				if b.Role() != ndis.RolePlaceholder && b.Layer() == ndis.LayerPath {
					b.Status = ndis.StatusFailure
				}
			}
			forward(tree)
		})),
	})
	Register(Fault{
		Name:   "fails-terminate-of-closing-connections",
		Breaks: []*rules.Rule{rules.TerminateInAnyConnectionState},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, b := range ndis.Blocks(tree) {
				if b.TCPDelegated != nil && b.TCPDelegated.State != ndis.TcpConnectionEstablished {
					b.Status = ndis.StatusFailure
				}
			}
			forward(tree)
		})),
	})
	Register(Fault{
		Name:   "completes-terminate-before-outstanding-state-operations",
		Breaks: []*rules.Rule{rules.TerminateCompletesOutstandingStateOps},
		Wrap:   With(termDelaysStateCompletions),
	})
	Register(Fault{
		Name:   "uploads-offloaded-trees-on-its-own",
		Breaks: []*rules.Rule{rules.OnlyHostInitiatesTerminate},
		Wrap:   With(termUploadsOnItsOwn),
	})
	Register(Fault{
		Name:   "reports-tcp-entries-exhausted-after-a-terminate",
		Breaks: []*rules.Rule{rules.TerminateFreesResources},
		Wrap:   With(termKeepsTCPEntries),
	})
}

// termIgnoresNextBlockSiblings hands the inner target a terminate tree cut after the first block of
// every NextBlock list, then links the rest back in and marks it SUCCESS without terminating it.
func termIgnoresNextBlockSiblings() Hooks {
	type cut struct {
		block, next *ndis.MiniportOffloadBlockList
	}
	var mu sync.Mutex
	cuts := map[*ndis.MiniportOffloadBlockList][]cut{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op != OpTerminate {
				return call(tree)
			}
			var cs []cut
			for _, b := range ndis.Blocks(tree) {
				if b.NextBlock != nil {
					cs = append(cs, cut{b, b.NextBlock})
				}
			}
			for _, c := range cs {
				c.block.NextBlock = nil
			}
			mu.Lock()
			cuts[tree] = cs
			mu.Unlock()
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op == OpTerminate {
				mu.Lock()
				cs := cuts[tree]
				delete(cuts, tree)
				mu.Unlock()
				for _, c := range cs {
					c.block.NextBlock = c.next
					for _, b := range ndis.Blocks(c.next) {
						b.Status = ndis.StatusSuccess
					}
				}
			}
			forward(tree)
		},
	}
}

// termDelaysStateCompletions holds every query, update and invalidate completion back for a while,
// so that a terminate handed over after them completes first.
func termDelaysStateCompletions() Hooks {
	return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
		switch op {
		case OpQuery, OpUpdate, OpInvalidate:
			go func() {
				time.Sleep(100 * time.Millisecond)
				forward(tree)
			}()
		default:
			forward(tree)
		}
	}}
}

// termUploadsOnItsOwn follows every initiate completion with a terminate completion of the same
// tree that nobody asked for.
func termUploadsOnItsOwn() Hooks {
	var host target.Host
	return Hooks{
		Opened: func(h target.Host) { host = h },
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			forward(tree)
			if op == OpInitiate && host != nil {
				host.NdisMTerminateOffloadComplete(tree)
			}
		},
	}
}

// termKeepsTCPEntries acts as if terminated connections kept their entries: once any terminate has
// completed, every TCP block of a later initiate is answered NDIS_STATUS_OFFLOAD_TCP_ENTRIES.
func termKeepsTCPEntries() Hooks {
	var mu sync.Mutex
	terminated := false
	return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
		mu.Lock()
		switch op {
		case OpTerminate:
			terminated = true
		case OpInitiate:
			if terminated {
				for _, b := range ndis.Blocks(tree) {
					if b.Role() != ndis.RolePlaceholder && b.Layer() == ndis.LayerTCP {
						b.Status = ndis.StatusOffloadTCPEntries
					}
				}
			}
		}
		mu.Unlock()
		forward(tree)
	}}
}

// Faults of terminate that show on one form of tree only: NextBlock siblings, several roots,
// a stand-alone block, placeholders, a connection terminated with its path, send data
// written after the completion.
func init() {
	Register(Fault{
		Name:   "terminate-partial-success-on-tcp-siblings",
		Breaks: []*rules.Rule{rules.TerminateStatusSuccessOrFailure},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for i, c := range sendTCPBlocks(tree) {
				if i > 0 {
					c.Status = ndis.StatusOffloadPartialSuccess
				}
			}
			forward(tree)
		})),
	})
	Register(Fault{
		Name:   "terminate-leaves-sibling-neighbor-delegated-unwritten",
		Breaks: []*rules.Rule{rules.TerminateSuccessMeaning},
		Wrap: With(leavesAsHandedOver(OpTerminate, func(tree *ndis.MiniportOffloadBlockList) (out []*uint32) {
			for b := tree.NextBlock; b != nil; b = b.NextBlock {
				if b.NeighborDelegated != nil {
					out = append(out, &b.NeighborDelegated.NicReachabilityDelta)
				}
			}
			return out
		})),
	})
	Register(Fault{
		Name:   "terminate-fails-connections-whose-path-goes-too",
		Breaks: []*rules.Rule{rules.TerminateAnyObjectOrCombination},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, v := range ndis.Walk(tree) {
				if v.Layer == ndis.LayerPath && v.Block.Role() != ndis.RolePlaceholder {
					for _, c := range sendTCPBlocks(v.Block.DependentBlockList) {
						c.Status = ndis.StatusFailure
					}
				}
			}
			forward(tree)
		})),
	})
	Register(Fault{
		Name:   "terminate-never-completes-trees-with-siblings",
		Breaks: []*rules.Rule{rules.TerminateCompletesExactlyOnce},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, b := range ndis.Blocks(tree) {
				if b.NextBlock != nil {
					return
				}
			}
			forward(tree)
		})),
	})
	Register(Fault{
		Name:   "terminate-completes-stand-alone-block-inside-handler",
		Breaks: []*rules.Rule{rules.TerminateHandlerReturnsBeforeCompletion},
		Wrap:   With(termInsideHandlerForStandAlone),
	})
	Register(Fault{
		Name:   "terminate-completes-a-copy-of-multi-root-trees",
		Breaks: []*rules.Rule{rules.TerminateCompletionSamePointer},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if tree.NextBlock != nil {
				cp := *tree
				forward(&cp)
				return
			}
			forward(tree)
		})),
	})
	Register(Fault{
		Name:   "terminate-writes-handed-back-list-status-later",
		Breaks: []*rules.Rule{rules.TargetLeavesTerminateTreeAfterCompletion},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			var lists []*ndis.NetBufferList
			for _, c := range sendTCPBlocks(tree) {
				lists = append(lists, c.NetBufferListChain.Chain()...)
			}
			forward(tree)
			for _, l := range lists {
				l.Status = ndis.StatusUploadInProgress
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-leaves-sibling-status-unwritten",
		Breaks: []*rules.Rule{rules.TerminateStatusInEveryBlock},
		Wrap: With(leavesAsHandedOver(OpTerminate, func(tree *ndis.MiniportOffloadBlockList) (out []*ndis.Status) {
			for _, b := range ndis.Blocks(tree) {
				if b.NextBlock != nil {
					out = append(out, &b.NextBlock.Status)
				}
			}
			return out
		})),
	})
	Register(Fault{
		Name:   "terminate-resources-in-placeholders",
		Breaks: []*rules.Rule{rules.TerminateStatusSuccessOrFailure},
		Wrap:   With(writesIntoPlaceholders(OpTerminate, ndis.StatusResources)),
	})
	Register(Fault{
		Name:   "terminate-leaves-sibling-tcp-delegated-unwritten",
		Breaks: []*rules.Rule{rules.TerminateSuccessMeaning},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			given := map[*ndis.TCPOffloadStateDelegated]ndis.TCPOffloadStateDelegated{}
			return Hooks{
				Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
					if op == OpTerminate {
						mu.Lock()
						for i, c := range sendTCPBlocks(tree) {
							if i > 0 && c.TCPDelegated != nil {
								given[c.TCPDelegated] = *c.TCPDelegated
							}
						}
						mu.Unlock()
					}
					return call(tree)
				},
				Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
					if op == OpTerminate {
						mu.Lock()
						for _, c := range sendTCPBlocks(tree) {
							if v, ok := given[c.TCPDelegated]; ok {
								c.TCPDelegated.RcvNxt, c.TCPDelegated.SsThresh = v.RcvNxt, v.SsThresh
							}
						}
						mu.Unlock()
					}
					forward(tree)
				},
			}
		}),
	})
}

func termInsideHandlerForStandAlone() Hooks {
	var mu sync.Mutex
	done := map[*ndis.MiniportOffloadBlockList]chan struct{}{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op != OpTerminate || tree.DependentBlockList != nil || tree.NextBlock != nil {
				return call(tree)
			}
			ch := make(chan struct{})
			mu.Lock()
			done[tree] = ch
			mu.Unlock()
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
			mu.Lock()
			ch := done[tree]
			delete(done, tree)
			mu.Unlock()
			if op == OpTerminate && ch != nil {
				close(ch)
			}
		},
	}
}

package faults

import (
	"sync"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of query offload. Most let the inner target answer the query and then, at completion,
// spoil what it wrote: state structures put back as the host handed them over, a status the
// query may not carry, two objects' state swapped. The completion-contract faults of query are
// in completion.go.

func init() {
	Register(Fault{
		Name:   "query-leaves-stand-alone-block-unfilled",
		Breaks: []*rules.Rule{rules.QueryTreeStandAloneOrRoot},
		Wrap: With(unfillsQueryState(func(tree, b *ndis.MiniportOffloadBlockList) bool {
			return b == tree && tree.NextBlock == nil && tree.DependentBlockList == nil
		})),
	})
	Register(Fault{
		Name:   "query-leaves-path-state-unfilled",
		Breaks: []*rules.Rule{rules.QueryAnyOffloadedState},
		Wrap: With(unfillsQueryState(func(_, b *ndis.MiniportOffloadBlockList) bool {
			return b.Layer() == ndis.LayerPath
		})),
	})
	Register(Fault{
		Name:   "query-leaves-tcp-delegated-state-unfilled",
		Breaks: []*rules.Rule{rules.QueryFillsEveryStateStructure},
		Wrap: With(unfillsQueryState(func(_, b *ndis.MiniportOffloadBlockList) bool {
			return b.TCPDelegated != nil && b.TCPConst == nil
		})),
	})
	Register(Fault{
		Name:   "query-reports-unsent-data-in-snd-max",
		Breaks: []*rules.Rule{rules.QueryFillsEveryStateStructure},
		Wrap: onQueryCompletion(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.TCPDelegated != nil && b.Status == ndis.StatusSuccess {
					b.TCPDelegated.SndMax = b.TCPDelegated.SndMax.Add(1460)
				}
			}
		}),
	})
	Register(Fault{
		Name:   "query-leaves-cached-state-unfilled",
		Breaks: []*rules.Rule{rules.QueryFillsEveryStateStructure},
		Wrap: With(unfillsQueryState(func(_, b *ndis.MiniportOffloadBlockList) bool {
			return b.Present() == ndis.Classes{Cached: true}
		})),
	})
	Register(Fault{
		Name:   "query-answers-root-with-partial-success",
		Breaks: []*rules.Rule{rules.QueryStatusSuccessOrFailure},
		Wrap: onQueryCompletion(func(tree *ndis.MiniportOffloadBlockList) {
			if tree.DependentBlockList != nil {
				tree.Status = ndis.StatusOffloadPartialSuccess
			}
		}),
	})
	Register(Fault{
		Name:   "query-swaps-state-of-two-objects",
		Breaks: []*rules.Rule{rules.QuerySuccessMeaning},
		Wrap:   onQueryCompletion(swapQueriedState),
	})
	Register(Fault{
		Name:   "query-completes-through-update-completion",
		Breaks: []*rules.Rule{rules.QueryCompletesExactlyOnce},
		Wrap: With(func() Hooks {
			var host target.Host
			return Hooks{
				Opened: func(h target.Host) { host = h },
				Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
					if op == OpQuery {
						host.NdisMUpdateOffloadComplete(tree)
						return
					}
					forward(tree)
				},
			}
		}),
	})
	Register(Fault{
		Name:   "query-refreshes-queried-tree-at-next-operation",
		Breaks: []*rules.Rule{rules.TargetLeavesQueryTreeAfterCompletion},
		Wrap:   With(refreshesQueriedTreeLater),
	})
	Register(Fault{
		Name:   "query-skips-state-of-object-queried-before",
		Breaks: []*rules.Rule{rules.OverlappingQueriesOfOneObject},
		Wrap:   With(skipsRepeatedQueries),
	})
	Register(Fault{
		Name:   "query-fails-and-never-completes-terminate",
		Breaks: []*rules.Rule{rules.QueryCorruptCompleteTerminate},
		Wrap:   With(failsQueryThenDropsTerminate),
	})
}

// onQueryCompletion returns a Wrap that lets spoil change each query tree before it is
// forwarded to the host.
func onQueryCompletion(spoil func(*ndis.MiniportOffloadBlockList)) func(target.Target) target.Target {
	return With(onCompletion(OpQuery, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
		spoil(tree)
		forward(tree)
	}))
}

// queryStateValues holds copies of the state structures after one block.
type queryStateValues struct {
	nc  *ndis.NeighborOffloadStateConst
	nca *ndis.NeighborOffloadStateCached
	nd  *ndis.NeighborOffloadStateDelegated
	pc  *ndis.PathOffloadStateConst
	pca *ndis.PathOffloadStateCached
	pd  *ndis.PathOffloadStateDelegated
	tc  *ndis.TCPOffloadStateConst
	tca *ndis.TCPOffloadStateCached
	td  *ndis.TCPOffloadStateDelegated
}

func queryCopy[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func queryPutBack[T any](dst, saved *T) {
	if dst != nil && saved != nil {
		*dst = *saved
	}
}

func querySaveState(b *ndis.MiniportOffloadBlockList) queryStateValues {
	return queryStateValues{
		nc: queryCopy(b.NeighborConst), nca: queryCopy(b.NeighborCached), nd: queryCopy(b.NeighborDelegated),
		pc: queryCopy(b.PathConst), pca: queryCopy(b.PathCached), pd: queryCopy(b.PathDelegated),
		tc: queryCopy(b.TCPConst), tca: queryCopy(b.TCPCached), td: queryCopy(b.TCPDelegated),
	}
}

func (v queryStateValues) restore(b *ndis.MiniportOffloadBlockList) {
	queryPutBack(b.NeighborConst, v.nc)
	queryPutBack(b.NeighborCached, v.nca)
	queryPutBack(b.NeighborDelegated, v.nd)
	queryPutBack(b.PathConst, v.pc)
	queryPutBack(b.PathCached, v.pca)
	queryPutBack(b.PathDelegated, v.pd)
	queryPutBack(b.TCPConst, v.tc)
	queryPutBack(b.TCPCached, v.tca)
	queryPutBack(b.TCPDelegated, v.td)
}

// unfillsQueryState puts back, at completion, the state structures the host handed over after
// every block of a query tree that selected picks, leaving the inner target's Status: a
// target that answers SUCCESS without writing the state.
func unfillsQueryState(selected func(tree, b *ndis.MiniportOffloadBlockList) bool) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		given := map[*ndis.MiniportOffloadBlockList]queryStateValues{}
		return Hooks{
			Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op == OpQuery {
					mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if b.Role() != ndis.RolePlaceholder && selected(tree, b) {
							given[b] = querySaveState(b)
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
						if v, ok := given[b]; ok {
							v.restore(b)
						}
					}
					mu.Unlock()
				}
				forward(tree)
			},
		}
	}
}

// swapQueriedState swaps the state written into the first two blocks of one layer that both
// name an object, as a target that looks objects up by the wrong key would.
func swapQueriedState(tree *ndis.MiniportOffloadBlockList) {
	byLayer := map[ndis.Layer][]*ndis.MiniportOffloadBlockList{}
	for _, b := range ndis.Blocks(tree) {
		if b.Role() != ndis.RolePlaceholder && b.HasState() {
			byLayer[b.Layer()] = append(byLayer[b.Layer()], b)
		}
	}
	for _, bs := range byLayer {
		if len(bs) < 2 {
			continue
		}
		x, y := querySaveState(bs[0]), querySaveState(bs[1])
		y.restore(bs[0])
		x.restore(bs[1])
	}
}

// refreshesQueriedTreeLater keeps the last query tree it completed and, at the next handler
// call of any operation, writes a fresher receive window into it, as a target that refreshes
// the delegated state lazily would.
func refreshesQueriedTreeLater() Hooks {
	var mu sync.Mutex
	var last *ndis.MiniportOffloadBlockList
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			mu.Lock()
			if last != nil {
				for _, b := range ndis.Blocks(last) {
					if b.TCPDelegated != nil {
						b.TCPDelegated.RcvWnd++
					}
				}
				last.Status = ndis.StatusFailure + 0x200
				last = nil
			}
			mu.Unlock()
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			forward(tree)
			if op == OpQuery {
				mu.Lock()
				last = tree
				mu.Unlock()
			}
		},
	}
}

// skipsRepeatedQueries answers a query of an object queried before with SUCCESS but leaves its
// state structures as the host handed them over, as a target that believes the first query
// already covered the second would.
func skipsRepeatedQueries() Hooks {
	var mu sync.Mutex
	queried := map[ndis.Context]bool{}
	given := map[*ndis.MiniportOffloadBlockList]queryStateValues{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op == OpQuery {
				mu.Lock()
				for _, b := range ndis.Blocks(tree) {
					if b.Role() != ndis.RoleLinker {
						continue
					}
					if queried[b.Context()] {
						given[b] = querySaveState(b)
					}
					queried[b.Context()] = true
				}
				mu.Unlock()
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op == OpQuery {
				mu.Lock()
				for _, b := range ndis.Blocks(tree) {
					if v, ok := given[b]; ok {
						v.restore(b)
					}
				}
				mu.Unlock()
			}
			forward(tree)
		},
	}
}

// failsQueryThenDropsTerminate answers every query block that names an object with
// NDIS_STATUS_FAILURE and then never completes the host's terminate.
func failsQueryThenDropsTerminate() Hooks {
	var mu sync.Mutex
	failed := false
	return Hooks{
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case op == OpQuery:
				for _, b := range ndis.Blocks(tree) {
					if b.Role() != ndis.RolePlaceholder {
						b.Status = ndis.StatusFailure
						failed = true
					}
				}
			case op == OpTerminate && failed:
				return
			}
			forward(tree)
		},
	}
}

// Faults found by red-teaming the specs of this group: each a defect a driver author could
// plausibly ship, caught once the specs were strengthened where the pages allow.
func init() {
	// Query leaves TsTime unwritten for connections on IPv6 paths.
	Register(Fault{
		Name:   "query-leaves-ipv6-connection-ts-time-unwritten",
		Breaks: []*rules.Rule{rules.QueryAnyOffloadedState},
		Wrap:   With(leavesIPv6ConnectionFieldUnwritten(OpQuery, func(d *ndis.TCPOffloadStateDelegated) *uint32 { return &d.TsTime })),
	})

	// A stand-alone TCP query is answered from the newest connection.
	Register(Fault{
		Name:   "query-stand-alone-answers-newest-object",
		Breaks: []*rules.Rule{rules.QuerySuccessMeaning},
		Wrap: With(func() Hooks {
			r := newSTOffloadLog()
			var mu sync.Mutex
			orig := map[*ndis.MiniportOffloadBlockList]*ndis.Context{}
			return Hooks{
				Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
					if op == OpQuery && tree.NextBlock == nil && tree.DependentBlockList == nil && tree.Role() == ndis.RoleLinker {
						r.mu.Lock()
						last := r.last[tree.Layer()]
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
					case OpQuery:
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
}

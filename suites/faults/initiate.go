package faults

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of initiate offload: each rewrites the tree the inner target completes (a status, a
// context, a NET_BUFFER_LIST) or changes how initiates are accepted, so that exactly one
// initiate rule of suites/rules/initiate.go is broken.

func init() {
	// Categorised causes reported under another status.
	for _, f := range []struct {
		name     string
		from, to ndis.Status
		breaks   []*rules.Rule
	}{
		{"reports-xmit-buffer-as-tcp-entries", ndis.StatusOffloadTCPXmitBuffer, ndis.StatusOffloadTCPEntries,
			[]*rules.Rule{rules.InitiateTCPEntriesCondition, rules.InitiateTCPXmitBufferCondition}},
		{"reports-xmit-buffer-as-rcv-buffer", ndis.StatusOffloadTCPXmitBuffer, ndis.StatusOffloadTCPRcvBuffer,
			[]*rules.Rule{rules.InitiateTCPRcvBufferCondition}},
		{"reports-path-entries-as-failure", ndis.StatusOffloadPathEntries, ndis.StatusFailure,
			[]*rules.Rule{rules.InitiatePathEntriesCondition}},
		{"reports-neighbor-entries-as-failure", ndis.StatusOffloadNeighborEntries, ndis.StatusFailure,
			[]*rules.Rule{rules.InitiateNeighborEntriesCondition}},
		{"reports-hw-address-entries-as-failure", ndis.StatusOffloadHWAddressEntries, ndis.StatusFailure,
			[]*rules.Rule{rules.InitiateHwAddressEntriesCondition}},
		{"reports-ip-address-entries-as-path-entries", ndis.StatusOffloadIPAddressEntries, ndis.StatusOffloadPathEntries,
			[]*rules.Rule{rules.InitiateIPAddressEntriesCondition}},
		{"reports-rcv-window-as-failure", ndis.StatusOffloadTCPRcvWindow, ndis.StatusFailure,
			[]*rules.Rule{rules.InitiateTCPRcvWindowCondition, rules.InitiateFailureCondition}},
		{"reports-path-mtu-as-path-entries", ndis.StatusOffloadPathMTU, ndis.StatusOffloadPathEntries,
			[]*rules.Rule{rules.InitiatePathMTUCondition}},
		{"reports-vlan-entries-as-failure", ndis.StatusOffloadVLANEntries, ndis.StatusFailure,
			[]*rules.Rule{rules.InitiateVlanEntriesStatus}},
		{"reports-vlan-mismatch-as-failure", ndis.StatusOffloadVLANMismatch, ndis.StatusFailure,
			[]*rules.Rule{rules.InitiateVlanMismatchStatus}},
		{"reports-success-instead-of-partial-success", ndis.StatusOffloadPartialSuccess, ndis.StatusSuccess,
			[]*rules.Rule{rules.InitiatePartialSuccessCondition}},
	} {
		from, to := f.from, f.to
		Register(Fault{Name: f.name, Breaks: f.breaks, Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Status == from {
					b.Status = to
				}
			}
		}))})
	}

	Register(Fault{
		Name:   "writes-pending-into-the-root",
		Breaks: []*rules.Rule{rules.InitiateStatusFromInitiateList},
		Wrap:   With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) { tree.Status = ndis.StatusPending })),
	})

	Register(Fault{
		Name:   "reports-partial-success-for-a-full-offload",
		Breaks: []*rules.Rule{rules.InitiateSuccessCondition},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Status != ndis.StatusSuccess {
					return
				}
			}
			tree.Status = ndis.StatusOffloadPartialSuccess
		})),
	})

	Register(Fault{
		Name:   "propagates-partial-success-to-every-ancestor",
		Breaks: []*rules.Rule{rules.InitiateImmediatelyDependentDefinition},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			var mark func(b *ndis.MiniportOffloadBlockList) bool // reports whether b's subtree holds a failure
			mark = func(b *ndis.MiniportOffloadBlockList) bool {
				failed := !offloadedStatus(b.Status)
				for _, d := range b.Dependents() {
					if mark(d) {
						failed = true
						if b.Status == ndis.StatusSuccess {
							b.Status = ndis.StatusOffloadPartialSuccess
						}
					}
				}
				return failed
			}
			for _, b := range tree.Siblings() {
				mark(b)
			}
		})),
	})

	Register(Fault{
		Name:   "leaves-connection-context-null",
		Breaks: []*rules.Rule{rules.TargetWritesContextOnOffload},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Layer() == ndis.LayerTCP && b.MiniportOffloadContext != nil && offloadedStatus(b.Status) {
					*b.MiniportOffloadContext = 0
				}
			}
		})),
	})

	Register(Fault{
		Name:   "writes-context-into-failed-blocks",
		Breaks: []*rules.Rule{rules.InitiateLeavesContextOnFailure},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.MiniportOffloadContext != nil && *b.MiniportOffloadContext == 0 && !offloadedStatus(b.Status) {
					*b.MiniportOffloadContext = 0xBAD0
				}
			}
		})),
	})

	Register(Fault{
		Name:   "writes-send-data-status-of-failed-connections",
		Breaks: []*rules.Rule{rules.FailedInitiateLeavesNBLStatus},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range failedWithSendData(tree) {
				for _, l := range b.NetBufferListChain.Chain() {
					l.Status = ndis.StatusFailure
				}
			}
		})),
	})

	Register(Fault{
		Name:   "send-completes-data-of-failed-connections",
		Breaks: []*rules.Rule{rules.FailedInitiateNoSendComplete},
		Wrap:   With(sendCompletesFailedConnections(func(ndis.Status) bool { return true })),
	})

	// Skipped dependents of a failed block reported as offloaded, with a context.
	Register(Fault{
		Name:   "offloads-dependents-of-failed-blocks",
		Breaks: []*rules.Rule{rules.InitiateNoOffloadUnderFailedBlock, rules.InitiateRootFailureStopsTraversal},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if offloadedStatus(b.Status) {
					continue
				}
				for _, d := range ndis.Blocks(b.DependentBlockList) {
					d.Status = ndis.StatusSuccess
					if d.MiniportOffloadContext != nil && *d.MiniportOffloadContext == 0 {
						*d.MiniportOffloadContext = 0xD0D0
					}
				}
			}
		})),
	})

	Register(Fault{
		Name:   "writes-resources-into-skipped-blocks",
		Breaks: []*rules.Rule{rules.InitiateSkippedBlocksGetFailure},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if offloadedStatus(b.Status) {
					continue
				}
				for _, d := range ndis.Blocks(b.DependentBlockList) {
					if d.Status == ndis.StatusFailure {
						d.Status = ndis.StatusResources
					}
				}
			}
		})),
	})

	Register(Fault{
		Name:   "stops-traversal-at-the-first-failure",
		Breaks: []*rules.Rule{rules.InitiateFailureSkipsOnlyItsSubtree},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			var failed *ndis.MiniportOffloadBlockList
			var skip map[*ndis.MiniportOffloadBlockList]bool
			for _, b := range ndis.Blocks(tree) {
				switch {
				case failed == nil && !offloadedStatus(b.Status):
					failed, skip = b, map[*ndis.MiniportOffloadBlockList]bool{}
					for _, d := range ndis.Blocks(b.DependentBlockList) {
						skip[d] = true
					}
				case failed != nil && !skip[b]:
					b.Status = ndis.StatusFailure
					if b.MiniportOffloadContext != nil {
						*b.MiniportOffloadContext = 0
					}
				}
			}
		})),
	})

	Register(Fault{
		Name:   "gives-linker-with-all-dependents-failed-partial-success",
		Breaks: []*rules.Rule{rules.InitiateFailureCondition},
		Wrap:   With(linkerStatusOnAllFailed(ndis.StatusOffloadPartialSuccess)),
	})

	Register(Fault{
		Name:   "rejects-a-path",
		Breaks: []*rules.Rule{rules.InitiateConnectionRejected},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Layer() == ndis.LayerPath && b.Status == ndis.StatusSuccess {
					b.Status = ndis.StatusOffloadConnectionRejected
					return
				}
			}
		})),
	})

	Register(Fault{
		Name:   "fails-neighbors-without-vlan-id",
		Breaks: []*rules.Rule{rules.InitiateZeroVlanIDAccepted},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.NeighborConst != nil && b.NeighborConst.VlanID == 0 && b.Status == ndis.StatusSuccess {
					b.Status = ndis.StatusOffloadVLANMismatch
				}
			}
		})),
	})

	Register(Fault{
		Name:   "fails-neighbors-with-a-vlan-id",
		Breaks: []*rules.Rule{rules.InitiateMatchingVlanIDAccepted},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.NeighborConst != nil && b.NeighborConst.VlanID != 0 && b.Status == ndis.StatusSuccess {
					b.Status = ndis.StatusOffloadVLANMismatch
				}
			}
		})),
	})

	Register(Fault{
		Name:   "drops-an-initiate-made-while-another-is-pending",
		Breaks: []*rules.Rule{rules.InitiateConcurrentInitiates},
		Wrap:   With(dropsConcurrentInitiate),
	})

	// A handler that waits for the completion in flight to return, as one whose request queue
	// holds nothing while its worker is inside a completion: a host that starts an initiate
	// from its completion handler waits for itself.
	Register(Fault{
		Name:   "blocks-a-handler-called-inside-a-completion",
		Breaks: []*rules.Rule{rules.InitiateConcurrentInitiates},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			var inside chan struct{} // closed when the completion being forwarded returns
			return Hooks{
				Handler: func(_ Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
					mu.Lock()
					wait := inside
					mu.Unlock()
					if wait != nil {
						<-wait
					}
					return call(tree)
				},
				Complete: func(_ Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
					done := make(chan struct{})
					mu.Lock()
					inside = done
					mu.Unlock()
					forward(tree)
					mu.Lock()
					inside = nil
					mu.Unlock()
					close(done)
				},
			}
		}),
	})
}

// onInitiate returns hooks that apply rewrite to every initiate tree before forwarding its
// completion.
// claimOffloadedAfter marks every new-offload block of tree after failed's subtree, in
// depth-first/breadth-next order, offloaded with a made-up context: a traversal that went on
// where the reading ends it.
func claimOffloadedAfter(tree, failed *ndis.MiniportOffloadBlockList) {
	below := map[*ndis.MiniportOffloadBlockList]bool{}
	for _, b := range ndis.Blocks(failed.DependentBlockList) {
		below[b] = true
	}
	after := false
	for i, v := range ndis.Walk(tree) {
		if v.Block == failed {
			after = true
			continue
		}
		if after && !below[v.Block] && v.Block.Role() == ndis.RoleNewOffload && v.Block.Status == ndis.StatusFailure {
			v.Block.Status = ndis.StatusSuccess
			*v.Block.MiniportOffloadContext = ndis.Context(0xE000 + i)
		}
	}
}

func onInitiate(rewrite func(*ndis.MiniportOffloadBlockList)) func() Hooks {
	return onCompletion(OpInitiate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
		rewrite(tree)
		forward(tree)
	})
}

func offloadedStatus(st ndis.Status) bool {
	return st == ndis.StatusSuccess || st == ndis.StatusOffloadPartialSuccess
}

// failedWithSendData returns the blocks of tree that failed and carry outstanding send data.
func failedWithSendData(tree *ndis.MiniportOffloadBlockList) []*ndis.MiniportOffloadBlockList {
	var out []*ndis.MiniportOffloadBlockList
	for _, b := range ndis.Blocks(tree) {
		if b.NetBufferListChain != nil && !offloadedStatus(b.Status) {
			out = append(out, b)
		}
	}
	return out
}

// sendCompletesFailedConnections is a target that, at each initiate completion, passes to
// NdisTcpOffloadSendComplete the send data of every connection it failed, when which accepts
// the failure status.
func sendCompletesFailedConnections(which func(ndis.Status) bool) func() Hooks {
	return func() Hooks {
		var host target.Host
		return Hooks{
			Opened: func(h target.Host) { host = h },
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpInitiate {
					for _, b := range failedWithSendData(tree) {
						if which(b.Status) {
							host.NdisTcpOffloadSendComplete(b.NetBufferListChain)
						}
					}
				}
				forward(tree)
			},
		}
	}
}

// overCapacity reports whether st is one of the statuses of a connection over the target's
// connection capacity.
func overCapacity(st ndis.Status) bool {
	return st == ndis.StatusOffloadTCPEntries || st == ndis.StatusOffloadTCPXmitBuffer || st == ndis.StatusOffloadTCPRcvBuffer
}

// linkerStatusOnAllFailed gives st to every linker of an initiate tree whose immediately
// dependent blocks all failed.
func linkerStatusOnAllFailed(st ndis.Status) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		linkers := map[*ndis.MiniportOffloadBlockList]bool{}
		return Hooks{
			Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op == OpInitiate {
					mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if b.Role() == ndis.RoleLinker {
							linkers[b] = true
						}
					}
					mu.Unlock()
				}
				return call(tree)
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpInitiate {
					mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if !linkers[b] || len(b.Dependents()) == 0 {
							continue
						}
						all := true
						for _, d := range b.Dependents() {
							all = all && !offloadedStatus(d.Status)
						}
						if all {
							b.Status = st
						}
					}
					mu.Unlock()
				}
				forward(tree)
			},
		}
	}
}

// dropsConcurrentInitiate holds back the completion of an initiate until another initiate is
// made (or a second passes), and never passes that other initiate to the inner target: a target
// that cannot take a second initiate while one is in progress.
func dropsConcurrentInitiate() Hooks {
	var mu sync.Mutex
	pending := 0
	arrived := make(chan struct{})
	var once sync.Once
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op != OpInitiate {
				return call(tree)
			}
			mu.Lock()
			busy := pending > 0
			if !busy {
				pending++
			}
			mu.Unlock()
			if busy {
				once.Do(func() { close(arrived) })
				return nil
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op == OpInitiate {
				select {
				case <-arrived:
				case <-time.After(100 * time.Millisecond):
				}
				mu.Lock()
				pending--
				mu.Unlock()
			}
			forward(tree)
		},
	}
}

// Faults found by reading the pages as an auditor would: statuses on the wrong block or layer,
// failures that end too much or too little of the traversal, contexts left in failed blocks, and
// VLAN checks against part of the configuration.
func init() {
	// A TCP block whose NextBlock sibling failed is marked partial as well (status computed
	// per NextBlock list instead of per block's own dependents).
	Register(Fault{
		Name:   "marks-siblings-of-a-failed-block-partial",
		Breaks: []*rules.Rule{rules.InitiateSuccessCondition},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.DependentBlockList == nil {
					continue
				}
				sib := b.Dependents()
				anyFailed := false
				for _, d := range sib {
					anyFailed = anyFailed || !offloadedStatus(d.Status)
				}
				if !anyFailed {
					continue
				}
				for _, d := range sib {
					if d.Status == ndis.StatusSuccess && d.DependentBlockList == nil {
						d.Status = ndis.StatusOffloadPartialSuccess
					}
				}
			}
		})),
	})

	// After a failed connection, the connections after it on the same NextBlock list are not
	// attempted (the loop breaks instead of continuing).
	Register(Fault{
		Name:   "stops-connection-list-at-a-failed-connection",
		Breaks: []*rules.Rule{rules.InitiateFailureSkipsOnlyItsSubtree},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Layer() != ndis.LayerTCP || offloadedStatus(b.Status) {
					continue
				}
				for n := b.NextBlock; n != nil; n = n.NextBlock {
					if n.MiniportOffloadContext != nil {
						*n.MiniportOffloadContext = 0
					}
					n.Status = ndis.StatusFailure
				}
			}
		})),
	})

	// Grandchildren of a failed block (two layers up) get RESOURCES instead of FAILURE.
	Register(Fault{
		Name:   "skipped-grandchildren-get-resources",
		Breaks: []*rules.Rule{rules.InitiateSkippedBlocksGetFailure},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if offloadedStatus(b.Status) {
					continue
				}
				for _, d := range b.Dependents() {
					for _, g := range ndis.Blocks(d.DependentBlockList) {
						if g.Status == ndis.StatusFailure {
							g.Status = ndis.StatusResources
						}
					}
				}
			}
		})),
	})

	// Under a failed block only the first dependent is skipped; its NextBlock siblings are
	// offloaded anyway.
	Register(Fault{
		Name:   "skips-only-first-dependent-of-a-failed-block",
		Breaks: []*rules.Rule{rules.InitiateNoOffloadUnderFailedBlock},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for i, b := range ndis.Blocks(tree) {
				if offloadedStatus(b.Status) || b.DependentBlockList == nil || b.MiniportOffloadContext == nil {
					continue
				}
				for j, d := range b.Dependents()[1:] {
					d.Status = ndis.StatusSuccess
					if d.MiniportOffloadContext != nil && *d.MiniportOffloadContext == 0 {
						*d.MiniportOffloadContext = ndis.Context(0xE000 + i*16 + j)
					}
				}
			}
		})),
	})

	// VLAN: checked against the last interface VLAN ID only.
	Register(Fault{
		Name:   "matches-only-the-last-interface-vlan-id",
		Breaks: []*rules.Rule{rules.InitiateMatchingVlanIDAccepted},
		Wrap: initiateWithInfo(func(info target.Info, tree *ndis.MiniportOffloadBlockList) {
			ids := initiateNonZeroVLANs(info.Capabilities.Limits.InterfaceVLANIDs.IDs)
			if len(ids) == 0 {
				return
			}
			for _, b := range ndis.Blocks(tree) {
				if b.NeighborConst != nil && b.NeighborConst.VlanID != 0 && b.NeighborConst.VlanID != ids[len(ids)-1] && offloadedStatus(b.Status) {
					initiateFailWith(b, ndis.StatusOffloadVLANMismatch)
				}
			}
		}),
	})

	// VLAN statuses swapped.
	Register(Fault{
		Name:   "swaps-vlan-statuses",
		Breaks: []*rules.Rule{rules.InitiateVlanEntriesStatus, rules.InitiateVlanMismatchStatus},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				switch b.Status {
				case ndis.StatusOffloadVLANMismatch:
					b.Status = ndis.StatusOffloadVLANEntries
				case ndis.StatusOffloadVLANEntries:
					b.Status = ndis.StatusOffloadVLANMismatch
				}
			}
		})),
	})

	// Cause status copied onto the parent as well.
	Register(Fault{
		Name:   "reports-path-mtu-on-the-neighbor-too",
		Breaks: []*rules.Rule{rules.InitiatePathMTUCondition},
		Wrap:   With(onInitiate(initiateStatusAlsoOnParent(ndis.StatusOffloadPathMTU))),
	})
	Register(Fault{
		Name:   "reports-rcv-window-on-the-path-too",
		Breaks: []*rules.Rule{rules.InitiateTCPRcvWindowCondition},
		Wrap:   With(onInitiate(initiateStatusAlsoOnParent(ndis.StatusOffloadTCPRcvWindow))),
	})
	Register(Fault{
		Name:   "reports-vlan-mismatch-on-the-path-too",
		Breaks: []*rules.Rule{rules.InitiateVlanMismatchStatus},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.Status == ndis.StatusOffloadVLANMismatch {
					for _, d := range b.Dependents() {
						d.Status = ndis.StatusOffloadVLANMismatch
					}
				}
			}
		})),
	})

	// A context written into connections failed for lack of connection resources.
	Register(Fault{
		Name:   "writes-context-into-connections-over-capacity",
		Breaks: []*rules.Rule{rules.InitiateLeavesContextOnFailure},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for i, b := range ndis.Blocks(tree) {
				switch b.Status {
				case ndis.StatusOffloadTCPEntries, ndis.StatusOffloadTCPXmitBuffer, ndis.StatusOffloadTCPRcvBuffer:
					if b.MiniportOffloadContext != nil && *b.MiniportOffloadContext == 0 {
						*b.MiniportOffloadContext = ndis.Context(0xC000 + i)
					}
				}
			}
		})),
	})

	// Send data of connections over capacity marked failed in the NET_BUFFER_LIST Status.
	Register(Fault{
		Name:   "writes-send-data-status-of-connections-over-capacity",
		Breaks: []*rules.Rule{rules.FailedInitiateLeavesNBLStatus},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range failedWithSendData(tree) {
				if overCapacity(b.Status) {
					for _, l := range b.NetBufferListChain.Chain() {
						l.Status = ndis.StatusResources
					}
				}
			}
		})),
	})

	// Send data of connections over capacity handed back through NdisTcpOffloadSendComplete.
	Register(Fault{
		Name:   "send-completes-data-of-connections-over-capacity",
		Breaks: []*rules.Rule{rules.FailedInitiateNoSendComplete},
		Wrap:   With(sendCompletesFailedConnections(overCapacity)),
	})

	// Status from the first dependent only.
	Register(Fault{
		Name:   "status-from-first-dependent-only",
		Breaks: []*rules.Rule{rules.InitiatePartialSuccessCondition},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if b.MiniportOffloadContext == nil || !offloadedStatus(b.Status) || b.DependentBlockList == nil {
					continue
				}
				if offloadedStatus(b.DependentBlockList.Status) {
					b.Status = ndis.StatusSuccess
				} else {
					b.Status = ndis.StatusOffloadPartialSuccess
				}
			}
		})),
	})

	// Source IP entries one late: the first path past the limit is offloaded.
	Register(Fault{
		Name:   "source-ip-entries-one-late",
		Breaks: []*rules.Rule{rules.InitiateIPAddressEntriesCondition},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for i, b := range ndis.Blocks(tree) {
				if b.Status == ndis.StatusOffloadIPAddressEntries {
					b.Status = ndis.StatusSuccess
					*b.MiniportOffloadContext = ndis.Context(0xA000 + i)
					return
				}
			}
		})),
	})

	// The page's reading of a failed root (CONFLICT-INIT-08) broken under its default: the
	// target goes on and offloads the top-level blocks after the failed root.
	Register(Fault{
		Name:   "goes-on-after-a-failed-root",
		Breaks: []*rules.Rule{rules.InitiateRootFailureStopsTraversal},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			if tree.Role() != ndis.RoleNewOffload || offloadedStatus(tree.Status) {
				return
			}
			claimOffloadedAfter(tree, tree)
		})),
	})

	// CONFLICT-INIT-13's other reading broken: with pathOrNeighborFailureStopsWholeTree, the
	// target still offloads what follows a failed path.
	Register(Fault{
		Name:   "goes-on-after-a-failed-path-under-its-reading",
		Breaks: []*rules.Rule{rules.InitiateFailureSkipsOnlyItsSubtree},
		Configure: func(cfg *config.Config) {
			cfg.Interpretations.PathOrNeighborFailureStopsWholeTree = true
		},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, v := range ndis.Walk(tree) {
				if v.Layer == ndis.LayerPath && v.Block.Role() == ndis.RoleNewOffload && !offloadedStatus(v.Block.Status) {
					claimOffloadedAfter(tree, v.Block)
					return
				}
			}
		})),
	})

	// The page's reading of a failed root, taken under the other reading (switch off), where
	// a failed root ends only its own subtree.
	Register(Fault{
		Name:   "stops-whole-tree-at-a-failed-root",
		Breaks: []*rules.Rule{rules.InitiateFailureSkipsOnlyItsSubtree},
		Configure: func(cfg *config.Config) {
			cfg.Interpretations.RootFailureStopsWholeTree = false
		},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			if offloadedStatus(tree.Status) || tree.MiniportOffloadContext == nil {
				return
			}
			for _, b := range tree.Siblings()[1:] {
				treeNeverOffloaded(b)
			}
		})),
	})

	// A connection judged a poor candidate after it was set up: rejected, context kept.
	Register(Fault{
		Name:   "rejects-a-connection-it-offloaded",
		Breaks: []*rules.Rule{rules.InitiateConnectionRejected},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for _, v := range ndis.Walk(tree) {
				if v.Layer == ndis.LayerTCP && v.Block.Status == ndis.StatusSuccess && v.Block.MiniportOffloadContext != nil {
					v.Block.Status = ndis.StatusOffloadConnectionRejected
					return
				}
			}
		})),
	})

	// A path's context is written before its MTU is checked, and left there when it fails.
	Register(Fault{
		Name:   "writes-context-into-failed-paths",
		Breaks: []*rules.Rule{rules.InitiateLeavesContextOnFailure},
		Wrap: With(onInitiate(func(tree *ndis.MiniportOffloadBlockList) {
			for i, v := range ndis.Walk(tree) {
				b := v.Block
				if v.Layer == ndis.LayerPath && !offloadedStatus(b.Status) && b.MiniportOffloadContext != nil && *b.MiniportOffloadContext == 0 {
					*b.MiniportOffloadContext = ndis.Context(0xB000 + i)
				}
			}
		})),
	})
}

// initiateFailWith fails an offloaded block with st and its subtree with FAILURE, clearing contexts.
func initiateFailWith(b *ndis.MiniportOffloadBlockList, st ndis.Status) {
	treeNeverOffloaded(b)
	b.Status = st
}

func initiateStatusAlsoOnParent(st ndis.Status) func(*ndis.MiniportOffloadBlockList) {
	return func(tree *ndis.MiniportOffloadBlockList) {
		for _, v := range ndis.Walk(tree) {
			if v.Block.Status == st && v.Parent != nil && v.Parent.Status == ndis.StatusOffloadPartialSuccess {
				v.Parent.Status = st
			}
		}
	}
}

func initiateNonZeroVLANs(ids []uint16) []uint16 {
	var out []uint16
	for _, id := range ids {
		if id != 0 {
			out = append(out, id)
		}
	}
	return out
}

// initiateInfoWrapped captures the info the inner target declares.
type initiateInfoWrapped struct {
	*Wrapped
	info target.Info
}

func (w *initiateInfoWrapped) Open(host target.Host) (target.Info, error) {
	info, err := w.Wrapped.Open(host)
	w.info = info
	return info, err
}

func initiateWithInfo(rewrite func(target.Info, *ndis.MiniportOffloadBlockList)) func(target.Target) target.Target {
	return func(inner target.Target) target.Target {
		w := &initiateInfoWrapped{}
		w.Wrapped = &Wrapped{Inner: inner, Hooks: Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op == OpInitiate {
				rewrite(w.info, tree)
			}
			forward(tree)
		}}}
		return w
	}
}

// keepsHostBufferedData is a target that keeps a pointer to the host's BufferedData instead of
// copying the bytes, and hands that buffer back at terminate.
func keepsHostBufferedData() Hooks {
	var mu sync.Mutex
	given := map[*ndis.MiniportOffloadBlockList]*ndis.NetBufferList{}
	kept := map[ndis.Context]*ndis.NetBufferList{}
	return Hooks{
		Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
			if op == OpInitiate {
				mu.Lock()
				for _, b := range ndis.Blocks(tree) {
					if b.TCPDelegated != nil && b.TCPDelegated.BufferedData != nil {
						given[b] = b.TCPDelegated.BufferedData
					}
				}
				mu.Unlock()
			}
			return call(tree)
		},
		Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			for _, b := range ndis.Blocks(tree) {
				switch {
				case op == OpInitiate && given[b] != nil && b.Context() != 0:
					kept[b.Context()] = given[b]
				case op == OpTerminate && b.TCPDelegated != nil && b.TCPDelegated.BufferedData != nil && kept[b.Context()] != nil:
					b.TCPDelegated.BufferedData = kept[b.Context()]
				}
			}
			mu.Unlock()
			forward(tree)
		},
	}
}

func init() {
	Register(Fault{
		Name:   "keeps-the-host-buffered-receive-data-buffer",
		Breaks: []*rules.Rule{rules.InitiateCopiesBufferedReceiveData},
		Wrap:   With(keepsHostBufferedData),
	})
}

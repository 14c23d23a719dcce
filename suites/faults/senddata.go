package faults

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of outstanding send data: lists lost, returned late, twice, as copies, in another
// order or on another block; SendDataHead/SendDataTail and SndUna/SndNxt/SndMax out of step
// with the chain handed back; send completions without a status, with SUCCESS for data never
// acknowledged, or for the lists of a connection that was not offloaded.

// sendTCPBlocks returns the TCP-layer blocks of a tree.
func sendTCPBlocks(tree *ndis.MiniportOffloadBlockList) []*ndis.MiniportOffloadBlockList {
	var out []*ndis.MiniportOffloadBlockList
	for _, v := range ndis.Walk(tree) {
		if v.Layer == ndis.LayerTCP {
			out = append(out, v.Block)
		}
	}
	return out
}

// sendTake removes a TCP block's chain from the terminate tree, as if the target never handed
// it back, and returns its lists.
func sendTake(b *ndis.MiniportOffloadBlockList) []*ndis.NetBufferList {
	lists := b.NetBufferListChain.Chain()
	b.NetBufferListChain = nil
	if d := b.TCPDelegated; d != nil {
		d.SendDataHead, d.SendDataTail = nil, nil
	}
	return lists
}

// sendSetChain hands lists back on b, with SendDataHead/SendDataTail consistent with them.
func sendSetChain(b *ndis.MiniportOffloadBlockList, lists []*ndis.NetBufferList) {
	b.NetBufferListChain = ndis.LinkNetBufferLists(lists...)
	if d := b.TCPDelegated; d != nil {
		d.SendDataHead, d.SendDataTail = nil, nil
		if n := len(lists); n > 0 {
			d.SendDataHead, d.SendDataTail = lists[0], lists[n-1]
		}
	}
}

// sendComplete gives every list status and passes them to NdisTcpOffloadSendComplete in one call.
func sendComplete(lists []*ndis.NetBufferList, status ndis.Status, host func(*ndis.NetBufferList)) {
	if len(lists) == 0 {
		return
	}
	for _, l := range lists {
		l.Status = status
	}
	host(ndis.LinkNetBufferLists(lists...))
}

// onTerminateBlocks returns hooks that change each TCP block of a terminate tree before its
// completion is forwarded; send is the host's NdisTcpOffloadSendComplete.
func onTerminateBlocks(change func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList))) func() Hooks {
	return func() Hooks {
		var w struct {
			sync.Mutex
			send func(*ndis.NetBufferList)
		}
		return Hooks{
			Opened: func(host target.Host) {
				w.Lock()
				w.send = host.NdisTcpOffloadSendComplete
				w.Unlock()
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpTerminate {
					w.Lock()
					send := w.send
					w.Unlock()
					for _, b := range sendTCPBlocks(tree) {
						change(b, send)
					}
				}
				forward(tree)
			},
		}
	}
}

// onFailedConnections returns hooks that change each TCP block an initiate failed before the
// completion is forwarded.
func onFailedConnections(change func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList))) func() Hooks {
	return func() Hooks {
		var w struct {
			sync.Mutex
			send func(*ndis.NetBufferList)
		}
		return Hooks{
			Opened: func(host target.Host) {
				w.Lock()
				w.send = host.NdisTcpOffloadSendComplete
				w.Unlock()
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpInitiate {
					w.Lock()
					send := w.send
					w.Unlock()
					for _, b := range sendTCPBlocks(tree) {
						if b.Status != ndis.StatusSuccess && b.NetBufferListChain != nil {
							change(b, send)
						}
					}
				}
				forward(tree)
			},
		}
	}
}

func init() {
	// A target that completes a connection's send data at terminate whether or not it has any.
	Register(Fault{
		Name:   "send-completes-a-null-list-at-terminate",
		Breaks: []*rules.Rule{rules.SendCompleteNonNullList},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			if b.NetBufferListChain == nil {
				send(nil)
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-drops-send-data",
		Breaks: []*rules.Rule{rules.SendDataNoneLeftAtTerminateCompletion, rules.SendDataReturnedAfterSuccessfulOffload},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			sendTake(b)
		})),
	})
	Register(Fault{
		Name:   "send-completes-after-terminate-completion",
		Breaks: []*rules.Rule{rules.SendDataNoneLeftAtTerminateCompletion},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			lists := sendTake(b)
			go func() {
				// Well after NdisMTerminateOffloadComplete, well within the completion timeout.
				time.Sleep(200 * time.Millisecond)
				sendComplete(lists, ndis.StatusUploadInProgress, send)
			}()
		})),
	})
	Register(Fault{
		Name:   "terminate-hands-back-and-send-completes",
		Breaks: []*rules.Rule{rules.SendDataEachNBLReturnedOnce},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			if b.NetBufferListChain == nil {
				return
			}
			for _, l := range b.NetBufferListChain.Chain() {
				l.Status = ndis.StatusUploadInProgress
			}
			send(b.NetBufferListChain) // and the chain stays in the terminate tree as well
		})),
	})
	Register(Fault{
		Name:   "terminate-hands-back-copies",
		Breaks: []*rules.Rule{rules.SendDataHandBackHostNBLs},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			lists := sendTake(b)
			copies := make([]*ndis.NetBufferList, len(lists))
			for i, l := range lists {
				nb := *l.FirstNetBuffer
				copies[i] = &ndis.NetBufferList{FirstNetBuffer: &nb, Status: l.Status, ID: l.ID}
			}
			if len(copies) > 0 {
				sendSetChain(b, copies)
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-hands-back-in-reverse-order",
		Breaks: []*rules.Rule{rules.SendDataHandBackOriginalOrder},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			lists := sendTake(b)
			for i, j := 0, len(lists)-1; i < j; i, j = i+1, j-1 {
				lists[i], lists[j] = lists[j], lists[i]
			}
			if len(lists) > 0 {
				sendSetChain(b, lists)
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-swaps-send-data-between-connections",
		Breaks: []*rules.Rule{rules.SendDataHandBackOnConnectionBlock},
		Wrap: With(func() Hooks {
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpTerminate {
					if conns := sendTCPBlocks(tree); len(conns) >= 2 {
						a, b := sendTake(conns[0]), sendTake(conns[1])
						if len(b) > 0 {
							sendSetChain(conns[0], b)
						}
						if len(a) > 0 {
							sendSetChain(conns[1], a)
						}
					}
				}
				forward(tree)
			}}
		}),
	})
	Register(Fault{
		Name:   "terminate-sets-send-data-tail-to-head",
		Breaks: []*rules.Rule{rules.SendDataHandBackHeadTail},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			if d := b.TCPDelegated; d != nil && b.NetBufferListChain != nil {
				d.SendDataTail = d.SendDataHead
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-returns-snduna-one-byte-into-the-chain",
		Breaks: []*rules.Rule{rules.SendDataHandBackSequenceMapping},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			if d := b.TCPDelegated; d != nil && b.NetBufferListChain != nil {
				d.SndUna = d.SndUna.Add(1)
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-leaves-send-sequence-unwritten",
		Breaks: []*rules.Rule{rules.TerminateHandBackWritesSendSequence},
		Wrap: With(leavesAsHandedOver(OpTerminate, func(tree *ndis.MiniportOffloadBlockList) (out []*ndis.SeqNum) {
			for _, b := range sendTCPBlocks(tree) {
				if d := b.TCPDelegated; d != nil {
					out = append(out, &d.SndUna, &d.SndNxt, &d.SndMax)
				}
			}
			return out
		})),
	})
	Register(Fault{
		Name:   "send-completes-a-list-never-handed-over",
		Breaks: []*rules.Rule{rules.SendCompleteOnlyOwnedNBLs},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			if b.NetBufferListChain != nil {
				own := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: []byte{1}}}
				sendComplete([]*ndis.NetBufferList{own}, ndis.StatusUploadInProgress, send)
			}
		})),
	})
	Register(Fault{
		Name:   "send-completes-without-writing-status",
		Breaks: []*rules.Rule{rules.SendCompleteWritesStatus},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			if lists := sendTake(b); len(lists) > 0 {
				send(ndis.LinkNetBufferLists(lists...))
			}
		})),
	})
	Register(Fault{
		Name:   "send-completes-unacknowledged-data-with-success",
		Breaks: []*rules.Rule{rules.SendCompleteSuccessMeansAcked},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			sendComplete(sendTake(b), ndis.StatusSuccess, send)
		})),
	})
	Register(Fault{
		Name:   "send-completes-success-after-a-failure",
		Breaks: []*rules.Rule{rules.SendCompleteFailRestOfList},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			lists := sendTake(b)
			if len(lists) < 2 {
				return
			}
			// Report all data acknowledged, so that only the order of statuses is wrong.
			if d := b.TCPDelegated; d != nil {
				n := 0
				for _, l := range lists {
					n += l.DataLength()
				}
				end := d.SndUna.Add(uint32(n))
				d.SndUna, d.SndNxt, d.SndMax = end, end, end
			}
			lists[0].Status = ndis.StatusUploadInProgress
			for _, l := range lists[1:] {
				l.Status = ndis.StatusSuccess
			}
			send(ndis.LinkNetBufferLists(lists...))
		})),
	})
	Register(Fault{
		Name:   "terminate-hands-back-an-empty-list-without-send-data",
		Breaks: []*rules.Rule{rules.TerminateNetBufferListChainNullWithoutSendData},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			if b.NetBufferListChain == nil {
				b.NetBufferListChain = &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{}}
			}
		})),
	})
	Register(Fault{
		Name:   "initiate-writes-status-of-failed-send-data",
		Breaks: []*rules.Rule{rules.FailedInitiateLeavesNBLStatus},
		Wrap: With(onFailedConnections(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			for _, l := range b.NetBufferListChain.Chain() {
				l.Status = ndis.StatusFailure
			}
		})),
	})
	Register(Fault{
		Name:   "initiate-send-completes-failed-send-data",
		Breaks: []*rules.Rule{rules.FailedInitiateNoSendComplete},
		Wrap: With(onFailedConnections(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			send(b.NetBufferListChain) // the chain stays linked as the host gave it; Status untouched
		})),
	})
}

// Faults a driver author ships when send data is right for one shape only: three or more
// lists, one list, no list, the second connection of a path, a failed connection's lists dealt
// with at the next operation, a status in the first list of a call only.
func init() {
	Register(Fault{
		Name:   "terminate-swaps-middle-lists-of-three-or-more",
		Breaks: []*rules.Rule{rules.SendDataHandBackOriginalOrder},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			lists := b.NetBufferListChain.Chain()
			if len(lists) < 3 {
				return
			}
			sendTake(b)
			lists[1], lists[2] = lists[2], lists[1]
			sendSetChain(b, lists)
		})),
	})
	Register(Fault{
		Name:   "terminate-drops-last-list",
		Breaks: []*rules.Rule{rules.SendDataNoneLeftAtTerminateCompletion, rules.SendDataReturnedAfterSuccessfulOffload},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			lists := sendTake(b)
			if len(lists) > 1 {
				sendSetChain(b, lists[:len(lists)-1])
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-send-completes-last-list-and-chains-it",
		Breaks: []*rules.Rule{rules.SendDataEachNBLReturnedOnce},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			lists := b.NetBufferListChain.Chain()
			if len(lists) == 0 {
				return
			}
			last := lists[len(lists)-1]
			last.Status = ndis.StatusUploadInProgress
			send(last) // and the chain keeps it as well

		})),
	})
	Register(Fault{
		Name:   "terminate-chains-every-connection-on-the-first",
		Breaks: []*rules.Rule{rules.SendDataHandBackOnConnectionBlock},
		Wrap: With(func() Hooks {
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpTerminate {
					if conns := sendTCPBlocks(tree); len(conns) >= 2 {
						var all []*ndis.NetBufferList
						for _, c := range conns {
							all = append(all, sendTake(c)...)
						}
						if len(all) > 0 {
							sendSetChain(conns[0], all)
						}
					}
				}
				forward(tree)
			}}
		}),
	})
	Register(Fault{
		Name:   "terminate-empty-chain-on-sibling-connections",
		Breaks: []*rules.Rule{rules.TerminateNetBufferListChainNullWithoutSendData},
		Wrap: With(func() Hooks {
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpTerminate {
					for i, c := range sendTCPBlocks(tree) {
						if i > 0 && c.NetBufferListChain == nil {
							c.NetBufferListChain = &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{}}
						}
					}
				}
				forward(tree)
			}}
		}),
	})
	Register(Fault{
		Name:   "terminate-tail-null-when-one-list",
		Breaks: []*rules.Rule{rules.SendDataHandBackHeadTail},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			if d := b.TCPDelegated; d != nil && len(b.NetBufferListChain.Chain()) == 1 {
				d.SendDataTail = nil
			}
		})),
	})
	Register(Fault{
		Name:   "terminate-snduna-off-on-second-connection",
		Breaks: []*rules.Rule{rules.SendDataHandBackSequenceMapping},
		Wrap: With(func() Hooks {
			return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == OpTerminate {
					for i, c := range sendTCPBlocks(tree) {
						if d := c.TCPDelegated; i > 0 && d != nil && c.NetBufferListChain != nil {
							d.SndUna = d.SndUna.Add(1)
						}
					}
				}
				forward(tree)
			}}
		}),
	})
	Register(Fault{
		Name:   "terminate-sndmax-past-one-list-chain",
		Breaks: []*rules.Rule{rules.SendDataHandBackSequenceMapping, rules.TerminateHandBackWritesSendSequence},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, _ func(*ndis.NetBufferList)) {
			if d := b.TCPDelegated; d != nil && len(b.NetBufferListChain.Chain()) == 1 {
				d.SndMax = d.SndMax.Add(0x10000)
			}
		})),
	})
	Register(Fault{
		Name:   "send-completes-failed-lists-at-next-terminate",
		Breaks: []*rules.Rule{rules.FailedInitiateNoSendComplete},
		Wrap:   With(sendFailedListsAtNextTerminate(false)),
	})
	Register(Fault{
		Name:   "writes-failed-lists-status-at-next-terminate",
		Breaks: []*rules.Rule{rules.FailedInitiateLeavesNBLStatus},
		Wrap:   With(sendFailedListsAtNextTerminate(true)),
	})
	Register(Fault{
		Name:   "send-completes-with-status-in-first-list-only",
		Breaks: []*rules.Rule{rules.SendCompleteWritesStatus},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			if lists := sendTake(b); len(lists) > 0 {
				lists[0].Status = ndis.StatusUploadInProgress
				send(ndis.LinkNetBufferLists(lists...))
			}
		})),
	})
	Register(Fault{
		Name:   "send-completes-middle-failure-in-separate-calls",
		Breaks: []*rules.Rule{rules.SendCompleteFailRestOfList},
		Wrap: With(onTerminateBlocks(func(b *ndis.MiniportOffloadBlockList, send func(*ndis.NetBufferList)) {
			lists := sendTake(b)
			if len(lists) < 3 {
				if len(lists) > 0 {
					sendSetChain(b, lists)
				}
				return
			}
			if d := b.TCPDelegated; d != nil {
				n := 0
				for _, l := range lists {
					n += l.DataLength()
				}
				end := d.SndUna.Add(uint32(n))
				d.SndUna, d.SndNxt, d.SndMax = end, end, end
			}
			sendComplete(lists[:1], ndis.StatusSuccess, send)
			sendComplete(lists[1:2], ndis.StatusUploadInProgress, send)
			sendComplete(lists[2:], ndis.StatusSuccess, send)
		})),
	})
	Register(Fault{
		Name:   "terminate-hands-back-send-data-on-the-path-block",
		Breaks: []*rules.Rule{rules.SendDataHandBackOnConnectionBlock},
		Wrap: With(onCompletion(OpTerminate, func(tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			for _, v := range ndis.Walk(tree) {
				if v.Layer == ndis.LayerPath {
					var all []*ndis.NetBufferList
					for _, c := range sendTCPBlocks(v.Block.DependentBlockList) {
						all = append(all, sendTake(c)...)
					}
					if len(all) > 0 {
						v.Block.NetBufferListChain = ndis.LinkNetBufferLists(all...)
					}
				}
			}
			forward(tree)
		})),
	})
}

// sendFailedListsAtNextTerminate keeps the lists of connections an initiate failed and, at the
// next terminate completion, writes their Status (write) or send-completes them.
func sendFailedListsAtNextTerminate(write bool) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		var kept []*ndis.NetBufferList
		var host target.Host
		return Hooks{
			Opened: func(h target.Host) { host = h },
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpInitiate:
					mu.Lock()
					for _, b := range sendTCPBlocks(tree) {
						if b.Status != ndis.StatusSuccess {
							kept = append(kept, b.NetBufferListChain.Chain()...)
						}
					}
					mu.Unlock()
					forward(tree)
				case OpTerminate:
					mu.Lock()
					lists := kept
					kept = nil
					mu.Unlock()
					if write {
						for _, l := range lists {
							l.Status = ndis.StatusFailure
						}
					} else if len(lists) > 0 && host != nil {
						for _, l := range lists {
							l.Next = nil
							l.Status = ndis.StatusFailure
							host.NdisTcpOffloadSendComplete(l)
						}
					}
					forward(tree)
				default:
					forward(tree)
				}
			},
		}
	}
}

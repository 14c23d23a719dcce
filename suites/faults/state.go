package faults

import (
	"sync"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of the state structures: values written back wrong or not at all on query and
// terminate, cached or constant state changed by the target, cached-flag resets ignored.

func init() {
	Register(Fault{
		Name:   "query-leaves-tcp-delegated-unwritten",
		Breaks: []*rules.Rule{rules.QueryReturnsCurrentDelegatedValues},
		Wrap: With(stRestores(OpQuery, func(b *ndis.MiniportOffloadBlockList) func() {
			if d := b.TCPDelegated; d != nil {
				given := *d
				return func() { *d = given }
			}
			return nil
		})),
	})
	Register(Fault{
		Name:   "terminate-leaves-neighbor-delegated-unwritten",
		Breaks: []*rules.Rule{rules.TerminateReturnsDelegatedValues},
		Wrap: With(stRestores(OpTerminate, func(b *ndis.MiniportOffloadBlockList) func() {
			if d := b.NeighborDelegated; d != nil {
				given := *d
				return func() { *d = given }
			}
			return nil
		})),
	})
	Register(Fault{
		Name:   "reports-sndmax-one-byte-short",
		Breaks: []*rules.Rule{rules.QueryReturnsCurrentDelegatedValues, rules.TerminateReturnsDelegatedValues},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.SndMax--
		}, OpQuery, OpTerminate)),
	})
	Register(Fault{
		Name:   "update-rewrites-path-mtu-in-tree",
		Breaks: []*rules.Rule{rules.TargetNeverChangesCachedVariables},
		Wrap: With(stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
			if b.PathCached != nil {
				b.PathCached.PathMTU++
			}
		}, OpUpdate)),
	})
	Register(Fault{
		Name:   "initiate-rewrites-tcp-cached-ttl",
		Breaks: []*rules.Rule{rules.TargetNeverChangesCachedVariables},
		Wrap: With(stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
			if b.TCPCached != nil {
				b.TCPCached.TtlOrHopLimit++
			}
		}, OpInitiate)),
	})
	Register(Fault{
		Name:   "query-clears-tcp-cached-flags",
		Breaks: []*rules.Rule{rules.TargetNeverChangesCachedVariables},
		Wrap: With(stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
			if b.TCPCached != nil {
				b.TCPCached.Flags = 0
			}
		}, OpQuery)),
	})
	Register(Fault{
		Name:   "query-swaps-tcp-ports",
		Breaks: []*rules.Rule{rules.ConstantVariablesNeverChange},
		Wrap: With(stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
			if c := b.TCPConst; c != nil {
				c.LocalPort, c.RemotePort = c.RemotePort, c.LocalPort
			}
		}, OpQuery)),
	})
	Register(Fault{
		Name:   "initiate-rewrites-neighbor-vlan-id",
		Breaks: []*rules.Rule{rules.ConstantVariablesNeverChange},
		Wrap: With(stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
			if c := b.NeighborConst; c != nil {
				c.VlanID = (c.VlanID + 1) & 0x0FFF
			}
		}, OpInitiate)),
	})
	Register(Fault{
		Name:   "accepts-dl-source-address-declaring-no-configurable-mac",
		Breaks: []*rules.Rule{rules.NonZeroDlSourceAddressNeedsConfigurableMAC},
		Wrap: func(inner target.Target) target.Target {
			return &stDeclaresNoConfigurableMAC{Target: inner}
		},
	})
	Register(Fault{
		Name: "query-reports-keepalive-as-offloaded",
		Breaks: []*rules.Rule{rules.KeepAliveRestartFlagRestartsTimer, rules.ResetKeepaliveProbeCount,
			rules.ResetKeepaliveTimeoutDelta},
		Wrap: With(stAsOffloaded(func(d *ndis.TCPOffloadStateDelegated, offloaded ndis.TCPOffloadStateDelegated) {
			d.KeepAlive = offloaded.KeepAlive
		})),
	})
	Register(Fault{
		Name:   "query-reports-total-rt-as-offloaded",
		Breaks: []*rules.Rule{rules.MaxRTRestartFlagZeroesTotalRT, rules.NonZeroMaxRTResetsTotalRT},
		Wrap: With(stAsOffloaded(func(d *ndis.TCPOffloadStateDelegated, offloaded ndis.TCPOffloadStateDelegated) {
			d.TotalRT = offloaded.TotalRT
		})),
	})
	Register(Fault{
		Name:   "reports-state-beyond-time-wait",
		Breaks: []*rules.Rule{rules.ConnectionStateValues},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			if d.State == ndis.TcpConnectionFinWait2 {
				d.State = ndis.TcpConnectionMaxState
			}
		}, OpQuery, OpTerminate)),
	})
	Register(Fault{
		Name:   "query-never-completes-for-fin-wait-2-connection",
		Breaks: []*rules.Rule{rules.OperationsAllowedInAnyState},
		Wrap:   With(stDropsQueryInFinWait2),
	})
	Register(Fault{
		Name:   "reports-srtt-unscaled",
		Breaks: []*rules.Rule{rules.SRttScaledByEight},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.SRtt /= 8
		}, OpQuery, OpTerminate)),
	})
	Register(Fault{
		Name:   "reports-rttvar-unscaled",
		Breaks: []*rules.Rule{rules.RttVarScaledByFour},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.RttVar /= 4
		}, OpQuery, OpTerminate)),
	})
	Register(Fault{
		Name:   "reports-stopped-timers-as-zero",
		Breaks: []*rules.Rule{rules.StoppedTimerReturnedAsMinusOne},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			if d.KeepAlive.TimeoutDelta == ndis.TimerNotRunning {
				d.KeepAlive.TimeoutDelta = 0
			}
			if d.Retransmit.TimeoutDelta == ndis.TimerNotRunning {
				d.Retransmit.TimeoutDelta = 0
			}
		}, OpQuery, OpTerminate)),
	})
	Register(Fault{
		Name:   "terminate-swaps-send-data-head-and-tail",
		Breaks: []*rules.Rule{rules.SendDataHandBackHeadTail},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.SendDataHead, d.SendDataTail = d.SendDataTail, d.SendDataHead
		}, OpTerminate)),
	})
	Register(Fault{
		Name:   "query-writes-send-data-head",
		Breaks: []*rules.Rule{rules.DelegatedUnionMembersByOperation},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.SendDataHead = &ndis.NetBufferList{}
		}, OpQuery)),
	})
	Register(Fault{
		Name:   "query-leaves-send-backlog-size-unwritten",
		Breaks: []*rules.Rule{rules.UnsupportedSendBacklogIsAllOnes},
		Wrap: With(stRestores(OpQuery, func(b *ndis.MiniportOffloadBlockList) func() {
			if d := b.TCPDelegated; d != nil {
				given := d.SendBacklogSize
				return func() { d.SendBacklogSize = given }
			}
			return nil
		})),
	})
	Register(Fault{
		Name:   "query-reports-one-byte-receive-backlog",
		Breaks: []*rules.Rule{rules.UnsupportedReceiveBacklogIsAllOnes},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.ReceiveBacklogSize = 1
		}, OpQuery)),
	})
	Register(Fault{
		Name:   "terminate-truncates-buffered-data",
		Breaks: []*rules.Rule{rules.BufferedDataMeaning},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			if l := d.BufferedData; l != nil && l.FirstNetBuffer != nil && len(l.FirstNetBuffer.Data) > 0 {
				data := l.FirstNetBuffer.Data
				d.BufferedData = &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: data[:len(data)-1]}}
			}
		}, OpTerminate)),
	})
}

// stOnBlocks returns hooks that run edit on every block of a tree of one of ops before
// forwarding its completion.
func stOnBlocks(edit func(*ndis.MiniportOffloadBlockList), ops ...Op) func() Hooks {
	return func() Hooks {
		return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if stIn(op, ops) {
				for _, b := range ndis.Blocks(tree) {
					edit(b)
				}
			}
			forward(tree)
		}}
	}
}

// stEdits returns hooks that run edit on every TCP delegated state of a tree of one of ops
// before forwarding its completion.
func stEdits(edit func(*ndis.TCPOffloadStateDelegated), ops ...Op) func() Hooks {
	return stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
		if b.TCPDelegated != nil {
			edit(b.TCPDelegated)
		}
	}, ops...)
}

// stRestores returns hooks that, for trees of op, save what save picks of each block as the
// host handed it over, and put it back at completion, as if the target never wrote it.
func stRestores(target Op, save func(*ndis.MiniportOffloadBlockList) func()) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		restore := map[*ndis.MiniportOffloadBlockList][]func(){}
		return Hooks{
			Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op == target {
					var fs []func()
					for _, b := range ndis.Blocks(tree) {
						if f := save(b); f != nil {
							fs = append(fs, f)
						}
					}
					mu.Lock()
					restore[tree] = fs
					mu.Unlock()
				}
				return call(tree)
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				if op == target {
					mu.Lock()
					fs := restore[tree]
					mu.Unlock()
					for _, f := range fs {
						f()
					}
				}
				forward(tree)
			},
		}
	}
}

// stAsOffloaded returns hooks that remember the TCP delegated state each connection was
// offloaded with and, at the completion of a query, let edit put offloaded values back into the
// queried state: a target that never changes them.
func stAsOffloaded(edit func(d *ndis.TCPOffloadStateDelegated, offloaded ndis.TCPOffloadStateDelegated)) func() Hooks {
	return func() Hooks {
		var mu sync.Mutex
		offloaded := map[ndis.Context]ndis.TCPOffloadStateDelegated{}
		return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			mu.Lock()
			for _, b := range ndis.Blocks(tree) {
				if b.TCPDelegated == nil || b.Context() == 0 {
					continue
				}
				switch op {
				case OpInitiate:
					offloaded[b.Context()] = *b.TCPDelegated
				case OpQuery:
					if d, ok := offloaded[b.Context()]; ok {
						edit(b.TCPDelegated, d)
					}
				}
			}
			mu.Unlock()
			forward(tree)
		}}
	}
}

// stDropsQueryInFinWait2 never completes a query whose tree names a connection offloaded in
// TcpConnectionFinWait2.
func stDropsQueryInFinWait2() Hooks {
	var mu sync.Mutex
	finWait2 := map[ndis.Context]bool{}
	return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
		mu.Lock()
		drop := false
		for _, b := range ndis.Blocks(tree) {
			switch {
			case op == OpInitiate && b.TCPDelegated != nil && b.TCPDelegated.State == ndis.TcpConnectionFinWait2 && b.Context() != 0:
				finWait2[b.Context()] = true
			case op == OpQuery && b.Layer() == ndis.LayerTCP && finWait2[b.Context()]:
				drop = true
			}
		}
		mu.Unlock()
		if !drop {
			forward(tree)
		}
	}}
}

// stDeclaresNoConfigurableMAC declares that it does not support software-configurable source
// MAC addresses while the target inside accepts neighbors that carry one.
type stDeclaresNoConfigurableMAC struct{ target.Target }

func (t *stDeclaresNoConfigurableMAC) Open(host target.Host) (target.Info, error) {
	info, err := t.Target.Open(host)
	info.Capabilities.Limits.ConfigurableSourceMAC = target.DeclareFlag(false)
	return info, err
}

func stIn(op Op, ops []Op) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

// stLaterSiblings reports, for every block of tree, whether it is reached through NextBlock from
// another block: a second or later sibling.
func stLaterSiblings(tree *ndis.MiniportOffloadBlockList) map[*ndis.MiniportOffloadBlockList]bool {
	out := map[*ndis.MiniportOffloadBlockList]bool{}
	for _, b := range ndis.Blocks(tree) {
		if b.NextBlock != nil {
			out[b.NextBlock] = true
		}
	}
	return out
}

// stOffloadLog records, at each initiate completion, facts about the objects offloaded.
type stOffloadLog struct {
	mu      sync.Mutex
	cached  map[ndis.Context]queryStateValues
	ipv6    map[ndis.Context]bool // connections on an IPv6 path
	parent  map[ndis.Context]ndis.Context
	lastTCP ndis.Context
	last    map[ndis.Layer]ndis.Context // the newest object of each layer
}

func newSTOffloadLog() *stOffloadLog {
	return &stOffloadLog{cached: map[ndis.Context]queryStateValues{}, ipv6: map[ndis.Context]bool{}, parent: map[ndis.Context]ndis.Context{}, last: map[ndis.Layer]ndis.Context{}}
}

func (r *stOffloadLog) record(tree *ndis.MiniportOffloadBlockList) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range ndis.Walk(tree) {
		b := v.Block
		if b.Context() == 0 {
			continue
		}
		r.cached[b.Context()] = querySaveState(b)
		if v.Parent != nil && v.Parent.Context() != 0 {
			r.parent[b.Context()] = v.Parent.Context()
			if b.Layer() == ndis.LayerTCP && v.Parent.Header.Type.IsIPv6() {
				r.ipv6[b.Context()] = true
			}
		}
		if b.Layer() == ndis.LayerTCP {
			r.lastTCP = b.Context()
		}
		r.last[b.Layer()] = b.Context()
	}
}

// stByteSwap16 returns v with its two bytes in the other order.
func stByteSwap16(v uint16) uint16 { return v>>8 | v<<8 }

// Faults found by red-teaming the specs of this group: each a defect a driver author could
// plausibly ship, caught once the specs were strengthened where the pages allow.
func init() {
	// Terminate leaves the delegated state of second and later connections unwritten.
	Register(Fault{
		Name:   "terminate-leaves-later-connection-delegated-unwritten",
		Breaks: []*rules.Rule{rules.TerminateReturnsDelegatedValues},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			given := map[*ndis.MiniportOffloadBlockList]ndis.TCPOffloadStateDelegated{}
			return Hooks{
				Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
					if op == OpTerminate {
						later := stLaterSiblings(tree)
						mu.Lock()
						for _, b := range ndis.Blocks(tree) {
							if b.TCPDelegated != nil && later[b] {
								given[b] = *b.TCPDelegated
							}
						}
						mu.Unlock()
					}
					return call(tree)
				},
				Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
					if op == OpTerminate {
						mu.Lock()
						for _, b := range ndis.Blocks(tree) {
							if d, ok := given[b]; ok {
								sh, st := b.TCPDelegated.SendDataHead, b.TCPDelegated.SendDataTail
								*b.TCPDelegated = d
								b.TCPDelegated.SendDataHead, b.TCPDelegated.SendDataTail = sh, st
							}
						}
						mu.Unlock()
					}
					forward(tree)
				},
			}
		}),
	})

	// Terminate returns SRtt byte-swapped.
	Register(Fault{
		Name:   "terminate-byte-swaps-srtt",
		Breaks: []*rules.Rule{rules.SRttScaledByEight},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.SRtt = stByteSwap16(d.SRtt)
		}, OpTerminate)),
	})

	// Query and terminate report every connection as established.
	Register(Fault{
		Name:   "reports-state-as-established",
		Breaks: []*rules.Rule{rules.QueryReturnsCurrentDelegatedValues, rules.TerminateReturnsDelegatedValues},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.State = ndis.TcpConnectionEstablished
		}, OpQuery, OpTerminate)),
	})

	// A running keepalive timer is reported stopped.
	Register(Fault{
		Name:   "reports-running-keepalive-timer-as-stopped",
		Breaks: []*rules.Rule{rules.QueryReturnsCurrentDelegatedValues},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.KeepAlive.TimeoutDelta = ndis.TimerNotRunning
		}, OpQuery)),
	})

	// Query leaves SendBacklogSize unwritten for second and later connections.
	Register(Fault{
		Name:   "query-leaves-later-send-backlog-unwritten",
		Breaks: []*rules.Rule{rules.UnsupportedSendBacklogIsAllOnes},
		Wrap: With(leavesAsHandedOver(OpQuery, func(tree *ndis.MiniportOffloadBlockList) (out []*uint32) {
			later := stLaterSiblings(tree)
			for _, b := range ndis.Blocks(tree) {
				if b.TCPDelegated != nil && later[b] {
					out = append(out, &b.TCPDelegated.SendBacklogSize)
				}
			}
			return out
		})),
	})

	// The keepalive reset uses the KaTimeout from before the update.
	Register(Fault{
		Name:   "keepalive-reset-uses-old-ka-timeout",
		Breaks: []*rules.Rule{rules.ResetKeepaliveTimeoutDelta},
		Wrap: With(func() Hooks {
			var mu sync.Mutex
			old := map[ndis.Context]uint32{}
			newer := map[ndis.Context]uint32{}
			return Hooks{
				Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
					if op == OpUpdate {
						mu.Lock()
						for _, b := range ndis.Blocks(tree) {
							if b.TCPCached != nil && b.Context() != 0 {
								newer[b.Context()] = b.TCPCached.KaTimeout
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
						case op == OpInitiate && b.TCPCached != nil && b.Context() != 0:
							old[b.Context()] = b.TCPCached.KaTimeout
						case op == OpQuery && b.TCPDelegated != nil:
							if n, ok := newer[b.Context()]; ok && b.TCPDelegated.KeepAlive.TimeoutDelta == n {
								b.TCPDelegated.KeepAlive.TimeoutDelta = old[b.Context()]
							}
						}
					}
					mu.Unlock()
					forward(tree)
				},
			}
		}),
	})

	// T. RcvWnd reported as the scaled-down wire value.
	Register(Fault{
		Name:   "reports-rcv-wnd-as-wire-value",
		Breaks: []*rules.Rule{rules.QueryReturnsCurrentDelegatedValues, rules.TerminateReturnsDelegatedValues},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			d.RcvWnd >>= 8
		}, OpQuery, OpTerminate)),
	})

	// Terminate leaves SndWnd unwritten for connections on IPv6 paths.
	Register(Fault{
		Name:   "terminate-leaves-ipv6-connection-snd-wnd-unwritten",
		Breaks: []*rules.Rule{rules.TerminateReturnsDelegatedValues},
		Wrap:   With(leavesIPv6ConnectionFieldUnwritten(OpTerminate, func(d *ndis.TCPOffloadStateDelegated) *uint32 { return &d.SndWnd })),
	})

	// The target clamps an accepted InitialRcvWnd to its maximum and reports the clamped value.
	Register(Fault{
		Name:   "clamps-accepted-initial-rcv-wnd",
		Breaks: []*rules.Rule{rules.TargetNeverChangesCachedVariables},
		Wrap: With(stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
			if b.TCPCached != nil && b.TCPCached.InitialRcvWnd > 1048576 {
				b.TCPCached.InitialRcvWnd = 1048576
			}
		}, OpQuery)),
	})

	// The target clamps an accepted PathMtu to its maximum and reports the clamped value.
	Register(Fault{
		Name:   "clamps-accepted-path-mtu",
		Breaks: []*rules.Rule{rules.TargetNeverChangesCachedVariables},
		Wrap: With(stOnBlocks(func(b *ndis.MiniportOffloadBlockList) {
			if b.PathCached != nil && b.PathCached.PathMTU > 9000 {
				b.PathCached.PathMTU = 9000
			}
		}, OpQuery)),
	})

	// X. ReceiveBacklogSize reports 0 even while buffered receive data is held.
	Register(Fault{
		Name:   "query-reports-zero-receive-backlog-with-buffered-data",
		Breaks: []*rules.Rule{rules.UnsupportedReceiveBacklogIsAllOnes},
		Wrap: With(stEdits(func(d *ndis.TCPOffloadStateDelegated) {
			if d.ReceiveBacklogSize != ndis.BacklogNotSupported {
				d.ReceiveBacklogSize = 0
			}
		}, OpQuery)),
	})
}

// leavesIPv6ConnectionFieldUnwritten is a target that, for connections on IPv6 paths, leaves one
// TCP delegated variable of an op tree as the host handed it over.
func leavesIPv6ConnectionFieldUnwritten(target Op, field func(*ndis.TCPOffloadStateDelegated) *uint32) func() Hooks {
	return func() Hooks {
		r := newSTOffloadLog()
		var mu sync.Mutex
		given := map[*ndis.TCPOffloadStateDelegated]uint32{}
		return Hooks{
			Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op == target {
					r.mu.Lock()
					mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if b.TCPDelegated != nil && r.ipv6[b.Context()] {
							given[b.TCPDelegated] = *field(b.TCPDelegated)
						}
					}
					mu.Unlock()
					r.mu.Unlock()
				}
				return call(tree)
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				switch op {
				case OpInitiate:
					r.record(tree)
				case target:
					mu.Lock()
					for _, b := range ndis.Blocks(tree) {
						if v, ok := given[b.TCPDelegated]; ok {
							*field(b.TCPDelegated) = v
						}
					}
					mu.Unlock()
				}
				forward(tree)
			},
		}
	}
}

package faults

import (
	"sync"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of the data path: a target whose handlers return the wrong status, whose receive
// completions and indications break the delivery rules, or that loses received data.

// dataFault returns a target with the given data-path hooks; hooks is called once per target
// so that a fault can keep per-target state.
func dataFault(hooks func() DataHooks) func(target.Target) target.Target {
	return func(inner target.Target) target.Target { return &Wrapped{Inner: inner, Data: hooks()} }
}

// returning makes a handler return st instead of what the inner target returned.
func returning(handler string, st ndis.Status) func(target.Target) target.Target {
	return dataFault(func() DataHooks {
		return DataHooks{Returns: func(h string, got ndis.Status) ndis.Status {
			if h == handler {
				return st
			}
			return got
		}}
	})
}

// onReceiveComplete rewrites every receive completion before it reaches the host.
func onReceiveComplete(change func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList))) func(target.Target) target.Target {
	return dataFault(func() DataHooks { return DataHooks{ReceiveComplete: change} })
}

func init() {
	Register(Fault{
		Name:   "returns-success-from-send",
		Breaks: []*rules.Rule{rules.SendHandlerReturnsPending},
		Wrap:   returning("MiniportTcpOffloadSend", ndis.StatusSuccess),
	})
	Register(Fault{
		Name:   "returns-success-from-receive",
		Breaks: []*rules.Rule{rules.ReceiveHandlerReturnsPending},
		Wrap:   returning("MiniportTcpOffloadReceive", ndis.StatusSuccess),
	})
	Register(Fault{
		Name:   "fails-receive-returns",
		Breaks: []*rules.Rule{rules.ReceiveReturnSucceeds},
		Wrap:   returning("MiniportTcpOffloadReceiveReturn", ndis.StatusFailure),
	})
	Register(Fault{
		Name:   "completes-a-receive-request-twice",
		Breaks: []*rules.Rule{rules.ReceiveRequestsAllCompleted},
		Wrap: onReceiveComplete(func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
			first := chain
			forward(chain)
			first.Next = nil
			forward(first) // its first list, completed once more
		}),
	})
	Register(Fault{
		Name:   "completes-receives-with-failure",
		Breaks: []*rules.Rule{rules.ReceiveCompleteStatusValues},
		Wrap: onReceiveComplete(func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
			for _, l := range chain.Chain() {
				if l.Status == ndis.StatusSuccess && l.BytesTransferred > 0 {
					l.Status = ndis.StatusFailure
					break
				}
			}
			forward(chain)
		}),
	})
	Register(Fault{
		Name:   "overstates-bytes-transferred",
		Breaks: []*rules.Rule{rules.ReceiveCompleteBytesTransferred},
		Wrap: onReceiveComplete(func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
			for _, l := range chain.Chain() {
				l.BytesTransferred = uint32(l.DataLength()) + 100
			}
			forward(chain)
		}),
	})
	Register(Fault{
		Name:   "loses-a-received-byte",
		Breaks: []*rules.Rule{rules.DeliveryAlgorithmMandatory},
		Wrap: dataFault(func() DataHooks {
			var once sync.Once
			return DataHooks{ReceiveComplete: func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
				for _, l := range chain.Chain() {
					if l.BytesTransferred > 1 {
						once.Do(func() { l.BytesTransferred-- })
					}
				}
				forward(chain)
			}}
		}),
	})
	Register(Fault{
		Name:   "completes-nonpush-requests-at-a-push",
		Breaks: []*rules.Rule{rules.NonpushRequestCompletedWhenFull},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Receive: func(ctx ndis.Context, chain *ndis.NetBufferList, call func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)) (ndis.Status, error) {
				for _, l := range chain.Chain() {
					l.ReceiveNoPush = false // the inner target sees push-mode requests
				}
				return call(ctx, chain)
			}}
		}),
	})
	Register(Fault{
		Name:   "completes-receives-out-of-order",
		Breaks: []*rules.Rule{rules.ReceiveCompletesInPostingOrder},
		Wrap: dataFault(func() DataHooks {
			var mu sync.Mutex
			var held *ndis.NetBufferList
			return DataHooks{ReceiveComplete: func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
				mu.Lock()
				if held == nil {
					held = chain // held back until the next completion has gone first
					mu.Unlock()
					return
				}
				h := held
				held = nil
				mu.Unlock()
				forward(chain)
				forward(h)
			}}
		}),
	})
	Register(Fault{
		Name:   "completes-receives-concurrently",
		Breaks: []*rules.Rule{rules.ReceiveCallsSerializedPerConnection},
		Wrap: dataFault(func() DataHooks {
			// Every other completion is held back and made together with the next, on two
			// goroutines released at once: two receive completions in progress at a time.
			var mu sync.Mutex
			var held *ndis.NetBufferList
			return DataHooks{ReceiveComplete: func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
				mu.Lock()
				if held == nil {
					held = chain
					mu.Unlock()
					return
				}
				h := held
				held = nil
				mu.Unlock()
				var wg sync.WaitGroup
				start := make(chan struct{})
				for _, c := range []*ndis.NetBufferList{h, chain} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						forward(c)
					}()
				}
				close(start)
				wg.Wait()
			}}
		}),
	})
	Register(Fault{
		Name:   "indicates-with-resources-status",
		Breaks: []*rules.Rule{rules.IndicationStatusSuccess},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				return forward(h, nbl, ndis.StatusResources)
			}}
		}),
	})
	Register(Fault{
		Name:   "indicates-linked-lists",
		Breaks: []*rules.Rule{rules.IndicationStandAloneNBL},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				nbl.Next = &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{}}
				defer func() { nbl.Next = nil }()
				return forward(h, nbl, st)
			}}
		}),
	})
	Register(Fault{
		Name:   "indicates-two-net-buffers",
		Breaks: []*rules.Rule{rules.IndicationOneNetBufferPerNBL},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				nb := nbl.FirstNetBuffer
				if nb == nil || len(nb.Data) < 2 || nb.Next != nil {
					return forward(h, nbl, st)
				}
				half := len(nb.Data) / 2
				second := &ndis.NetBuffer{Data: nb.Data[half:]}
				nb.Data, nb.Next = nb.Data[:half], second
				return forward(h, nbl, st)
			}}
		}),
	})
	Register(Fault{
		Name:   "reindicates-refused-data",
		Breaks: []*rules.Rule{rules.RefusedDataNotReindicated},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				answer, n := forward(h, nbl, st)
				if answer == ndis.StatusOffloadDataNotAccepted {
					answer, n = forward(h, nbl, st) // at once, with no post in between
				}
				return answer, n
			}}
		}),
	})
	Register(Fault{
		Name:   "scribbles-on-accepted-indications",
		Breaks: []*rules.Rule{rules.AcceptedIndicationListsUntouched},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				answer, n := forward(h, nbl, st)
				if answer == ndis.StatusSuccess && nbl.FirstNetBuffer != nil && len(nbl.FirstNetBuffer.Data) > 0 {
					nbl.FirstNetBuffer.Data[0] ^= 0xFF // the host still holds the list
				}
				return answer, n
			}}
		}),
	})
	Register(Fault{
		Name:   "drops-refused-data",
		Breaks: []*rules.Rule{rules.AfterRefusedIndication},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				answer, n := forward(h, nbl, st)
				if answer == ndis.StatusOffloadDataNotAccepted {
					return ndis.StatusSuccess, uint32(nbl.DataLength()) // the inner target forgets the data
				}
				return answer, n
			}}
		}),
	})
	Register(Fault{
		Name:   "drops-the-rest-of-a-partial-acceptance",
		Breaks: []*rules.Rule{rules.AfterPartiallyAcceptedIndication},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				answer, n := forward(h, nbl, st)
				if answer == ndis.StatusOffloadDataPartiallyAccepted {
					return ndis.StatusSuccess, uint32(nbl.DataLength())
				}
				return answer, n
			}}
		}),
	})
	Register(Fault{
		Name:   "indicates-nothing",
		Breaks: []*rules.Rule{rules.DataIndicatedWithoutRequests},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Indicate: func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				return ndis.StatusOffloadDataNotAccepted, 0 // the host never hears of it
			}}
		}),
	})
	Register(Fault{
		Name:   "indicates-before-filling-posts-after-a-refusal",
		Breaks: []*rules.Rule{rules.NormalPostsBeforeIndications},
		Wrap: func(inner target.Target) target.Target {
			var mu sync.Mutex
			var refused []byte
			var handle ndis.Handle
			w := &Wrapped{Inner: inner}
			w.Data.Indicate = func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				answer, n := forward(h, nbl, st)
				if answer == ndis.StatusOffloadDataNotAccepted {
					mu.Lock()
					refused, handle = append([]byte(nil), nbl.FirstNetBuffer.Data...), h
					mu.Unlock()
				}
				return answer, n
			}
			w.Data.Receive = func(ctx ndis.Context, chain *ndis.NetBufferList, call func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)) (ndis.Status, error) {
				st, err := call(ctx, chain)
				mu.Lock()
				data, h := refused, handle
				refused = nil
				mu.Unlock()
				if len(data) > 0 {
					// An indication of a copy of the refused data, ahead of the posted requests.
					w.Host().NdisTcpOffloadReceiveHandler(h, &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: data[:1]}}, ndis.StatusSuccess)
				}
				return st, err
			}
			return w
		},
	})
	Register(Fault{
		Name:   "leaves-a-receive-request-pending-at-terminate",
		Breaks: []*rules.Rule{rules.TerminateCompletesOutstandingDataCalls},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Receive: func(ctx ndis.Context, chain *ndis.NetBufferList, call func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)) (ndis.Status, error) {
				lists := chain.Chain()
				if len(lists) > 1 {
					lists = lists[:len(lists)-1] // the last request never reaches the inner target
				}
				return call(ctx, ndis.LinkNetBufferLists(lists...))
			}}
		}),
	})
}

// Faults of closing: disconnect requests and the events of the peer's FIN and RST.
func init() {
	Register(Fault{
		Name:   "returns-success-from-disconnect",
		Breaks: []*rules.Rule{rules.DisconnectHandlerReturnsPending},
		Wrap:   returning("MiniportTcpOffloadDisconnect", ndis.StatusSuccess),
	})
	Register(Fault{
		Name:   "completes-a-disconnect-with-another-list",
		Breaks: []*rules.Rule{rules.DisconnectCompletesOwnNBL},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{DisconnectComplete: func(nbl *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
				forward(&ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{}, Status: nbl.Status})
			}}
		}),
	})
	Register(Fault{
		Name:   "fails-graceful-disconnects",
		Breaks: []*rules.Rule{rules.GracefulDisconnectStatusValues},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{DisconnectComplete: func(nbl *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
				nbl.Status = ndis.StatusFailure
				forward(nbl)
			}}
		}),
	})
	Register(Fault{
		Name:   "sends-no-fin",
		Breaks: []*rules.Rule{rules.GracefulDisconnectSendsFIN},
		Wrap: rewriting(func(n int, f *frame) bool {
			if !f.tcp.FIN {
				return false
			}
			if len(f.payload) == 0 {
				return dropFrame(f)
			}
			f.tcp.FIN = false
			return true
		}),
	})
	Register(Fault{
		Name:   "completes-a-graceful-disconnect-before-the-fin-is-acknowledged",
		Breaks: []*rules.Rule{rules.GracefulDisconnectSuccessMeansAcked},
		Wrap: func(inner target.Target) target.Target {
			w := &Wrapped{Inner: inner}
			early := map[*ndis.NetBufferList]bool{}
			var mu sync.Mutex
			w.Data.Disconnect = func(ctx ndis.Context, nbl *ndis.NetBufferList, flags ndis.DisconnectFlags, call func(ndis.Context, *ndis.NetBufferList, ndis.DisconnectFlags) (ndis.Status, error)) (ndis.Status, error) {
				st, err := call(ctx, nbl, flags)
				if flags == ndis.DisconnectGracefulClose {
					mu.Lock()
					early[nbl] = true
					mu.Unlock()
					go func() { // at once, from another thread: the FIN is barely on its way
						nbl.Status = ndis.StatusSuccess
						w.Host().NdisTcpOffloadDisconnectComplete(nbl)
					}()
				}
				return st, err
			}
			w.Data.DisconnectComplete = func(nbl *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
				mu.Lock()
				done := early[nbl]
				mu.Unlock()
				if !done {
					forward(nbl)
				}
			}
			return w
		},
	})
	Register(Fault{
		Name:   "sends-no-rst",
		Breaks: []*rules.Rule{rules.AbortiveDisconnectSendsRST},
		Wrap: rewriting(func(n int, f *frame) bool {
			return f.tcp.RST && dropFrame(f)
		}),
	})
	Register(Fault{
		Name:   "completes-an-abortive-disconnect-before-the-sends",
		Breaks: []*rules.Rule{rules.AbortiveDisconnectAbortsSends},
		Wrap: With(func() Hooks {
			// Aborted sends are held back until after the disconnect's completion.
			var mu sync.Mutex
			var held []*ndis.NetBufferList
			var host target.Host
			return Hooks{
				Opened: func(h target.Host) { host = h },
				SendComplete: func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
					if chain.Status == ndis.StatusRequestAborted {
						mu.Lock()
						held = append(held, chain)
						mu.Unlock()
						return
					}
					forward(chain)
				},
				Closing: func() {
					mu.Lock()
					h := held
					held = nil
					mu.Unlock()
					for _, c := range h {
						host.NdisTcpOffloadSendComplete(c)
					}
				},
			}
		}),
	})
	dropEvent := func(ev ndis.TCPOffloadEventType) func(target.Target) target.Target {
		return dataFault(func() DataHooks {
			return DataHooks{Event: func(h ndis.Handle, e ndis.TCPOffloadEventType, info uint32, forward func(ndis.Handle, ndis.TCPOffloadEventType, uint32)) {
				if e != ev {
					forward(h, e, info)
				}
			}}
		})
	}
	Register(Fault{
		Name:   "never-indicates-a-disconnect",
		Breaks: []*rules.Rule{rules.PeerFINIndicatesDisconnect},
		Wrap:   dropEvent(ndis.TcpIndicateDisconnect),
	})
	Register(Fault{
		Name:   "never-indicates-an-abort",
		Breaks: []*rules.Rule{rules.PeerRSTIndicatesAbort},
		Wrap:   dropEvent(ndis.TcpIndicateAbort),
	})
	Register(Fault{
		Name:   "indicates-an-unknown-event",
		Breaks: []*rules.Rule{rules.EventTypes},
		Wrap: dataFault(func() DataHooks {
			return DataHooks{Event: func(h ndis.Handle, e ndis.TCPOffloadEventType, info uint32, forward func(ndis.Handle, ndis.TCPOffloadEventType, uint32)) {
				forward(h, e+4, info)
			}}
		}),
	})
	Register(Fault{
		Name:   "indicates-a-disconnect-at-the-fin",
		Breaks: []*rules.Rule{rules.DisconnectIndicatedAfterDataConsumed},
		Wrap: func(inner target.Target) target.Target {
			// The peer's FIN is indicated the moment it arrives, and the inner target's own
			// indication later is swallowed.
			w := &Wrapped{Inner: inner}
			var mu sync.Mutex
			var handle ndis.Handle
			told := false
			w.Data.Indicate = func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32) {
				mu.Lock()
				handle = h
				mu.Unlock()
				return forward(h, nbl, st)
			}
			w.Data.Arrive = func(raw []byte, forward func([]byte)) {
				forward(raw)
				f, ok := decodeFrame(raw)
				mu.Lock()
				h, already := handle, told
				if ok && f.tcp.FIN && h != 0 {
					told = true
				}
				mu.Unlock()
				if ok && f.tcp.FIN && h != 0 && !already {
					w.Host().NdisTcpOffloadEventHandler(h, ndis.TcpIndicateDisconnect, 0)
				}
			}
			w.Data.Event = func(h ndis.Handle, e ndis.TCPOffloadEventType, info uint32, fwd func(ndis.Handle, ndis.TCPOffloadEventType, uint32)) {
				mu.Lock()
				skip := e == ndis.TcpIndicateDisconnect && told
				mu.Unlock()
				if !skip {
					fwd(h, e, info)
				}
			}
			return w
		},
	})
	Register(Fault{
		Name:   "completes-requests-normally-after-a-rst",
		Breaks: []*rules.Rule{rules.PeerRSTAbortsRequests},
		Wrap: onReceiveComplete(func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList)) {
			for _, l := range chain.Chain() {
				if l.Status == ndis.StatusRequestAborted {
					l.Status = ndis.StatusSuccess
				}
			}
			forward(chain)
		}),
	})
}

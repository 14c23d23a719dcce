// Rules of the send path of offloaded connections: MiniportTcpOffloadSend, the order in which
// the target transmits what it is given, and how its requests come back. The completion itself
// (NdisTcpOffloadSendComplete: statuses, partial sends, bytes transferred, batching) and the
// outstanding send data handed over at initiate and back at terminate are senddata.go (SEND-);
// sends during a terminate are terminate.go (TERM-031, TERM-032).
package rules

// XMIT: MiniportTcpOffloadSend.
var (
	// SendHandlerReturnsPending: the only return value, and no completion from inside.
	SendHandlerReturnsPending = Define(Rule{
		ID:            "XMIT-001",
		Level:         Must,
		Text:          "MiniportTcpOffloadSend returns NDIS_STATUS_PENDING, the only value allowed, and the target completes the lists of that call only after it has returned, never from inside it.",
		Sources:       []string{dpPgSendHandler, dpPgSending},
		Observability: Observable,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Note:          "'Always completes a send request asynchronously' is read as for the state operations (INIT-002): a completion of the call's own lists before it returned breaks it. Completions of earlier sends during a later call do not. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// SendRequestsAllCompleted: every send comes back.
	SendRequestsAllCompleted = Define(Rule{
		ID:            "XMIT-002",
		Level:         Must,
		Text:          "The target eventually completes every NBL handed to MiniportTcpOffloadSend through NdisTcpOffloadSendComplete, unless it hands the NBL back at terminate (SEND-007); no send request stays with it.",
		Sources:       []string{dpPgSendHandler, dpPgSendComplete, dpPgSending, dpPgCompleting, dpPgSendDataTerm},
		Observability: NeedsDataPath,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-05",
		Note:          "The completing page names the host stack; read as the target, as SEND-020 does for the chain handed over at initiate. A second return of the same NBL is SEND-009; what is left at terminate is SEND-008 and TERM-018. Checked by the send ledger at the end of each spec: a list neither completed nor handed back breaks it.",
	})

	// SendListOrderFIFO: the order of a call's list is the transmit order.
	SendListOrderFIFO = Define(Rule{
		ID:            "XMIT-003",
		Level:         Must,
		Text:          "The target transmits send data first in, first out: the data of the NBLs of one MiniportTcpOffloadSend call in their list order, each NBL's NET_BUFFERs in order.",
		Sources:       []string{dpPgSendHandler},
		Observability: Observable,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-XMIT-01",
		Note:          "Visible only in the sequence numbers of the data segments the peer receives (the peer's byte stream must equal the concatenated lists). That a NET_BUFFER_LIST here may carry several NET_BUFFERs is the send handler's own description; the suite reads their order as the transmit order too. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// SendCallsInPostingOrder: successive calls in posting order.
	SendCallsInPostingOrder = Define(Rule{
		ID:            "XMIT-004",
		Level:         Should,
		Text:          "The target sends the data of successive MiniportTcpOffloadSend calls on a connection in the order the calls posted it.",
		Sources:       []string{dpPgSendHandler},
		Observability: Observable,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-XMIT-01",
		Note:          "The page says 'should' for data of several calls. Data handed over at initiate goes before all of it (SEND-017, SEND-018). Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// SendAcceptsAndQueuesEveryRequest: no request is refused.
	SendAcceptsAndQueuesEveryRequest = Define(Rule{
		ID:            "XMIT-005",
		Level:         Must,
		Text:          "The target accepts every send request made to MiniportTcpOffloadSend, and queues a request it cannot complete at once until it can complete it.",
		Sources:       []string{dpPgSendHandler},
		Observability: NeedsDataPath,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Note:          "Read as: a send is never refused for being one too many. Checked by posting more send data than the peer's window takes: every call returns PENDING (XMIT-001) and each list is later completed with SUCCESS once acknowledged, none failed for lack of room. Completion statuses are SEND-024 to SEND-033.",
	})

	// SendQueuesThroughMiniportReserved: MiniportReserved for queuing.
	SendQueuesThroughMiniportReserved = Define(Rule{
		ID:            "XMIT-006",
		Level:         Should,
		Text:          "The target queues pending send requests through the MiniportReserved member of their NET_BUFFER_LISTs.",
		Sources:       []string{dpPgSendHandler},
		Observability: Internal,
		Ops:           []string{OpSend},
		Note:          "How the target queues is internal; MiniportReserved is the target's to write.",
	})

	// SendOwnershipWhilePending: who owns a pending send.
	SendOwnershipWhilePending = Define(Rule{
		ID:            "XMIT-007",
		Level:         Definition,
		Text:          "While a send request is pending, the target owns its NET_BUFFER_LISTs and every resource associated with them; the host leaves them alone until they are completed.",
		Sources:       []string{dpPgSendHandler},
		Observability: HostObligation,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Note:          "The harness neither reads nor writes a posted list before it comes back.",
	})

	// HostSerializesSendCalls: one send call at a time per connection.
	HostSerializesSendCalls = Define(Rule{
		ID:            "XMIT-008",
		Level:         MustNot,
		Text:          "The host makes no MiniportTcpOffloadSend call on a connection while another MiniportTcpOffloadSend call on that connection is in progress, so the target receives the requests in order.",
		Sources:       []string{dpPgSendHandler},
		Observability: HostObligation,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Note:          "The harness serializes send calls per connection.",
	})

	// SendHandlesConcurrentRequests: many outstanding, many connections.
	SendHandlesConcurrentRequests = Define(Rule{
		ID:            "XMIT-009",
		Level:         Definition,
		Text:          "The host may post further sends on a connection before earlier ones are completed, and call MiniportTcpOffloadSend on other connections meanwhile; the target handles both.",
		Sources:       []string{dpPgSendHandler},
		Observability: NeedsDataPath,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Note:          "The host's permission implies the target's duty to cope (as STATE-050). Checked by posting several sends per connection without waiting and sending on several connections from several goroutines: every list comes back and the peers receive their streams intact.",
	})

	// SendSynchronizesQueues: internal locking.
	SendSynchronizesQueues = Define(Rule{
		ID:            "XMIT-010",
		Level:         Must,
		Text:          "MiniportTcpOffloadSend synchronizes its access to the target's internal data queues with the target's other MiniportXxx functions that use them (for example with spin locks).",
		Sources:       []string{dpPgSendHandler},
		Observability: Internal,
		Ops:           []string{OpSend},
		Note:          "Locking is internal; its failures show only as the other rules' breaches (lost, duplicated or reordered data), and as races under the Go race detector for an in-process target.",
	})

	// SendPushAtListBoundaries: PSH bits.
	SendPushAtListBoundaries = Define(Rule{
		ID:            "XMIT-011",
		Level:         Should,
		Text:          "The target sets PSH at each NET_BUFFER_LIST boundary, preferably on the last segment carrying an NBL's data, or else on the last segment it sends before its send queue runs empty.",
		Sources:       []string{dpPgSendHandler},
		Observability: NeedsWire,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Note:          "'Should (but is not required to)'. Either placement the page names satisfies it: a wire spec accepts PSH on the segment ending each NBL's data, or on the last segment before a pause in sending.",
	})

	// HostSendsNoUrgentData: no urgent data to send.
	HostSendsNoUrgentData = Define(Rule{
		ID:            "XMIT-012",
		Level:         Definition,
		Text:          "The host never asks the target to send urgent data.",
		Sources:       []string{dpPgSendHandler},
		Observability: HostObligation,
		Ops:           []string{OpSend},
		Layers:        []string{LayerTCP},
		Note:          "The send interface has no way to mark data urgent, and the suite posts none.",
	})
)

// Conflicts of the send path.
var (
	ConflictSendOrderAcrossCalls = DefineConflict(Conflict{
		ID:      "CONFLICT-XMIT-01",
		Pages:   []string{dpPgSendHandler, dpPgDisconnect},
		Summary: "The send handler page says the target must transmit in FIFO order and that the order of the list it is given is the order it must transmit, then only says it should send the data of several MiniportTcpOffloadSend calls in posting order; the disconnect page makes it complete outstanding sends in the order they were delivered.",
		Reading: "As the sentences divide it: MUST within one call's list (XMIT-003), SHOULD across calls (XMIT-004). Proposed switch (not in ginkgo.yml yet): sendOrderAcrossCallsMust, which reads the general FIFO sentence as covering all data of the connection and reports reordering across calls as a MUST failure.",
	})
)

// Rules of the receive path of offloaded connections: posting receive requests
// (MiniportTcpOffloadReceive), push and nonpush modes and the push timer, completing requests
// (NdisTcpOffloadReceiveComplete), the delivery algorithm of the three flowcharts
// (images/receive-algorithm1.png to 3.png) step by step, receive indications
// (NdisTcpOffloadReceiveHandler) and the host's answers, and receive returns
// (MiniportTcpOffloadReceiveReturn). Buffered receive data handed over at initiate is
// initiate.go (INIT-021 to INIT-027); undelivered data at terminate is terminate.go (TERM-021
// to TERM-024); RcvIndicationSize is state.go (STATE-032, STATE-033).
package rules

// RECV: posting receive requests.
var (
	// ReceivePostShape: what MiniportTcpOffloadReceive is given.
	ReceivePostShape = Define(Rule{
		ID:            "RECV-001",
		Level:         Definition,
		Text:          "NDIS calls MiniportTcpOffloadReceive to post receive requests (buffers) on an offloaded connection: a stand-alone NBL or a Next-linked list, each NBL with exactly one NET_BUFFER whose MDL chain is the buffer.",
		Sources:       []string{dpPgReceiveHandler, dpPgNdisReceive, dpPgPosting},
		Observability: HostObligation,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "The harness posts requests so; a client application is where they come from.",
	})

	// ReceiveHandlerReturnsPending: the only return value, and no completion from inside.
	ReceiveHandlerReturnsPending = Define(Rule{
		ID:            "RECV-002",
		Level:         Must,
		Text:          "MiniportTcpOffloadReceive returns NDIS_STATUS_PENDING, the only value allowed, and the target returns the requests of that call later through NdisTcpOffloadReceiveComplete, never from inside the call.",
		Sources:       []string{dpPgReceiveHandler, dpPgNdisReceive},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "'Always completes posted receive requests asynchronously', read as for the state operations (INIT-002). The reverse nesting, a post from inside the target's completion call, is allowed (RECV-029). Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ReceiveRequestsAllCompleted: every posted request comes back.
	ReceiveRequestsAllCompleted = Define(Rule{
		ID:            "RECV-003",
		Level:         Must,
		Text:          "The target completes every receive request posted to it, zero-byte requests included, through NdisTcpOffloadReceiveComplete; none stays with it.",
		Sources:       []string{dpPgReceiveIndicate, dpPgReceiveHandler, dpPgPosting},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Checked by a receive ledger like the send ledger: by the terminate completion at the latest (TERM-018) every request has come back once. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ReceiveUsesPostedRequests: posted requests carry the data.
	ReceiveUsesPostedRequests = Define(Rule{
		ID:            "RECV-004",
		Level:         Should,
		Text:          "While receive requests are posted on a connection, the target uses them to transfer the data it receives there, rather than indicating it.",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting, dpPgReceiveIndicate},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-01",
		Note:          "The three pages say 'should'; the delivery algorithm the target must use does the same at every step where requests are available (RECV-034, RECV-037, RECV-041).",
	})

	// ReceiveQueuesPostsFIFO: internal FIFO queue.
	ReceiveQueuesPostsFIFO = Define(Rule{
		ID:            "RECV-005",
		Level:         Must,
		Text:          "The target queues posted receive NBLs first in, first out, through the MiniportReserved member of each.",
		Sources:       []string{dpPgReceiveHandler},
		Observability: Internal,
		Ops:           []string{OpReceive},
		Note:          "Descriptive on the page, read as a duty. The queue is internal; its visible side is RECV-006 and RECV-007.",
	})

	// ReceiveFillsInPostingOrder: earliest data into the earliest request.
	ReceiveFillsInPostingOrder = Define(Rule{
		ID:            "RECV-006",
		Level:         Should,
		Text:          "The target places received data into posted requests first in, first out: the data received first goes into the request posted first, and so on.",
		Sources:       []string{dpPgReceiveHandler},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Checked by concatenating the bytes of completed requests in posting order: they must equal the peer's stream.",
	})

	// ReceiveCompletesInPostingOrder: use and return in posting order.
	ReceiveCompletesInPostingOrder = Define(Rule{
		ID:            "RECV-007",
		Level:         Should,
		Text:          "The target uses and completes posted receive requests in the order they were posted.",
		Sources:       []string{dpPgReceiveComplete},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Across calls and within one completion list: no request comes back before one posted earlier on the same connection. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ReceiveMayBatchCompletions: batching and splitting completions.
	ReceiveMayBatchCompletions = Define(Rule{
		ID:            "RECV-008",
		Level:         May,
		Text:          "The target may complete in one NdisTcpOffloadReceiveComplete call the filled requests of several posts plus at most one partially filled request, and may spread the requests of one post over several completions, keeping posting order.",
		Sources:       []string{dpPgReceiveComplete, dpPgPosting, dpPgDelivery},
		Observability: Permission,
		Ops:           []string{OpReceive},
		Note:          "Permission: the ledger walks every completion list. The bounds stated with it (posting order, one partial request) are RECV-007 and RECV-006 in effect; the flowcharts leave batching out for simplicity.",
	})

	// HostSerializesReceivePosts: one post at a time per connection.
	HostSerializesReceivePosts = Define(Rule{
		ID:            "RECV-009",
		Level:         MustNot,
		Text:          "The host makes no MiniportTcpOffloadReceive call on a connection while another MiniportTcpOffloadReceive call on that connection is in progress, so requests arrive in posting order.",
		Sources:       []string{dpPgReceiveHandler},
		Observability: HostObligation,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "The harness serializes posts per connection.",
	})

	// ReceiveHandlesConcurrentPosts: many outstanding, many connections.
	ReceiveHandlesConcurrentPosts = Define(Rule{
		ID:            "RECV-010",
		Level:         Definition,
		Text:          "The host may post receive requests on a connection before earlier ones are completed, and on other connections meanwhile; the target handles both.",
		Sources:       []string{dpPgReceiveHandler},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "The host's permission implies the target's duty to cope. Checked by keeping several requests posted per connection on several connections at once.",
	})
)

// RECV: push and nonpush modes, the push timer, when requests complete.
var (
	// ReceiveBothModesSupported: push and nonpush are mandatory.
	ReceiveBothModesSupported = Define(Rule{
		ID:            "RECV-011",
		Level:         Must,
		Text:          "The target supports both modes of receive request, push and nonpush.",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting, dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1 adds that nonpush mode is a mandatory capability. Checked by RECV-013 to RECV-020 in each mode.",
	})

	// ReceiveModeFromNoPushInfo: how the mode is told.
	ReceiveModeFromNoPushInfo = Define(Rule{
		ID:            "RECV-012",
		Level:         Definition,
		Text:          "A receive request is in nonpush mode when the TcpReceiveNoPush information of its NBL is TRUE, and in push mode otherwise.",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting},
		Observability: HostObligation,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "ndis.NetBufferList.ReceiveNoPush carries it.",
	})

	// PushTimerStart: when the push timer starts.
	PushTimerStart = Define(Rule{
		ID:            "RECV-013",
		Level:         Must,
		Text:          "For a push-mode request the target starts the connection's push timer when it places the first received byte into the request, or at once if the request arrives already holding data (TcpReceiveBytesTransferred non-zero).",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting, dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-02",
		Note:          "Descriptive, read as a duty. Flowchart 1 starts it when a push request stays partially filled after a segment without PSH and the timer is not running. Timing needs the suite's clock (role clocked): with no further data and no PSH, the request comes back partially filled once the target's push-timer period has passed since its first byte.",
	})

	// ReceiveFilledCompletedAtOnce: filled requests complete immediately.
	ReceiveFilledCompletedAtOnce = Define(Rule{
		ID:            "RECV-014",
		Level:         Must,
		Text:          "The target completes a receive request as soon as it is filled, in either mode.",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting, dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Descriptive ('always completes filled receive requests immediately'), read as a duty. Flowchart 1: 'complete all filled requests'.",
	})

	// PushRequestCompletedOnPushOrTimer: partially filled push requests.
	PushRequestCompletedOnPushOrTimer = Define(Rule{
		ID:            "RECV-015",
		Level:         Must,
		Text:          "The target completes a partially filled push-mode request when the connection's push timer expires or when a segment with PSH set arrives on the connection.",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting, dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Descriptive, read as a duty; flowcharts 1 (PSH) and 3 (timer). Flowchart 3 admits that the timer may fire with no partially filled request (a race); then nothing happens. Segments can be injected from the peer or through MiniportTcpOffloadForward.",
	})

	// NonpushRequestCompletedWhenFull: nonpush mode.
	NonpushRequestCompletedWhenFull = Define(Rule{
		ID:            "RECV-016",
		Level:         Must,
		Text:          "For a nonpush-mode request the target starts no push timer, ignores the PSH bits of received segments, and completes the request only when it is filled.",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting, dpPgDelivery},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Descriptive, read as a duty. 'Only when filled' is read for successful delivery: completions with a failure status at upload, abort or disconnect (RECV-021) are outside it. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// PushTimerRestartOnData: data restarts a running timer.
	PushTimerRestartOnData = Define(Rule{
		ID:            "RECV-017",
		Level:         Must,
		Text:          "If data arrives on an offloaded connection while its push timer is running, the target restarts the push timer.",
		Sources:       []string{dpPgReceiveHandler, dpPgPosting},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-03",
		Note:          "Needs the suite's clock: data trickling in at intervals shorter than the push period keeps a partially filled push request back.",
	})

	// PushTimerStoppedOnCompletion: completions stop the timer.
	PushTimerStoppedOnCompletion = Define(Rule{
		ID:            "RECV-018",
		Level:         Must,
		Text:          "When a receive completion has completed one or more requests, the target stops the connection's push timer if it is running.",
		Sources:       []string{dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1, after 'complete all filled requests' and after completing a request on PSH. Visible with the suite's clock: a push request posted after such a completion is not completed early by the old timer.",
	})

	// HostDataOnlyInNonpushRequests: where the host may put data.
	HostDataOnlyInNonpushRequests = Define(Rule{
		ID:            "RECV-019",
		Level:         MustNot,
		Text:          "The host puts no receive data of its own into a push-mode request it posts; into a nonpush-mode request it may.",
		Sources:       []string{dpPgPosting, dpPgReceiveHandler},
		Observability: HostObligation,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-02",
		Note:          "'Will not pass down receive data' in a push-mode buffer. The harness pre-fills only nonpush requests, stating the bytes in TcpReceiveBytesTransferred (the NBL model needs that on posting).",
	})

	// NonpushRequestWithHostData: the target appends to host data.
	NonpushRequestWithHostData = Define(Rule{
		ID:            "RECV-020",
		Level:         Must,
		Text:          "When a nonpush-mode request arrives already holding host data, the target fills the rest of the buffer with received data after it and completes the request when it is full.",
		Sources:       []string{dpPgPosting},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Descriptive, read as a duty. Checked by posting a pre-filled nonpush request: the host bytes stay first and untouched.",
	})
)

// RECV: NdisTcpOffloadReceiveComplete.
var (
	// ReceiveCompleteStatusValues: the four statuses.
	ReceiveCompleteStatusValues = Define(Rule{
		ID:            "RECV-021",
		Level:         Must,
		Text:          "Before completing a receive request, the target writes NDIS_STATUS_SUCCESS, NDIS_STATUS_REQUEST_ABORTED, NDIS_STATUS_UPLOAD_IN_PROGRESS or NDIS_STATUS_INVALID_STATE into the Status of its NBL.",
		Sources:       []string{dpPgReceiveComplete, dpPgNumericValues},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Descriptive ('writes one of the following'), read as a duty and a closed list. Values: 0, 0xC001000C, 0xC0231001, 0xC0000184. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ReceiveCompleteSuccessMeaning: SUCCESS.
	ReceiveCompleteSuccessMeaning = Define(Rule{
		ID:            "RECV-022",
		Level:         Definition,
		Text:          "NDIS_STATUS_SUCCESS on a receive request means the target received all the data in it and advanced the connection's RcvNxt and RcvWnd; it may not have acknowledged the data yet (delayed ACK).",
		Sources:       []string{dpPgReceiveComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-09",
		Note:          "A query after such a completion shows RcvNxt at or past the end of the delivered bytes.",
	})

	// ReceiveCompleteAbortedMeaning: REQUEST_ABORTED.
	ReceiveCompleteAbortedMeaning = Define(Rule{
		ID:            "RECV-023",
		Level:         Definition,
		Text:          "NDIS_STATUS_REQUEST_ABORTED on a receive request means an error occurred while the target processed received data; the request may still carry valid data, counted in TcpOffloadBytesTransferred, part of which the target may have acknowledged.",
		Sources:       []string{dpPgReceiveComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "An abort by the peer completes requests so too (DISC-030).",
	})

	// ReceiveCompleteUploadMeaning: UPLOAD_IN_PROGRESS.
	ReceiveCompleteUploadMeaning = Define(Rule{
		ID:            "RECV-024",
		Level:         Definition,
		Text:          "NDIS_STATUS_UPLOAD_IN_PROGRESS on a receive request means the connection it was posted on is being uploaded.",
		Sources:       []string{dpPgReceiveComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive, OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-09",
		Note:          "'Being uploaded' starts when the target prepares an upload, as for sends (TERM-054), and ends with the terminate completion.",
	})

	// ReceiveCompleteInvalidStateMeaning: INVALID_STATE.
	ReceiveCompleteInvalidStateMeaning = Define(Rule{
		ID:            "RECV-025",
		Level:         Definition,
		Text:          "NDIS_STATUS_INVALID_STATE on a receive request means it was posted after the target had indicated a disconnect on the connection through NdisTcpOffloadEventHandler.",
		Sources:       []string{dpPgReceiveComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive, OpDisconnect},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-10",
		Note:          "Read as the status for such requests: a request posted after TcpIndicateDisconnect comes back with it.",
	})

	// ReceiveCompleteBytesTransferred: TcpOffloadBytesTransferred.
	ReceiveCompleteBytesTransferred = Define(Rule{
		ID:            "RECV-026",
		Level:         Must,
		Text:          "Before completing a receive request, the target records in the NBL's TcpOffloadBytesTransferred information the number of data bytes it returns in it.",
		Sources:       []string{dpPgReceiveComplete},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Descriptive ('specifies the number of data bytes returned'), read as a duty. ndis.NetBufferList.BytesTransferred carries it; the bytes themselves are at the start of the buffer. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ReceiveCompleteAdvanceDataStart: NdisAdvanceNetBufferDataStart.
	ReceiveCompleteAdvanceDataStart = Define(Rule{
		ID:            "RECV-027",
		Level:         Must,
		Text:          "Before completing a receive request, the target calls NdisAdvanceNetBufferDataStart on its NET_BUFFER with the number of bytes it placed in the MDLs as DataOffsetDelta and FreeMdl NULL.",
		Sources:       []string{dpPgReceiveComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DPATH-03",
		Note:          "The list says the target 'calls' it; the arguments are 'should'. The NET_BUFFER model has no data offset; the data-path contract must say how the advance shows (as for SEND-037).",
	})

	// ReceiveCallsSerializedPerConnection: completions and indications do not overlap.
	ReceiveCallsSerializedPerConnection = Define(Rule{
		ID:            "RECV-028",
		Level:         Must,
		Text:          "The target never has two of its NdisTcpOffloadReceiveComplete and NdisTcpOffloadReceiveHandler calls in progress at once on the same connection.",
		Sources:       []string{dpPgReceiveComplete, dpPgDelivery},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Every flowchart asks 'completion or indication in progress?' before either call. Checked by holding the harness's callbacks open while data arrives: no second call on that connection begins until the first returns. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ReceiveCompleteNotReentered: no nested completion.
	ReceiveCompleteNotReentered = Define(Rule{
		ID:            "RECV-029",
		Level:         MustNot,
		Text:          "When the host posts receive requests from inside the target's NdisTcpOffloadReceiveComplete call, the target makes no further NdisTcpOffloadReceiveComplete call until that one has returned.",
		Sources:       []string{dpPgReceiveComplete, dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "The page lets MiniportTcpOffloadReceive be called in the context of the completion; flowchart 1 queues such requests until the completion is finished. Checked by posting from inside the harness's completion callback while data is waiting.",
	})
)

// RECV: the delivery algorithm (flowcharts 1 to 3), step by step.
var (
	// DeliveryAlgorithmMandatory: the whole algorithm, carried through.
	DeliveryAlgorithmMandatory = Define(Rule{
		ID:            "RECV-030",
		Level:         Must,
		Text:          "The target delivers received data with the whole delivery algorithm of the three flowcharts (in-sequence segment, posted receive requests, push-timer expiry) and, once it starts the algorithm for an event, carries it through to an exit.",
		Sources:       []string{dpPgDelivery, dpPgDelivering, dpPgIndicationSize},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "The umbrella of RECV-013 to RECV-018 and RECV-031 to RECV-042, which hold its steps; a spec names the step it checks. 'Carries it through': no received data is left neither placed, indicated nor buffered for later delivery. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// SegmentQueuedDuringDelivery: segment arriving while a call is in progress.
	SegmentQueuedDuringDelivery = Define(Rule{
		ID:            "RECV-031",
		Level:         Must,
		Text:          "An in-sequence segment that arrives while a receive completion or indication is in progress on the connection is queued and processed once that call has finished.",
		Sources:       []string{dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1. Checked by holding an indication open while more data arrives: the data is delivered after the indication returns, in order.",
	})

	// PostQueuedDuringDelivery: posts arriving while a call is in progress.
	PostQueuedDuringDelivery = Define(Rule{
		ID:            "RECV-032",
		Level:         Must,
		Text:          "Receive requests posted while a receive completion or indication is in progress on the connection are queued and processed once that call has finished.",
		Sources:       []string{dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1. Posting from inside the callbacks is the natural way to reach it.",
	})

	// PostFilledFromBufferedData: posts meet buffered data.
	PostFilledFromBufferedData = Define(Rule{
		ID:            "RECV-033",
		Level:         Must,
		Text:          "Receive requests posted while no completion or indication is in progress are filled at once from the connection's buffered (undelivered) receive data if there is any, and otherwise queued for data to come.",
		Sources:       []string{dpPgDelivery, dpPgReceiveIndicate},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1, left branch. Buffered data is data refused by the host, data arrived while refused data was waiting, and buffered data handed over at initiate (INIT-025).",
	})

	// SegmentPlacedIntoRequests: segment meets requests.
	SegmentPlacedIntoRequests = Define(Rule{
		ID:            "RECV-034",
		Level:         Must,
		Text:          "With receive requests available and no completion or indication in progress, the target places an in-sequence segment's data into them and completes every filled request through NdisTcpOffloadReceiveComplete.",
		Sources:       []string{dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1, the main path (and A, the way back from flowchart 2).",
	})

	// SegmentAppendedToBufferedData: no request, refused data waiting.
	SegmentAppendedToBufferedData = Define(Rule{
		ID:            "RECV-035",
		Level:         Must,
		Text:          "An in-sequence segment that finds no receive request posted while undelivered data is buffered on the connection is appended to the buffered data, not indicated.",
		Sources:       []string{dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1. Checked by refusing an indication and sending more data: no indication comes until a request is posted, and the request then gets the refused and the later data in order.",
	})

	// DataIndicatedWithoutRequests: when data is indicated.
	DataIndicatedWithoutRequests = Define(Rule{
		ID:            "RECV-036",
		Level:         Must,
		Text:          "Data left over once every available request is filled, or arriving when no request is posted and nothing is buffered, is indicated through NdisTcpOffloadReceiveHandler.",
		Sources:       []string{dpPgDelivery, dpPgIndicating, dpPgReceiveIndicate},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-01",
		Note:          "Flowchart 1 to B and flowchart 2; the indication page: indications are made when no posted requests are available. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// AfterAcceptedIndication: more data after a full accept.
	AfterAcceptedIndication = Define(Rule{
		ID:            "RECV-037",
		Level:         Must,
		Text:          "After an indication the host accepted in full, the target puts its remaining received data into requests posted meanwhile or, with none posted, indicates it again.",
		Sources:       []string{dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-07",
		Note:          "Flowchart 2, SUCCESS branch. Requests posted from inside the indication callback count as posted meanwhile.",
	})

	// AfterRefusedIndication: the host took nothing.
	AfterRefusedIndication = Define(Rule{
		ID:            "RECV-038",
		Level:         Must,
		Text:          "After an indication the host refused, the target owns the indicated lists again and keeps the data: it copies it into requests posted meanwhile, or buffers it until the host posts requests and then completes them with it.",
		Sources:       []string{dpPgDelivery, dpPgReceiveIndicate},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 2, not-SUCCESS branch; the NDIS_STATUS_NOT_ACCEPTED paragraph of the indication page. MiniportTcpOffloadReceiveReturn is not called for such lists. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// AfterPartiallyAcceptedIndication: the host took some.
	AfterPartiallyAcceptedIndication = Define(Rule{
		ID:            "RECV-039",
		Level:         Must,
		Text:          "After an indication the host partially accepted, the target owns the indicated lists again, counts the BytesConsumed bytes as delivered and buffers the rest for the requests the host will post.",
		Sources:       []string{dpPgReceiveIndicate},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-06",
		Note:          "Checked by answering PARTIALLY_ACCEPTED with k bytes: the next request posted starts with byte k of the indicated data. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// RefusedDataNotReindicated: no re-indication before a post.
	RefusedDataNotReindicated = Define(Rule{
		ID:            "RECV-040",
		Level:         MustNot,
		Text:          "Once the host has refused indicated data, the target does not indicate that data again until the host posts a receive request.",
		Sources:       []string{dpPgReceiveIndicate, dpPgDelivery},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "'Cannot indicate that data again'; flowchart 1 appends later data to it (RECV-035) instead of indicating. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// NormalPostsBeforeIndications: posts drain buffered data first.
	NormalPostsBeforeIndications = Define(Rule{
		ID:            "RECV-041",
		Level:         Must,
		Text:          "When the host posts normal (non-zero-length) receive requests while refused data is buffered, the target completes them with that data before it makes any receive indication.",
		Sources:       []string{dpPgReceiveIndicate, dpPgDelivery},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Flowchart 1's left branch does the same. Checked by refusing an indication, then posting a normal request: it is completed with the refused data before any new indication. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ZeroBytePostReenablesIndications: zero-byte requests.
	ZeroBytePostReenablesIndications = Define(Rule{
		ID:            "RECV-042",
		Level:         Definition,
		Text:          "A zero-byte receive request (NET_BUFFER DataLength 0) re-enables the target's indications of buffered data; it takes none of that data and is completed like any other request.",
		Sources:       []string{dpPgReceiveIndicate, dpPgDelivery},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Through flowchart 1 it is a request filled at once: it completes with 0 bytes and the buffered data goes on to B (an indication). Checked by refusing an indication, then posting a zero-byte request: it comes back with 0 bytes and the data is indicated again.",
	})

	// HostIndicationAnswers: what the host's answer means.
	HostIndicationAnswers = Define(Rule{
		ID:            "RECV-043",
		Level:         Definition,
		Text:          "The host answers an indication with SUCCESS (all consumed, BytesConsumed the bytes indicated, lists kept until MiniportTcpOffloadReceiveReturn), OFFLOAD_DATA_NOT_ACCEPTED (none, BytesConsumed 0) or OFFLOAD_DATA_PARTIALLY_ACCEPTED (BytesConsumed > 0 bytes).",
		Sources:       []string{dpPgReceiveIndicate, dpPgClientRecvInd, dpPgDelivery, dpPgNumericValues},
		Observability: HostObligation,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-05",
		Note:          "After the two refusals the lists are the target's again when the call returns. The harness's answers follow this; 0xC023100E and 0xC0231010 are the two refusal statuses.",
	})

	// AcceptedIndicationListsUntouched: the host owns accepted lists.
	AcceptedIndicationListsUntouched = Define(Rule{
		ID:            "RECV-044",
		Level:         MustNot,
		Text:          "After an indication the host answered with SUCCESS, the target does not touch the indicated NET_BUFFER_LISTs and their buffers until they come back through MiniportTcpOffloadReceiveReturn.",
		Sources:       []string{dpPgReceiveIndicate, dpPgReceiveReturn, dpPgIndicating},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "The host may keep them until it returns them. Checked by comparing the indicated bytes at the callback and at the return: a change in between breaks it; reads are not visible. Judged on every data-path call of the wire specs (suites/wire).",
	})
)

// RECV: the shape of receive indications, acknowledgments, buffers.
var (
	// IndicationStandAloneNBL: one NBL per indication.
	IndicationStandAloneNBL = Define(Rule{
		ID:            "RECV-045",
		Level:         Must,
		Text:          "The target passes NdisTcpOffloadReceiveHandler one stand-alone NET_BUFFER_LIST, never the first of a linked list; to indicate more data it chains more MDLs to the same NET_BUFFER.",
		Sources:       []string{dpPgReceiveIndicate, dpPgClientRecvInd},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Checked on every indication: Next is nil. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// IndicationStatusSuccess: the Status argument.
	IndicationStatusSuccess = Define(Rule{
		ID:            "RECV-046",
		Level:         Must,
		Text:          "The target passes NDIS_STATUS_SUCCESS as the Status of every NdisTcpOffloadReceiveHandler call, never NDIS_STATUS_RESOURCES or another value.",
		Sources:       []string{dpPgReceiveIndicate},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "SUCCESS tells the host it may keep the lists until it returns them. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// IndicationOneNetBufferPerNBL: one NET_BUFFER per allocated NBL.
	IndicationOneNetBufferPerNBL = Define(Rule{
		ID:            "RECV-047",
		Level:         Must,
		Text:          "Every NET_BUFFER_LIST the target allocates for receive indications, through the chimney or the non-offload interface, has exactly one NET_BUFFER.",
		Sources:       []string{dpPgBufferPools, dpPgReceiveIndicate},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Conflict:      "CONFLICT-RECV-04",
		Note:          "Checked on every NdisTcpOffloadReceiveHandler and NdisMIndicateReceiveNetBufferLists call. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// IndicationTwoBufferPools: two pools at initialization.
	IndicationTwoBufferPools = Define(Rule{
		ID:            "RECV-048",
		Level:         Should,
		Text:          "In MiniportInitializeEx the target allocates two pools of NET_BUFFER_LISTs and NET_BUFFERs, one for NdisTcpOffloadReceiveHandler indications and one for NdisMIndicateReceiveNetBufferLists indications; their sizes are its choice.",
		Sources:       []string{dpPgReceiveIndicate, dpPgBufferPools},
		Observability: Internal,
		Ops:           []string{OpReceive},
		Note:          "'Should' on the DDI page, 'typically' on the concept page (for performance and debugging). Pools are internal.",
	})

	// ReceiveAckWhenBuffered: acknowledgment timing.
	ReceiveAckWhenBuffered = Define(Rule{
		ID:            "RECV-049",
		Level:         Should,
		Text:          "Unless it is delaying an acknowledgment, the target acknowledges received data as soon as it has internal buffers to hold it, whether before, during or after indicating it.",
		Sources:       []string{dpPgReceiveIndicate},
		Observability: NeedsWire,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "ACKs are segments on the wire; delayed ACKs follow RFC 1122 (TcpDelayedAckTicks).",
	})

	// IndicateAndPostKeepsRemainder: the indicate-and-post optimization.
	IndicateAndPostKeepsRemainder = Define(Rule{
		ID:            "RECV-050",
		Level:         Should,
		Text:          "After indicating received data, the target keeps the rest of the received data buffered (in the NIC if it can), so that an indicate-and-post application can post a request for it.",
		Sources:       []string{dpPgIndicationSize},
		Observability: Permission,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-RECV-07",
		Note:          "The page says 'should' inside a list it calls optional optimizations, not required implementations, and flowchart 2 indicates the rest again instead; the suite accepts either behaviour, so no target can break it.",
	})
)

// RECV: MiniportTcpOffloadReceiveReturn.
var (
	// ReceiveReturnShape: what MiniportTcpOffloadReceiveReturn is given.
	ReceiveReturnShape = Define(Rule{
		ID:            "RECV-051",
		Level:         Definition,
		Text:          "NDIS calls MiniportTcpOffloadReceiveReturn to give the target back NET_BUFFER_LISTs it indicated: a stand-alone NBL or a linked list that may hold lists of several indications, with no connection named.",
		Sources:       []string{dpPgReceiveReturn, dpPgNdisReceiveRet, dpPgIndicating},
		Observability: HostObligation,
		Ops:           []string{OpReceive},
		Conflict:      "CONFLICT-DPATH-02",
		Note:          "The harness returns every list it accepted, in one or several calls.",
	})

	// ReceiveReturnSucceeds: the return value.
	ReceiveReturnSucceeds = Define(Rule{
		ID:            "RECV-052",
		Level:         Should,
		Text:          "MiniportTcpOffloadReceiveReturn always succeeds: it returns NDIS_STATUS_SUCCESS, synchronously.",
		Sources:       []string{dpPgReceiveReturn, dpPgNdisReceiveRet, dpPgPropagateIO},
		Observability: Observable,
		Ops:           []string{OpReceive},
		Conflict:      "CONFLICT-RECV-08",
		Note:          "'Should always succeed ... should always return NDIS_STATUS_SUCCESS' on the handler page. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// ReceiveReturnReuseOrFree: what the target does with returned lists.
	ReceiveReturnReuseOrFree = Define(Rule{
		ID:            "RECV-053",
		Level:         May,
		Text:          "MiniportTcpOffloadReceiveReturn may prepare returned lists for later indications or free them to their pool (e.g. with NdisFreeNetBufferList); reuse can be more efficient.",
		Sources:       []string{dpPgReceiveReturn},
		Observability: Permission,
		Ops:           []string{OpReceive},
		Note:          "Permission; nothing external tells the two apart.",
	})

	// AdapterNotClosedWithIndicationsOut: close after every return.
	AdapterNotClosedWithIndicationsOut = Define(Rule{
		ID:            "RECV-054",
		Level:         MustNot,
		Text:          "The target's adapter is not closed before every receive buffer it indicated has been returned to it.",
		Sources:       []string{dpPgReceiveReturn},
		Observability: HostObligation,
		Ops:           []string{OpReceive},
		Note:          "Passive on the page; read as binding whoever closes the adapter: the harness returns every accepted list before Close.",
	})

	// DriverNotUnloadedWithIndicationsOut: unload after every return.
	DriverNotUnloadedWithIndicationsOut = Define(Rule{
		ID:            "RECV-055",
		Level:         ShouldNot,
		Text:          "The target driver does not unload before every receive buffer it indicated has been returned.",
		Sources:       []string{dpPgReceiveReturn},
		Observability: Internal,
		Ops:           []string{OpReceive},
		Note:          "Driver unloading has no counterpart in the Go contract.",
	})
)

// Conflicts of the receive path.
var (
	ConflictPostedRequestsShouldOrMust = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-01",
		Pages:   []string{dpPgReceiveHandler, dpPgPosting, dpPgReceiveIndicate, dpPgDelivery, dpPgDelivering, dpPgIndicating},
		Summary: "The receive handler, posting and indication pages say the target 'should' use posted requests when there are any; the delivery-algorithm pages say the target 'must' use the algorithm, which always fills available requests before indicating, and the indication page says it must complete normal requests before making indications.",
		Reading: "The algorithm's MUST governs every step where requests are available (RECV-034, RECV-037, RECV-041); RECV-004 keeps the pages' SHOULD and adds nothing beyond them. No switch.",
	})

	ConflictPushTimerStart = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-02",
		Pages:   []string{dpPgReceiveHandler, dpPgPosting, dpPgPushTimer},
		Summary: "The receive handler page starts the push timer at once for a push-mode request whose TcpReceiveBytesTransferred is non-zero (host data in it) and otherwise at the first byte placed; the posting page starts it at the first byte and says the host never puts data into a push-mode buffer; the push-timer page has the target start its push timer once the connection is offloaded.",
		Reading: "The timer starts at the first received byte placed in a push-mode request; a push request that nonetheless arrives holding host data starts it at once (RECV-013). The push-timer page's sentence is read as covering buffered data handed over at initiate that goes into a push request. No switch.",
	})

	ConflictPushTimerRestart = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-03",
		Pages:   []string{dpPgReceiveHandler, dpPgPosting, dpPgPushTimer},
		Summary: "The receive handler and posting pages say the target must restart a running push timer when data arrives; the push-timer page says it should.",
		Reading: "MUST, as the two data-path pages say (RECV-017). Proposed switch (not in ginkgo.yml yet): pushTimerRestartShould, which reports a missed restart as a SHOULD failure.",
	})

	ConflictIndicationNetBuffers = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-04",
		Pages:   []string{dpPgReceiveIndicate, dpPgClientRecvInd, dpPgBufferPools},
		Summary: "The NetBufferList parameter of NdisTcpOffloadReceiveHandler is described as an NBL that 'describes a list of NET_BUFFER structures'; the same page's remarks and the buffer-pool page say every NBL the target allocates for indications has only one NET_BUFFER, and the parameter text itself tells targets to chain MDLs to the same NET_BUFFER.",
		Reading: "Exactly one NET_BUFFER per indicated NBL (RECV-047). No switch.",
	})

	ConflictNotAcceptedName = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-05",
		Pages:   []string{dpPgReceiveIndicate, dpPgClientRecvInd, dpPgDelivery, dpPgNumericValues},
		Summary: "The return table of NdisTcpOffloadReceiveHandler names the refusal NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED (0xC023100E); its remarks name it NDIS_STATUS_NOT_ACCEPTED (0x00010003), a different value; flowchart 2 calls the function NdisTcpOffloadReceiveIndicate.",
		Reading: "The harness refuses with NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED, the table's value; a target treats every answer other than SUCCESS and PARTIALLY_ACCEPTED as a refusal of everything. The flowchart's name means NdisTcpOffloadReceiveHandler. Proposed switch (not in ginkgo.yml yet): refuseIndicationWithNotAccepted, under which the harness answers NDIS_STATUS_NOT_ACCEPTED.",
	})

	ConflictPartialAcceptNotInFlowchart = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-06",
		Pages:   []string{dpPgDelivery, dpPgReceiveIndicate},
		Summary: "Flowchart 2 knows only 'return code = Success' and otherwise 'the client application did not accept any of the indicated data'; the indication page adds NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED, with BytesConsumed bytes consumed.",
		Reading: "A partial acceptance delivers BytesConsumed bytes; the rest takes the flowchart's not-accepted branch (RECV-039). No switch.",
	})

	ConflictIndicateAndPostRemainder = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-07",
		Pages:   []string{dpPgIndicationSize, dpPgDelivery},
		Summary: "The receive-indication-size page says that after an indication the target should keep the remaining data buffered for the application to post for, in a list it calls optional optimizations; flowchart 2 indicates the remaining data again when no request is posted after an accepted indication.",
		Reading: "Both are accepted: after an accepted indication a target may indicate the rest again or keep it until a request is posted, as long as it is delivered eventually (RECV-030) and in order. No switch.",
	})

	ConflictReceiveReturnStatus = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-08",
		Pages:   []string{dpPgReceiveReturn, dpPgNdisReceiveRet, dpPgPropagateIO},
		Summary: "The MiniportTcpOffloadReceiveReturn page says the handler should always succeed and should return NDIS_STATUS_SUCCESS; NdisOffloadTcpReceiveReturn 'always returns NDIS_STATUS_SUCCESS' and the return 'is always completed synchronously', and the I/O propagation page says it is never completed asynchronously.",
		Reading: "The handler page's SHOULD for the target's own return value (RECV-052); a receive return has nothing to complete either way (CONFLICT-TERM-05). Proposed switch (not in ginkgo.yml yet): receiveReturnMustSucceed, which reports another value as a MUST failure.",
	})

	ConflictReceiveSuccessPartial = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-09",
		Pages:   []string{dpPgReceiveComplete, dpPgReceiveHandler, dpPgPosting},
		Summary: "NDIS_STATUS_SUCCESS on a receive request means the target 'received all the data associated with' it; push-mode requests are completed partially filled on PSH or push-timer expiry, and no other status fits such a completion.",
		Reading: "SUCCESS covers a request completed partially filled on PSH or the push timer: 'all the data associated' is the data placed in it, whose length TcpOffloadBytesTransferred gives. No switch.",
	})

	ConflictInvalidStateScope = DefineConflict(Conflict{
		ID:      "CONFLICT-RECV-10",
		Pages:   []string{dpPgReceiveComplete, dpPgEventIndicate, dpPgRespondFinRst},
		Summary: "NDIS_STATUS_INVALID_STATE is for a receive request 'posted after the offload target indicated a disconnect'; no page says whether an abort (TcpIndicateAbort) counts, nor what becomes of requests already posted when the peer's FIN arrives, which no further data will fill.",
		Reading: "INVALID_STATE answers requests posted after TcpIndicateDisconnect (RECV-025); after TcpIndicateAbort requests complete with NDIS_STATUS_REQUEST_ABORTED (DISC-030), and INVALID_STATE is accepted there too. Requests pending when the FIN arrives may complete (with any of the four statuses) or stay until the terminate, which completes them (TERM-018). No switch.",
	})
)

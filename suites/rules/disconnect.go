// Rules of closing offloaded connections: disconnect requests from the host
// (MiniportTcpOffloadDisconnect, abortive and graceful, and NdisTcpOffloadDisconnectComplete),
// FIN and RST segments from the peer (TcpIndicateDisconnect, TcpIndicateAbort), and what the
// target keeps until the host terminates the offload. Send completions after an RST are
// senddata.go (SEND-030); upload requests are events.go.
package rules

// DISC: MiniportTcpOffloadDisconnect and its completion.
var (
	// DisconnectRequestShape: what MiniportTcpOffloadDisconnect is given.
	DisconnectRequestShape = Define(Rule{
		ID:            "DISC-001",
		Level:         Definition,
		Text:          "The host closes an offloaded connection through NdisOffloadTcpDisconnect, which calls MiniportTcpOffloadDisconnect with one NBL holding one NET_BUFFER and Flags TCP_DISCONNECT_ABORTIVE_CLOSE or TCP_DISCONNECT_GRACEFUL_CLOSE.",
		Sources:       []string{dpPgDisconnect, dpPgNdisDisconnect, dpPgRespondDisc, dpPgClosing, dpPgNumericValues},
		Observability: HostObligation,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "GRACEFUL_CLOSE = 0x01, ABORTIVE_CLOSE = 0x02 (NUMERIC-VALUES 3.6). Either side may start closing; the peer's side is DISC-025 onwards.",
	})

	// DisconnectHandlerReturnsPending: the only return value, and no completion from inside.
	DisconnectHandlerReturnsPending = Define(Rule{
		ID:            "DISC-002",
		Level:         Must,
		Text:          "MiniportTcpOffloadDisconnect returns NDIS_STATUS_PENDING, and the target completes the request later through NdisTcpOffloadDisconnectComplete, never from inside the call.",
		Sources:       []string{dpPgDisconnect, dpPgNdisDisconnect},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "'Always returns NDIS_STATUS_PENDING ... completes asynchronously', read as for the state operations (INIT-002). Judged on every data-path call of the wire specs (suites/wire).",
	})

	// DisconnectCompletesOwnNBL: one completion with the request's own NBL.
	DisconnectCompletesOwnNBL = Define(Rule{
		ID:            "DISC-003",
		Level:         Must,
		Text:          "The target completes every disconnect request with one NdisTcpOffloadDisconnectComplete call that passes back the request's own NBL, never NULL and never NBLs of send requests.",
		Sources:       []string{dpPgDisconnectDone, dpPgDisconnect, dpPgClientDiscDone},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DISC-04",
		Note:          "The completion page: it returns only the NBL NDIS passed to MiniportTcpOffloadDisconnect and cannot return NBLs of MiniportTcpOffloadSend. Sends come back through NdisTcpOffloadSendComplete (DISC-006, DISC-016). Judged on every data-path call of the wire specs (suites/wire).",
	})

	// AbortiveDisconnectSendsRST: abortive close.
	AbortiveDisconnectSendsRST = Define(Rule{
		ID:            "DISC-004",
		Level:         Must,
		Text:          "For TCP_DISCONNECT_ABORTIVE_CLOSE the target performs an abortive disconnect by sending an RST on the connection.",
		Sources:       []string{dpPgDisconnect, dpPgRespondDisc, dpPgNdisDisconnect},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "The peer sees the RST; its sequence number must be acceptable to the peer. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// RSTOnlyForAbortiveDisconnect: no RST otherwise.
	RSTOnlyForAbortiveDisconnect = Define(Rule{
		ID:            "DISC-005",
		Level:         MustNot,
		Text:          "The target sends an RST on an offloaded connection only to carry out an abortive disconnect request.",
		Sources:       []string{dpPgDisconnect},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "'This is the only instance in which an offload target can send an RST segment.' Checked over every frame of every wire spec: an RST of an offloaded connection with no abortive disconnect before it breaks it. Judged on every frame the target transmits in the wire specs (suites/wire/judges.go).",
	})

	// AbortiveDisconnectAbortsSends: outstanding sends at an abortive close.
	AbortiveDisconnectAbortsSends = Define(Rule{
		ID:            "DISC-006",
		Level:         Must,
		Text:          "Before completing an abortive disconnect, the target completes every outstanding send request of the connection with NDIS_STATUS_REQUEST_ABORTED in each NBL, before or after sending the RST as it likes.",
		Sources:       []string{dpPgDisconnect, dpPgDisconnectDone},
		Observability: Observable,
		Ops:           []string{OpDisconnect, OpSend},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DISC-01",
		Note:          "Checked by posting sends the peer's closed window holds back, then an abortive disconnect: each send completes with REQUEST_ABORTED before the disconnect completion. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// AbortiveDisconnectDoesNotWait: no wait for indications.
	AbortiveDisconnectDoesNotWait = Define(Rule{
		ID:            "DISC-007",
		Level:         MustNot,
		Text:          "For an abortive disconnect the target does not wait for outstanding receive or event indications on the connection to return before sending the RST.",
		Sources:       []string{dpPgDisconnect},
		Observability: NeedsWire,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "Checked by holding a receive indication open in the harness and requesting the abortive disconnect from another goroutine: the RST reaches the peer while the indication is still in progress.",
	})

	// AbortiveDisconnectStopsReceiving: no more receive processing.
	AbortiveDisconnectStopsReceiving = Define(Rule{
		ID:            "DISC-008",
		Level:         Must,
		Text:          "On an abortive disconnect the target stops processing received segments on the connection at once and acknowledges none of them, including indicated data the client has not consumed.",
		Sources:       []string{dpPgDisconnect},
		Observability: NeedsWire,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "No ACK leaves for data refused or pending at the abortive disconnect, nor for anything the peer sends after it.",
	})

	// AbortiveDisconnectNoData: the abortive request's buffer.
	AbortiveDisconnectNoData = Define(Rule{
		ID:            "DISC-009",
		Level:         Definition,
		Text:          "The NET_BUFFER of an abortive disconnect request carries no data (DataLength 0).",
		Sources:       []string{dpPgDisconnect},
		Observability: HostObligation,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "The harness posts abortive disconnects with an empty NET_BUFFER.",
	})

	// AbortiveDisconnectStatus: the abortive completion's Status.
	AbortiveDisconnectStatus = Define(Rule{
		ID:            "DISC-010",
		Level:         Must,
		Text:          "Before completing an abortive disconnect, the target writes a Status into the request's NBL; NDIS_STATUS_SUCCESS means it sent the RST.",
		Sources:       []string{dpPgDisconnectDone},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DISC-05",
		Note:          "SUCCESS with no RST on the wire breaks it (needs the wire for that half).",
	})

	// GracefulDisconnectSendsFIN: graceful close.
	GracefulDisconnectSendsFIN = Define(Rule{
		ID:            "DISC-011",
		Level:         Must,
		Text:          "For TCP_DISCONNECT_GRACEFUL_CLOSE the target performs a graceful disconnect by sending a FIN on the connection.",
		Sources:       []string{dpPgDisconnect, dpPgRespondDisc, dpPgNdisDisconnect},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "The peer sees the FIN after all data sent before it. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// GracefulDisconnectUserDataFirst: user data before the FIN.
	GracefulDisconnectUserDataFirst = Define(Rule{
		ID:            "DISC-012",
		Level:         Must,
		Text:          "The target transmits the user data a graceful disconnect request carries in its NET_BUFFER before the FIN; a request without user data has a NET_BUFFER of DataLength 0.",
		Sources:       []string{dpPgDisconnect, dpPgRespondDisc, dpPgNdisDisconnect},
		Observability: NeedsWire,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "The peer's stream ends with the request's bytes, then the FIN.",
	})

	// GracefulDisconnectNoWaitForAck: FIN without waiting.
	GracefulDisconnectNoWaitForAck = Define(Rule{
		ID:            "DISC-013",
		Level:         ShouldNot,
		Text:          "The target does not wait for the peer to acknowledge the user data of a graceful disconnect before sending the FIN.",
		Sources:       []string{dpPgDisconnect},
		Observability: NeedsWire,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "Checked with a peer that delays its ACKs: the FIN leaves before the data is acknowledged (window permitting).",
	})

	// GracefulDisconnectFINPlacement: separate FIN or piggybacked.
	GracefulDisconnectFINPlacement = Define(Rule{
		ID:            "DISC-014",
		Level:         May,
		Text:          "The target may send the FIN in a segment of its own after the user data, or set FIN on the last segment of user data.",
		Sources:       []string{dpPgDisconnect},
		Observability: Permission,
		Ops:           []string{OpDisconnect},
		Note:          "Permission: the wire specs accept both.",
	})

	// FINClosesSendHalfOnly: half-close after the local FIN.
	FINClosesSendHalfOnly = Define(Rule{
		ID:            "DISC-015",
		Level:         Definition,
		Text:          "Sending a FIN closes only the send half of the connection: the target goes on receiving on it until the peer sends a FIN or RST, the host terminates the offload, or the host asks for an abortive disconnect.",
		Sources:       []string{dpPgDisconnect, dpPgRespondDisc},
		Observability: NeedsWire,
		Ops:           []string{OpDisconnect, OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "'Can receive segments' read as the receive half staying open. Checked by a graceful disconnect, then data from the peer: it is acknowledged and delivered.",
	})

	// GracefulDisconnectCompletesSendsInOrder: sends come back first.
	GracefulDisconnectCompletesSendsInOrder = Define(Rule{
		ID:            "DISC-016",
		Level:         Must,
		Text:          "Before completing a graceful disconnect, the target completes every outstanding send request on the connection, in the order the requests were delivered to it.",
		Sources:       []string{dpPgDisconnect},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect, OpSend},
		Layers:        []string{LayerTCP},
		Note:          "Stated in the graceful-disconnect part of the page; abortive disconnects have DISC-006.",
	})

	// GracefulDisconnectStatusValues: the three statuses.
	GracefulDisconnectStatusValues = Define(Rule{
		ID:            "DISC-017",
		Level:         Must,
		Text:          "The target completes a graceful disconnect with NDIS_STATUS_SUCCESS, NDIS_STATUS_UPLOAD_IN_PROGRESS or NDIS_STATUS_REQUEST_ABORTED in the request's NBL.",
		Sources:       []string{dpPgDisconnectDone},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DISC-05",
		Note:          "'Must: write a status value' followed by the three values, read as a closed list. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// GracefulDisconnectSuccessMeansAcked: SUCCESS = FIN acknowledged.
	GracefulDisconnectSuccessMeansAcked = Define(Rule{
		ID:            "DISC-018",
		Level:         Must,
		Text:          "The target completes a graceful disconnect with NDIS_STATUS_SUCCESS only once the FIN and all user data have been sent and acknowledged by the peer.",
		Sources:       []string{dpPgDisconnectDone},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "As SEND-025 for sends. The peer's ACK of the FIN is on the wire; a SUCCESS completion before it breaks the rule. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// GracefulDisconnectFailureMeanings: UPLOAD_IN_PROGRESS and REQUEST_ABORTED.
	GracefulDisconnectFailureMeanings = Define(Rule{
		ID:            "DISC-019",
		Level:         Definition,
		Text:          "NDIS_STATUS_UPLOAD_IN_PROGRESS on a graceful disconnect means the connection is being uploaded; NDIS_STATUS_REQUEST_ABORTED means the FIN or user data were not both sent and acknowledged, and the host will terminate the offload later.",
		Sources:       []string{dpPgDisconnectDone},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DISC-05",
		Note:          "When the target may fail a disconnect at all is DISC-022.",
	})

	// GracefulDisconnectBytesTransferred: TcpOffloadBytesTransferred.
	GracefulDisconnectBytesTransferred = Define(Rule{
		ID:            "DISC-020",
		Level:         Must,
		Text:          "Before completing a graceful disconnect, the target records in the NBL's TcpOffloadBytesTransferred information the number of user data bytes sent and acknowledged.",
		Sources:       []string{dpPgDisconnectDone},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "ndis.NetBufferList.BytesTransferred; with SUCCESS it equals the request's data length.",
	})

	// GracefulDisconnectAdvanceDataStart: NdisAdvanceNetBufferDataStart.
	GracefulDisconnectAdvanceDataStart = Define(Rule{
		ID:            "DISC-021",
		Level:         Must,
		Text:          "Before completing a graceful disconnect, the target calls NdisAdvanceNetBufferDataStart on the request's NET_BUFFER by the user data bytes sent and acknowledged, with FreeMdl NULL.",
		Sources:       []string{dpPgDisconnectDone},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DPATH-03",
		Note:          "The NET_BUFFER model has no data offset; the data-path contract must say how the advance shows (as for SEND-037).",
	})

	// DisconnectFailsOnlyWhenUploadingOrAborting: mandatory response.
	DisconnectFailsOnlyWhenUploadingOrAborting = Define(Rule{
		ID:            "DISC-022",
		Level:         MustNot,
		Text:          "The target does not fail a disconnect request unless the connection is being uploaded or being aborted (for example after an RST from the peer).",
		Sources:       []string{dpPgDisconnect},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "'Fail' read as completing with any status but SUCCESS. Checked on healthy connections: every disconnect, abortive or graceful, completes with SUCCESS (a graceful one once the peer acknowledged the FIN).",
	})

	// HostDoesNotReissueDisconnect: no retry.
	HostDoesNotReissueDisconnect = Define(Rule{
		ID:            "DISC-023",
		Level:         Definition,
		Text:          "The host does not reissue a disconnect request the target failed.",
		Sources:       []string{dpPgDisconnect},
		Observability: HostObligation,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "Why DISC-022 matters: a failed graceful close is not retried.",
	})

	// ClosingConnectionKeepsResources: resources until the terminate.
	ClosingConnectionKeepsResources = Define(Rule{
		ID:            "DISC-024",
		Level:         MustNot,
		Text:          "Once it has sent a FIN or RST for a disconnect request, or received a FIN or an acceptable RST, the target does not free the connection's resources until the host terminates its offload.",
		Sources:       []string{dpPgDisconnect, dpPgRespondDisc, dpPgRespondFinRst, dpPgEventIndicate},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Checked by a query and then the host's terminate after each kind of close: both find the connection (SUCCESS, delegated state written), however long after the close. Closing is not uploading (TERM-052).",
	})
)

// DISC: FIN and RST from the peer.
var (
	// PeerFINIndicatesDisconnect: TcpIndicateDisconnect.
	PeerFINIndicatesDisconnect = Define(Rule{
		ID:            "DISC-025",
		Level:         Must,
		Text:          "When the peer sends a FIN, the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateDisconnect for the connection.",
		Sources:       []string{dpPgRespondFinRst, dpPgEventIndicate, dpPgChimneyEvents},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "EventSpecificInformation is not meaningful for it (EVT-002). Checked by closing the peer's side. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// DisconnectIndicatedAfterDataConsumed: not before the data is consumed.
	DisconnectIndicatedAfterDataConsumed = Define(Rule{
		ID:            "DISC-026",
		Level:         Must,
		Text:          "The target makes the TcpIndicateDisconnect indication only once the client has consumed all data received before the FIN, so that no receive data is left to deliver.",
		Sources:       []string{dpPgRespondFinRst, dpPgEventIndicate},
		Observability: Observable,
		Ops:           []string{OpDisconnect, OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DISC-03",
		Note:          "Checked by refusing an indication, then closing the peer's side: no TcpIndicateDisconnect until a request has taken the buffered data. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// PeerFINClosesReceiveHalfOnly: the send half stays open.
	PeerFINClosesReceiveHalfOnly = Define(Rule{
		ID:            "DISC-027",
		Level:         Definition,
		Text:          "A graceful disconnect by the peer shuts only the receive half of the connection; the send half stays open and the target goes on sending the data of send requests.",
		Sources:       []string{dpPgRespondFinRst, dpPgEventIndicate},
		Observability: NeedsWire,
		Ops:           []string{OpDisconnect, OpSend},
		Layers:        []string{LayerTCP},
		Note:          "Checked by sending after TcpIndicateDisconnect: the data reaches the peer and the sends complete with SUCCESS.",
	})

	// PeerRSTMarksAborted: internal mark.
	PeerRSTMarksAborted = Define(Rule{
		ID:            "DISC-028",
		Level:         Must,
		Text:          "On an acceptable RST the target marks the connection aborted in its internal state.",
		Sources:       []string{dpPgEventIndicate},
		Observability: Internal,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "Internal; its visible consequences are DISC-029 to DISC-031.",
	})

	// PeerRSTIndicatesAbort: TcpIndicateAbort.
	PeerRSTIndicatesAbort = Define(Rule{
		ID:            "DISC-029",
		Level:         Must,
		Text:          "On an acceptable RST the target calls NdisTcpOffloadEventHandler with EventType TcpIndicateAbort for the connection, which it may do as soon as the RST arrives.",
		Sources:       []string{dpPgRespondFinRst, dpPgEventIndicate, dpPgChimneyEvents},
		Observability: Observable,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "Checked by having the peer reset the connection (an RST at RcvNxt). Which RSTs are acceptable is RFC 793 and the blind-reset page. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// PeerRSTAbortsRequests: disconnect and receive requests.
	PeerRSTAbortsRequests = Define(Rule{
		ID:            "DISC-030",
		Level:         Must,
		Text:          "After an acceptable RST the target completes every outstanding disconnect and receive request on the connection with NDIS_STATUS_REQUEST_ABORTED; its send requests likewise (SEND-030).",
		Sources:       []string{dpPgRespondFinRst, dpPgEventIndicate},
		Observability: Observable,
		Ops:           []string{OpDisconnect, OpReceive},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-DISC-02",
		Note:          "Checked by keeping receives and a graceful disconnect outstanding, then resetting from the peer. Judged on every data-path call of the wire specs (suites/wire).",
	})

	// PeerRSTOrder: indication before completions.
	PeerRSTOrder = Define(Rule{
		ID:            "DISC-031",
		Level:         Must,
		Text:          "On an acceptable RST the target calls TcpIndicateAbort before it completes the outstanding requests with NDIS_STATUS_REQUEST_ABORTED.",
		Sources:       []string{dpPgEventIndicate},
		Observability: NeedsDataPath,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "The page numbers the three steps (mark, indicate, complete) under 'must'; read as an order between the visible two, as the recovery steps are read (TERM-038).",
	})

	// HostTerminatesAfterAbort: the host uploads aborted connections.
	HostTerminatesAfterAbort = Define(Rule{
		ID:            "DISC-032",
		Level:         Definition,
		Text:          "When the target indicates TcpIndicateAbort, the host terminates the offload of the connection.",
		Sources:       []string{dpPgEventIndicate},
		Observability: HostObligation,
		Ops:           []string{OpDisconnect, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "The harness terminates a connection after its abort indication.",
	})

	// ClosedDataToHost: data in CLOSED goes up the ordinary path.
	ClosedDataToHost = Define(Rule{
		ID:            "DISC-033",
		Level:         Should,
		Text:          "Data the target receives on a connection in the CLOSED state is passed to the host through NdisMIndicateReceiveNetBufferLists, the non-offload receive path.",
		Sources:       []string{dpPgRespondFinRst},
		Observability: NeedsWire,
		Ops:           []string{OpDisconnect},
		Layers:        []string{LayerTCP},
		Note:          "Needs injected frames and the non-offload receive path (NonOffloadReceiver), before the host's terminate.",
	})
)

// Conflicts of closing.
var (
	ConflictAbortedOnAbortiveDisconnect = DefineConflict(Conflict{
		ID:      "CONFLICT-DISC-01",
		Pages:   []string{dpPgDisconnect, dpPgDisconnectDone, dpPgSendComplete},
		Summary: "The send completion page gives NDIS_STATUS_REQUEST_ABORTED one cause, an RST received on the connection (and SEND-030 admits besides only the corrupt-hardware recovery); the disconnect pages require it for every send outstanding at an abortive disconnect the host requested.",
		Reading: "An abortive disconnect request is a further cause of REQUEST_ABORTED on sends (DISC-006); SEND-030's 'apart from that' is read with this exception when its spec is written. No switch.",
	})

	ConflictRSTCompletions = DefineConflict(Conflict{
		ID:      "CONFLICT-DISC-02",
		Pages:   []string{dpPgEventIndicate, dpPgRespondFinRst, dpPgNumericValues},
		Summary: "After an acceptable RST, the event-indication page has the target complete outstanding send and disconnect requests with NDIS_STATUS_REQUEST_ABORTED; the FIN/RST page lists send, receive and disconnect requests and names the status NDIS_STATUS_REQUEST_ABORT, which no header defines.",
		Reading: "Receive requests are included and the status is NDIS_STATUS_REQUEST_ABORTED (0xC001000C) (DISC-030). Proposed switch (not in ginkgo.yml yet): rstReceivesCompletedAtTerminate, under which outstanding receive requests may instead stay until the host's terminate.",
	})

	ConflictDisconnectIndicationLevel = DefineConflict(Conflict{
		ID:      "CONFLICT-DISC-03",
		Pages:   []string{dpPgRespondFinRst, dpPgEventIndicate},
		Summary: "The FIN/RST page says the target must indicate TcpIndicateDisconnect after it ensures all received data was consumed; the event-indication page says it should indicate a graceful disconnect only when it received the FIN and no receive data remains to indicate.",
		Reading: "MUST, as the FIN/RST page says (DISC-026). Proposed switch (not in ginkgo.yml yet): disconnectIndicationOrderShould, which reports an early indication as a SHOULD failure.",
	})

	ConflictDisconnectCompleteNull = DefineConflict(Conflict{
		ID:      "CONFLICT-DISC-04",
		Pages:   []string{dpPgDisconnectDone, dpPgClientDiscDone},
		Summary: "NdisTcpOffloadDisconnectComplete takes a pointer to the single NBL of MiniportTcpOffloadDisconnect; ProtocolTcpOffloadDisconnectComplete describes its NetBufferList as a pointer to a single NBL 'when non-NULL', as if NULL could come.",
		Reading: "The target always passes the request's own NBL (DISC-003). No switch.",
	})

	ConflictDisconnectStatusWording = DefineConflict(Conflict{
		ID:      "CONFLICT-DISC-05",
		Pages:   []string{dpPgDisconnectDone},
		Summary: "For a graceful disconnect, NDIS_STATUS_UPLOAD_IN_PROGRESS means 'the TCP connection referenced by NdisMiniportHandle' is being uploaded, though NdisMiniportHandle is the adapter's handle; for an abortive disconnect the allowed statuses are left to the NET_BUFFER_LIST page, which the documentation set does not hold.",
		Reading: "UPLOAD_IN_PROGRESS refers to the connection the disconnect was posted on. An abortive completion may carry SUCCESS (RST sent), UPLOAD_IN_PROGRESS or REQUEST_ABORTED (the connection was already being uploaded or aborted); another value is accepted too, since the suite cannot tell what the missing page allows. No switch.",
	})
)

// Rules of forwarding: TCP segments the host received for an offloaded connection and hands to
// the target with MiniportTcpOffloadForward, and NdisTcpOffloadForwardComplete.
package rules

// FWD: MiniportTcpOffloadForward and its completion.
var (
	// ForwardReasons: when the host forwards.
	ForwardReasons = Define(Rule{
		ID:            "FWD-001",
		Level:         Definition,
		Text:          "The host forwards TCP segments it received but did not acknowledge when they arrived while the connection was being offloaded, arrived on another interface of a multihomed host, or were indicated by the target with IP options or as fragments and processed by the host.",
		Sources:       []string{dpPgForwarding, dpPgForwardHandler, dpPgNdisForward},
		Observability: HostObligation,
		Ops:           []string{OpForward},
		Layers:        []string{LayerTCP},
		Note:          "The harness forwards segments it crafts for these situations, and uses forwarding to feed a connection segments without the wire.",
	})

	// HostForwardTiming: when the host does not forward.
	HostForwardTiming = Define(Rule{
		ID:            "FWD-002",
		Level:         MustNot,
		Text:          "The host forwards no segment for a connection whose offload is being terminated (it buffers them and processes them itself afterwards); segments held during an offload it forwards as soon as possible after the offload completes, with no time limit.",
		Sources:       []string{dpPgForwardHandler},
		Observability: HostObligation,
		Ops:           []string{OpForward, OpTerminate, OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "INIT-040 holds the other half from the processing-events page: no forward before the initiate completes.",
	})

	// ForwardedSegmentShape: one TCP segment per NET_BUFFER.
	ForwardedSegmentShape = Define(Rule{
		ID:            "FWD-003",
		Level:         Definition,
		Text:          "The host forwards TCP segments, not IP datagrams: each NBL of a forward request has one NET_BUFFER holding exactly one segment, whose first byte is the first byte of the TCP header (options included).",
		Sources:       []string{dpPgForwardHandler, dpPgNdisForward},
		Observability: HostObligation,
		Ops:           []string{OpForward},
		Layers:        []string{LayerTCP},
		Note:          "A stand-alone NBL or a Next-linked list; the harness builds them so.",
	})

	// ForwardHandlerReturnsPending: the only return value, and no completion from inside.
	ForwardHandlerReturnsPending = Define(Rule{
		ID:            "FWD-004",
		Level:         Must,
		Text:          "MiniportTcpOffloadForward returns NDIS_STATUS_PENDING, the only value allowed, and the target completes the request later through NdisTcpOffloadForwardComplete, never from inside the call.",
		Sources:       []string{dpPgForwardHandler, dpPgForwarding, dpPgNdisForward},
		Observability: NeedsDataPath,
		Ops:           []string{OpForward},
		Layers:        []string{LayerTCP},
		Note:          "'Always completes a forward request asynchronously', read as for the state operations (INIT-002).",
	})

	// ForwardRequestsAllCompleted: every forwarded NBL comes back.
	ForwardRequestsAllCompleted = Define(Rule{
		ID:            "FWD-005",
		Level:         Must,
		Text:          "The target completes every NBL handed to MiniportTcpOffloadForward through NdisTcpOffloadForwardComplete, once.",
		Sources:       []string{dpPgForwardHandler, dpPgForwardComplete, dpPgForwarding},
		Observability: NeedsDataPath,
		Ops:           []string{OpForward},
		Layers:        []string{LayerTCP},
		Note:          "Checked by a forward ledger: at the terminate completion at the latest (TERM-018) every forwarded NBL has come back exactly once, and nothing else came back.",
	})

	// ForwardOwnership: the target owns forwarded NBLs until completion.
	ForwardOwnership = Define(Rule{
		ID:            "FWD-006",
		Level:         Definition,
		Text:          "The host allocates the NBLs of a forward request; the target owns them, and may queue them for processing, until it passes them to NdisTcpOffloadForwardComplete.",
		Sources:       []string{dpPgForwardHandler},
		Observability: HostObligation,
		Ops:           []string{OpForward},
		Layers:        []string{LayerTCP},
		Note:          "The harness leaves forwarded lists alone until they come back.",
	})

	// ForwardMayBatchCompletions: batching.
	ForwardMayBatchCompletions = Define(Rule{
		ID:            "FWD-007",
		Level:         May,
		Text:          "The target may link the NBLs of several MiniportTcpOffloadForward calls into one list and complete them with one NdisTcpOffloadForwardComplete call.",
		Sources:       []string{dpPgForwardComplete, dpPgForwarding},
		Observability: Permission,
		Ops:           []string{OpForward},
		Note:          "Permission: the ledger walks every completion list.",
	})

	// ForwardCompleteWritesStatus: a status per NBL.
	ForwardCompleteWritesStatus = Define(Rule{
		ID:            "FWD-008",
		Level:         Must,
		Text:          "Before passing an NBL to NdisTcpOffloadForwardComplete, the target writes into its Status member one of the status values the page lists for forward completions.",
		Sources:       []string{dpPgForwardComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpForward},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-FWD-01",
		Note:          "The page's list is empty; the suite reads it as SUCCESS, UPLOAD_IN_PROGRESS and REQUEST_ABORTED (see the conflict). Checked by seeding Status with a sentinel that is no NDIS_STATUS value.",
	})

	// ForwardCompleteStatusMeanings: the three statuses the page lost.
	ForwardCompleteStatusMeanings = Define(Rule{
		ID:            "FWD-009",
		Level:         Definition,
		Text:          "A forward completes with NDIS_STATUS_SUCCESS when the target accepted and processed the segments, NDIS_STATUS_UPLOAD_IN_PROGRESS when it will not because the connection is being uploaded (the host then processes them), NDIS_STATUS_REQUEST_ABORTED when it received an RST (the host drops them).",
		Sources:       []string{dpPgForwardComplete},
		Observability: NeedsDataPath,
		Ops:           []string{OpForward},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-FWD-01",
		Note:          "The copied page has an empty list; the three meanings are those of the page's first published version (recorded in the documentation set's INDEX.md), the status names inferred by analogy with the send and receive completions.",
	})

	// ForwardedSegmentsProcessed: forwarded segments are received segments.
	ForwardedSegmentsProcessed = Define(Rule{
		ID:            "FWD-010",
		Level:         Definition,
		Text:          "The target processes each forwarded segment as a segment received on the connection; the TCP header with its options is all the header information it needs.",
		Sources:       []string{dpPgForwardHandler},
		Observability: NeedsDataPath,
		Ops:           []string{OpForward, OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Read from 'this is all the header information that the offload target needs to process the received segment'. Checked by forwarding in-sequence data: it is delivered through the receive path (and acknowledged on the wire, when there is one).",
	})
)

// Conflicts of forwarding.
var (
	ConflictForwardStatusListLost = DefineConflict(Conflict{
		ID:      "CONFLICT-FWD-01",
		Pages:   []string{dpPgForwardComplete, dpPgSendComplete, dpPgReceiveComplete},
		Summary: "The NdisTcpOffloadForwardComplete page says the target must write 'one of the following status values' and lists none. Its first published version kept three descriptions without names: all segments accepted and processed; not processed because the connection is being uploaded (the host queues and processes them); an RST was received (the host does not process them).",
		Reading: "By analogy with the send and receive completions: NDIS_STATUS_SUCCESS, NDIS_STATUS_UPLOAD_IN_PROGRESS and NDIS_STATUS_REQUEST_ABORTED, each for its described case (FWD-009); other values fail FWD-008's spec. Proposed switch (not in ginkgo.yml yet): forwardCompleteAnyStatus, which accepts any status written.",
	})
)

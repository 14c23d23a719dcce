// Rules of TCP chimney events: NdisTcpOffloadEventHandler, its event types and
// EventSpecificInformation, the upload reasons a target gives when it asks for a connection's
// terminate, and send-backlog changes. How a FIN or RST from the peer is indicated is
// disconnect.go; that a target asks for one connection per call and never for a neighbor or a
// path is terminate.go (TERM-044 to TERM-047, TERM-049); the send backlog size itself is
// state.go (STATE-063 to STATE-066).
package rules

// EVT: event types and their information.
var (
	// EventTypes: the four TCP_OFFLOAD_EVENT_TYPE values.
	EventTypes = Define(Rule{
		ID:            "EVT-001",
		Level:         Definition,
		Text:          "NdisTcpOffloadEventHandler indicates an event of one offloaded TCP connection: TcpIndicateDisconnect (the peer sent a FIN), TcpIndicateRetrieve (the target asks the host to terminate the offload), TcpIndicateAbort (the peer sent an acceptable RST) or TcpIndicateSendBacklogChange (the preferred send backlog size changed).",
		Sources:       []string{dpPgEventIndicate, dpPgClientEvent, dpPgChimneyEvents, dpPgNumericValues},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "Values 1 to 4 (NUMERIC-VALUES 3.2). Checked on every event indication: the EventType is one of the four, and the event's circumstance holds (a FIN or RST arrived, and so on). Judged on every data-path call of the wire specs (suites/wire).",
	})

	// EventSpecificInformation: what the second argument carries.
	EventSpecificInformation = Define(Rule{
		ID:            "EVT-002",
		Level:         Definition,
		Text:          "EventSpecificInformation means nothing with TcpIndicateDisconnect and TcpIndicateAbort, is a TCP_UPLOAD_REASON with TcpIndicateRetrieve, and with TcpIndicateSendBacklogChange is the optimum number of send bytes the host should have outstanding at the target.",
		Sources:       []string{dpPgEventIndicate, dpPgClientEvent, dpPgChimneyEvents},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "That a retrieve carries a TCP_UPLOAD_REASON is TERM-045; the backlog value is the SendBacklogSize of STATE-063. The harness ignores the value for the two disconnect events.",
	})

	// UploadReasonCircumstances: the reason table.
	UploadReasonCircumstances = Define(Rule{
		ID:            "EVT-003",
		Level:         Definition,
		Text:          "Each TCP_UPLOAD_REASON names the circumstance of a terminate request: HardwareFailure (corrupt hardware state), InvalidState (a send on a connection depending on an invalidated object), ReceivedUrgentData (a segment with URG set), TimeoutExpiration (a timeout), UploadRequested (unspecified), HighDropRate, HighFragmentation, HighOutofOrderPackets, LowActivity, NoBufferProposting (no posted receive buffers), SmallIO (posted buffers too small).",
		Sources:       []string{dpPgEventIndicate, dpPgNumericValues},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-EVT-03",
		Note:          "Values 1 to 11 (NUMERIC-VALUES 3.3; NoBufferProposting is NoBufferPreposting in later headers). The circumstances a host can provoke (urgent data, a FIN_WAIT_2 or retransmission timeout, an invalidate) must bring the matching reason; the others are the target's judgement.",
	})

	// UploadReasonHostResponse: mandatory and optional uploads.
	UploadReasonHostResponse = Define(Rule{
		ID:            "EVT-004",
		Level:         Definition,
		Text:          "For HardwareFailure, InvalidState, ReceivedUrgentData, TimeoutExpiration and UploadRequested the host always terminates the offload of the connection; for the six other reasons it may or may not.",
		Sources:       []string{dpPgEventIndicate},
		Observability: HostObligation,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "The harness terminates the connection after every mandatory request; after an optional one it does too, except in the specs of EVT-006.",
	})

	// MandatoryUploadStopsProcessing: no processing after a mandatory request.
	MandatoryUploadStopsProcessing = Define(Rule{
		ID:            "EVT-005",
		Level:         MustNot,
		Text:          "After asking for a connection's terminate for HardwareFailure, InvalidState, ReceivedUrgentData, TimeoutExpiration or UploadRequested, the target does not go on processing the connection as offloaded.",
		Sources:       []string{dpPgEventIndicate},
		Observability: NeedsWire,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Descriptive ('does not continue processing'), read as a duty: no new data is sent or delivered through the chimney. It still completes requests (UPLOAD_IN_PROGRESS, TERM-054) and the host's terminate; the urgent-data page has it queue later data for the non-offload path. Provoked with urgent data from the peer.",
	})

	// OptionalUploadKeepsProcessing: the target copes with a declined request.
	OptionalUploadKeepsProcessing = Define(Rule{
		ID:            "EVT-006",
		Level:         Must,
		Text:          "After asking for a connection's terminate for an optional reason (HighDropRate, HighFragmentation, HighOutofOrderPackets, LowActivity, NoBufferProposting, SmallIO), the target is able to go on processing the connection if the host does not terminate it.",
		Sources:       []string{dpPgEventIndicate},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "Arises only when a target makes such a request. Checked by leaving the request unanswered: sends and receives on the connection keep completing with SUCCESS.",
	})

	// UrgentDataNotAcknowledged: no ACK for urgent data.
	UrgentDataNotAcknowledged = Define(Rule{
		ID:            "EVT-007",
		Level:         MustNot,
		Text:          "A target that receives a segment with URG set and asks for the terminate with ReceivedUrgentData does not send an ACK acknowledging the urgent data.",
		Sources:       []string{dpPgEventIndicate},
		Observability: NeedsWire,
		Layers:        []string{LayerTCP},
		Note:          "Descriptive in the reason table, read as a duty. The urgent-data page (a later issue) adds that no later segment is acknowledged either.",
	})

	// NoRetrieveWhenHalfClosed: FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT.
	NoRetrieveWhenHalfClosed = Define(Rule{
		ID:            "EVT-008",
		Level:         MustNot,
		Text:          "The target does not ask for the terminate of a half-closed connection in FIN_WAIT1, FIN_WAIT2 or CLOSE_WAIT.",
		Sources:       []string{dpPgEventIndicate},
		Observability: NeedsDataPath,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-EVT-01",
		Note:          "Checked by closing one side of a connection (a graceful disconnect, or a FIN from the peer) and watching for a TcpIndicateRetrieve whose reason no other page requires in that state.",
	})

	// SendBacklogEventsThrottled: no storm of backlog events.
	SendBacklogEventsThrottled = Define(Rule{
		ID:            "EVT-009",
		Level:         Should,
		Text:          "The target throttles TcpIndicateSendBacklogChange indications: it makes none when the send backlog size changes too often or by too small an amount, so that no storm of indications reaches the host.",
		Sources:       []string{dpPgEventIndicate},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Note:          "'Too often' and 'too small' are the target's to define; a spec can flag only a storm, such as an indication for every segment acknowledged. That such events may be made at all is STATE-065.",
	})
)

// Conflicts of events.
var (
	ConflictRetrieveWhenHalfClosed = DefineConflict(Conflict{
		ID:      "CONFLICT-EVT-01",
		Pages:   []string{dpPgEventIndicate, dpPgFinWait2, dpPgUrgentData, dpPgCorruptTerminate},
		Summary: "The event-indication page says the target must not initiate the terminate of a connection in FIN_WAIT1, FIN_WAIT2 or CLOSE_WAIT; the FIN_WAIT_2 timer page says it must request the terminate (TcpIndicateRetrieve, TimeoutExpiration) when that timer expires, which happens only in FIN_WAIT2, and the urgent-data and corrupt-hardware pages require requests whatever the state.",
		Reading: "The duties of the other pages stand: in those states the target makes no TcpIndicateRetrieve except for FIN_WAIT_2 timer expiry (TimeoutExpiration), urgent data (ReceivedUrgentData) and corrupt hardware (HardwareFailure) (EVT-008). No switch: the literal reading leaves the FIN_WAIT_2 timer no way out.",
	})

	ConflictUploadAllPointer = DefineConflict(Conflict{
		ID:      "CONFLICT-EVT-02",
		Pages:   []string{dpPgEventIndicate, dpPgOffloadEventInd, dpPgByTarget},
		Summary: "The event-indication page says a target can request the terminate of all its TCP connections and refers to NdisMOffloadEventIndicate, which has no such event (only the neighbor reachability codes); the terminate-request page has the target indicate NDIS_STATUS_UPLOAD_ALL with NdisMIndicateStatusEx.",
		Reading: "NDIS_STATUS_UPLOAD_ALL through NdisMIndicateStatusEx (TERM-049); the reference to NdisMOffloadEventIndicate is taken as a wrong link. No switch.",
	})

	ConflictInvalidStateRequestTiming = DefineConflict(Conflict{
		ID:      "CONFLICT-EVT-03",
		Pages:   []string{dpPgEventIndicate, dpPgInvalidHandling},
		Summary: "The reason table ties InvalidState to the target having attempted to send on a connection that depends on an invalidated object; the invalidated-objects page has it ask for the terminate of every affected connection as soon as the invalidate arrives (INV-023), whether or not it had anything to send.",
		Reading: "Either moment is accepted: an InvalidState request at the invalidate or when the target first has data to send on an affected connection. No switch.",
	})
)

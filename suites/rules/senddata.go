// Rules of outstanding send data: the NET_BUFFER_LIST chain handed over at initiate and back at terminate, SendDataHead/SendDataTail and SndUna/SndNxt/SndMax, and NdisTcpOffloadSendComplete.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	sendPgOffload       = "concepts/handling-outstanding-send-data-during-and-after-an-offload-operation.md"
	sendPgTerminate     = "concepts/handling-outstanding-send-data-during-a-terminate-offload-operation.md"
	sendPgMapping       = "concepts/mapping-snduna--sndnxt--and-sndmax-to-the-mdls.md"
	sendPgRetrans       = "concepts/send-data-that-contains-data-to-be-retransmitted.md"
	sendPgNoRetrans     = "concepts/send-data-that-does-not-contain-data-to-be-retransmitted.md"
	sendPgCompleting    = "concepts/completing-the-transmission-of-send-data.md"
	sendPgSendComplete  = "ddi/nc-ndischimney-ndis_tcp_offload_send_complete.md"
	sendPgBlockList     = "ddi/ns-ndischimney-_ndis_miniport_offload_block_list.md"
	sendPgDelegated     = "ddi/ns-ndischimney-_tcp_offload_state_delegated.md"
	sendPgTerminateDDI  = "ddi/nf-ndischimney-ndismterminateoffloadcomplete.md"
	sendPgPartial       = "concepts/partial-offloads-and-offload-failures.md"
	sendPgSendHandler   = "ddi/nc-ndischimney-w_tcp_offload_send_handler.md"
	sendPgSendsDuringTO = "concepts/handling-send-requests-during-a-terminate-offload-operation.md"
	sendPgResourceTO    = "concepts/terminating-the-offload-of-a-connection-because-of-resource-constraint.md"
	sendPgPause         = "concepts/ndis-status-offload-pause.md"
	sendPgNumericValues = "NUMERIC-VALUES.md"
)

// SEND, handing over at initiate: which block carries the chain, its shape, SendDataHead/SendDataTail, SndUna/SndNxt/SndMax.
var (
	// OutstandingSendDataAtOffload: what "outstanding send data" is when a connection is offloaded.
	OutstandingSendDataAtOffload = Define(Rule{
		ID:            "SEND-001",
		Level:         Definition,
		Text:          "Outstanding send data at offload is the data the host stack already sent that the peer has not acknowledged, plus data the host stack has not sent yet.",
		Sources:       []string{sendPgOffload},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Definition; the suite decides what data it puts in the chain from it.",
	})

	// OutstandingSendDataOnTCPBlock: the chain rides on the connection's TCP block.
	OutstandingSendDataOnTCPBlock = Define(Rule{
		ID:            "SEND-002",
		Level:         Must,
		Text:          "The host passes a connection's outstanding send data at initiate in NetBufferListChain of the TCP block whose state includes that connection's TCP_OFFLOAD_STATE_DELEGATED.",
		Sources:       []string{sendPgOffload, sendPgMapping, sendPgDelegated},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-01",
		Note:          "Binds the host; the suite builds initiate trees this way.",
	})

	// SendDataChainShape: what a non-NULL NetBufferListChain points to.
	SendDataChainShape = Define(Rule{
		ID:            "SEND-003",
		Level:         Definition,
		Text:          "A non-NULL NetBufferListChain points to one NET_BUFFER_LIST or the head of a Next-linked list; each list describes exactly one NET_BUFFER whose MDL chain holds send data.",
		Sources:       []string{sendPgOffload, sendPgBlockList, sendPgMapping},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Definition of the host's input; the suite builds chains of single-NET_BUFFER lists. The target's side, leaving NetBufferListChain as set outside the connections it terminates, is RSV-017.",
	})

	// SendDataHeadTailAtInitiate: the host's SendDataHead/SendDataTail at initiate.
	SendDataHeadTailAtInitiate = Define(Rule{
		ID:            "SEND-004",
		Level:         Definition,
		Text:          "SendDataHead names the first list of the chain that carries send data (the same list NetBufferListChain points to); SendDataTail names the last list of the chain that carries send data.",
		Sources:       []string{sendPgOffload, sendPgMapping, sendPgDelegated},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "The host sets both at initiate; SEND-013 is the target's counterpart at terminate.",
	})

	// SendDataMayBeSentFromHostBuffers: no copy needed.
	SendDataMayBeSentFromHostBuffers = Define(Rule{
		ID:            "SEND-005",
		Level:         May,
		Text:          "The target may transmit outstanding send data straight out of the host's buffers instead of copying it into buffers of its own.",
		Sources:       []string{sendPgOffload},
		Observability: Permission,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Permission about the target's buffering; nothing external distinguishes the two.",
	})

	// SendSequenceVariablesDescribeChain: SndUna/SndNxt/SndMax in relation to the chain.
	SendSequenceVariablesDescribeChain = Define(Rule{
		ID:            "SEND-006",
		Level:         Definition,
		Text:          "With send data, the host's SndUna is the first unacknowledged byte, SndNxt the next byte to send and SndMax one past the highest byte sent, so SndUna <= SndNxt <= SndMax in sequence space.",
		Sources:       []string{sendPgOffload, sendPgRetrans, sendPgNoRetrans, sendPgMapping, sendPgDelegated},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-02",
		Note:          "The host writes these with the chain; the generic field definitions are another file's. SndMax is read as exclusive (see the conflict).",
	})
)

// SEND, handing back at terminate.
var (
	// SendDataTerminateCompleteOrHandBack: two ways to dispose of outstanding send data at terminate.
	SendDataTerminateCompleteOrHandBack = Define(Rule{
		ID:            "SEND-007",
		Level:         May,
		Text:          "At terminate the target may send-complete outstanding send NBLs with NdisTcpOffloadSendComplete before completing, hand them back in the terminate tree, or do some of each.",
		Sources:       []string{sendPgTerminate, sendPgBlockList, sendPgTerminateDDI},
		Observability: Permission,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Permission (a MAY): no target can break it. The ledger accepts either route per NBL; what a target must do with each NBL is SEND-008, SEND-009 and SEND-020. Outstanding data here is data the target sent but saw no ACK for, plus data it has not sent.",
	})

	// SendDataNoneLeftAtTerminateCompletion: nothing stays with the target after terminate.
	SendDataNoneLeftAtTerminateCompletion = Define(Rule{
		ID:            "SEND-008",
		Level:         Must,
		Text:          "By the time it calls NdisMTerminateOffloadComplete, the target has send-completed or put in the returned chain every send NBL of the connection it still held; none is completed later.",
		Sources:       []string{sendPgTerminate, sendPgTerminateDDI},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-04",
		Note:          "From 'complete outstanding MiniportTcpOffloadSend calls before completing' plus 'pass outstanding data in the chain'. The suite applies it whatever the TCP block's terminate Status.",
	})

	// SendDataEachNBLReturnedOnce: the ledger: exactly one way back per NBL.
	SendDataEachNBLReturnedOnce = Define(Rule{
		ID:            "SEND-009",
		Level:         MustNot,
		Text:          "The target never returns a send NBL twice: not through two NdisTcpOffloadSendComplete calls, not twice in a returned chain, and not both send-completed and handed back at terminate.",
		Sources:       []string{sendPgTerminate, sendPgCompleting, sendPgSendComplete},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "Follows from ownership passing back to the host at the first return; the pages offer the two routes as alternatives for each piece of data.",
	})

	// SendDataHandBackHostNBLs: the chain handed back is made of the host's own NBLs.
	SendDataHandBackHostNBLs = Define(Rule{
		ID:            "SEND-010",
		Level:         Must,
		Text:          "The target hands back outstanding send data at terminate as the NET_BUFFER_LISTs the host gave it, chained together, not as copies or lists of its own.",
		Sources:       []string{sendPgTerminate, sendPgTerminateDDI},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-06",
	})

	// SendDataHandBackOriginalOrder: original order in the returned chain.
	SendDataHandBackOriginalOrder = Define(Rule{
		ID:            "SEND-011",
		Level:         Must,
		Text:          "The target links the NBLs it hands back at terminate in the same order as they were handed to it.",
		Sources:       []string{sendPgTerminate},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-04",
		Note:          "Initiate-chain NBLs come first, in chain order, then NBLs of later MiniportTcpOffloadSend calls in posting order (the latter need the data path).",
	})

	// SendDataHandBackOnConnectionBlock: where the returned chain goes.
	SendDataHandBackOnConnectionBlock = Define(Rule{
		ID:            "SEND-012",
		Level:         Must,
		Text:          "When handing back send data, the target points NetBufferListChain of that connection's TCP block in the terminate tree at the first NBL of the returned list.",
		Sources:       []string{sendPgTerminate, sendPgTerminateDDI, sendPgBlockList},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "An NBL of connection A returned on the block of connection B, or on a path or neighbor block, breaks it.",
	})

	// SendDataHandBackHeadTail: SendDataHead/SendDataTail written at terminate.
	SendDataHandBackHeadTail = Define(Rule{
		ID:            "SEND-013",
		Level:         Must,
		Text:          "When handing back send data, the target sets SendDataHead to the list NetBufferListChain points to and SendDataTail to the last list of that chain that carries data.",
		Sources:       []string{sendPgTerminate, sendPgMapping, sendPgDelegated, statePgTCPDelegated, statePgObjects},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
	})
)

// SEND, mapping sequence numbers onto the chain.
var (
	// SendSequenceMappingOntoMDLs: how a sequence number locates a byte in the chain.
	SendSequenceMappingOntoMDLs = Define(Rule{
		ID:            "SEND-014",
		Level:         Definition,
		Text:          "SndUna is the first byte of used data of the chain's first NET_BUFFER (CurrentMdl at its current offset); sequence number S lies S-SndUna bytes further along the MDLs, list after list.",
		Sources:       []string{sendPgMapping},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-02",
		Note:          "The host builds chains so that SndNxt and SndMax fall within or at the end of the data; how the target walks the MDLs is its own business.",
	})

	// SendDataHandBackSequenceMapping: the same mapping on the chain handed back.
	SendDataHandBackSequenceMapping = Define(Rule{
		ID:            "SEND-015",
		Level:         Must,
		Text:          "At terminate, the SndUna, SndNxt and SndMax returned with a handed-back chain locate its bytes as at initiate: SndUna at its first data byte, SndNxt and SndMax within or at the end of its data.",
		Sources:       []string{sendPgMapping, sendPgTerminateDDI, sendPgTerminate},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-08",
		Note:          "The pages describe the mapping for the offload direction only; the suite applies it to the chain handed back (switchable).",
	})
)

// SEND, what the target does with the data after a successful offload.
var (
	// SendDataProcessAcksAndRetransmit: SndUna..SndNxt.
	SendDataProcessAcksAndRetransmit = Define(Rule{
		ID:            "SEND-016",
		Level:         Must,
		Text:          "After offload the target processes acknowledgments for the bytes from SndUna up to SndNxt, which the host sent unacknowledged, and retransmits them later if needed.",
		Sources:       []string{sendPgRetrans, sendPgNoRetrans},
		Observability: NeedsWire,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Acknowledgments and retransmissions are segments on the wire.",
	})

	// SendDataRetransmitRangeFirst: SndNxt..SndMax goes out first.
	SendDataRetransmitRangeFirst = Define(Rule{
		ID:            "SEND-017",
		Level:         Must,
		Text:          "After offload the target sends the bytes from SndNxt up to SndMax (data that may need retransmitting) next, before any other data of the connection.",
		Sources:       []string{sendPgRetrans},
		Observability: NeedsWire,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-03",
		Note:          "Order of segments on the wire.",
	})

	// SendDataUnsentBeforeOtherData: data past SndMax.
	SendDataUnsentBeforeOtherData = Define(Rule{
		ID:            "SEND-018",
		Level:         Must,
		Text:          "The target sends the chain's unsent bytes (from SndMax on) after the SndNxt-to-SndMax bytes and before any other data, such as data of later MiniportTcpOffloadSend calls.",
		Sources:       []string{sendPgRetrans, sendPgNoRetrans},
		Observability: NeedsWire,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Order of segments on the wire.",
	})

	// SendDataNoRetransmitSndNxtEqualsSndMax: no data to retransmit.
	SendDataNoRetransmitSndNxtEqualsSndMax = Define(Rule{
		ID:            "SEND-019",
		Level:         Definition,
		Text:          "When the handed-over data holds nothing to retransmit, the host's SndNxt equals SndMax and everything from SndNxt on is unsent data.",
		Sources:       []string{sendPgNoRetrans},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Describes the host's input; the suite builds both shapes.",
	})

	// SendDataReturnedAfterSuccessfulOffload: the data comes back eventually.
	SendDataReturnedAfterSuccessfulOffload = Define(Rule{
		ID:            "SEND-020",
		Level:         Must,
		Text:          "After a successful offload the target returns every NBL of the initiate chain with one or more NdisTcpOffloadSendComplete calls, unless it hands it back at terminate (SEND-007).",
		Sources:       []string{sendPgCompleting, sendPgBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate, OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-05",
		Note:          "The completing page names the host stack as the caller; the suite reads it as the target. Checked by the ledger at terminate completion.",
	})
)

// SEND, NdisTcpOffloadSendComplete.
var (
	// SendCompleteOnlyOwnedNBLs: only NBLs the host handed over.
	SendCompleteOnlyOwnedNBLs = Define(Rule{
		ID:            "SEND-021",
		Level:         Must,
		Text:          "The target passes to NdisTcpOffloadSendComplete only NET_BUFFER_LISTs the host gave it to send on an offloaded connection and that it has not yet returned.",
		Sources:       []string{sendPgSendComplete},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-04",
		Note:          "The page names MiniportTcpOffloadSend; the suite counts the chain of a successful initiate as handed over too.",
	})

	// SendCompleteNonNullList: the NetBufferList argument is a list.
	SendCompleteNonNullList = Define(Rule{
		ID:            "SEND-047",
		Level:         Must,
		Text:          "The target passes NdisTcpOffloadSendComplete a NetBufferList that points to a NET_BUFFER_LIST, stand-alone or the first of a linked list, never NULL: a call completes one or more send requests.",
		Sources:       []string{sendPgSendComplete},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "The page describes the parameter as a pointer to a NET_BUFFER_LIST structure the target obtained from MiniportTcpOffloadSend and the call as completing one or more send requests; a connection with nothing to complete calls it not at all. Judged over every send completion of a session.",
	})

	// SendCompleteOwnMiniportHandle: the handle argument.
	SendCompleteOwnMiniportHandle = Define(Rule{
		ID:            "SEND-022",
		Level:         Must,
		Text:          "The target calls NdisTcpOffloadSendComplete with the NdisMiniportHandle it obtained from NdisMRegisterMiniportDriver.",
		Sources:       []string{sendPgSendComplete},
		Observability: Internal,
		Note:          "The Go contract binds the callback to the Host given at Open and carries no handle, so there is nothing to get wrong or to check.",
	})

	// SendCompleteMayBatch: one call, many requests.
	SendCompleteMayBatch = Define(Rule{
		ID:            "SEND-023",
		Level:         May,
		Text:          "The target may link NBLs from several send requests into one list and complete them with a single NdisTcpOffloadSendComplete call.",
		Sources:       []string{sendPgSendComplete},
		Observability: Permission,
		Note:          "Permission (a MAY): no target can break it. The ledger walks every list passed to the callback through Next, so a batched completion counts each NBL once.",
	})

	// SendCompleteWritesStatus: Status written for each NBL.
	SendCompleteWritesStatus = Define(Rule{
		ID:            "SEND-024",
		Level:         Must,
		Text:          "Before passing an NBL to NdisTcpOffloadSendComplete, the target writes a completion status into that NBL's Status member.",
		Sources:       []string{sendPgSendComplete},
		Observability: Observable,
		Layers:        []string{LayerTCP},
	})

	// SendCompleteSuccessMeansAcked: SUCCESS = sent and acknowledged.
	SendCompleteSuccessMeansAcked = Define(Rule{
		ID:            "SEND-025",
		Level:         Must,
		Text:          "The target completes an NBL with NDIS_STATUS_SUCCESS only when it has sent all the NBL's data and the peer has acknowledged all of it.",
		Sources:       []string{sendPgSendComplete},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Note:          "Unlike MiniportSendNetBufferLists, which ignores ACKs. Visible through SndUna returned by a later query or terminate, which must lie at or past the end of every NBL completed with SUCCESS.",
	})

	// SendCompleteFailureMeaning: what a non-SUCCESS status tells the host.
	SendCompleteFailureMeaning = Define(Rule{
		ID:            "SEND-026",
		Level:         Definition,
		Text:          "A send completion status other than NDIS_STATUS_SUCCESS means the NBL's data was not acknowledged in full; the target may or may not have sent some of it.",
		Sources:       []string{sendPgSendComplete},
		Observability: HostObligation,
		Layers:        []string{LayerTCP},
		Note:          "Tells the host how to read a failed completion; the set of failure statuses is open ('for example').",
	})

	// SendCompleteFailRestOfList: after a failure, fail what follows.
	SendCompleteFailRestOfList = Define(Rule{
		ID:            "SEND-027",
		Level:         Should,
		Text:          "Once the target completes an NBL with a status other than NDIS_STATUS_SUCCESS, it completes every later NBL of that list with a failure status too.",
		Sources:       []string{sendPgSendComplete},
		Observability: Observable,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-11",
		Note:          "'Later' is taken in the order the NBLs were handed to the target (switchable to the order within one completion call). NBLs handed back at terminate are not completions.",
	})

	// SendCompleteNoMoreDataAfterFailure: stop sending for failed NBLs.
	SendCompleteNoMoreDataAfterFailure = Define(Rule{
		ID:            "SEND-028",
		Level:         Should,
		Text:          "Once a send NBL fails, the target sends no more data of the NBLs after it that it fails along with it.",
		Sources:       []string{sendPgSendComplete},
		Observability: NeedsWire,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-11",
		Note:          "Only segments on the wire show what was sent.",
	})

	// SendCompleteUploadInProgress: condition of NDIS_STATUS_UPLOAD_IN_PROGRESS.
	SendCompleteUploadInProgress = Define(Rule{
		ID:            "SEND-029",
		Level:         Must,
		Text:          "When it completes unacknowledged send NBLs because the connection's offload is being terminated, the target writes NDIS_STATUS_UPLOAD_IN_PROGRESS (a corrupt-hardware recovery excepted), and uses that status for no other reason.",
		Sources:       []string{sendPgSendComplete, sendPgSendsDuringTO},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-13",
		Note:          "'Being terminated' includes the target preparing an upload it has yet to request, which only its upload-request indication shows.",
	})

	// SendCompleteRequestAborted: condition of NDIS_STATUS_REQUEST_ABORTED.
	SendCompleteRequestAborted = Define(Rule{
		ID:            "SEND-030",
		Level:         Must,
		Text:          "The target completes send NBLs with NDIS_STATUS_REQUEST_ABORTED after it received an RST on the connection; apart from that, only the corrupt-hardware recovery at terminate uses it.",
		Sources:       []string{sendPgSendComplete, sendPgNumericValues},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-13",
		Note:          "The RST shows only on the wire or through the abortive-disconnect event indication.",
	})

	// SendCompleteHostHandlesFailedData: what the host does with failed data.
	SendCompleteHostHandlesFailedData = Define(Rule{
		ID:            "SEND-031",
		Level:         Definition,
		Text:          "The host queues and processes itself the data of NBLs completed with NDIS_STATUS_UPLOAD_IN_PROGRESS, and drops the data of NBLs completed with NDIS_STATUS_REQUEST_ABORTED.",
		Sources:       []string{sendPgSendComplete},
		Observability: HostObligation,
		Layers:        []string{LayerTCP},
		Note:          "Host behaviour; the suite's ledger records such NBLs as returned.",
	})

	// SendCompleteAtMostOnePartial: one partial NBL at most.
	SendCompleteAtMostOnePartial = Define(Rule{
		ID:            "SEND-032",
		Level:         Should,
		Text:          "The target completes at most one NBL of a list as a partial send (some but not all of its data sent).",
		Sources:       []string{sendPgSendComplete},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-11",
		Note:          "Needs TcpOffloadBytesTransferred and the data-start advance, which the NET_BUFFER_LIST model does not carry yet.",
	})

	// SendCompletePartialNotSuccess: a partial NBL fails.
	SendCompletePartialNotSuccess = Define(Rule{
		ID:            "SEND-033",
		Level:         Must,
		Text:          "The target gives a partially sent NBL a status other than NDIS_STATUS_SUCCESS, such as NDIS_STATUS_UPLOAD_IN_PROGRESS or an aborted status.",
		Sources:       []string{sendPgSendComplete},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-10",
		Note:          "Telling a partial send apart needs TcpOffloadBytesTransferred; SEND-025 already catches SUCCESS on unacknowledged data.",
	})

	// SendCompleteIMUploadStatuses: an intermediate driver short of memory.
	SendCompleteIMUploadStatuses = Define(Rule{
		ID:            "SEND-034",
		Level:         Must,
		Text:          "An intermediate driver that cannot allocate memory to pass a send down completes it with NDIS_STATUS_REQUEST_UPLOAD on the first NBL and NDIS_STATUS_UPLOAD_REQUESTED on the rest; the host then sends.",
		Sources:       []string{sendPgSendComplete},
		Observability: HostObligation,
		Layers:        []string{LayerTCP},
		Note:          "Binds intermediate drivers, not the offload target under test.",
	})

	// SendCompleteIMNoPropagate: the IM driver keeps such NBLs.
	SendCompleteIMNoPropagate = Define(Rule{
		ID:            "SEND-035",
		Level:         MustNot,
		Text:          "An intermediate driver that fails a send for lack of memory does not pass those NBLs on to the underlying offload target.",
		Sources:       []string{sendPgSendComplete},
		Observability: HostObligation,
		Layers:        []string{LayerTCP},
		Note:          "Binds intermediate drivers.",
	})

	// SendCompleteBytesTransferred: TcpOffloadBytesTransferred.
	SendCompleteBytesTransferred = Define(Rule{
		ID:            "SEND-036",
		Level:         Must,
		Text:          "Before completing an NBL, the target records the number of data bytes it sent in the NBL's TcpOffloadBytesTransferred information (NET_BUFFER_LIST_INFO).",
		Sources:       []string{sendPgSendComplete},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-12",
		Note:          "The NET_BUFFER_LIST model has no per-list info; the data-path issue must add it.",
	})

	// SendCompleteAdvanceDataStart: NdisAdvanceNetBufferDataStart.
	SendCompleteAdvanceDataStart = Define(Rule{
		ID:            "SEND-037",
		Level:         Must,
		Text:          "Before completing an NBL, the target calls NdisAdvanceNetBufferDataStart on each of its NET_BUFFERs by the bytes sent and acknowledged, with FreeMdl NULL.",
		Sources:       []string{sendPgSendComplete},
		Observability: NeedsDataPath,
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-12",
		Note:          "The NET_BUFFER model has no data offset or advance; the data-path issue must say how the advance shows.",
	})
)

// SEND, the NetBufferListChain member.
var (
	// NetBufferListChainNullIgnorable: NULL from the host.
	NetBufferListChainNullIgnorable = Define(Rule{
		ID:            "SEND-038",
		Level:         May,
		Text:          "When the host passes a NULL NetBufferListChain, the member carries nothing and the target may ignore it.",
		Sources:       []string{sendPgBlockList},
		Observability: Permission,
		Note:          "Permission; nothing external shows whether the target looked at a NULL member.",
	})

	// NetBufferListChainLockedNotMapped: residency of the host's buffers.
	NetBufferListChainLockedNotMapped = Define(Rule{
		ID:            "SEND-039",
		Level:         Definition,
		Text:          "The NBLs, NET_BUFFERs and MDLs of a chain the host passes are locked in physical memory but not mapped into system address space.",
		Sources:       []string{sendPgBlockList},
		Observability: Internal,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Memory management inside the target (it maps them if it needs CPU access).",
	})

	// NetBufferListChainOnlySendData: one kind of data.
	NetBufferListChainOnlySendData = Define(Rule{
		ID:            "SEND-040",
		Level:         Definition,
		Text:          "For now the only data a host puts in NetBufferListChain is outstanding send data of the connection.",
		Sources:       []string{sendPgBlockList},
		Observability: HostObligation,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Describes the host's input.",
	})

	// TerminateNetBufferListChainNullWithoutSendData: NULL when nothing is handed back.
	TerminateNetBufferListChainNullWithoutSendData = Define(Rule{
		ID:            "SEND-041",
		Level:         Must,
		Text:          "In the terminate completion, the target sets NetBufferListChain to NULL on a connection's block when it hands back no send data for it, in particular when it has none outstanding.",
		Sources:       []string{sendPgBlockList, sendPgTerminateDDI},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
	})
)

// SEND, SendDataHead/SendDataTail in TCP_OFFLOAD_STATE_DELEGATED.
var (
	// SendDataHeadTailIgnoredWithNullChain: not significant with a NULL chain.
	SendDataHeadTailIgnoredWithNullChain = Define(Rule{
		ID:            "SEND-042",
		Level:         Definition,
		Text:          "SendDataHead and SendDataTail mean nothing when NetBufferListChain of the preceding block is NULL.",
		Sources:       []string{sendPgDelegated},
		Observability: HostObligation,
		Ops:           []string{OpInitiate, OpTerminate},
		Layers:        []string{LayerTCP},
		Note:          "The suite sets no expectation on them then, at initiate or at terminate.",
	})
)

// SEND, the terminate completion and failed initiates.
var (
	// TerminateHandBackWritesSendSequence: SndUna/SndNxt/SndMax with the returned data.
	TerminateHandBackWritesSendSequence = Define(Rule{
		ID:            "SEND-044",
		Level:         Must,
		Text:          "When handing back send data at terminate, the target writes the connection's current SndUna, SndNxt and SndMax into the TCP delegated state it returns.",
		Sources:       []string{sendPgTerminateDDI},
		Observability: Observable,
		Ops:           []string{OpTerminate},
		Layers:        []string{LayerTCP},
		Conflict:      "CONFLICT-SEND-07",
		Note:          "The page says 'non-NULL' of sequence numbers; the suite reads it as 'written' and accepts zero.",
	})

	// FailedInitiateLeavesNBLStatus: hands off the NBLs' Status.
	FailedInitiateLeavesNBLStatus = Define(Rule{
		ID:            "SEND-045",
		Level:         MustNot,
		Text:          "When the target fails to offload a TCP block, it does not change the Status member of any NBL in that block's NetBufferListChain.",
		Sources:       []string{sendPgPartial, pgInitPartial, pgInitBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
		Note:          "Failed means the block's Status is not NDIS_STATUS_SUCCESS, including a TCP block never attempted because its path failed.",
	})

	// FailedInitiateNoSendComplete: the host keeps the data of a failed offload.
	FailedInitiateNoSendComplete = Define(Rule{
		ID:            "SEND-046",
		Level:         MustNot,
		Text:          "When the target fails to offload a TCP block, it never passes the NBLs of that block's NetBufferListChain to NdisTcpOffloadSendComplete.",
		Sources:       []string{sendPgPartial, pgInitPartial, pgInitBlockList},
		Observability: Observable,
		Ops:           []string{OpInitiate},
		Layers:        []string{LayerTCP},
	})
)

// Conflicts between pages about outstanding send data.
var (
	ConflictSendDataBlockPrecedesDelegated = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-01",
		Pages:   []string{sendPgOffload, sendPgMapping, sendPgDelegated, sendPgBlockList},
		Summary: "The send-data pages say the chain is in the block list that 'immediately precedes' the TCP delegated state (and that the delegated state 'immediately follows' that block); the block list page says a TcpOffloadState block is followed by the const, then cached, then delegated structure, so the delegated state does not directly follow it.",
		Reading: "The chain belongs to the TCP-layer block whose state includes the connection's TCP_OFFLOAD_STATE_DELEGATED, whether the block's Type is TcpOffloadState or TcpOffloadDelegatedState.",
	})

	ConflictSendDataSndMaxBoundary = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-02",
		Pages:   []string{sendPgOffload, sendPgDelegated, sendPgNoRetrans, sendPgRetrans, sendPgMapping},
		Summary: "SndMax is defined as 'the maximum sequence number that has been sent' (an inclusive bound), yet with nothing to retransmit SndNxt (the next, unsent byte) equals SndMax, and the mapping example (SndMax-SndUna = 1600 over 1600 bytes of data) puts SndMax one past the last byte.",
		Reading: "Half-open ranges: [SndUna,SndNxt) sent and unacknowledged, [SndNxt,SndMax) to be sent again first, SndMax onwards unsent; SndMax may equal SndUna plus the chain's data length.",
	})

	ConflictSendDataFigureWording = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-03",
		Pages:   []string{sendPgRetrans, sendPgNoRetrans},
		Summary: "The figures label the SndNxt..SndMax data as what the target 'should send next' and label all of SndUna..SndMax as sent by the host and unacknowledged; the text says the target 'must' send it next and calls only SndUna..SndNxt the sent-unacknowledged part.",
		Reading: "The text governs: MUST for sending SndNxt..SndMax first. Both rules are wire rules, untested today.",
	})

	ConflictSendDataInitiateChainAsSends = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-04",
		Pages:   []string{sendPgTerminate, sendPgSendComplete, sendPgBlockList, sendPgCompleting, sendPgTerminateDDI},
		Summary: "The terminate send-data page and the send completion page speak only of NBLs passed to MiniportTcpOffloadSend; the block list page says data passed in NetBufferListChain at initiate is completed through NdisTcpOffloadXxxComplete, and the completing page says all send data is completed with NdisTcpOffloadSendComplete. None says whether initiate-chain NBLs may be handed back at terminate.",
		Reading: "NBLs of a successful initiate's chain count as send requests posted ahead of any MiniportTcpOffloadSend call: the target send-completes them or hands them back at terminate, first in the returned chain, in chain order.",
		Switch:  "initiateSendDataOnlySendCompleted",
	})

	ConflictSendDataCompleterNamedHost = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-05",
		Pages:   []string{sendPgCompleting, sendPgSendComplete, sendPgTerminate, sendPgTerminateDDI},
		Summary: "The completing page says the host stack must complete all the send data with NdisTcpOffloadSendComplete; that function is called by the offload target, and the terminate pages let the target hand outstanding data back instead of completing it.",
		Reading: "The completing page binds the target; each NBL returns exactly once, either through NdisTcpOffloadSendComplete or in the terminate tree.",
	})

	ConflictSendDataPackagedOrOriginal = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-06",
		Pages:   []string{sendPgTerminateDDI, sendPgTerminate},
		Summary: "The NdisMTerminateOffloadComplete page says the target 'packages' outstanding send data in net buffers and passes them in a list; the terminate send-data page says it chains together the very NBLs the host passed, in their original order.",
		Reading: "The returned chain consists of the host's own NBLs; an NBL the host never handed over is a failure.",
	})

	ConflictSendDataNonNullSequence = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-07",
		Pages:   []string{sendPgTerminateDDI, sendPgDelegated},
		Summary: "The NdisMTerminateOffloadComplete page requires 'non-NULL values' for SndUna, SndNxt and SndMax when send data is handed back; these are ULONG sequence numbers, for which NULL has no meaning and zero is valid.",
		Reading: "The target must write current values; zero is accepted. The suite checks them against the returned chain (SEND-015), not against zero.",
	})

	ConflictSendDataMappingAtTerminate = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-08",
		Pages:   []string{sendPgMapping, sendPgTerminateDDI, sendPgTerminate},
		Summary: "The mapping of SndUna/SndNxt/SndMax onto the MDLs is described only for the chain the host hands over; the terminate pages require SendDataHead/SendDataTail and the three sequence numbers with a handed-back chain but do not say how they map onto it.",
		Reading: "The same mapping applies: returned SndUna is the sequence number of the first used byte of the returned chain, SndNxt and SndMax lie within or at the end of its data.",
		Switch:  "terminateSndUnaAnywhereInChain",
	})

	ConflictSendDataUploadInProgressWhen = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-09",
		Pages:   []string{sendPgSendComplete, sendPgSendsDuringTO, sendPgResourceTO, sendPgPause},
		Summary: "The send completion page ties NDIS_STATUS_UPLOAD_IN_PROGRESS to the connection's offload 'being terminated'; other pages have the target use it while it prepares an upload it has not yet requested (resource shortage, upload-all while paused), before any terminate call.",
		Reading: "UPLOAD_IN_PROGRESS is allowed from the moment the target prepares to upload the connection until its terminate completes; only an upload indication shows the start, so the rule waits for the data path.",
	})

	ConflictSendDataAbortedName = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-10",
		Pages:   []string{sendPgSendComplete, sendPgNumericValues},
		Summary: "The send completion page names NDIS_STATUS_REQUEST_ABORTED for an RST, but in the partial-send sentence gives NDIS_STATUS_ABORTED, which no header defines.",
		Reading: "NDIS_STATUS_ABORTED means NDIS_STATUS_REQUEST_ABORTED (0xC001000C). Failure statuses are examples, so the suite does not restrict a failed NBL to a closed list.",
	})

	ConflictSendDataListScope = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-11",
		Pages:   []string{sendPgSendComplete, sendPgSendHandler},
		Summary: "The send completion page says to fail 'all subsequent' NBLs and complete at most one partial NBL 'in the linked list' without saying whether that is the list passed to one NdisTcpOffloadSendComplete call (which may mix requests) or the connection's NBLs in the order they were posted.",
		Reading: "The connection's NBLs in posted order (initiate chain first): after an NBL fails, every later one that is send-completed fails too, in whatever call. The other reading checks only positions within one completion call.",
		Switch:  "failRestWithinOneCompletion",
	})

	ConflictSendDataBytesSentOrAcked = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-12",
		Pages:   []string{sendPgSendComplete},
		Summary: "The same page asks for TcpOffloadBytesTransferred to be the number of data bytes sent, and for the NdisAdvanceNetBufferDataStart delta to be the bytes sent and acknowledged; for a partial send these differ.",
		Reading: "When the data path is tested, the suite accepts TcpOffloadBytesTransferred between the advance delta and the NBL's length, and requires both to equal the length for NDIS_STATUS_SUCCESS.",
	})

	ConflictAbortedSendsInRecovery = DefineConflict(Conflict{
		ID:      "CONFLICT-SEND-13",
		Pages:   []string{sendPgSendComplete, "concepts/returning-the-completion-status-of-a-query-offload-operation.md", "concepts/returning-the-completion-status-of-an-invalidate-operation.md", "concepts/returning-the-completion-status-of-a-terminate-offload-operation.md"},
		Summary: "The send-complete page ties NDIS_STATUS_UPLOAD_IN_PROGRESS to a connection being terminated and NDIS_STATUS_REQUEST_ABORTED to a received RST; the query, invalidate and terminate status pages have the target complete outstanding sends with REQUEST_ABORTED at the terminate that follows corrupt hardware state, where no RST was received.",
		Reading: "The recovery case is the exception to both statements: REQUEST_ABORTED at that terminate, UPLOAD_IN_PROGRESS (or hand-back) at any other terminate. No switch; data-path rules.",
	})
)

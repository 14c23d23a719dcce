// Rules common to every data-path call of an offloaded TCP connection: how a target registers
// MiniportTcpOffloadSend/Receive/Disconnect/Forward/ReceiveReturn and obtains the NDIS functions
// it calls back, what every data-path handler is given, IRQL, handles, and how intermediate
// drivers pass data-path requests on. The calls themselves are send.go, receive.go,
// disconnect.go and forward.go; events are events.go.
package rules

// Page paths used by the data-path files (datapath.go, send.go, receive.go, disconnect.go,
// forward.go, events.go, frames.go), relative to the documentation folder.
const (
	dpPgTCPCharacteristics = "ddi/ns-ndischimney-_ndis_provider_chimney_offload_tcp_characteristics.md"
	dpPgEventHandlers      = "ddi/ns-ndischimney-_ndis_tcp_offload_event_handlers.md"

	dpPgSendHandler      = "ddi/nc-ndischimney-w_tcp_offload_send_handler.md"
	dpPgSendComplete     = "ddi/nc-ndischimney-ndis_tcp_offload_send_complete.md"
	dpPgReceiveHandler   = "ddi/nc-ndischimney-w_tcp_offload_receive_handler.md"
	dpPgReceiveComplete  = "ddi/nc-ndischimney-ndis_tcp_offload_receive_complete.md"
	dpPgReceiveIndicate  = "ddi/nc-ndischimney-ndis_tcp_offload_receive_indicate.md"
	dpPgReceiveReturn    = "ddi/nc-ndischimney-w_tcp_offload_receive_return_handler.md"
	dpPgDisconnect       = "ddi/nc-ndischimney-w_tcp_offload_disconnect_handler.md"
	dpPgDisconnectDone   = "ddi/nc-ndischimney-ndis_tcp_offload_disconnect_complete.md"
	dpPgForwardHandler   = "ddi/nc-ndischimney-w_tcp_offload_forward_handler.md"
	dpPgForwardComplete  = "ddi/nc-ndischimney-ndis_tcp_offload_forward_complete.md"
	dpPgEventIndicate    = "ddi/nc-ndischimney-ndis_tcp_offload_event_indicate.md"
	dpPgNdisSend         = "ddi/nf-ndischimney-ndisoffloadtcpsend.md"
	dpPgNdisReceive      = "ddi/nf-ndischimney-ndisoffloadtcpreceive.md"
	dpPgNdisReceiveRet   = "ddi/nf-ndischimney-ndisoffloadtcpreceivereturn.md"
	dpPgNdisDisconnect   = "ddi/nf-ndischimney-ndisoffloadtcpdisconnect.md"
	dpPgNdisForward      = "ddi/nf-ndischimney-ndisoffloadtcpforward.md"
	dpPgClientDiscDone   = "ddi/nc-ndischimney-tcp_offload_disconnect_complete_handler.md"
	dpPgClientRecvInd    = "ddi/nc-ndischimney-tcp_offload_receive_indicate_handler.md"
	dpPgClientEvent      = "ddi/nc-ndischimney-tcp_offload_event_handler.md"
	dpPgPropagateIO      = "concepts/propagating-the-completion-of-an-i-o-operation.md"
	dpPgNeighborConst    = "ddi/ns-ndischimney-_neighbor_offload_state_const.md"
	dpPgPathConst        = "ddi/ns-ndischimney-_path_offload_state_const.md"
	dpPgPathCached       = "ddi/ns-ndischimney-_path_offload_state_cached.md"
	dpPgTCPConst         = "ddi/ns-ndischimney-_tcp_offload_state_const.md"
	dpPgTCPCached        = "ddi/ns-ndischimney-_tcp_offload_state_cached.md"
	dpPgNumericValues    = "NUMERIC-VALUES.md"
	dpPgSending          = "concepts/sending-data-from-an-offload-target.md"
	dpPgCompleting       = "concepts/completing-the-transmission-of-send-data.md"
	dpPgSendDataTerm     = "concepts/handling-outstanding-send-data-during-a-terminate-offload-operation.md"
	dpPgPosting          = "concepts/posting-and-completing-receive-requests.md"
	dpPgDelivery         = "concepts/delivery-algorithm.md"
	dpPgDelivering       = "concepts/delivering-received-data-from-an-offload-target.md"
	dpPgIndicating       = "concepts/indicating-received-data-from-an-offload-target.md"
	dpPgIndicationSize   = "concepts/using-the-specified-receive-indication-size.md"
	dpPgBufferPools      = "concepts/allocating-buffer-pools.md"
	dpPgPushTimer        = "concepts/push-timer.md"
	dpPgRespondDisc      = "concepts/responding-to-a-disconnect-request.md"
	dpPgRespondFinRst    = "concepts/responding-to-the-reception-of-a-fin-or-rst-segment.md"
	dpPgClosing          = "concepts/closing-an-offloaded-tcp-connection.md"
	dpPgForwarding       = "concepts/forwarding-data-to-an-offload-target.md"
	dpPgChimneyEvents    = "concepts/indicating-tcp-chimney-specific-events.md"
	dpPgByTarget         = "concepts/terminate-offload-requested-by-an-offload-target.md"
	dpPgFinWait2         = "concepts/fin-wait-2-timer.md"
	dpPgUrgentData       = "concepts/handling-the-reception-of-urgent-data.md"
	dpPgInvalidHandling  = "concepts/handling-invalidated-state-objects.md"
	dpPgOffloadEventInd  = "ddi/nf-ndischimney-ndismoffloadeventindicate.md"
	dpPgCorruptTerminate = "concepts/returning-the-completion-status-of-a-terminate-offload-operation.md"
	dpPgRFCs             = "concepts/required-and-suggested-tcp-ip-protocol-support.md"
	dpPgVLANProcessing   = "concepts/802-1q-and-802-1p-processing-on-an-offloaded-tcp-connection.md"
	dpPgVLANSupplied     = "concepts/802-1q-and-802-1p-information-supplied-to-an-offload-target.md"
	dpPgVLANSending      = "concepts/sending-802-1q-marked-and-802-1p-marked-packets-on-an-offloaded-tcp-co.md"
	dpPgVLANReceiving    = "concepts/receiving-802-1q-marked-and-802-1p-marked-packets-on-an-offloaded-tcp-.md"
	dpPgStateObjects     = "concepts/offload-state-objects.md"
)

// dataPathOps are the four data-path operations, for rules that concern them all.
var dataPathOps = []string{OpSend, OpReceive, OpDisconnect, OpForward}

// DPATH: registration and the NDIS entry points.
var (
	// DataPathHandlersRegistered: NdisSetOptionalHandlers with the TCP characteristics.
	DataPathHandlersRegistered = Define(Rule{
		ID:            "DPATH-001",
		Level:         Must,
		Text:          "The target registers MiniportTcpOffloadSend, Receive, Disconnect, Forward and ReceiveReturn by passing an NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS to NdisSetOptionalHandlers from its MiniportSetOptions.",
		Sources:       []string{dpPgTCPCharacteristics},
		Observability: Internal,
		Ops:           dataPathOps,
		Note:          "The page describes the registration in the present tense; read as a duty. The Go contract has no registration: a target declares the data path by implementing target.DataPath (role data-path), and the specs of a target without it skip with a reason.",
	})

	// DataPathOffloadTypeTCP: OffloadType of the TCP characteristics.
	DataPathOffloadTypeTCP = Define(Rule{
		ID:            "DPATH-002",
		Level:         Must,
		Text:          "The OffloadType the target sets in NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS is NdisTcpChimneyOffload, the only value allowed.",
		Sources:       []string{dpPgTCPCharacteristics, dpPgNumericValues},
		Observability: Internal,
		Note:          "NdisTcpChimneyOffload = 1 (NUMERIC-VALUES 3.5). The characteristics structure has no counterpart in the Go contract.",
	})

	// DataPathCharacteristicsHeader: header and Flags of the TCP characteristics.
	DataPathCharacteristicsHeader = Define(Rule{
		ID:            "DPATH-003",
		Level:         Definition,
		Text:          "The Header of NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS gives the structure's revision and its size in bytes including the header; its Type is not significant, and Flags is reserved for system use.",
		Sources:       []string{dpPgTCPCharacteristics, dpPgNumericValues},
		Observability: Internal,
		Note:          "No revision constant is published for the structure (NUMERIC-VALUES 5.3); its size is 0x20 (x86) / 0x38 (x64). Not modelled by the Go contract.",
	})

	// DataPathCopiesEventHandlers: the NDIS entry points are copied.
	DataPathCopiesEventHandlers = Define(Rule{
		ID:            "DPATH-004",
		Level:         Must,
		Text:          "The target copies the NDIS entry points it is given in NDIS_TCP_OFFLOAD_EVENT_HANDLERS into a data structure of its own.",
		Sources:       []string{dpPgEventHandlers},
		Observability: Internal,
		Note:          "Descriptive on the page, read as a duty. In the Go contract the Host given at Open carries these functions; how the target keeps them is its own business.",
	})

	// DataPathEventHandlersContent: what NDIS_TCP_OFFLOAD_EVENT_HANDLERS holds.
	DataPathEventHandlersContent = Define(Rule{
		ID:            "DPATH-005",
		Level:         Definition,
		Text:          "NDIS_TCP_OFFLOAD_EVENT_HANDLERS holds the six NDIS functions a target calls for offloaded connections: NdisTcpOffloadEventHandler, NdisTcpOffloadReceiveHandler and NdisTcpOffloadSend/Receive/Disconnect/ForwardComplete.",
		Sources:       []string{dpPgEventHandlers, dpPgNumericValues},
		Observability: HostObligation,
		Note:          "The harness's Host implements all six (SendCompleter, DataPathCompleter, ReceiveIndicator, EventIndicator).",
	})

	// DataPathHandlerArguments: what each data-path handler is given.
	DataPathHandlerArguments = Define(Rule{
		ID:            "DPATH-006",
		Level:         Definition,
		Text:          "NDIS calls MiniportTcpOffloadSend, Receive, Disconnect and Forward with the adapter's MiniportAdapterContext, a MiniportOffloadContext pointing to the PVOID the target issued when it offloaded the TCP connection, and the request's NetBufferList.",
		Sources:       []string{dpPgSendHandler, dpPgReceiveHandler, dpPgDisconnect, dpPgForwardHandler, dpPgNumericValues},
		Observability: HostObligation,
		Ops:           dataPathOps,
		Layers:        []string{LayerTCP},
		Note:          "The Go contract passes the PVOID itself (ndis.Context) and no adapter context. The suite names only connections it offloaded and has not terminated.",
	})

	// DataPathBuffersLockedNotMapped: residency of request buffers.
	DataPathBuffersLockedNotMapped = Define(Rule{
		ID:            "DPATH-007",
		Level:         Definition,
		Text:          "The NBLs, NET_BUFFERs and MDLs of send, receive and forward requests are locked in physical memory but not mapped into system address space.",
		Sources:       []string{dpPgSendHandler, dpPgReceiveHandler, dpPgForwardHandler, dpPgNdisSend, dpPgNdisReceive, dpPgNdisForward},
		Observability: Internal,
		Ops:           []string{OpSend, OpReceive, OpForward},
		Note:          "Memory management inside the target (it maps what it needs CPU access to). SEND-039 is the same for the chain handed over at initiate.",
	})

	// DataPathIRQL: IRQL of the handlers and of the NDIS functions.
	DataPathIRQL = Define(Rule{
		ID:            "DPATH-008",
		Level:         Definition,
		Text:          "The data-path handlers can be called at any IRQL, the target can call NdisTcpOffloadSend/Receive/ForwardComplete at any IRQL, and it calls NdisTcpOffloadReceiveHandler and NdisTcpOffloadEventHandler at DISPATCH_LEVEL.",
		Sources:       []string{dpPgSendHandler, dpPgReceiveHandler, dpPgReceiveReturn, dpPgDisconnect, dpPgForwardHandler, dpPgSendComplete, dpPgReceiveComplete, dpPgForwardComplete, dpPgReceiveIndicate, dpPgEventIndicate},
		Observability: Internal,
		Ops:           dataPathOps,
		Conflict:      "CONFLICT-DPATH-01",
		Note:          "From the pages' IRQL fields. IRQL has no counterpart in the Go contract.",
	})

	// DataPathCompletionMiniportHandle: the handle argument of the other completions.
	DataPathCompletionMiniportHandle = Define(Rule{
		ID:            "DPATH-009",
		Level:         Definition,
		Text:          "The target passes NdisTcpOffloadReceiveComplete, NdisTcpOffloadDisconnectComplete and NdisTcpOffloadForwardComplete, as NdisMiniportHandle, the handle it obtained from NdisMRegisterMiniportDriver.",
		Sources:       []string{dpPgReceiveComplete, dpPgDisconnectDone, dpPgForwardComplete},
		Observability: Internal,
		Ops:           []string{OpReceive, OpDisconnect, OpForward},
		Note:          "SEND-022 is the same for NdisTcpOffloadSendComplete. The Go callbacks are bound to the Host given at Open and carry no handle.",
	})

	// DataPathIndicationsNameTCPConnections: receive and event indications name a connection.
	DataPathIndicationsNameTCPConnections = Define(Rule{
		ID:            "DPATH-010",
		Level:         Must,
		Text:          "The target calls NdisTcpOffloadReceiveHandler and NdisTcpOffloadEventHandler only for TCP connections it has offloaded and not yet terminated, never with a neighbor's or a path's NdisOffloadHandle.",
		Sources:       []string{dpPgReceiveIndicate, dpPgEventIndicate},
		Observability: NeedsDataPath,
		Ops:           []string{OpReceive},
		Layers:        []string{LayerTCP},
		Note:          "Both pages describe NdisOffloadHandle as the handle identifying the offloaded TCP connection of the indication. That the handle is the one stored for that connection is CTX-013; that no path handle is ever used is CTX-015; that indications have returned by the terminate completion is TERM-019. 'Not yet terminated' is read from 'offloaded': after NdisMTerminateOffloadComplete the connection is the host's.",
	})
)

// DPATH: intermediate drivers and the NDIS functions protocols call.
var (
	// DataPathIMPropagation: an intermediate driver passes requests and completions on.
	DataPathIMPropagation = Define(Rule{
		ID:            "DPATH-011",
		Level:         Must,
		Text:          "An intermediate driver passes each data-path request down with NdisOffloadTcpSend, Receive, ReceiveReturn, Disconnect or Forward, giving its stored NdisOffloadHandle and the same NET_BUFFER_LIST pointer (and Flags), and each completion up with the same pointer.",
		Sources:       []string{dpPgNdisSend, dpPgNdisReceive, dpPgNdisReceiveRet, dpPgNdisDisconnect, dpPgNdisForward},
		Observability: HostObligation,
		Ops:           dataPathOps,
		Conflict:      "CONFLICT-DPATH-02",
		Note:          "Binds intermediate drivers, which the suite does not test; the client-side Protocol* pages repeat it. The pages describe it in the present tense.",
	})

	// DataPathNdisCallsPending: what callers of NdisOffloadTcpXxx see.
	DataPathNdisCallsPending = Define(Rule{
		ID:            "DPATH-012",
		Level:         Definition,
		Text:          "To their caller, NdisOffloadTcpSend, Receive, Disconnect and Forward always return NDIS_STATUS_PENDING and complete asynchronously; NdisOffloadTcpReceiveReturn always returns NDIS_STATUS_SUCCESS and completes synchronously.",
		Sources:       []string{dpPgNdisSend, dpPgNdisReceive, dpPgNdisDisconnect, dpPgNdisForward, dpPgNdisReceiveRet, dpPgPropagateIO},
		Observability: HostObligation,
		Ops:           dataPathOps,
		Conflict:      "CONFLICT-RECV-08",
		Note:          "The protocol side of the target's return values; the target's own duties are XMIT-001, RECV-002, DISC-002, FWD-004 and RECV-052.",
	})
)

// Conflicts common to the data path.
var (
	ConflictDataPathIRQL = DefineConflict(Conflict{
		ID:      "CONFLICT-DPATH-01",
		Pages:   []string{dpPgSendHandler, dpPgReceiveHandler, dpPgReceiveReturn, dpPgDisconnect, dpPgForwardHandler, dpPgSendComplete, dpPgReceiveComplete, dpPgForwardComplete, dpPgReceiveIndicate, dpPgEventIndicate, dpPgDisconnectDone},
		Summary: "The pages give 'Any level' for the five data-path handlers and for the send, receive and forward completions, and 'DISPATCH_LEVEL' for NdisTcpOffloadReceiveHandler and NdisTcpOffloadEventHandler without saying whether that is exact or an upper bound; NdisTcpOffloadDisconnectComplete and the NdisOffloadTcpXxx functions give none.",
		Reading: "IRQL has no counterpart in the Go contract; nothing is checked. If a native harness ever checks it, DISPATCH_LEVEL is read as 'at most DISPATCH_LEVEL' and the disconnect completion as any level, like the other completions.",
	})

	ConflictReceiveReturnNamesNoConnection = DefineConflict(Conflict{
		ID:      "CONFLICT-DPATH-02",
		Pages:   []string{dpPgNdisReceiveRet, dpPgReceiveReturn, dpPgReceiveIndicate},
		Summary: "NdisOffloadTcpReceiveReturn takes an NdisBindingHandle (a binding, from NdisOpenAdapterEx), while its remarks have the intermediate driver pass the connection's NdisOffloadHandle; MiniportTcpOffloadReceiveReturn takes no connection context at all, and its list may hold lists of several NdisTcpOffloadReceiveHandler calls, which can be on different connections.",
		Reading: "A receive return names no connection: the target finds each returned list's connection itself, and must accept in one call lists indicated on several connections; the harness may batch them so. Proposed switch (not in ginkgo.yml yet): receiveReturnOneConnectionPerCall, under which the harness returns the lists of one connection per call.",
	})

	ConflictAdvanceParameterName = DefineConflict(Conflict{
		ID:      "CONFLICT-DPATH-03",
		Pages:   []string{dpPgReceiveComplete, dpPgDisconnectDone, dpPgSendComplete},
		Summary: "The receive and disconnect completion pages say the 'NetBufferList parameter' of NdisAdvanceNetBufferDataStart should point to the NET_BUFFER; the function's parameter is NetBuffer, as the send completion page says.",
		Reading: "NetBuffer is meant: the target advances the data start of the request's NET_BUFFER. No switch.",
	})
)

package wire

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// DataPathJudge holds every data-path callback of a wire spec against the requests the host
// made: receive requests completed once each, with an allowed status and a byte count that
// fits; nonpush requests completed only when full; indications of one stand-alone list of one
// NET_BUFFER with Status SUCCESS, none while refused data waits for a post, none overlapping
// a receive completion; disconnect requests completed with their own list and an allowed
// status; events of a known type; and, at terminate, nothing left outstanding.
type DataPathJudge struct {
	mu      sync.Mutex
	session *harness.Session

	posted  []*postedRequest // in posting order
	byList  map[*ndis.NetBufferList]*postedRequest
	refused bool // the host refused indicated data and has posted nothing since
	// refusedData is set from a refusal until a receive completion delivers data again;
	// afterRefusal holds the normal requests posted meanwhile, which that data must fill
	// before any indication.
	refusedData  bool
	afterRefusal []*postedRequest
	inReceive    int                            // receive completions and indications in progress
	postsInCall  int                            // MiniportTcpOffloadReceive calls in progress
	accepted     map[*ndis.NetBufferList][]byte // indicated lists the host kept, with their data then
	discs        map[*ndis.NetBufferList]ndis.DisconnectFlags
	discDone     map[*ndis.NetBufferList]bool
	uploading    bool // a terminate is in progress or done: requests may end with UPLOAD_IN_PROGRESS
	aborted      bool // an abortive disconnect or a peer's RST: requests may end aborted
	peerReset    bool // the peer\'s application reset the connection
	abortSeen    bool // the target indicated TcpIndicateAbort
	discSeen     bool // the target indicated TcpIndicateDisconnect

	found []harness.Violation
	shown map[*rules.Rule]int
}

type postedRequest struct {
	list      *ndis.NetBufferList
	size      int
	noPush    bool
	completed int
}

// NewDataPathJudge returns a judge reporting to s.
func NewDataPathJudge(s *harness.Session) *DataPathJudge {
	return &DataPathJudge{session: s, byList: map[*ndis.NetBufferList]*postedRequest{}, accepted: map[*ndis.NetBufferList][]byte{},
		discs:    map[*ndis.NetBufferList]ndis.DisconnectFlags{},
		discDone: map[*ndis.NetBufferList]bool{}, shown: map[*rules.Rule]int{}}
}

func init() {
	harness.JudgedElsewhere("data path", dataPathRules...)
}

var dataPathRules = []*rules.Rule{
	rules.ReceiveHandlerReturnsPending, rules.SendHandlerReturnsPending, rules.DisconnectHandlerReturnsPending, rules.ReceiveReturnSucceeds,
	rules.ReceiveRequestsAllCompleted, rules.ReceiveCompleteStatusValues, rules.ReceiveCompleteBytesTransferred,
	rules.NonpushRequestCompletedWhenFull, rules.ReceiveCompletesInPostingOrder, rules.ReceiveCallsSerializedPerConnection,
	rules.IndicationStatusSuccess, rules.IndicationStandAloneNBL, rules.IndicationOneNetBufferPerNBL,
	rules.RefusedDataNotReindicated, rules.NormalPostsBeforeIndications, rules.AcceptedIndicationListsUntouched,
	rules.DisconnectCompletesOwnNBL, rules.GracefulDisconnectStatusValues, rules.EventTypes, rules.EventSpecificInformation,
	rules.TerminateCompletesOutstandingDataCalls,
	// judged by the wire harness through Judge, with the frame judge's and the ledgers' view
	rules.GracefulDisconnectSuccessMeansAcked, rules.AbortiveDisconnectSendsRST, rules.AbortiveDisconnectAbortsSends,
	rules.GracefulDisconnectSendsFIN, rules.DisconnectIndicatedAfterDataConsumed,
	rules.PeerFINIndicatesDisconnect, rules.PeerRSTIndicatesAbort, rules.PeerRSTAbortsRequests,
}

func (j *DataPathJudge) violate(r *rules.Rule, path, format string, args ...any) {
	j.shown[r]++
	if j.shown[r] > maxShownPerRule {
		return
	}
	j.found = append(j.found, harness.Violation{Rule: r, Path: path, Message: fmt.Sprintf(format, args...)})
}

// Returned judges what a data-path handler returned: NDIS_STATUS_PENDING, the one status
// the send, receive and disconnect handler pages allow.
func (j *DataPathJudge) Returned(handler string, st ndis.Status) {
	r := map[string]*rules.Rule{"MiniportTcpOffloadSend": rules.SendHandlerReturnsPending,
		"MiniportTcpOffloadReceive": rules.ReceiveHandlerReturnsPending, "MiniportTcpOffloadDisconnect": rules.DisconnectHandlerReturnsPending,
		"MiniportTcpOffloadReceiveReturn": rules.ReceiveReturnSucceeds}[handler]
	if r == nil {
		return
	}
	want := ndis.StatusPending
	if r == rules.ReceiveReturnSucceeds {
		want = ndis.StatusSuccess
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.session.Count(r)
	if st != want {
		j.violate(r, handler, "%s returned %s, not %s", handler, st, want)
	}
}

// Posting records receive requests the host is about to post; a post re-enables
// indications of refused data.
func (j *DataPathJudge) Posting(lists []*ndis.NetBufferList) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, l := range lists {
		p := &postedRequest{list: l, size: l.DataLength(), noPush: l.ReceiveNoPush}
		j.posted = append(j.posted, p)
		j.byList[l] = p
		if j.refusedData && p.size > 0 {
			j.afterRefusal = append(j.afterRefusal, p)
		}
	}
	j.refused = false
	j.postsInCall++
}

// anyPending reports whether a posted receive request is not yet completed.
func (j *DataPathJudge) anyPending() bool {
	for _, p := range j.posted {
		if p.completed == 0 {
			return true
		}
	}
	return false
}

// Posted records that a MiniportTcpOffloadReceive call returned.
func (j *DataPathJudge) Posted() {
	j.mu.Lock()
	j.postsInCall--
	j.mu.Unlock()
}

// Disconnecting records a disconnect request.
func (j *DataPathJudge) Disconnecting(nbl *ndis.NetBufferList, flags ndis.DisconnectFlags) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.discs[nbl] = flags
	if flags == ndis.DisconnectAbortiveClose {
		j.aborted = true
	}
}

// PeerReset records that the peer reset the connection: requests may end aborted.
func (j *DataPathJudge) PeerReset() {
	j.mu.Lock()
	j.aborted, j.peerReset = true, true
	j.mu.Unlock()
}

// Ended judges, at the end of the session, the events the peer's FIN and RST call for:
// finDone reports whether the target took the peer's FIN and every byte before it reached
// the host; a RST from the peer's application must have been indicated unless the host
// terminated the connection first.
func (j *DataPathJudge) Ended(finDone bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if finDone {
		j.session.Count(rules.PeerFINIndicatesDisconnect)
		if !j.discSeen && !j.uploading {
			j.violate(rules.PeerFINIndicatesDisconnect, "NdisTcpOffloadEventHandler", "the target took the peer's FIN and delivered all the data before it, and never indicated TcpIndicateDisconnect")
		}
	}
	if j.peerReset && !j.uploading {
		j.session.Count(rules.PeerRSTIndicatesAbort)
		if !j.abortSeen {
			j.violate(rules.PeerRSTIndicatesAbort, "NdisTcpOffloadEventHandler", "the peer reset the connection and the target never indicated TcpIndicateAbort")
		}
	}
}

// Uploading records that the host started a terminate.
func (j *DataPathJudge) Uploading() {
	j.mu.Lock()
	j.uploading = true
	j.mu.Unlock()
}

// ReturningIndicated records lists the host hands back through MiniportTcpOffloadReceiveReturn
// and judges that the target left them as indicated meanwhile.
func (j *DataPathJudge) ReturningIndicated(lists []*ndis.NetBufferList) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, l := range lists {
		was, ok := j.accepted[l]
		if !ok {
			continue
		}
		delete(j.accepted, l)
		j.session.Count(rules.AcceptedIndicationListsUntouched)
		var now []byte
		for _, nb := range l.NetBuffers() {
			now = append(now, nb.Data...)
		}
		if !bytes.Equal(was, now) {
			j.violate(rules.AcceptedIndicationListsUntouched, "NdisTcpOffloadReceiveHandler", "%s changed while the host held it: %d bytes indicated, %d bytes when returned, first difference at byte %d",
				l, len(was), len(now), max(0, firstDiff(was, now)))
		}
	}
}

// Entering and Leaving bracket a receive completion or indication, to see two at once.
func (j *DataPathJudge) Entering(kind harness.DataPathKind) {
	if kind != harness.ReceiveCompleted && kind != harness.ReceiveIndicated {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.inReceive++
	j.session.Count(rules.ReceiveCallsSerializedPerConnection)
	if j.inReceive > 1 {
		j.violate(rules.ReceiveCallsSerializedPerConnection, kind.String(), "%s was called while another receive completion or indication on the connection was in progress", kind)
	}
}

func (j *DataPathJudge) Leaving(kind harness.DataPathKind) {
	if kind != harness.ReceiveCompleted && kind != harness.ReceiveIndicated {
		return
	}
	j.mu.Lock()
	j.inReceive--
	j.mu.Unlock()
}

// Call judges one data-path callback, as recorded.
func (j *DataPathJudge) Call(c harness.DataPathCall) {
	j.mu.Lock()
	defer j.mu.Unlock()
	switch c.Kind {
	case harness.ReceiveCompleted:
		j.receiveCompleted(c)
	case harness.ReceiveIndicated:
		j.indicated(c)
	case harness.DisconnectCompleted:
		j.disconnectCompleted(c)
	case harness.ConnectionEvent:
		j.event(c)
	}
}

func (j *DataPathJudge) receiveCompleted(c harness.DataPathCall) {
	const where = "NdisTcpOffloadReceiveComplete"
	for i, l := range c.Lists {
		st, n := c.Statuses[i], int(c.Bytes[i])
		p, known := j.byList[l]
		j.session.Count(rules.ReceiveRequestsAllCompleted)
		if !known {
			j.violate(rules.ReceiveRequestsAllCompleted, where, "%s completed a list the host never posted as a receive request", l)
			continue
		}
		p.completed++
		if p.completed > 1 {
			j.violate(rules.ReceiveRequestsAllCompleted, where, "%s completed the receive request %s a second time", where, l)
			continue
		}
		j.session.Count(rules.ReceiveCompleteStatusValues)
		switch st {
		case ndis.StatusSuccess, ndis.StatusRequestAborted, ndis.StatusUploadInProgress, ndis.StatusInvalidState:
		default:
			j.violate(rules.ReceiveCompleteStatusValues, where, "%s completed with %s", l, st)
		}
		if st == ndis.StatusSuccess && n > 0 {
			j.refusedData, j.afterRefusal = false, nil
		}
		if j.abortSeen && !j.uploading {
			j.session.Count(rules.PeerRSTAbortsRequests)
			if st != ndis.StatusRequestAborted {
				j.violate(rules.PeerRSTAbortsRequests, where, "%s completed with %s after TcpIndicateAbort; want NDIS_STATUS_REQUEST_ABORTED", l, st)
			}
		}
		j.session.Count(rules.ReceiveCompleteBytesTransferred)
		if n > p.size {
			j.violate(rules.ReceiveCompleteBytesTransferred, where, "%s: TcpOffloadBytesTransferred %d, more than the %d-byte buffer posted", l, n, p.size)
		}
		if p.noPush && st == ndis.StatusSuccess {
			j.session.Count(rules.NonpushRequestCompletedWhenFull)
			if n < p.size && !j.uploading && !j.aborted {
				j.violate(rules.NonpushRequestCompletedWhenFull, where, "the nonpush-mode request %s completed with NDIS_STATUS_SUCCESS holding %d of its %d bytes", l, n, p.size)
			}
		}
		j.session.Count(rules.ReceiveCompletesInPostingOrder)
		for _, earlier := range j.posted {
			if earlier == p {
				break
			}
			if earlier.completed == 0 {
				j.violate(rules.ReceiveCompletesInPostingOrder, where, "%s completed while %s, posted before it, is still pending", l, earlier.list)
				break
			}
		}
	}
}

func (j *DataPathJudge) indicated(c harness.DataPathCall) {
	const where = "NdisTcpOffloadReceiveHandler"
	j.session.Count(rules.IndicationStatusSuccess)
	if c.IndicateStatus != ndis.StatusSuccess {
		j.violate(rules.IndicationStatusSuccess, where, "indicated with Status %s", c.IndicateStatus)
	}
	j.session.Count(rules.IndicationStandAloneNBL)
	if len(c.Lists) != 1 {
		j.violate(rules.IndicationStandAloneNBL, where, "indicated a linked list of %d NET_BUFFER_LISTs", len(c.Lists))
	}
	if len(c.Lists) > 0 {
		j.session.Count(rules.IndicationOneNetBufferPerNBL)
		if n := len(c.Lists[0].NetBuffers()); n != 1 {
			j.violate(rules.IndicationOneNetBufferPerNBL, where, "%s carries %d NET_BUFFERs", c.Lists[0], n)
		}
	}
	j.session.Count(rules.RefusedDataNotReindicated)
	if j.refused {
		j.violate(rules.RefusedDataNotReindicated, where, "indicated again after the host refused indicated data, before the host posted a receive request")
	}
	if j.refusedData {
		j.session.Count(rules.NormalPostsBeforeIndications)
		for _, p := range j.afterRefusal {
			if p.completed == 0 {
				j.violate(rules.NormalPostsBeforeIndications, where, "indicated while %s, a normal receive request posted after the host refused data, was still pending", p.list)
				break
			}
		}
	}
	switch c.Answer {
	case ndis.StatusOffloadDataNotAccepted, ndis.StatusOffloadDataPartiallyAccepted:
		// A request posted and not yet used may reach the target's delivery only after the
		// refusal (the target takes posts in its own time): it re-enables indications as a
		// post after the refusal would.
		j.refused = c.Answer == ndis.StatusOffloadDataNotAccepted && j.postsInCall == 0 && !j.anyPending()
		j.refusedData, j.afterRefusal = true, nil
	case ndis.StatusSuccess:
		if len(c.Lists) == 1 {
			j.accepted[c.Lists[0]] = append([]byte(nil), c.Data[0]...)
		}
	}
}

func (j *DataPathJudge) disconnectCompleted(c harness.DataPathCall) {
	const where = "NdisTcpOffloadDisconnectComplete"
	j.session.Count(rules.DisconnectCompletesOwnNBL)
	if len(c.Lists) != 1 {
		j.violate(rules.DisconnectCompletesOwnNBL, where, "passed back %d lists; a disconnect completion passes back the request's one list", len(c.Lists))
		return
	}
	l := c.Lists[0]
	flags, known := j.discs[l]
	if !known || j.discDone[l] {
		j.violate(rules.DisconnectCompletesOwnNBL, where, "passed back %s, which is no disconnect request outstanding", l)
		return
	}
	j.discDone[l] = true
	if flags == ndis.DisconnectGracefulClose {
		j.session.Count(rules.GracefulDisconnectStatusValues)
		switch c.Statuses[0] {
		case ndis.StatusSuccess, ndis.StatusUploadInProgress, ndis.StatusRequestAborted:
		default:
			j.violate(rules.GracefulDisconnectStatusValues, where, "completed the graceful disconnect %s with %s", l, c.Statuses[0])
		}
	}
}

func (j *DataPathJudge) event(c harness.DataPathCall) {
	const where = "NdisTcpOffloadEventHandler"
	j.session.Count(rules.EventTypes)
	switch c.Event {
	case ndis.TcpIndicateDisconnect, ndis.TcpIndicateAbort, ndis.TcpIndicateSendBacklogChange:
	case ndis.TcpIndicateRetrieve:
		j.session.Count(rules.EventSpecificInformation)
		if !ndis.TCPUploadReason(c.Info).Valid() {
			j.violate(rules.EventSpecificInformation, where, "TcpIndicateRetrieve with EventSpecificInformation %d, which is no TCP_UPLOAD_REASON", c.Info)
		}
	default:
		j.violate(rules.EventTypes, where, "EventType %d, which is no TCP_OFFLOAD_EVENT_TYPE", uint32(c.Event))
	}
	switch c.Event {
	case ndis.TcpIndicateAbort:
		j.aborted, j.abortSeen = true, true
		j.session.Count(rules.PeerRSTIndicatesAbort)
	case ndis.TcpIndicateDisconnect:
		j.discSeen = true
		j.session.Count(rules.PeerFINIndicatesDisconnect)
	}
}

// Terminated judges, inside the terminate completion, that no receive or disconnect request
// is left outstanding and that every send list came back, completed or in the tree's chain.
func (j *DataPathJudge) Terminated(sends []*ndis.NetBufferList, completed map[*ndis.NetBufferList]bool, handedBack *ndis.NetBufferList) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r := rules.TerminateCompletesOutstandingDataCalls
	j.session.Count(r)
	for _, p := range j.posted {
		if p.completed == 0 {
			j.violate(r, "receive request", "the terminate completed while the receive request %s was still pending", p.list)
			break
		}
	}
	for l := range j.discs {
		if !j.discDone[l] {
			j.violate(r, "disconnect request", "the terminate completed while the disconnect request %s was still pending", l)
		}
	}
	back := map[*ndis.NetBufferList]bool{}
	for _, l := range handedBack.Chain() {
		back[l] = true
	}
	for _, l := range sends {
		if !completed[l] && !back[l] {
			j.violate(r, "send request", "the terminate completed while the send request %s was neither send-completed nor handed back in NetBufferListChain", l)
			break
		}
	}
}

// Judge counts r as judged and, when problem is not empty, records a violation of it: for
// the checks the wire harness makes with what the frame judge and the ledgers know.
func (j *DataPathJudge) Judge(r *rules.Rule, where, problem string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.session.Count(r)
	if problem != "" {
		j.violate(r, where, "%s", problem)
	}
}

// Violations returns what the judge found since the last call.
func (j *DataPathJudge) Violations() []harness.Violation {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := j.found
	j.found = nil
	return out
}

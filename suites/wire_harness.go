package suites

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/suites/wire"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// The wire harness of the specs: each wire spec opens a target on a simulated Ethernet link
// with gVisor's netstack as the peer, opens a connection from the host stack, offloads it,
// and drives the data path while every frame is judged and both byte ledgers are kept. The
// spec's frames go to a pcap file under wire.captures, named in its report.

// captureEntry names the report entry that carries a wire spec's capture and last frames.
const captureEntry = "wire capture"

// captureFileEntry names the hidden report entry holding only the capture's path, by which a
// passing spec's capture is removed when ginkgo.yml keeps only failing ones.
const captureFileEntry = "wire capture file"

// Passing specs' captures are removed after their report is final, unless wire.keepPassing.
var _ = ReportAfterEach(func(r SpecReport) {
	if run.cfg == nil || run.cfg.Wire.KeepPassing || r.State != types.SpecStatePassed {
		return
	}
	for _, e := range r.ReportEntries {
		if e.Name == captureFileEntry {
			_ = os.Remove(e.StringRepresentation())
		}
	}
})

// lastFramesShown is how many frames a failing spec's report shows decoded.
const lastFramesShown = 12

// wireConn is one offloaded connection on the wire, as a spec drives it.
type wireConn struct {
	s       *harness.Session
	rig     *wire.Rig
	judge   *wire.FrameJudge
	dp      *wire.DataPathJudge
	capture string
	tree    *ndis.MiniportOffloadBlockList // the initiate tree
	tcp     *ndis.MiniportOffloadBlockList // its TCP block
	data    *rand.Rand

	// callMu serializes the host's data-path calls on the connection, as the host stack
	// does (each handler page: the host serializes calls per connection).
	callMu sync.Mutex
	mu     sync.Mutex
	// autoPost keeps receive requests of this size posted: each completed request is
	// replaced by a new one. Zero posts nothing by itself (indications then carry the data).
	autoPost    int
	autoNoPush  bool
	posted      []*ndis.NetBufferList
	disconnects map[*ndis.NetBufferList]ndis.DisconnectFlags
	uploaded    bool // the connection was terminated: the host posts nothing more
	closed      bool // the spec is ending: the host calls the target no more
	finTaken    bool
	heldBack    *rules.Rule // the rule whose data waits: a refusal's or a partial acceptance's // at the spec's end, the target had taken the peer's FIN and delivered the data before it
	nextListID  uint64
}

// wireShape is the shape of the connection a wire spec runs on.
type wireShape struct {
	name string
	cfg  wire.RigConfig
	vlan bool // on the first VLAN configured on the target's interface
}

// openWire opens a session and puts its target on a new wire; it skips the spec when the
// target lacks the roles the wire needs, or the shape needs what the target does not declare.
func openWire(shape wireShape) *wireConn {
	GinkgoHelper()
	s := open()
	cfg := shape.cfg
	if cfg.IPv6 {
		stNeedIPv6(s)
	}
	if shape.vlan {
		cfg.VLAN = configuredVLANs(s)[0]
	}
	w := &wireConn{s: s, nextListID: 1 << 40, disconnects: map[*ndis.NetBufferList]ndis.DisconnectFlags{},
		data: rand.New(rand.NewPCG(uint64(len(CurrentSpecReport().FullText())), 0x5eed))}
	path, capture, err := newCapture()
	if err != nil {
		Fail(fmt.Sprintf("[harness] cannot write the spec's capture: %v", err))
	}
	cfg.Capture, cfg.MaxKept = capture, 4096
	rig, err := wire.NewRig(s.Target, cfg)
	if err != nil {
		_ = capture.Close()
		_ = os.Remove(path)
		if errors.Is(err, wire.ErrNoRole) {
			Skip(fmt.Sprintf("%v: the wire specs need a target with a data path and a network port", err))
		}
		Fail(fmt.Sprintf("[harness] cannot put the target on the wire: %v", err))
	}
	w.rig, w.capture = rig, path
	w.judge = wire.NewFrameJudge(s, rig.HostMAC)
	w.dp = wire.NewDataPathJudge(s)
	rig.Observe(w.judge.Frame)
	s.Host.OnDataPath(w.dataPath)
	s.Host.BracketDataPath(w.dp.Entering, w.dp.Leaving)
	s.AtEnd(w.endViolations)
	DeferCleanup(w.close)
	return w
}

// newCapture creates the running spec's pcap file under the captures directory.
func newCapture() (string, *wire.Capture, error) {
	dir := run.cfg.CapturesDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	name := captureName(CurrentSpecReport().FullText())
	path := filepath.Join(dir, name+".pcap")
	c, err := wire.NewCapture(path, time.Now())
	return path, c, err
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// captureName turns a spec's text into a file name that is the same on every run.
func captureName(text string) string {
	n := strings.Trim(unsafeName.ReplaceAllString(text, "-"), "-")
	if len(n) > 150 {
		n = fmt.Sprintf("%s-%08x", n[:140], fnv32(text))
	}
	return n
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := range len(s) {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// close ends the wire: it stops the peer and closes the capture, and puts the capture's path
// and the last frames, decoded, in the spec's report.
func (w *wireConn) close() {
	GinkgoHelper()
	w.finTaken = w.judge.PeerFINTaken() && w.rig.ToHost.DeliveredBytes() >= w.rig.ToHost.Written()
	w.callMu.Lock() // no data-path call is in progress from here on
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.callMu.Unlock()
	err := w.rig.Close()
	frames := w.rig.Wire.Frames()
	var last []string
	for _, f := range frames[max(0, len(frames)-lastFramesShown):] {
		last = append(last, f.String())
	}
	AddReportEntry(captureFileEntry, w.capture, ReportEntryVisibilityNever)
	AddReportEntry(captureEntry, fmt.Sprintf("%s (%d frames)\nlast frames:\n%s", w.capture, w.rig.Wire.Count(), strings.Join(last, "\n")),
		ReportEntryVisibilityFailureOrVerbose)
	if err != nil {
		Fail(fmt.Sprintf("[harness] writing the capture %s: %v", w.capture, err))
	}
}

func (w *wireConn) isClosed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}

// endViolations is the wire's part of the end-of-session judging: what the frame judge found
// since the last checkpoint, and a byte ledger that was breached.
func (w *wireConn) endViolations() []harness.Violation {
	w.dp.Ended(w.finTaken)
	vs := append(w.judge.Violations(), w.dp.Violations()...)
	for _, l := range []*wire.ByteLedger{w.rig.ToPeer, w.rig.ToHost} {
		if b := l.Breach(); b != "" {
			if v, ok := w.ledgerViolation(l, b); ok {
				vs = append(vs, v)
			}
		}
	}
	return vs
}

// ledgerViolation names the rule a breached ledger breaks: the upload's, once the connection
// was terminated; before that, (peer to host) the delivery of received data. Before an
// upload, the host → peer direction is the frame judge's, which names the very segment (the
// peer's TCP delivers what the segments carried), so it reports no violation of its own.
func (w *wireConn) ledgerViolation(l *wire.ByteLedger, breach string) (harness.Violation, bool) {
	w.mu.Lock()
	uploaded := w.uploaded
	w.mu.Unlock()
	switch {
	case uploaded:
		return harness.Violation{Rule: rules.UploadKeepsTheStream, Path: "byte ledger " + l.Name, Message: breach}, true
	case l == w.rig.ToHost:
		return harness.Violation{Rule: rules.DeliveryAlgorithmMandatory, Path: "byte ledger " + l.Name, Message: breach}, true
	}
	return harness.Violation{}, false
}

// checkpoint fails the spec with what the frame judge has found so far.
func (w *wireConn) checkpoint() {
	GinkgoHelper()
	if vs := append(w.judge.Violations(), w.dp.Violations()...); len(vs) > 0 {
		w.s.Fail(vs...)
	}
}

// offload opens the connection from the host stack and offloads it with a neighbor, a path
// and the connection; from the initiate call on, its frames go to the target.
func (w *wireConn) offload(ctx context.Context) {
	GinkgoHelper()
	connect, cancel := context.WithTimeout(ctx, run.cfg.Wire.StallTimeout())
	defer cancel()
	if _, err := w.rig.Connect(connect, w.data.Uint32()); err != nil {
		Fail(fmt.Sprintf("[harness] the host stack cannot open a connection with the peer: %v", err))
	}
	w.rig.Host.Drain()
	tree := w.rig.Host.OffloadTree()
	tree.NeighborConst.VlanID = w.rig.Config.VLAN
	conn := tree.DependentBlockList.DependentBlockList
	c := conn.TCPCached
	c.UserPriority = w.rig.Config.Priority
	// IP header values no stack uses by default, so that a target ignoring them is seen.
	c.TtlOrHopLimit = uint8(2 + w.data.IntN(50))
	c.TosOrTrafficClass = uint8(1+w.data.IntN(62)) << 2
	c.FlowLabel = 1 + w.data.Uint32N(0xFFFFE)
	w.tree, w.tcp = tree, conn
	w.rig.Offloading(true)
	w.judge.Offloaded(tree)
	w.s.MustInitiate(ctx, tree)
	w.s.Model.OnTheWire(w.context())
	w.checkpoint()
}

// context is the connection's offload context, as the target wrote it.
func (w *wireConn) context() ndis.Context { return *w.tcp.MiniportOffloadContext }

// sendInPieces hands the target n bytes in MiniportTcpOffloadSend calls of one list of piece
// bytes each (the last shorter): sizes that straddle segment boundaries.
func (w *wireConn) sendInPieces(n, piece int) {
	GinkgoHelper()
	for n > 0 {
		k := min(n, piece)
		w.send(k)
		n -= k
	}
}

// payload returns n bytes of the spec's data: random, so that a misplaced byte is seen.
func (w *wireConn) payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(w.data.Uint32())
	}
	return b
}

// newList returns a list of one NET_BUFFER holding data.
func (w *wireConn) newList(data []byte) *ndis.NetBufferList {
	w.mu.Lock()
	w.nextListID++
	id := w.nextListID
	w.mu.Unlock()
	return &ndis.NetBufferList{ID: id, FirstNetBuffer: &ndis.NetBuffer{Data: data}}
}

// send hands the target lists of the given sizes in one MiniportTcpOffloadSend call and
// returns them.
func (w *wireConn) send(sizes ...int) []*ndis.NetBufferList {
	GinkgoHelper()
	var lists []*ndis.NetBufferList
	for _, n := range sizes {
		data := w.payload(n)
		w.rig.ToPeer.Wrote(data)
		w.judge.HostSent(data)
		lists = append(lists, w.newList(data))
	}
	chain := ndis.LinkNetBufferLists(lists...)
	w.s.Ledger.RegisterSent(w.tcp, chain)
	w.callMu.Lock()
	st, err := w.rig.DataPath.MiniportTcpOffloadSend(w.context(), chain)
	w.callMu.Unlock()
	w.handlerReturned("MiniportTcpOffloadSend", st, err)
	return lists
}

// handlerReturned judges what a data-path handler returned; an adapter error fails the spec.
func (w *wireConn) handlerReturned(handler string, st ndis.Status, err error) {
	GinkgoHelper()
	if err != nil {
		Fail(fmt.Sprintf("[harness] %s: %v", handler, err))
	}
	w.dp.Returned(handler, st)
}

// keepPosted keeps receive requests of size bytes posted (n at a time), in push mode or
// nonpush mode, from now on: each completed request is replaced.
func (w *wireConn) keepPosted(n, size int, noPush bool) {
	GinkgoHelper()
	w.mu.Lock()
	w.autoPost, w.autoNoPush = size, noPush
	w.mu.Unlock()
	sizes := make([]int, n)
	for i := range sizes {
		sizes[i] = size
	}
	w.post(noPush, sizes...)
}

// post hands the target receive requests of the given sizes in one MiniportTcpOffloadReceive
// call.
func (w *wireConn) post(noPush bool, sizes ...int) []*ndis.NetBufferList {
	GinkgoHelper()
	lists := w.receiveLists(noPush, sizes...)
	st, err := w.postLists(lists)
	w.handlerReturned("MiniportTcpOffloadReceive", st, err)
	return lists
}

func (w *wireConn) receiveLists(noPush bool, sizes ...int) []*ndis.NetBufferList {
	var lists []*ndis.NetBufferList
	for _, n := range sizes {
		l := w.newList(make([]byte, n))
		l.ReceiveNoPush = noPush
		lists = append(lists, l)
	}
	return lists
}

func (w *wireConn) postLists(lists []*ndis.NetBufferList) (ndis.Status, error) {
	return w.postListsUnless(lists, false)
}

// postListsUnless posts lists, unless the spec is ending or, with afterUpload, the host has
// begun a terminate: the host posts nothing once it has called MiniportTerminateOffload.
func (w *wireConn) postListsUnless(lists []*ndis.NetBufferList, afterUpload bool) (ndis.Status, error) {
	w.callMu.Lock()
	defer w.callMu.Unlock()
	w.mu.Lock()
	stop := w.closed || afterUpload && w.uploaded
	if !stop {
		w.posted = append(w.posted, lists...)
	}
	w.mu.Unlock()
	if stop {
		return ndis.StatusPending, nil
	}
	w.dp.Posting(lists)
	defer w.dp.Posted()
	return w.rig.DataPath.MiniportTcpOffloadReceive(w.context(), ndis.LinkNetBufferLists(lists...))
}

// dataPath follows the target's data-path callbacks: received data goes to the peer → host
// ledger, frames indicated on the ordinary path go to the host stack, completed receive
// requests are replaced when the spec keeps requests posted.
func (w *wireConn) dataPath(c harness.DataPathCall) {
	w.dp.Call(c)
	switch c.Kind {
	case harness.ReceiveCompleted:
		repost := 0
		for i := range c.Lists {
			if c.Statuses[i] == ndis.StatusSuccess {
				w.delivered("NdisTcpOffloadReceiveComplete", c.Data[i])
				repost++
			}
		}
		w.mu.Lock()
		keep := w.autoPost > 0 && !w.uploaded && !w.closed
		w.mu.Unlock()
		if keep && repost > 0 {
			go w.repost(repost)
		}
	case harness.ReceiveIndicated:
		if c.Answer == ndis.StatusSuccess || c.Answer == ndis.StatusOffloadDataPartiallyAccepted {
			n := min(int(c.Consumed), len(c.Data[0]))
			w.delivered("NdisTcpOffloadReceiveHandler", c.Data[0][:n])
			w.s.Count(rules.DataIndicatedWithoutRequests)
		}
		w.mu.Lock()
		switch c.Answer {
		case ndis.StatusOffloadDataNotAccepted:
			w.heldBack = rules.AfterRefusedIndication
		case ndis.StatusOffloadDataPartiallyAccepted:
			w.heldBack = rules.AfterPartiallyAcceptedIndication
		}
		w.mu.Unlock()
		if c.Answer == ndis.StatusSuccess && len(c.Lists) == 1 {
			go w.returnIndicated(c.Lists[0]) // the application has consumed it
		}
	case harness.NonOffloadReceived:
		for _, frame := range c.Data {
			w.rig.DeliverToHost(frame)
		}
	case harness.DisconnectCompleted:
		w.judgeDisconnectCompletion(c)
	case harness.ConnectionEvent:
		if c.Event == ndis.TcpIndicateDisconnect {
			problem := ""
			if got, sent := w.rig.ToHost.DeliveredBytes(), w.rig.ToHost.Written(); got < sent {
				problem = fmt.Sprintf("TcpIndicateDisconnect with %d of the %d bytes the peer sent before its FIN not yet delivered to the host", sent-got, sent)
			}
			w.dp.Judge(rules.DisconnectIndicatedAfterDataConsumed, "NdisTcpOffloadEventHandler", problem)
		}
	}
}

// judgeDisconnectCompletion holds a disconnect completion against the wire: a graceful one
// completed with SUCCESS follows the FIN and the peer's acknowledgment of it; an abortive one
// follows a RST, and every send request before it has come back aborted or acknowledged.
func (w *wireConn) judgeDisconnectCompletion(c harness.DataPathCall) {
	const where = "NdisTcpOffloadDisconnectComplete"
	if len(c.Lists) != 1 {
		return
	}
	w.mu.Lock()
	flags, known := w.disconnects[c.Lists[0]]
	w.mu.Unlock()
	if !known {
		return
	}
	switch flags {
	case ndis.DisconnectGracefulClose:
		problem := ""
		if !w.judge.SentFIN() {
			problem = "the graceful disconnect completed and the target has sent no FIN"
		}
		w.dp.Judge(rules.GracefulDisconnectSendsFIN, where, problem)
		if c.Statuses[0] == ndis.StatusSuccess {
			problem = ""
			if !w.judge.PeerAckedFIN() {
				problem = "the graceful disconnect completed with NDIS_STATUS_SUCCESS before the peer acknowledged the FIN"
			}
			w.dp.Judge(rules.GracefulDisconnectSuccessMeansAcked, where, problem)
		}
	case ndis.DisconnectAbortiveClose:
		problem := ""
		if c.Statuses[0] == ndis.StatusSuccess && !w.judge.SentRST() {
			problem = "the abortive disconnect completed with NDIS_STATUS_SUCCESS and the target has sent no RST"
		}
		w.dp.Judge(rules.AbortiveDisconnectSendsRST, where, problem)
		problem = ""
		done := w.sendCompleted()
		for _, e := range w.s.Ledger.Of(w.tcp) {
			if !done[e.List] {
				problem = fmt.Sprintf("the abortive disconnect completed while the send request %s was still outstanding", e.List)
				break
			}
		}
		w.dp.Judge(rules.AbortiveDisconnectAbortsSends, where, problem)
	}
}

// delivered puts received data into the peer → host ledger, counting the delivery rules it
// judges: the delivery algorithm, and the data held back after a refusal or a partial
// acceptance reaching the host.
func (w *wireConn) delivered(way string, data []byte) {
	if len(data) == 0 {
		return
	}
	w.rig.ToHost.Delivered(way, data)
	w.s.Count(rules.DeliveryAlgorithmMandatory)
	w.mu.Lock()
	held := w.heldBack
	w.heldBack = nil
	w.mu.Unlock()
	if held != nil {
		w.s.Count(held)
	}
}

// returnIndicated hands a list the host accepted back through MiniportTcpOffloadReceiveReturn,
// from the host's own goroutine.
func (w *wireConn) returnIndicated(l *ndis.NetBufferList) {
	w.callMu.Lock()
	defer w.callMu.Unlock()
	if w.isClosed() {
		return
	}
	w.dp.ReturningIndicated([]*ndis.NetBufferList{l})
	l.Next = nil
	st, err := w.rig.DataPath.MiniportTcpOffloadReceiveReturn(l)
	if err == nil {
		w.dp.Returned("MiniportTcpOffloadReceiveReturn", st)
	}
}

// repost replaces completed receive requests; it runs on its own goroutine, as the host
// stack would post from its worker rather than from inside the target's completion call.
func (w *wireConn) repost(n int) {
	w.mu.Lock()
	size, noPush, done := w.autoPost, w.autoNoPush, w.uploaded || w.closed
	w.mu.Unlock()
	if done {
		return
	}
	sizes := make([]int, n)
	for i := range sizes {
		sizes[i] = size
	}
	_, _ = w.postListsUnless(w.receiveLists(noPush, sizes...), true)
}

// waitDelivered waits until ledger l has delivered everything written to it.
func (w *wireConn) waitDelivered(ctx context.Context, l *wire.ByteLedger) {
	GinkgoHelper()
	err := wire.WaitDelivered(ctx, l, run.cfg.Wire.StallTimeout())
	w.checkpoint()
	if b := l.Breach(); b != "" {
		if v, ok := w.ledgerViolation(l, b); ok {
			w.s.Fail(v)
		}
		Fail(fmt.Sprintf("%s: %s", l.Name, b))
	}
	if err != nil {
		Fail(err.Error())
	}
}

// waitSome waits until ledger l has delivered at least n bytes.
func (w *wireConn) waitSome(ctx context.Context, l *wire.ByteLedger, n int) {
	GinkgoHelper()
	if err := wire.WaitDeliveredAtLeast(ctx, l, n, run.cfg.Wire.StallTimeout()); err != nil {
		w.checkpoint()
		Fail(err.Error())
	}
}

// waitQuiet waits until the target has acknowledged everything the peer sent and the peer's
// application has nothing more in flight: the moment a spec changes how the host answers.
func (w *wireConn) waitQuiet(ctx context.Context) {
	GinkgoHelper()
	stall := time.NewTimer(run.cfg.Wire.StallTimeout())
	defer stall.Stop()
	for {
		ch := w.rig.Wire.Changed()
		if w.judge.AllAcked() && w.rig.ToHost.Written() > 0 && w.peerSentAll() {
			return
		}
		select {
		case <-ch:
		case <-stall.C:
			w.checkpoint()
			Fail(fmt.Sprintf("the target did not acknowledge what the peer sent within %s of no traffic (%s)", run.cfg.Wire.StallTimeout(), w.rig.ToHost.Shortfall()))
		case <-ctx.Done():
			Fail("the spec ended waiting for the target to acknowledge what the peer sent")
		}
	}
}

// peerSentAll reports whether the peer has put on the wire every byte its application wrote.
func (w *wireConn) peerSentAll() bool { return w.judge.PeerSent() >= w.rig.ToHost.Written() }

// terminate uploads the connection (its neighbor and path with it), takes it back from the
// returned delegated state and carries on from the host stack: buffered receive data goes
// to the ledger, returned send data is sent again from the returned SndNxt.
func (w *wireConn) terminate(ctx context.Context) *ndis.TCPOffloadStateDelegated {
	GinkgoHelper()
	w.callMu.Lock() // a post in progress finishes first; none starts after
	w.mu.Lock()
	w.uploaded = true
	w.mu.Unlock()
	w.callMu.Unlock()
	w.dp.Uploading()
	term := fixtures.ReferenceTree(w.tree, fixtures.DelegatedOnly)
	termTCP := term.DependentBlockList.DependentBlockList
	w.s.Host.OnCompletion(func(op harness.Op, tree *ndis.MiniportOffloadBlockList) {
		if op == harness.Terminate && tree == term {
			w.judge.Terminated(termTCP.TCPDelegated)
			w.dp.Terminated(w.sentLists(), w.sendCompleted(), termTCP.NetBufferListChain)
		}
	})
	w.s.MustDo(ctx, harness.Terminate, term)
	w.s.Host.OnCompletion(nil)
	w.judge.Uploaded()
	w.rig.Offloading(false)
	tcp := term.DependentBlockList.DependentBlockList
	d := *tcp.TCPDelegated
	if d.BufferedData != nil {
		for _, l := range d.BufferedData.Chain() {
			for _, nb := range l.NetBuffers() {
				w.rig.ToHost.Delivered("BufferedData at terminate", nb.Data)
			}
		}
	}
	w.rig.Host.CarryOn(&d)
	w.s.Count(rules.UploadKeepsTheStream) // the ledgers hold what follows against it
	// The host stack sends on from the returned SndNxt from its own copy of the data: a target
	// may have handed the rest back in NetBufferListChain or send-completed it (the send-data
	// judges hold the chain to the mapping the pages give).
	base, stream := w.judge.Stream()
	if !base.LessThanEq(d.SndNxt) || int(base.Size(d.SndNxt)) > len(stream) {
		w.s.Fail(harness.Violation{Rule: rules.TerminateStateMatchesWire, Op: harness.Terminate, Path: "tcp delegated",
			Message: fmt.Sprintf("SndNxt %d returned lies outside the %d bytes of send data handed over from SndUna %d at offload", d.SndNxt, len(stream), base)})
	}
	if rest := stream[base.Size(d.SndNxt):]; len(rest) > 0 {
		if err := w.hostStack(ctx, rest, w.rig.Host.Write); err != nil {
			Fail(fmt.Sprintf("the host stack cannot carry on sending the %d bytes after the returned SndNxt: %v (%s)", len(rest), err, w.rig.ToPeer.Shortfall()))
		}
	}
	w.checkpoint()
	return &d
}

// sentLists returns every list the host handed to MiniportTcpOffloadSend.
func (w *wireConn) sentLists() []*ndis.NetBufferList {
	var out []*ndis.NetBufferList
	for _, e := range w.s.Ledger.Of(w.tcp) {
		out = append(out, e.List)
	}
	return out
}

// sendCompleted returns the lists NdisTcpOffloadSendComplete has returned so far.
func (w *wireConn) sendCompleted() map[*ndis.NetBufferList]bool {
	out := map[*ndis.NetBufferList]bool{}
	for _, c := range w.s.Host.SendCompletions() {
		for _, l := range c.Lists {
			out[l] = true
		}
	}
	return out
}

// disconnect hands the target a disconnect request without user data and returns it.
func (w *wireConn) disconnect(flags ndis.DisconnectFlags) *ndis.NetBufferList {
	GinkgoHelper()
	l := w.newList(nil)
	if flags == ndis.DisconnectAbortiveClose {
		w.judge.Aborting()
	}
	w.dp.Disconnecting(l, flags)
	w.mu.Lock()
	w.disconnects[l] = flags
	w.mu.Unlock()
	w.callMu.Lock()
	st, err := w.rig.DataPath.MiniportTcpOffloadDisconnect(w.context(), l, flags)
	w.callMu.Unlock()
	w.handlerReturned("MiniportTcpOffloadDisconnect", st, err)
	return l
}

// waitCall waits until a data-path callback satisfying match has been made and returns it.
func (w *wireConn) waitCall(ctx context.Context, what string, match func(harness.DataPathCall) bool) harness.DataPathCall {
	GinkgoHelper()
	var found harness.DataPathCall
	wait, cancel := context.WithTimeout(ctx, run.cfg.Wire.StallTimeout())
	defer cancel()
	ok := w.s.Host.WaitDataPath(wait, func(calls []harness.DataPathCall) bool {
		for _, c := range calls {
			if match(c) {
				found = c
				return true
			}
		}
		return false
	})
	w.checkpoint()
	if !ok {
		Fail(fmt.Sprintf("no %s within %s", what, run.cfg.Wire.StallTimeout()))
	}
	return found
}

// waitPeerFIN waits until the target has acknowledged the peer's FIN.
func (w *wireConn) waitPeerFIN(ctx context.Context) {
	GinkgoHelper()
	stall := time.NewTimer(run.cfg.Wire.StallTimeout())
	defer stall.Stop()
	for {
		ch := w.rig.Wire.Changed()
		if w.judge.PeerFINTaken() {
			return
		}
		select {
		case <-ch:
		case <-stall.C:
			w.checkpoint()
			Fail(fmt.Sprintf("the target did not acknowledge the peer's FIN within %s of no traffic", run.cfg.Wire.StallTimeout()))
		case <-ctx.Done():
			Fail("the spec ended waiting for the target to acknowledge the peer's FIN")
		}
	}
}

// waitDisconnected waits for the completion of the disconnect request l.
func (w *wireConn) waitDisconnected(ctx context.Context, l *ndis.NetBufferList) harness.DataPathCall {
	GinkgoHelper()
	return w.waitCall(ctx, "NdisTcpOffloadDisconnectComplete of "+l.String(), func(c harness.DataPathCall) bool {
		return c.Kind == harness.DisconnectCompleted && len(c.Lists) > 0 && c.Lists[0] == l
	})
}

// waitEvent waits for a connection event of type ev.
func (w *wireConn) waitEvent(ctx context.Context, ev ndis.TCPOffloadEventType) harness.DataPathCall {
	GinkgoHelper()
	return w.waitCall(ctx, ev.String(), func(c harness.DataPathCall) bool {
		return c.Kind == harness.ConnectionEvent && c.Event == ev
	})
}

// hostStack has the host stack's endpoint write or read buf in pieces, each allowed
// wire.stall: it gives up when the connection stops making progress.
func (w *wireConn) hostStack(ctx context.Context, buf []byte, do func(context.Context, []byte) error) error {
	const piece = 64 << 10
	for len(buf) > 0 {
		n := min(len(buf), piece)
		step, cancel := context.WithTimeout(ctx, run.cfg.Wire.StallTimeout())
		err := do(step, buf[:n])
		cancel()
		if err != nil {
			return err
		}
		buf = buf[n:]
	}
	return nil
}

// hostReads has the host stack read n bytes of the connection after an upload, into the
// peer → host ledger.
func (w *wireConn) hostReads(ctx context.Context, n int) {
	GinkgoHelper()
	buf := make([]byte, n)
	if err := w.hostStack(ctx, buf, w.rig.Host.ReadFull); err != nil {
		Fail(fmt.Sprintf("the host stack, carrying on after the upload, read fewer than %d bytes: %v (%s)", n, err, w.rig.ToHost.Shortfall()))
	}
	w.rig.ToHost.Delivered("the host stack after the upload", buf)
}

// hostWrites has the host stack send data after an upload; the peer must read it next.
func (w *wireConn) hostWrites(ctx context.Context, data []byte) {
	GinkgoHelper()
	w.rig.ToPeer.Wrote(data)
	if err := w.hostStack(ctx, data, w.rig.Host.Write); err != nil {
		Fail(fmt.Sprintf("the host stack, carrying on after the upload, cannot send: %v", err))
	}
}

package reference_test

import (
	"bytes"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// wireHost records what a target hands the host on the data path and passes state
// completions on.
type wireHost struct {
	done chan *ndis.MiniportOffloadBlockList

	mu        sync.Mutex
	received  []byte
	sendDone  []*ndis.NetBufferList
	recvDone  []*ndis.NetBufferList
	nonOffld  int
	discDone  []*ndis.NetBufferList
	fwdDone   []*ndis.NetBufferList
	eventsGot []ndis.TCPOffloadEventType
}

func (h *wireHost) NdisMInitiateOffloadComplete(t *ndis.MiniportOffloadBlockList)   { h.done <- t }
func (h *wireHost) NdisMQueryOffloadStateComplete(t *ndis.MiniportOffloadBlockList) { h.done <- t }
func (h *wireHost) NdisMUpdateOffloadComplete(t *ndis.MiniportOffloadBlockList)     { h.done <- t }
func (h *wireHost) NdisMInvalidateOffloadComplete(t *ndis.MiniportOffloadBlockList) { h.done <- t }
func (h *wireHost) NdisMTerminateOffloadComplete(t *ndis.MiniportOffloadBlockList)  { h.done <- t }
func (h *wireHost) locked(f func())                                                 { h.mu.Lock(); defer h.mu.Unlock(); f() }
func (h *wireHost) NdisTcpOffloadSendComplete(c *ndis.NetBufferList) {
	h.locked(func() { h.sendDone = append(h.sendDone, c.Chain()...) })
}
func (h *wireHost) NdisTcpOffloadReceiveComplete(c *ndis.NetBufferList) {
	h.locked(func() { h.recvDone = append(h.recvDone, c.Chain()...) })
}
func (h *wireHost) NdisTcpOffloadDisconnectComplete(l *ndis.NetBufferList) {
	h.locked(func() { h.discDone = append(h.discDone, l) })
}
func (h *wireHost) NdisTcpOffloadForwardComplete(c *ndis.NetBufferList) {
	h.locked(func() { h.fwdDone = append(h.fwdDone, c.Chain()...) })
}
func (h *wireHost) NdisTcpOffloadReceiveHandler(_ ndis.Handle, l *ndis.NetBufferList, _ ndis.Status) (ndis.Status, uint32) {
	h.locked(func() { h.received = append(h.received, l.FirstNetBuffer.Data...) })
	return ndis.StatusSuccess, uint32(l.DataLength())
}
func (h *wireHost) NdisTcpOffloadEventHandler(_ ndis.Handle, e ndis.TCPOffloadEventType, _ uint32) {
	h.locked(func() { h.eventsGot = append(h.eventsGot, e) })
}
func (h *wireHost) NdisMIndicateReceiveNetBufferLists(*ndis.NetBufferList) {
	h.locked(func() { h.nonOffld++ })
}

func (h *wireHost) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		h.mu.Lock()
		ok := cond()
		h.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// end is one side of a connection between two reference targets wired back to back.
type end struct {
	tgt  *reference.Target
	host *wireHost
	tree *ndis.MiniportOffloadBlockList
}

func (e *end) conn() *ndis.MiniportOffloadBlockList {
	return e.tree.DependentBlockList.DependentBlockList
}

// offloadEnd builds the tree of one end by hand: a neighbor with the other end's MAC, the
// path between the two addresses, an established connection with the given sequence numbers.
func offloadEnd(t *testing.T, e *end, peerMAC net6, local, remote netip.Addr, lport, rport uint16, snd, rcv ndis.SeqNum) {
	n := fixtures.NewNeighbor(0)
	n.NeighborCached.DlDestinationAddress = ndis.MAC(peerMAC[0], peerMAC[1], peerMAC[2], peerMAC[3], peerMAC[4], peerMAC[5])
	p := fixtures.NewPath(ndis.Ip4OffloadState, local, remote, 1500)
	c := fixtures.NewConnection(0)
	c.TCPConst.Flags, c.TCPConst.LocalPort, c.TCPConst.RemotePort = ndis.TCPFlagTimestampEnabled, lport, rport
	d := c.TCPDelegated
	d.SndUna, d.SndNxt, d.SndMax, d.RcvNxt = snd, snd, snd, rcv
	d.RcvWnd, d.SndWnd, d.MaxSndWnd, d.CWnd, d.SendWL1 = 65535, 65535, 65535, 14600, rcv
	e.tree = fixtures.Under(n, fixtures.Under(p, c))
	if err := e.tgt.MiniportInitiateOffload(e.tree); err != nil {
		t.Fatal(err)
	}
	if <-e.host.done; e.conn().Status != ndis.StatusSuccess {
		t.Fatalf("initiate: %s", e.conn().Status)
	}
}

type net6 = [6]byte

type linkTo struct{ other *reference.Target }

func (l linkTo) TransmitFrame(f []byte) { l.other.ReceiveFrame(f) }

// Two reference targets wired back to back carry a connection whose two ends they offload:
// data sent on one is indicated on the other, the query shows SndUna moved, a request for a
// context that names nothing completes with NDIS_STATUS_UPLOAD_IN_PROGRESS, and after the
// terminate the frames of the connection go to the host stack unprocessed.
func TestTwoReferencesBackToBack(t *testing.T) {
	macA, macB := net6{2, 0, 0, 0, 0, 0xa}, net6{2, 0, 0, 0, 0, 0xb}
	ipA, ipB := netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2")
	mk := func(mac net6) *end {
		e := &end{tgt: reference.New(reference.Config{HardwareAddress: mac}), host: &wireHost{done: make(chan *ndis.MiniportOffloadBlockList, 1)}}
		if _, err := e.tgt.Open(e.host); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.tgt.Close() })
		if roles := target.RolesOf(e.tgt); roles != target.AllRoles() {
			t.Fatalf("the reference declares %s, want %s", roles, target.AllRoles())
		}
		return e
	}
	a, b := mk(macA), mk(macB)
	a.tgt.AttachLink(linkTo{b.tgt})
	b.tgt.AttachLink(linkTo{a.tgt})
	offloadEnd(t, a, macB, ipA, ipB, 1000, 2000, 100, 9000)
	offloadEnd(t, b, macA, ipB, ipA, 2000, 1000, 9000, 100)

	data := bytes.Repeat([]byte("0123456789abcdef"), 100_000/16)
	nbl := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: data}}
	if st, err := a.tgt.MiniportTcpOffloadSend(a.conn().Context(), nbl); err != nil || st != ndis.StatusPending {
		t.Fatalf("MiniportTcpOffloadSend returned %s, %v", st, err)
	}
	b.host.waitFor(t, "the data at the other end", func() bool { return len(b.host.received) == len(data) })
	a.host.waitFor(t, "the send completion", func() bool { return len(a.host.sendDone) == 1 })
	if !bytes.Equal(b.host.received, data) || nbl.Status != ndis.StatusSuccess || nbl.BytesTransferred != uint32(len(data)) {
		t.Fatalf("received %d bytes; send completed with %s, %d bytes", len(b.host.received), nbl.Status, nbl.BytesTransferred)
	}

	q := fixtures.ReferenceTree(a.tree, fixtures.DelegatedOnly)
	if err := a.tgt.MiniportQueryOffload(q); err != nil {
		t.Fatal(err)
	}
	<-a.host.done
	if d := q.DependentBlockList.DependentBlockList.TCPDelegated; d.SndUna != 100+ndis.SeqNum(len(data)) || d.SndNxt != d.SndUna {
		t.Errorf("query: SndUna %d SndNxt %d, want %d", d.SndUna, d.SndNxt, 100+len(data))
	}

	stray := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: []byte("x")}}
	if _, err := a.tgt.MiniportTcpOffloadSend(0xdead0000, stray); err != nil {
		t.Fatal(err)
	}
	a.host.waitFor(t, "the stray send completed", func() bool { return len(a.host.sendDone) == 2 })
	if stray.Status != ndis.StatusUploadInProgress {
		t.Errorf("a send on no connection completed with %s, want NDIS_STATUS_UPLOAD_IN_PROGRESS", stray.Status)
	}

	term := fixtures.ReferenceTree(b.tree, fixtures.DelegatedOnly)
	if err := b.tgt.MiniportTerminateOffload(term); err != nil {
		t.Fatal(err)
	}
	<-b.host.done
	if d := term.DependentBlockList.DependentBlockList.TCPDelegated; d.RcvNxt != 100+ndis.SeqNum(len(data)) {
		t.Errorf("terminate: RcvNxt %d, want %d", d.RcvNxt, 100+len(data))
	}
	more := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: []byte("after the upload")}}
	a.tgt.MiniportTcpOffloadSend(a.conn().Context(), more)
	b.host.waitFor(t, "the frame handed to the host stack", func() bool { return b.host.nonOffld > 0 })
}

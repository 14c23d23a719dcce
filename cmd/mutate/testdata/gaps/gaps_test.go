// Package reference_test holds the scenarios behind the surviving mutants of the reference
// that cmd/mutate found and the suite does not kill: each test passes against the reference
// and fails (or deadlocks, or panics) against the mutants named above it. They are evidence
// for the gaps, not specs: the specs that should kill these mutants belong in suites/.
//
// The file lives in testdata so that nothing builds it by default; it is added to package
// reference through -overlay. From the module root:
//
//	printf '{"Replace":{"%s/reference/zz_gaps_test.go":"%s/cmd/mutate/testdata/gaps/gaps_test.go"}}' \
//		"$PWD" "$PWD" > /tmp/gaps.json
//	go test -overlay=/tmp/gaps.json -run TestGap ./reference          # passes
//
// and against one mutant:
//
//	id=reference/objects.go:104:35:bool-literal f=${id%%:*}
//	go run ./cmd/mutate -source $id > /tmp/mutant.go
//	printf '{"Replace":{"%s/reference/zz_gaps_test.go":"%s/cmd/mutate/testdata/gaps/gaps_test.go","%s/%s":"/tmp/mutant.go"}}' \
//		"$PWD" "$PWD" "$PWD" "$f" > /tmp/gaps.json
//	go test -overlay=/tmp/gaps.json -run TestGapSharedSourceMAC ./reference   # fails
package reference_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

type gapHost struct {
	mu         sync.Mutex
	done       chan *ndis.MiniportOffloadBlockList
	sendCalls  int
	onComplete func(*ndis.MiniportOffloadBlockList) // called inside each completion
	slow       time.Duration
}

func (h *gapHost) complete(t *ndis.MiniportOffloadBlockList) {
	if h.onComplete != nil {
		h.onComplete(t)
	}
	if h.slow > 0 {
		time.Sleep(h.slow)
	}
	h.done <- t
}
func (h *gapHost) NdisMInitiateOffloadComplete(t *ndis.MiniportOffloadBlockList)   { h.complete(t) }
func (h *gapHost) NdisMQueryOffloadStateComplete(t *ndis.MiniportOffloadBlockList) { h.complete(t) }
func (h *gapHost) NdisMUpdateOffloadComplete(t *ndis.MiniportOffloadBlockList)     { h.complete(t) }
func (h *gapHost) NdisMInvalidateOffloadComplete(t *ndis.MiniportOffloadBlockList) { h.complete(t) }
func (h *gapHost) NdisMTerminateOffloadComplete(t *ndis.MiniportOffloadBlockList)  { h.complete(t) }
func (h *gapHost) NdisTcpOffloadSendComplete(*ndis.NetBufferList) {
	h.mu.Lock()
	h.sendCalls++
	h.mu.Unlock()
}

func refConfig(t *testing.T, change func(*reference.Config)) reference.Config {
	cfg, err := config.Load("../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	rc := cfg.ReferenceConfig()
	if change != nil {
		change(&rc)
	}
	return rc
}

func openRef(t *testing.T, rc reference.Config) (*reference.Target, *gapHost) {
	h := &gapHost{done: make(chan *ndis.MiniportOffloadBlockList, 16)}
	tgt := reference.New(rc)
	if _, err := tgt.Open(h); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tgt.Close() })
	return tgt, h
}

func run(t *testing.T, h *gapHost, call func(*ndis.MiniportOffloadBlockList) error, tree *ndis.MiniportOffloadBlockList) {
	t.Helper()
	for _, b := range ndis.Blocks(tree) {
		b.Status = 0xDEADBEEF
	}
	if err := call(tree); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.done:
	case <-time.After(2 * time.Second):
		t.Fatal("no completion")
	}
}

func ctxAt(tree *ndis.MiniportOffloadBlockList, path string) ndis.Context {
	for _, v := range ndis.Walk(tree) {
		if v.Path == path {
			return v.Block.Context()
		}
	}
	panic("no block " + path)
}

func expectStatus(t *testing.T, what string, got, want ndis.Status) {
	t.Helper()
	if got != want {
		t.Errorf("%s: Status %s, want %s", what, got, want)
	}
}

// initiate.go:60:59: a failed first connection under a linker stops its siblings.
func TestGapFirstFailureUnderLinker(t *testing.T) {
	rc := refConfig(t, func(c *reference.Config) { c.RootFailureStopsWholeTree = true })
	tgt, h := openRef(t, rc)
	first := fixtures.OneConnection()
	run(t, h, tgt.MiniportInitiateOffload, first)
	tree := fixtures.ConnectionOnOffloadedPath(ctxAt(first, "neighbor[0]/path[0]"), 2)
	conns := tree.DependentBlockList.Dependents()
	conns[0].TCPCached.InitialRcvWnd = rc.Limits.MaxInitialRcvWnd.Value + 1
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the second connection", conns[1].Status, ndis.StatusSuccess)
}

// initiate.go:46:61: a failed first linker under a placeholder root stops its siblings.
func TestGapFirstFailureUnderPlaceholder(t *testing.T) {
	rc := refConfig(t, func(c *reference.Config) { c.RootFailureStopsWholeTree = true })
	tgt, h := openRef(t, rc)
	first := fixtures.PathsOnOneNeighbor(2)
	run(t, h, tgt.MiniportInitiateOffload, first)
	bad, good := fixtures.NewConnection(200), fixtures.NewConnection(201)
	bad.TCPCached.InitialRcvWnd = rc.Limits.MaxInitialRcvWnd.Value + 1
	tree := fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor),
		fixtures.Under(fixtures.Linker(ndis.LayerPath, ctxAt(first, "neighbor[0]/path[0]")), bad),
		fixtures.Under(fixtures.Linker(ndis.LayerPath, ctxAt(first, "neighbor[0]/path[1]")), good))
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the connection under the second linker", good.Status, ndis.StatusSuccess)
}

// initiate.go:48:56, initiate.go:51:4: a placeholder with one failed dependent, under
// placeholderStatusFollowsDependents alone.
func TestGapPlaceholderWithOneFailedDependent(t *testing.T) {
	rc := refConfig(t, func(c *reference.Config) { c.PlaceholderStatusFromDependents = true })
	tgt, h := openRef(t, rc)
	first := fixtures.OneConnection()
	run(t, h, tgt.MiniportInitiateOffload, first)
	tree := fixtures.ConnectionOnOffloadedPath(ctxAt(first, "neighbor[0]/path[0]"), 1)
	tree.DependentBlockList.DependentBlockList.TCPCached.InitialRcvWnd = rc.Limits.MaxInitialRcvWnd.Value + 1
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the linker", tree.DependentBlockList.Status, ndis.StatusFailure)
	expectStatus(t, "the placeholder", tree.Status, ndis.StatusOffloadPartialSuccess)
}

// objects.go:104:35: two neighbors with one source MAC need one source MAC entry.
func TestGapSharedSourceMAC(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil)) // sourceMACEntries: 1
	tree := fixtures.NeighborsWithSourceMACs(2)
	ns := tree.Siblings()
	ns[1].NeighborConst.DlSourceAddress = ns[0].NeighborConst.DlSourceAddress
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the second neighbor", ns[1].Status, ndis.StatusSuccess)
}

// objects.go:115:26: two neighbors with one VLAN ID need one VLAN entry.
func TestGapSharedVLAN(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil)) // vlanEntries: 1, interface VLAN IDs 10 and 20
	tree := fixtures.NeighborsWithVLANs(10, 10)
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the second neighbor", tree.Siblings()[1].Status, ndis.StatusSuccess)
}

// objects.go:114:24: an untagged neighbor uses no VLAN entry.
func TestGapUntaggedUsesNoVLANEntry(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	tree := fixtures.NeighborsWithVLANs(0, 10)
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the tagged neighbor", tree.Siblings()[1].Status, ndis.StatusSuccess)
}

// objects.go:125:32: paths sharing a source address need one source IP address entry.
func TestGapSharedSourceIP(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil)) // sourceIPAddressEntries: 3
	tree := fixtures.PathsFromDistinctSources(3)
	ps := tree.Dependents()
	again := fixtures.NewPath(ndis.Ip4OffloadState, ps[0].PathConst.SourceAddress, ps[2].PathConst.DestinationAddress.Next(), 1500)
	ps[2].NextBlock = again
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the fourth path, from the first path's source", again.Status, ndis.StatusSuccess)
}

// initiate.go:156:73: an interface with a single VLAN ID.
func TestGapOneInterfaceVLAN(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, func(c *reference.Config) {
		c.Limits.InterfaceVLANIDs = target.VLANIDs{IDs: []uint16{10}, Declared: true}
	}))
	tree := fixtures.NeighborsWithVLANs(20)
	run(t, h, tgt.MiniportInitiateOffload, tree)
	expectStatus(t, "the neighbor", tree.Status, ndis.StatusOffloadVLANMismatch)
}

// objects.go:67:9: contexts stay non-NULL past 256 objects.
func TestGapContextsStayNonNull(t *testing.T) {
	tgt, h := openRef(t, reference.Config{})
	for i := range 100 {
		tree := fixtures.OneConnection()
		run(t, h, tgt.MiniportInitiateOffload, tree)
		for _, v := range ndis.Walk(tree) {
			if v.Block.Context() == 0 {
				t.Fatalf("round %d: %s offloaded with a NULL PVOID", i, v.Path)
			}
		}
		run(t, h, tgt.MiniportTerminateOffload, fixtures.ReferenceTree(tree, fixtures.DelegatedOnly))
	}
}

// terminate.go:38:39, terminate.go:45:39: terminated neighbors and paths free their entries.
func TestGapTerminateFreesNeighborAndPathEntries(t *testing.T) {
	rc := refConfig(t, nil)
	tgt, h := openRef(t, rc)
	for round := range 2 {
		ns := fixtures.Neighbors(int(rc.Limits.NeighborEntries.Value))
		run(t, h, tgt.MiniportInitiateOffload, ns)
		for _, b := range ns.Siblings() {
			expectStatus(t, "a neighbor", b.Status, ndis.StatusSuccess)
		}
		run(t, h, tgt.MiniportTerminateOffload, fixtures.ReferenceTree(ns, fixtures.DelegatedOnly))
		ps := fixtures.PathsWithoutConnections(int(rc.Limits.PathEntries.Value))
		run(t, h, tgt.MiniportInitiateOffload, ps)
		for _, b := range ps.Dependents() {
			if b.Status != ndis.StatusSuccess {
				t.Errorf("round %d: a path: %s", round, b.Status)
			}
		}
		run(t, h, tgt.MiniportTerminateOffload, fixtures.ReferenceTree(ps, fixtures.DelegatedOnly))
	}
}

// terminate.go:62:2: NetBufferListChain written NULL when nothing is handed back.
func TestGapTerminateWritesNullChain(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	tree := fixtures.OneConnection()
	run(t, h, tgt.MiniportInitiateOffload, tree)
	term := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
	tcp := fixtures.TCPBlock(term)
	tcp.NetBufferListChain = &ndis.NetBufferList{} // what the host's memory held before
	run(t, h, tgt.MiniportTerminateOffload, term)
	if tcp.NetBufferListChain != nil {
		t.Error("NetBufferListChain is not NULL")
	}
}

// terminate.go:63:29, terminate.go:63:33: no send completion without send data.
func TestGapNoEmptySendCompletion(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, func(c *reference.Config) { c.SendCompleteInitiateData = true }))
	tree := fixtures.OneConnection()
	run(t, h, tgt.MiniportInitiateOffload, tree)
	run(t, h, tgt.MiniportTerminateOffload, fixtures.ReferenceTree(tree, fixtures.DelegatedOnly))
	if h.sendCalls != 0 {
		t.Errorf("%d NdisTcpOffloadSendComplete calls for a connection without send data", h.sendCalls)
	}
}

// update.go:70:31, update.go:74:50, update.go:77:46, update.go:77:67: no restart flag, no reset.
func TestGapUpdateWithoutRestartFlags(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	tree := fixtures.OneConnection()
	conn := fixtures.KeepAliveRunning(fixtures.TCPBlock(tree), 3, 5000)
	conn.TCPDelegated.TotalRT = 7
	run(t, h, tgt.MiniportInitiateOffload, tree)
	upd := fixtures.UpdateTree(tree, func(b *ndis.MiniportOffloadBlockList) any {
		if b.TCPCached != nil {
			c := *b.TCPCached // same flags (keepalive and Nagle on, no restart), MaxRT 0
			return &c
		}
		return nil
	})
	run(t, h, tgt.MiniportUpdateOffload, upd)
	q := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
	run(t, h, tgt.MiniportQueryOffload, q)
	d := fixtures.TCPBlock(q).TCPDelegated
	if d.KeepAlive.ProbeCount != 3 || d.KeepAlive.TimeoutDelta != 5000 || d.TotalRT != 7 {
		t.Errorf("after an update without restart flags: KeepAlive %+v, TotalRT %d; want {3 5000}, 7", d.KeepAlive, d.TotalRT)
	}
}

// target.go:88:31 (capacity 0): the host starts an initiate from inside a completion (INIT-035).
func TestGapInitiateFromInsideCompletion(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	second := fixtures.OneConnection()
	var once sync.Once
	errs := make(chan error, 1)
	h.onComplete = func(*ndis.MiniportOffloadBlockList) {
		once.Do(func() { errs <- tgt.MiniportInitiateOffload(second) })
	}
	first := fixtures.OneConnection()
	if err := tgt.MiniportInitiateOffload(first); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		select {
		case <-h.done:
		case <-time.After(2 * time.Second):
			t.Fatalf("completion %d of 2 never came", i+1)
		}
	}
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// update.go:35:3, update.go:35:13, update.go:35:20: a stand-alone path block in an update.
func TestGapStandAlonePathUpdate(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	tree := fixtures.OneConnection()
	run(t, h, tgt.MiniportInitiateOffload, tree)
	upd := fixtures.Linker(ndis.LayerPath, ctxAt(tree, "neighbor[0]/path[0]"))
	upd.Header.Type = ndis.Ip4OffloadCachedState
	upd.PathCached = &ndis.PathOffloadStateCached{Header: tree.DependentBlockList.PathCached.Header, PathMTU: 1400}
	run(t, h, tgt.MiniportUpdateOffload, upd)
	expectStatus(t, "the path", upd.Status, ndis.StatusSuccess)
}

// update.go:24:8, 32:8, 47:8, 35:37, 36:37: an update of healthy objects answers SUCCESS.
func TestGapUpdateSucceeds(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	tree := fixtures.OneConnection()
	run(t, h, tgt.MiniportInitiateOffload, tree)
	upd := fixtures.UpdateTree(tree, func(b *ndis.MiniportOffloadBlockList) any {
		switch {
		case b.NeighborCached != nil:
			c := *b.NeighborCached
			return &c
		case b.PathCached != nil:
			c := *b.PathCached
			return &c
		case b.TCPCached != nil:
			c := *b.TCPCached
			return &c
		}
		return nil
	})
	under := fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.UpdateTree(tree.DependentBlockList, func(b *ndis.MiniportOffloadBlockList) any {
		if b.PathCached != nil {
			c := *b.PathCached
			return &c
		}
		return nil
	}))
	under.DependentBlockList.NextBlock = nil
	for _, u := range []*ndis.MiniportOffloadBlockList{upd, under} {
		run(t, h, tgt.MiniportUpdateOffload, u)
		for _, v := range ndis.Walk(u) {
			expectStatus(t, v.Path, v.Block.Status, ndis.StatusSuccess)
		}
	}
}

// invalidate.go:26:27, invalidate.go:31:33: invalidating a healthy path or connection.
func TestGapInvalidateSucceeds(t *testing.T) {
	for _, c := range []struct {
		layer ndis.Layer
		path  string
	}{{ndis.LayerPath, "neighbor[0]/path[0]"}, {ndis.LayerTCP, "neighbor[0]/path[0]/tcp[0]"}} {
		tgt, h := openRef(t, refConfig(t, nil))
		tree := fixtures.OneConnection()
		run(t, h, tgt.MiniportInitiateOffload, tree)
		inv := fixtures.Linker(c.layer, ctxAt(tree, c.path))
		run(t, h, tgt.MiniportInvalidateOffload, inv)
		expectStatus(t, c.path, inv.Status, ndis.StatusSuccess)
	}
}

// terminate.go:75:24 (both), 75:26, 76:3: buffered receive data comes back at terminate, and
// no BufferedData without any.
func TestGapBufferedDataComesBack(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	tree := fixtures.ConnectionsOnOnePath(2)
	conns := tree.DependentBlockList.Dependents()
	fixtures.WithBufferedReceiveData(conns[0], []byte{42})
	run(t, h, tgt.MiniportInitiateOffload, tree)
	term := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
	run(t, h, tgt.MiniportTerminateOffload, term)
	got := term.DependentBlockList.Dependents()
	if d := got[0].TCPDelegated.BufferedData; d == nil || d.FirstNetBuffer == nil || string(d.FirstNetBuffer.Data) != "\x2a" {
		t.Errorf("the connection with one buffered byte: BufferedData %v", d)
	}
	if d := got[1].TCPDelegated.BufferedData; d != nil {
		t.Errorf("the connection without buffered data: BufferedData %v, want NULL", d)
	}
}

// target.go:110:32, 113:2, 114:2: a handler after Close returns an error, promptly (the
// lifecycle of the Go contract, not an NDIS rule).
func TestGapHandlerAfterClose(t *testing.T) {
	tgt, _ := openRef(t, refConfig(t, nil))
	if err := tgt.Close(); err != nil {
		t.Fatal(err)
	}
	res := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				res <- errors.New("panicked")
			}
		}()
		res <- tgt.MiniportInitiateOffload(fixtures.OneConnection())
	}()
	select {
	case err := <-res:
		if !errors.Is(err, reference.ErrNotOpen) {
			t.Errorf("a handler after Close: %v, want ErrNotOpen", err)
		}
	case <-time.After(2 * time.Second):
		t.Error("a handler after Close never returned")
	}
}

// target.go:115:7 (and 110:32): Close completes what was queued before it returns (the
// contract's lifecycle again).
func TestGapCloseCompletesQueued(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	h.slow = 100 * time.Millisecond
	if err := tgt.MiniportInitiateOffload(fixtures.OneConnection()); err != nil {
		t.Fatal(err)
	}
	if err := tgt.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.done:
	default:
		t.Error("Close returned before the queued initiate was completed")
	}
}

// target.go:98:35, 99:35, 100:35, 101:35: what the reference declares.
func TestGapDeclaredCapabilities(t *testing.T) {
	tgt := reference.New(refConfig(t, nil))
	info, err := tgt.Open(&gapHost{done: make(chan *ndis.MiniportOffloadBlockList, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	c := info.Capabilities.TCPConnectionOffload
	if c.Encapsulation != 0x2 || !c.SupportIPv4 || !c.SupportIPv6 || !c.SupportSack {
		t.Errorf("declared %+v", c)
	}
}

// query.go:49:4: SendBacklogSize on query is "not supported".
func TestGapSendBacklogNotSupported(t *testing.T) {
	tgt, h := openRef(t, refConfig(t, nil))
	tree := fixtures.OneConnection()
	fixtures.TCPBlock(tree).TCPDelegated.SendBacklogSize = 1234 // what the host's structure held at initiate
	run(t, h, tgt.MiniportInitiateOffload, tree)
	q := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
	run(t, h, tgt.MiniportQueryOffload, q)
	if got := fixtures.TCPBlock(q).TCPDelegated.SendBacklogSize; got != ndis.BacklogNotSupported {
		t.Errorf("SendBacklogSize %#x, want %#x", got, ndis.BacklogNotSupported)
	}
}

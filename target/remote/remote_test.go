package remote_test

import (
	"errors"
	"fmt"
	"github.com/ndis-chimney/conformance/target/hosttest"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
)

const wait = 5 * time.Second

// completion is one call a target made into the recording host.
type completion struct {
	op    string
	tree  *ndis.MiniportOffloadBlockList
	chain *ndis.NetBufferList
}

// recorder is a host that passes every completion to the test.
type recorder chan completion

func (r recorder) NdisMInitiateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	r <- completion{op: "initiate", tree: t}
}
func (r recorder) NdisMQueryOffloadStateComplete(t *ndis.MiniportOffloadBlockList) {
	r <- completion{op: "query", tree: t}
}
func (r recorder) NdisMUpdateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	r <- completion{op: "update", tree: t}
}
func (r recorder) NdisMInvalidateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	r <- completion{op: "invalidate", tree: t}
}
func (r recorder) NdisMTerminateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	r <- completion{op: "terminate", tree: t}
}
func (r recorder) NdisTcpOffloadSendComplete(c *ndis.NetBufferList) {
	r <- completion{op: "send", chain: c}
}

func (r recorder) next(t *testing.T) completion {
	t.Helper()
	select {
	case c := <-r:
		return c
	case <-time.After(wait):
		t.Fatal("no completion within", wait)
		return completion{}
	}
}

func (r recorder) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case c := <-r:
		t.Fatalf("unexpected %s completion", c.op)
	case <-time.After(d):
	}
}

// socketDir returns a short private directory (unix socket paths are limited to ~108 bytes).
func socketDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "rt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// serve serves targets made by newTarget on a unix socket and returns a factory of clients.
func serve(t testing.TB, newTarget func() (target.Target, error), opts remote.ClientOptions) (*remote.Server, func() (target.Target, error)) {
	t.Helper()
	sock := filepath.Join(socketDir(t), "t.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := remote.NewServer(newTarget, remote.Bounds{})
	go srv.Serve(lis)
	t.Cleanup(func() { srv.Stop(time.Second) })
	ep, err := remote.Connect("unix://"+sock, remote.ConnectOptions{ClientOptions: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	return srv, ep.Factory()
}

func open(t *testing.T, f func() (target.Target, error)) (target.Target, recorder, target.Info) {
	t.Helper()
	tgt, err := f()
	if err != nil {
		t.Fatal(err)
	}
	host := make(recorder, 16)
	info, err := tgt.Open(hosttest.StateOnly(host))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tgt.Close() })
	return tgt, host, info
}

// canaries fills the members the harness fills before handing a tree over.
func canaries(tree *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	for i, b := range ndis.Blocks(tree) {
		n := uint64(i+1) << 8
		b.Status = 0xDEADBEEF
		b.NdisReserved = [2]uint64{0x4E44495300000000 | n, 0x4E44495300000001 | n}
		b.ProtocolReserved = [2]uint64{0x50524F5400000000 | n, 1 | n}
		b.ImReserved = [2]uint64{0x494D525300000000 | n, 2 | n}
		b.Scratch = [2]uint64{3 | n, 4 | n}
		b.SourceHandle = 0x5352434800000000 | n
		b.NdisOffloadHandle = ndis.Handle(0x4844_4C00_0000_0000 | n)
		b.PortNumber = uint32(i)
		for _, l := range b.NetBufferListChain.Chain() {
			l.Status = 0x5EEDF00D
		}
	}
	return tree
}

// dump renders every member of every block and list of a tree (pointers as what they name).
func dump(tree *ndis.MiniportOffloadBlockList) string {
	var sb strings.Builder
	blocks := ndis.Blocks(tree)
	index := map[*ndis.MiniportOffloadBlockList]int{}
	for i, b := range blocks {
		index[b] = i + 1
	}
	chain := func(l *ndis.NetBufferList) string {
		var parts []string
		for _, n := range l.Chain() {
			var data []string
			for nb := n.FirstNetBuffer; nb != nil; nb = nb.Next {
				data = append(data, fmt.Sprintf("%x", nb.Data))
			}
			id := n.ID
			if id >= 1<<63 {
				id = 0 // a list the target made: in process it keeps ID 0, over the protocol it is named by the server
			}
			parts = append(parts, fmt.Sprintf("{id=%d status=%s data=%v}", id, n.Status, data))
		}
		return strings.Join(parts, "->")
	}
	for _, v := range ndis.Walk(tree) {
		b := *v.Block
		fmt.Fprintf(&sb, "%s next=%d dep=%d", v.Path, index[b.NextBlock], index[b.DependentBlockList])
		if b.MiniportOffloadContext != nil {
			fmt.Fprintf(&sb, " ctx=%#x", uint64(*b.MiniportOffloadContext))
		}
		fmt.Fprintf(&sb, " chain=%s", chain(b.NetBufferListChain))
		b.NextBlock, b.DependentBlockList, b.MiniportOffloadContext, b.NetBufferListChain = nil, nil, nil, nil
		state := []any{b.NeighborConst, b.NeighborCached, b.NeighborDelegated, b.PathConst, b.PathCached, b.PathDelegated, b.TCPConst, b.TCPCached}
		b.NeighborConst, b.NeighborCached, b.NeighborDelegated, b.PathConst, b.PathCached, b.PathDelegated, b.TCPConst, b.TCPCached = nil, nil, nil, nil, nil, nil, nil, nil
		var d *ndis.TCPOffloadStateDelegated
		if b.TCPDelegated != nil {
			c := *b.TCPDelegated
			fmt.Fprintf(&sb, " head=%s tail=%s buffered=%s", chain(c.SendDataHead), chain(c.SendDataTail), chain(c.BufferedData))
			c.SendDataHead, c.SendDataTail, c.BufferedData = nil, nil, nil
			d = &c
		}
		b.TCPDelegated = nil
		fmt.Fprintf(&sb, " %+v", b)
		for _, s := range append(state, d) {
			fmt.Fprintf(&sb, " %+v", s)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// script runs the same steps against a target and returns what each completion looked like.
func script(t *testing.T, tgt target.Target, host recorder) []string {
	t.Helper()
	var out []string
	tree := canaries(fixtures.OneConnection())
	conn := fixtures.TCPBlock(tree)
	lists := fixtures.WithSendData(conn, 100, 100, 200, 50)
	for i, l := range lists {
		l.ID = uint64(i + 1)
		l.Status = 0x5EEDF00D
	}
	fixtures.WithBufferedReceiveData(conn, []byte("buffered")).ID = 9
	step := func(name string, call func(*ndis.MiniportOffloadBlockList) error, tree *ndis.MiniportOffloadBlockList) {
		t.Helper()
		if err := call(tree); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := host.next(t)
		for c.op == "send" {
			out = append(out, "send "+fmt.Sprint(c.chain.Chain()))
			for i, l := range c.chain.Chain() {
				if i < len(lists) && l != lists[l.ID-1] {
					t.Errorf("send completion: list %d is not the list handed over", l.ID)
				}
			}
			c = host.next(t)
		}
		if c.op != name || c.tree != tree {
			t.Fatalf("%s: got a %s completion of %p, want the tree handed over (%p)", name, c.op, c.tree, tree)
		}
		out = append(out, name+"\n"+dump(tree))
	}
	step("initiate", tgt.MiniportInitiateOffload, tree)
	step("query", tgt.MiniportQueryOffload, canaries(fixtures.ReferenceTree(tree, fixtures.AllClasses)))
	step("update", tgt.MiniportUpdateOffload, canaries(fixtures.UpdateTree(tree, func(b *ndis.MiniportOffloadBlockList) any {
		if b.TCPCached == nil {
			return nil
		}
		c := *b.TCPCached
		c.KaTimeout++
		return &c
	})))
	step("invalidate", tgt.MiniportInvalidateOffload, canaries(fixtures.ReferenceTree(tree, fixtures.NoState)))
	term := canaries(fixtures.ReferenceTree(tree, fixtures.DelegatedOnly))
	step("terminate", tgt.MiniportTerminateOffload, term)
	for _, l := range fixtures.TCPBlock(term).NetBufferListChain.Chain() {
		if l != lists[l.ID-1] {
			t.Errorf("terminate chain: list %d is not the list handed over", l.ID)
		}
	}
	return out
}

func TestReferenceOverTheProtocolCompletesLikeInProcess(t *testing.T) {
	for _, cfg := range []reference.Config{{}, {SendCompleteInitiateData: true}} {
		t.Run(fmt.Sprintf("SendCompleteInitiateData=%v", cfg.SendCompleteInitiateData), func(t *testing.T) {
			local, localHost, localInfo := open(t, func() (target.Target, error) { return reference.New(cfg), nil })
			want := script(t, local, localHost)

			_, f := serve(t, func() (target.Target, error) { return reference.New(cfg), nil }, remote.ClientOptions{CallTimeout: wait})
			rt, rtHost, rtInfo := open(t, f)
			got := script(t, rt, rtHost)

			if fmt.Sprint(rtInfo) != fmt.Sprint(localInfo) {
				t.Errorf("Info:\n got %+v\nwant %+v", rtInfo, localInfo)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d completions, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("completion %d differs\n got:\n%s\nwant:\n%s", i, got[i], want[i])
				}
			}
		})
	}
}

func TestInfoCarriesEveryLimit(t *testing.T) {
	limits := target.Limits{
		TCPEntries: target.Declare(1), PathEntries: target.Declare(2), NeighborEntries: target.Declare(3),
		HostMemoryObjects: target.Declare(4), SourceIPAddressEntries: target.Declare(5),
		ConfigurableSourceMAC: target.DeclareFlag(true), SourceMACEntries: target.Declare(6),
		InterfaceVLANIDs: target.VLANIDs{IDs: []uint16{0, 7, 0xFFF}, Declared: true}, VLANEntries: target.Declare(8),
		MaxInitialRcvWnd: target.Declare(9), MaxPathMTU: target.Declare(10), TransmitBuffers: target.Declare(11),
	}
	_, f := serve(t, func() (target.Target, error) { return reference.New(reference.Config{Limits: limits}), nil }, remote.ClientOptions{})
	_, _, info := open(t, f)
	if got := info.Capabilities.Limits; fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", limits) {
		t.Errorf("limits:\n got %+v\nwant %+v", got, limits)
	}
}

// scripted is a misbehaving target: each handler call runs do.
type scripted struct {
	host target.Host
	do   func(host target.Host, tree *ndis.MiniportOffloadBlockList) error
}

func (s *scripted) Open(h target.Host) (target.Info, error) {
	s.host = h
	return target.Info{Name: "scripted"}, nil
}
func (s *scripted) Close() error { return nil }
func (s *scripted) MiniportInitiateOffload(t *ndis.MiniportOffloadBlockList) error {
	return s.do(s.host, t)
}
func (s *scripted) MiniportQueryOffload(t *ndis.MiniportOffloadBlockList) error {
	return s.do(s.host, t)
}
func (s *scripted) MiniportUpdateOffload(t *ndis.MiniportOffloadBlockList) error {
	return s.do(s.host, t)
}
func (s *scripted) MiniportInvalidateOffload(t *ndis.MiniportOffloadBlockList) error {
	return s.do(s.host, t)
}
func (s *scripted) MiniportTerminateOffload(t *ndis.MiniportOffloadBlockList) error {
	return s.do(s.host, t)
}

func serveScripted(t *testing.T, opts remote.ClientOptions, do func(target.Host, *ndis.MiniportOffloadBlockList) error) (*remote.Server, target.Target, recorder) {
	srv, f := serve(t, func() (target.Target, error) { return &scripted{do: do}, nil }, opts)
	tgt, host, _ := open(t, f)
	return srv, tgt, host
}

func TestASecondCompletionIsForwardedAgain(t *testing.T) {
	_, tgt, host := serveScripted(t, remote.ClientOptions{}, func(h target.Host, tree *ndis.MiniportOffloadBlockList) error {
		go func() {
			tree.Status = ndis.StatusSuccess
			h.NdisMInitiateOffloadComplete(tree)
			tree.Status = ndis.StatusFailure
			h.NdisMInitiateOffloadComplete(tree)
		}()
		return nil
	})
	tree := fixtures.OneConnection()
	if err := tgt.MiniportInitiateOffload(tree); err != nil {
		t.Fatal(err)
	}
	first := host.next(t)
	if first.tree != tree {
		t.Fatal("first completion is not of the tree handed over")
	}
	second := host.next(t)
	if second.tree != tree || tree.Status != ndis.StatusFailure {
		t.Fatalf("second completion: tree %p (want %p), status %s (want the second write)", second.tree, tree, tree.Status)
	}
}

func TestACompletionOfAnUnknownTreeIsForwardedAsANewTree(t *testing.T) {
	_, tgt, host := serveScripted(t, remote.ClientOptions{}, func(h target.Host, tree *ndis.MiniportOffloadBlockList) error {
		go func() {
			own := fixtures.NeighborOnly()
			own.NetBufferListChain = &ndis.NetBufferList{ID: 1, Status: ndis.StatusSuccess} // pretends to be list 1
			h.NdisMInitiateOffloadComplete(own)
		}()
		return nil
	})
	tree := fixtures.OneConnection()
	lists := fixtures.WithSendData(fixtures.TCPBlock(tree), 0, 10)
	lists[0].ID = 1
	if err := tgt.MiniportInitiateOffload(tree); err != nil {
		t.Fatal(err)
	}
	c := host.next(t)
	if c.tree == nil || c.tree == tree || c.tree.NeighborConst == nil {
		t.Fatalf("got %p (%s), want a fresh neighbor tree", c.tree, ndis.Format(c.tree))
	}
	if l := c.tree.NetBufferListChain; l == nil || l == lists[0] {
		t.Errorf("a list the target made passes for the host's: %v", l)
	}
	if tree.Status != 0 {
		t.Errorf("the tree handed over was written: %s", ndis.Format(tree))
	}
}

func TestSendCompletionsHandBackTheOriginalLists(t *testing.T) {
	_, tgt, host := serveScripted(t, remote.ClientOptions{}, func(h target.Host, tree *ndis.MiniportOffloadBlockList) error {
		go func() {
			chain := fixtures.TCPBlock(tree).NetBufferListChain
			for _, l := range chain.Chain() {
				l.Status = ndis.StatusSuccess
			}
			chain.Next.Next.Next = &ndis.NetBufferList{Status: ndis.StatusSuccess} // one the host never gave
			h.NdisTcpOffloadSendComplete(chain)
		}()
		return nil
	})
	tree := fixtures.OneConnection()
	lists := fixtures.WithSendData(fixtures.TCPBlock(tree), 0, 1, 2, 3)
	if err := tgt.MiniportInitiateOffload(tree); err != nil {
		t.Fatal(err)
	}
	c := host.next(t)
	got := c.chain.Chain()
	if c.op != "send" || len(got) != 4 {
		t.Fatalf("got %s of %v, want a send completion of 4 lists", c.op, got)
	}
	for i, l := range lists {
		if got[i] != l || l.Status != ndis.StatusSuccess {
			t.Errorf("list %d: got %p status %s, want the original %p with NDIS_STATUS_SUCCESS", i, got[i], got[i].Status, l)
		}
	}
	if got[3] == nil || got[3].DataLength() != 0 || got[3].ID == 0 {
		t.Errorf("the target's own list: got %v, want a new list with an id", got[3])
	}
}

func TestATargetThatNeverCompletesCostsOnlyTime(t *testing.T) {
	_, tgt, host := serveScripted(t, remote.ClientOptions{CallTimeout: time.Second}, func(target.Host, *ndis.MiniportOffloadBlockList) error { return nil })
	if err := tgt.MiniportInitiateOffload(fixtures.OneConnection()); err != nil {
		t.Fatal(err)
	}
	host.none(t, 200*time.Millisecond)
	start := time.Now()
	if err := tgt.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %s", d)
	}
}

func TestAHandlerErrorIsReturned(t *testing.T) {
	_, tgt, _ := serveScripted(t, remote.ClientOptions{}, func(target.Host, *ndis.MiniportOffloadBlockList) error {
		return errors.New("adapter unplugged")
	})
	err := tgt.MiniportQueryOffload(fixtures.OneConnection())
	if err == nil || !strings.Contains(err.Error(), "MiniportQueryOffload: adapter unplugged") {
		t.Fatalf("got %v, want the handler's error", err)
	}
}

func TestAServerDyingMidCallFailsTheCallAndReportsAFault(t *testing.T) {
	var faults []error
	var mu sync.Mutex
	faulted := make(chan struct{}, 1)
	opts := remote.ClientOptions{CallTimeout: 2 * time.Second, OnFault: func(err error) {
		mu.Lock()
		faults = append(faults, err)
		mu.Unlock()
		select {
		case faulted <- struct{}{}:
		default:
		}
	}}
	entered := make(chan struct{})
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	srv, tgt, _ := serveScripted(t, opts, func(target.Host, *ndis.MiniportOffloadBlockList) error {
		close(entered)
		<-block
		return nil
	})
	go func() { <-entered; srv.Stop(0) }()
	start := time.Now()
	err := tgt.MiniportInitiateOffload(fixtures.OneConnection())
	if err == nil {
		t.Fatal("the call succeeded on a dead server")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the call took %s to fail", d)
	}
	select {
	case <-faulted:
	case <-time.After(wait):
		t.Fatal("OnFault was not called")
	}
	if err := tgt.MiniportTerminateOffload(fixtures.OneConnection()); !errors.Is(err, remote.ErrFault) {
		t.Errorf("the next call: got %v, want ErrFault", err)
	}
}

func TestConnectRefusesARemoteAddressUnlessAllowed(t *testing.T) {
	for addr, ok := range map[string]bool{
		"unix:///tmp/x.sock": true, "127.0.0.1:4000": true, "[::1]:4000": true, "localhost:4000": true,
		"192.0.2.1:4000": false, "example.com:4000": false, "unix://relative": false, "4000": false,
	} {
		ep, err := remote.Connect(addr, remote.ConnectOptions{})
		if (err == nil) != ok {
			t.Errorf("Connect(%q): err = %v, want ok=%v", addr, err, ok)
		}
		if ep != nil {
			ep.Close()
		}
	}
	ep, err := remote.Connect("192.0.2.1:4000", remote.ConnectOptions{AllowRemote: true})
	if err != nil {
		t.Errorf("AllowRemote: %v", err)
	} else {
		ep.Close()
	}
}

// slowHost takes a while over every completion and records when it returned.
type slowHost struct {
	recorder
	returned chan time.Time
}

func (h slowHost) NdisMInitiateOffloadComplete(t *ndis.MiniportOffloadBlockList) {
	time.Sleep(100 * time.Millisecond)
	h.returned <- time.Now()
}

func TestAHandlerThatCompletesSynchronouslyReturnsAfterTheHostsCompletion(t *testing.T) {
	_, f := serve(t, func() (target.Target, error) {
		return &scripted{do: func(h target.Host, tree *ndis.MiniportOffloadBlockList) error {
			h.NdisMInitiateOffloadComplete(tree) // on the handler's own goroutine
			return nil
		}}, nil
	}, remote.ClientOptions{})
	tgt, err := f()
	if err != nil {
		t.Fatal(err)
	}
	host := slowHost{recorder: make(recorder, 4), returned: make(chan time.Time, 4)}
	if _, err := tgt.Open(hosttest.StateOnly(host)); err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	if err := tgt.MiniportInitiateOffload(fixtures.OneConnection()); err != nil {
		t.Fatal(err)
	}
	returned := time.Now()
	select {
	case completed := <-host.returned:
		if returned.Before(completed) {
			t.Errorf("the handler returned %s before the host's completion did", completed.Sub(returned))
		}
	default:
		t.Fatal("the handler returned before the completion was delivered")
	}
}

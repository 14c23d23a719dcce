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
//	id=reference/terminate.go:76:3:statement-deletion f=${id%%:*}
//	go run ./cmd/mutate -source $id > /tmp/mutant.go
//	printf '{"Replace":{"%s/reference/zz_gaps_test.go":"%s/cmd/mutate/testdata/gaps/gaps_test.go","%s/%s":"/tmp/mutant.go"}}' \
//		"$PWD" "$PWD" "$PWD" "$f" > /tmp/gaps.json
//	go test -overlay=/tmp/gaps.json -run TestGapBufferedDataComesBack ./reference   # fails
package reference_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target/hosttest"
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
	if _, err := tgt.Open(hosttest.StateOnly(h)); err != nil {
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

// terminate.go:75:26, terminate.go:76:3: buffered receive data comes back at terminate.
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

// target.go:116:32, 119:2, 120:2: a handler after Close returns an error, promptly (the
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

// target.go:121:7 (and 116:32): Close completes what was queued before it returns (the
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
// query.go:49:4: SendBacklogSize on query is "not supported".

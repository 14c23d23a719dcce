package reference_test

import (
	"fmt"
	"github.com/ndis-chimney/conformance/target/hosttest"
	"runtime"
	"testing"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// BenchmarkOffloadTerminateConnections offloads one tree of n connections on one path and
// terminates it again, through the handlers and completions, with no limits declared. Only
// the two operations are timed, not building the trees. ns/conn and B/conn stay about the
// same whatever n is, as long as the reference's cost grows linearly with the connections.
// Compare sizes at the same count of rounds (-benchtime=3x): each run opens a fresh target,
// whose first round also grows its tables.
func BenchmarkOffloadTerminateConnections(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			tgt, done := openUnlimited(b)
			var allocated uint64
			// timed runs op with the timer on and counts what it allocates. It collects the
			// garbage left by building the trees first, so that its cost is not counted.
			timed := func(op func()) {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				b.StartTimer()
				op()
				b.StopTimer()
				runtime.ReadMemStats(&after)
				allocated += after.TotalAlloc - before.TotalAlloc
			}
			b.StopTimer()
			for range b.N {
				tree := fixtures.ConnectionsOnOnePath(n)
				timed(func() { initiate(b, tgt, done, tree) })
				term := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
				timed(func() { terminate(b, tgt, done, term) })
			}
			conns := float64(b.N) * float64(n)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/conns, "ns/conn")
			b.ReportMetric(float64(allocated)/conns, "B/conn")
			b.ReportMetric(0, "ns/op") // an op is n connections: compare ns/conn instead
		})
	}
}

// Every connection of a large tree is offloaded with its own context, and a terminate of the
// whole tree hands every one of them back.
func TestOffloadTerminateManyConnections(t *testing.T) {
	const n = 100_000
	tgt, done := openUnlimited(t)
	tree := fixtures.ConnectionsOnOnePath(n)
	initiate(t, tgt, done, tree)

	conns := tree.DependentBlockList.DependentBlockList.Siblings()
	if len(conns) != n {
		t.Fatalf("tree has %d connections, want %d", len(conns), n)
	}
	contexts := make(map[ndis.Context]bool, n)
	for i, c := range conns {
		if c.Status != ndis.StatusSuccess || c.Context() == 0 || contexts[c.Context()] {
			t.Fatalf("initiate: connection %d: Status %s, context %#x (zero or already used)", i, c.Status, c.Context())
		}
		contexts[c.Context()] = true
	}

	term := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
	terminate(t, tgt, done, term)
	for i, c := range term.DependentBlockList.DependentBlockList.Siblings() {
		if c.Status != ndis.StatusSuccess || c.TCPDelegated.State != ndis.TcpConnectionEstablished || c.TCPDelegated.SndUna != fixtures.InitialSeq {
			t.Fatalf("terminate: connection %d: Status %s, delegated state %s SndUna %d not handed back", i, c.Status, c.TCPDelegated.State, c.TCPDelegated.SndUna)
		}
	}

	// Terminated objects are gone: terminating them again fails for every block.
	again := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
	terminate(t, tgt, done, again)
	for i, b := range ndis.Blocks(again) {
		if b.Status != ndis.StatusFailure {
			t.Fatalf("second terminate: block %d: Status %s, want %s", i, b.Status, ndis.StatusFailure)
		}
	}
}

// openUnlimited opens a reference target that declares no limits, closed when the test ends.
func openUnlimited(tb testing.TB) (*reference.Target, completions) {
	tgt := reference.New(reference.Config{Limits: target.Limits{}})
	done := make(completions, 1)
	if _, err := tgt.Open(hosttest.StateOnly(done)); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { tgt.Close() })
	return tgt, done
}

// initiate offloads tree and waits for its completion.
func initiate(tb testing.TB, tgt *reference.Target, done completions, tree *ndis.MiniportOffloadBlockList) {
	tb.Helper()
	if err := tgt.MiniportInitiateOffload(tree); err != nil {
		tb.Fatal(err)
	}
	if got := <-done; got != tree {
		tb.Fatal("initiate completed another tree")
	}
}

// terminate terminates tree and waits for its completion.
func terminate(tb testing.TB, tgt *reference.Target, done completions, tree *ndis.MiniportOffloadBlockList) {
	tb.Helper()
	if err := tgt.MiniportTerminateOffload(tree); err != nil {
		tb.Fatal(err)
	}
	if got := <-done; got != tree {
		tb.Fatal("terminate completed another tree")
	}
}

package remote_test

import (
	"github.com/ndis-chimney/conformance/target/hosttest"
	"sort"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
)

// BenchmarkHandlerRoundTrip measures what the transport adds to a handler call: the harness's
// handler timeout (timeouts.handler) runs around the client's call, so it includes one round
// trip on the unix socket (the Call and its reply, and the CallReturned on Events) besides the
// handler itself, which here returns at once. It reports the median and the 99th percentile.
func BenchmarkHandlerRoundTrip(b *testing.B) {
	for _, c := range []struct {
		name string
		tree func() *ndis.MiniportOffloadBlockList
	}{
		{"one-connection", fixtures.OneConnection},
	} {
		b.Run(c.name, func(b *testing.B) {
			_, f := serve(b, func() (target.Target, error) {
				return &scripted{do: func(target.Host, *ndis.MiniportOffloadBlockList) error { return nil }}, nil
			}, remote.ClientOptions{})
			tgt, err := f()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tgt.Open(hosttest.StateOnly(make(recorder, 1))); err != nil {
				b.Fatal(err)
			}
			defer tgt.Close()
			tree := c.tree()
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if err := tgt.MiniportQueryOffload(tree); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "µs-median")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "µs-p99")
		})
	}
}

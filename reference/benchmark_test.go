package reference_test

import (
	"github.com/ndis-chimney/conformance/target/hosttest"
	"testing"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// completions is the smallest host: it passes every completion on to whoever waits for it.
type completions chan *ndis.MiniportOffloadBlockList

func (c completions) NdisMInitiateOffloadComplete(t *ndis.MiniportOffloadBlockList)   { c <- t }
func (c completions) NdisMQueryOffloadStateComplete(t *ndis.MiniportOffloadBlockList) { c <- t }
func (c completions) NdisMUpdateOffloadComplete(t *ndis.MiniportOffloadBlockList)     { c <- t }
func (c completions) NdisMInvalidateOffloadComplete(t *ndis.MiniportOffloadBlockList) { c <- t }
func (c completions) NdisMTerminateOffloadComplete(t *ndis.MiniportOffloadBlockList)  { c <- t }
func (c completions) NdisTcpOffloadSendComplete(*ndis.NetBufferList)                  {}

// BenchmarkOffloadRoundTrip measures one offload and upload of a tree of 8 connections on one
// path, through the handlers and completions: the cost the suite pays per spec on the
// reference, apart from the harness.
func BenchmarkOffloadRoundTrip(b *testing.B) {
	unlimited := target.Limits{}
	tgt := reference.New(reference.Config{Limits: unlimited})
	done := make(completions, 1)
	if _, err := tgt.Open(hosttest.StateOnly(done)); err != nil {
		b.Fatal(err)
	}
	defer tgt.Close()
	b.ReportAllocs()
	for b.Loop() {
		tree := fixtures.ConnectionsOnOnePath(8)
		if err := tgt.MiniportInitiateOffload(tree); err != nil {
			b.Fatal(err)
		}
		<-done
		if tree.Status != ndis.StatusSuccess {
			b.Fatalf("initiate: %s", tree.Status)
		}
		term := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
		if err := tgt.MiniportTerminateOffload(term); err != nil {
			b.Fatal(err)
		}
		<-done
	}
	b.ReportMetric(float64(b.N*10)/b.Elapsed().Seconds(), "offloaded-blocks/s") // 10 blocks per tree
}

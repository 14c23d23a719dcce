package wire

import (
	"context"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// benchBytes is what each side of BenchmarkBulkReferenceAgainstPeer moves per iteration.
const benchBytes = 8 << 20

// BenchmarkBulkReferenceAgainstPeer sends benchBytes one way twice per iteration on the same
// simulated link, every frame decoded, checked and kept: from the reference's TCP engine to a
// gVisor peer (offloaded from a connection the host stack opened), and from one gVisor stack
// to another. It reports both rates and their ratio (reference ÷ gVisor), the figure the
// README gives.
func BenchmarkBulkReferenceAgainstPeer(b *testing.B) {
	cfg, err := config.Load("../../ginkgo.yml")
	if err != nil {
		b.Fatal(err)
	}
	var ref, peer time.Duration
	for range b.N {
		ref += referenceToPeer(b, cfg)
		peer += peerToPeer(b)
	}
	mb := float64(benchBytes) * float64(b.N) / 1e6
	b.ReportMetric(mb/ref.Seconds(), "ref-MB/s")
	b.ReportMetric(mb/peer.Seconds(), "gvisor-MB/s")
	b.ReportMetric(peer.Seconds()/ref.Seconds(), "ratio")
}

// referenceToPeer times benchBytes sent by the reference, in 64 KiB lists, until the peer's
// application has read them all.
func referenceToPeer(b *testing.B, cfg *config.Config) time.Duration {
	b.Helper()
	host := harness.NewHost()
	tgt := reference.New(cfg.ReferenceConfig())
	if _, err := tgt.Open(host); err != nil {
		b.Fatal(err)
	}
	defer tgt.Close()
	r, err := NewRig(tgt, RigConfig{Options: Options{WindowScale: 7, Timestamps: true}})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := r.Connect(ctx, 1); err != nil {
		b.Fatal(err)
	}
	tree := r.Host.OffloadTree()
	r.Offloading(true)
	if err := tgt.MiniportInitiateOffload(tree); err != nil {
		b.Fatal(err)
	}
	conn := tree.DependentBlockList.DependentBlockList
	for len(host.Events()) == 0 { // the initiate completes on the reference's own loop
		if ctx.Err() != nil {
			b.Fatal("the reference did not complete the initiate")
		}
		time.Sleep(time.Millisecond)
	}
	if conn.Status != ndis.StatusSuccess {
		b.Fatalf("the reference did not offload the connection: %s", conn.Status)
	}
	const list = 64 << 10
	data := make([]byte, benchBytes)
	r.ToPeer.Wrote(data) // recorded before the clock starts, as the other half keeps no record
	start := time.Now()
	for sent := 0; sent < benchBytes; sent += list {
		l := &ndis.NetBufferList{FirstNetBuffer: &ndis.NetBuffer{Data: data[sent : sent+list]}}
		if _, err := tgt.MiniportTcpOffloadSend(*conn.MiniportOffloadContext, l); err != nil {
			b.Fatal(err)
		}
	}
	if err := WaitDelivered(ctx, r.ToPeer, time.Minute); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	if bad := r.Wire.Bad(); len(bad) > 0 {
		b.Fatalf("%d bad frames, first: %v", len(bad), bad[0])
	}
	return d
}

// peerToPeer times benchBytes from one gVisor stack to another over the same kind of wire.
func peerToPeer(b *testing.B) time.Duration {
	b.Helper()
	w := New(nil)
	w.MaxKept = 4096
	a, err := NewPeer(w.A, PeerConfig{MAC: [6]byte{2, 0, 0, 0, 0, 1}, Addrs: []netip.Prefix{addrA}})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	p, err := NewPeer(w.B, PeerConfig{MAC: [6]byte{2, 0, 0, 0, 0, 2}, Addrs: []netip.Prefix{addrB}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := p.Listen(addrB.Addr(), 5003)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	read := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			read <- err
			return
		}
		defer c.Close()
		_, err = io.CopyN(io.Discard, c, benchBytes)
		read <- err
	}()
	c, err := a.Dial(ctx, addrB.Addr(), 5003)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 64<<10)
	start := time.Now()
	for sent := 0; sent < benchBytes; sent += len(buf) {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-read; err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

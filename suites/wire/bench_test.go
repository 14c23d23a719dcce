package wire

import (
	"context"
	"io"
	"testing"
	"time"
)

// BenchmarkPeerToPeerBulk is the baseline the reference's TCP engine will be held to: bulk
// transfer one way between two gVisor stacks over the wire, every frame decoded, checked and
// captured. Bytes per second are in the MB/s column.
func BenchmarkPeerToPeerBulk(b *testing.B) {
	w, a, p, _ := twoPeers(b)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	l, err := p.Listen(addrB.Addr(), 5002)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	const chunk = 64 << 10
	read := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			read <- err
			return
		}
		defer c.Close()
		_, err = io.CopyN(io.Discard, c, int64(b.N)*chunk)
		read <- err
	}()
	c, err := a.Dial(ctx, addrB.Addr(), 5002)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, chunk)
	b.SetBytes(chunk)
	b.ResetTimer()
	for range b.N {
		if _, err := c.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-read; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if bad := w.Bad(); len(bad) > 0 {
		b.Fatalf("%d bad frames, first: %v", len(bad), bad[0])
	}
}

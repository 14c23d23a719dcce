package wire

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

var (
	addrA = netip.MustParsePrefix("10.0.0.1/24")
	addrB = netip.MustParsePrefix("10.0.0.2/24")
	a6    = netip.MustParsePrefix("fd00::1/64")
	b6    = netip.MustParsePrefix("fd00::2/64")
)

// twoPeers puts a gVisor stack on each port of a captured wire.
func twoPeers(t testing.TB) (*Wire, *Peer, *Peer, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wire.pcap")
	c, err := NewCapture(path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w := New(c)
	w.MaxKept = 4096
	a, err := NewPeer(w.A, PeerConfig{MAC: [6]byte{2, 0, 0, 0, 0, 1}, Addrs: []netip.Prefix{addrA, a6}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewPeer(w.B, PeerConfig{MAC: [6]byte{2, 0, 0, 0, 0, 2}, Addrs: []netip.Prefix{addrB, b6}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a.Close()
		b.Close()
		if err := w.Close(); err != nil {
			t.Errorf("closing the capture: %v", err)
		}
	})
	return w, a, b, path
}

// transfer sends n random bytes from one end of a connection to the other and back, and
// returns an error unless each side read exactly what the other wrote.
func transfer(ctx context.Context, t testing.TB, a, b *Peer, to netip.Addr, n int) error {
	t.Helper()
	l, err := b.Listen(to, 5001)
	if err != nil {
		return err
	}
	defer l.Close()
	data := make([]byte, n)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	accepted := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			accepted <- err
			return
		}
		defer c.Close()
		got := make([]byte, n)
		if _, err := io.ReadFull(c, got); err != nil {
			accepted <- err
			return
		}
		if !bytes.Equal(got, data) {
			accepted <- errors.New("B read other bytes than A wrote")
			return
		}
		_, err = c.Write(got) // and back
		accepted <- err
	}()
	c, err := a.Dial(ctx, to, 5001)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Write(data); err != nil {
		return err
	}
	back := make([]byte, n)
	if _, err := io.ReadFull(c, back); err != nil {
		return err
	}
	if err := <-accepted; err != nil {
		return err
	}
	if sha256.Sum256(back) != sha256.Sum256(data) {
		return errors.New("A read other bytes back than it wrote")
	}
	return nil
}

// Two real stacks carry a megabyte each way over IPv4 and over IPv6: every frame decodes, no
// checksum is wrong, and the capture reads back with as many Ethernet frames as crossed.
func TestTwoPeersCarryAMegabyteEachWay(t *testing.T) {
	for _, to := range []netip.Addr{addrB.Addr(), b6.Addr()} {
		t.Run(to.String(), func(t *testing.T) {
			w, a, b, path := twoPeers(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := transfer(ctx, t, a, b, to, 1<<20); err != nil {
				t.Fatal(err)
			}
			if bad := w.Bad(); len(bad) > 0 {
				t.Fatalf("%d frames a receiver would drop, first: %v", len(bad), bad[0])
			}
			n := w.Count()
			if n < 2*(1<<20)/1500 {
				t.Fatalf("only %d frames crossed for 2 MiB", n)
			}
			a.Close()
			b.Close()
			n = w.Count()
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if got := readCapture(t, path); got != n {
				t.Errorf("the capture holds %d frames, %d crossed", got, n)
			}
		})
	}
}

// readCapture counts the frames of a pcap file, which must say Ethernet.
func readCapture(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatalf("%s is no pcap file: %v", path, err)
	}
	if r.LinkType() != layers.LinkTypeEthernet {
		t.Fatalf("%s has link type %v", path, r.LinkType())
	}
	n := 0
	for {
		_, _, err := r.ReadPacketData()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("reading %s after %d frames: %v", path, n, err)
		}
		n++
	}
}

// A frame with one wrong bit in its TCP checksum, its IPv4 header checksum, or its payload is
// named, with its decoded headers, as a frame a receiver would drop; the untouched frame is not.
func TestABadChecksumIsNamedWithItsFrame(t *testing.T) {
	w, a, b, _ := twoPeers(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := transfer(ctx, t, a, b, addrB.Addr(), 10000); err != nil {
		t.Fatal(err)
	}
	var seg Frame
	for _, f := range w.Frames() {
		if f.Dir == AToB && len(f.Data) > 100 {
			seg = f
			break
		}
	}
	if seg.Data == nil {
		t.Fatal("no data segment crossed from A")
	}
	if errs := Check(seg.Decode()); len(errs) > 0 {
		t.Fatalf("an untouched frame is reported: %v", errs)
	}
	for _, c := range []struct {
		name string
		at   int
		want string
	}{
		{"TCP checksum", 14 + 20 + 16, "TCP checksum"},
		{"IPv4 header checksum", 14 + 10, "IPv4 header checksum"},
		{"payload", len(seg.Data) - 1, "TCP checksum"},
	} {
		bad := append([]byte(nil), seg.Data...)
		bad[c.at] ^= 0x01
		w2 := New(nil)
		w2.A.Transmit(bad)
		errs := w2.Bad()
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want) || !strings.Contains(errs[0].Error(), "frame 1 (A→B") || !strings.Contains(errs[0].Error(), "> 5001 [") {
			t.Errorf("a flipped bit in the %s: reported %v, want one error naming frame 1, its TCP header and the %s", c.name, errs, c.want)
		}
	}
}

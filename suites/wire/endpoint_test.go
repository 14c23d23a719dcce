package wire

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"
)

// The suite's crafted endpoint opens a connection with the gVisor peer, carries data both ways
// with the peer reading and writing through its own sockets, and knows every sequence number
// and negotiated option: what it will build the offloaded state from.
func TestACraftedEndpointTalksToTheRealPeer(t *testing.T) {
	for _, c := range []struct {
		name       string
		host, peer netip.Addr
		opts       Options
	}{
		{"IPv4 with every option", addrA.Addr(), addrB.Addr(), Options{WindowScale: 7, SACK: true, Timestamps: true}},
		{"IPv4 with none", addrA.Addr(), addrB.Addr(), Options{WindowScale: -1}},
		{"IPv6 with every option", a6.Addr(), b6.Addr(), Options{WindowScale: 2, SACK: true, Timestamps: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := New(nil)
			hostMAC, peerMAC := [6]byte{2, 0, 0, 0, 0, 1}, [6]byte{2, 0, 0, 0, 0, 2}
			p, err := NewPeer(w.B, PeerConfig{MAC: peerMAC, Addrs: []netip.Prefix{addrB, b6}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			if err := p.AddNeighbor(c.host, hostMAC); err != nil {
				t.Fatal(err)
			}
			l, err := p.Listen(c.peer, 80)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			e := NewEndpoint(w.A, hostMAC, peerMAC, netip.AddrPortFrom(c.host, 40000), netip.AddrPortFrom(c.peer, 80), c.opts)
			const iss = 0xfffff000 // wraps during the transfer
			conn, err := e.Connect(ctx, iss)
			if err != nil {
				t.Fatal(err)
			}
			if conn.SndNxt != iss+1 || conn.RcvNxt != conn.IRS+1 {
				t.Fatalf("after the handshake SndNxt %#x RcvNxt %#x (ISS %#x IRS %#x)", conn.SndNxt, conn.RcvNxt, iss, conn.IRS)
			}
			if want := c.opts.Timestamps; conn.Timestamps != want || conn.SACK != c.opts.SACK || (conn.SndWindScale >= 0) != (c.opts.WindowScale >= 0) {
				t.Fatalf("negotiated %+v, offered %+v", conn, c.opts)
			}
			out := make([]byte, 100_000)
			back := make([]byte, 50_000)
			rng := rand.New(rand.NewPCG(3, 4))
			for i := range out {
				out[i] = byte(rng.Uint32())
			}
			for i := range back {
				back[i] = byte(rng.Uint32())
			}
			served := make(chan error, 1)
			go func() {
				s, err := l.Accept()
				if err != nil {
					served <- err
					return
				}
				defer s.Close()
				got := make([]byte, len(out))
				if _, err := io.ReadFull(s, got); err != nil {
					served <- err
					return
				}
				if !bytes.Equal(got, out) {
					served <- io.ErrUnexpectedEOF
					return
				}
				_, err = s.Write(back)
				served <- err
			}()
			if err := e.Write(ctx, out); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, len(back))
			if err := e.ReadFull(ctx, got); err != nil {
				t.Fatal(err)
			}
			if err := <-served; err != nil {
				t.Fatalf("the peer: %v", err)
			}
			if !bytes.Equal(got, back) {
				t.Fatal("the endpoint read other bytes than the peer wrote")
			}
			st := e.State()
			if st.SndNxt != iss+1+uint32(len(out)) || st.SndUna != st.SndNxt || st.RcvNxt != conn.IRS+1+uint32(len(back)) {
				t.Errorf("after the transfer SndUna %#x SndNxt %#x RcvNxt %#x", st.SndUna, st.SndNxt, st.RcvNxt)
			}
			if bad := w.Bad(); len(bad) > 0 {
				t.Errorf("%d bad frames, first %v", len(bad), bad[0])
			}
		})
	}
}

package wire

import (
	"bytes"
	"context"
	"github.com/ndis-chimney/conformance/target/hosttest"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// completions is a host that hands each completion to a channel.
type completions chan *ndis.MiniportOffloadBlockList

func (c completions) NdisMInitiateOffloadComplete(t *ndis.MiniportOffloadBlockList)   { c <- t }
func (c completions) NdisMQueryOffloadStateComplete(t *ndis.MiniportOffloadBlockList) { c <- t }
func (c completions) NdisMUpdateOffloadComplete(t *ndis.MiniportOffloadBlockList)     { c <- t }
func (c completions) NdisMInvalidateOffloadComplete(t *ndis.MiniportOffloadBlockList) { c <- t }
func (c completions) NdisMTerminateOffloadComplete(t *ndis.MiniportOffloadBlockList)  { c <- t }
func (c completions) NdisTcpOffloadSendComplete(*ndis.NetBufferList)                  {}

// A connection opened on the wire is offloaded with the state its handshake and data built,
// terminated, and carried on by the host from the delegated state the target handed back: the
// peer reads every byte once and in order across the offload. (No data moves while the
// connection is offloaded here; the wire specs move data through the target's data path.)
func TestAConnectionIsCarriedOnFromTheStateATerminateReturns(t *testing.T) {
	w := New(nil)
	hostMAC, peerMAC := [6]byte{2, 0, 0, 0, 0, 1}, [6]byte{2, 0, 0, 0, 0, 2}
	p, err := NewPeer(w.B, PeerConfig{MAC: peerMAC, Addrs: []netip.Prefix{addrB}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.AddNeighbor(addrA.Addr(), hostMAC); err != nil {
		t.Fatal(err)
	}
	l, err := p.Listen(addrB.Addr(), 80)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := NewEndpoint(w.A, hostMAC, peerMAC, netip.AddrPortFrom(addrA.Addr(), 40001), netip.AddrPortFrom(addrB.Addr(), 80),
		Options{WindowScale: 7, SACK: true, Timestamps: true})
	if _, err := e.Connect(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	before, after := bytes.Repeat([]byte("before offload "), 4000), bytes.Repeat([]byte("after terminate "), 4000)
	read := make(chan []byte, 1)
	go func() {
		s, err := l.Accept()
		if err != nil {
			read <- nil
			return
		}
		defer s.Close()
		got := make([]byte, len(before)+len(after))
		if _, err := io.ReadFull(s, got); err != nil {
			read <- nil
			return
		}
		read <- got
	}()
	if err := e.Write(ctx, before); err != nil {
		t.Fatal(err)
	}

	cfg, err := config.Load("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	host := make(completions, 1)
	tgt := reference.New(cfg.ReferenceConfig())
	if _, err := tgt.Open(hosttest.StateOnly(host)); err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	tree := e.OffloadTree()
	if err := tgt.MiniportInitiateOffload(tree); err != nil {
		t.Fatal(err)
	}
	<-host
	conn := tree.DependentBlockList.DependentBlockList
	if conn.Status != ndis.StatusSuccess {
		t.Fatalf("the connection was not offloaded: %s", conn.Status)
	}
	term := fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)
	if err := tgt.MiniportTerminateOffload(term); err != nil {
		t.Fatal(err)
	}
	<-host
	d := term.DependentBlockList.DependentBlockList.TCPDelegated
	if d == nil || d.SndNxt != tree.DependentBlockList.DependentBlockList.TCPDelegated.SndNxt {
		t.Fatalf("terminate handed back %+v", d)
	}
	e.CarryOn(d)
	if err := e.Write(ctx, after); err != nil {
		t.Fatal(err)
	}
	got := <-read
	if !bytes.Equal(got, append(before, after...)) {
		t.Fatalf("the peer read %d bytes, not the %d written before the offload and after the terminate, in order", len(got), len(before)+len(after))
	}
	if bad := w.Bad(); len(bad) > 0 {
		t.Fatalf("%d bad frames, first %v", len(bad), bad[0])
	}
}

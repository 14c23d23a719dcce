package harness

import (
	"testing"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/target/ndis"
)

func TestDiffSeesEveryKindOfWrite(t *testing.T) {
	cases := map[string]struct {
		write  func(tree *ndis.MiniportOffloadBlockList)
		member string
	}{
		"status":          {func(t *ndis.MiniportOffloadBlockList) { t.Status = ndis.StatusFailure }, "Status"},
		"context slot":    {func(t *ndis.MiniportOffloadBlockList) { *t.MiniportOffloadContext = 9 }, "*MiniportOffloadContext"},
		"context pointer": {func(t *ndis.MiniportOffloadBlockList) { t.MiniportOffloadContext = new(ndis.Context) }, "MiniportOffloadContext"},
		"reserved":        {func(t *ndis.MiniportOffloadBlockList) { t.ProtocolReserved[1] = 1 }, "ProtocolReserved"},
		"state field": {func(t *ndis.MiniportOffloadBlockList) {
			t.DependentBlockList.DependentBlockList.TCPDelegated.SndUna++
		}, "TCPDelegated.SndUna"},
		"nested state field": {func(t *ndis.MiniportOffloadBlockList) {
			t.DependentBlockList.DependentBlockList.TCPDelegated.KeepAlive.ProbeCount = 3
		}, "TCPDelegated.KeepAlive.ProbeCount"},
		"nbl status": {func(t *ndis.MiniportOffloadBlockList) {
			t.DependentBlockList.DependentBlockList.NetBufferListChain.Status = ndis.StatusFailure
		}, "NetBufferListChain[0].Status"},
		"chain dropped": {func(t *ndis.MiniportOffloadBlockList) {
			t.DependentBlockList.DependentBlockList.NetBufferListChain = nil
		}, "NetBufferListChain"},
	}
	for name, c := range cases {
		tree := fixtures.OneConnection()
		fixtures.WithSendData(tree.DependentBlockList.DependentBlockList, 0, 10)
		before := Take(tree)
		c.write(tree)
		changes := Diff(before, Take(tree))
		found := false
		for _, ch := range changes {
			found = found || ch.Member == c.member
		}
		if !found {
			t.Errorf("%s: no change of %s in %v", name, c.member, changes)
		}
	}
	tree := fixtures.OneConnection()
	if changes := Diff(Take(tree), Take(tree)); len(changes) != 0 {
		t.Errorf("an untouched tree shows changes: %v", changes)
	}
}

func TestLedgerCountsEveryReturn(t *testing.T) {
	conn := fixtures.NewConnection(0)
	lists := fixtures.WithSendData(conn, 0, 10, 20)
	l := NewLedger()
	l.Register(conn)
	if lists[0].ID == lists[1].ID || lists[0].Status != StatusCanary {
		t.Fatal("registration must give distinct IDs and the Status canary")
	}
	if e, _ := l.Entry(lists[0]); e.Owner != OwnedByHost {
		t.Error("a list is the host's until its connection is offloaded")
	}
	l.HandOver(conn)
	l.sendCompleted(lists[0])
	l.handedBack(lists[0])
	l.handedBack(lists[1])
	got := l.Of(conn)
	if len(got) != 2 || got[0].Returns() != 2 || got[1].Returns() != 1 || got[0].Owner != OwnedByTarget {
		t.Errorf("ledger: %+v", got)
	}
	if l.sendCompleted(&ndis.NetBufferList{}) {
		t.Error("a list never handed over must be reported as unknown")
	}
}

package harness

import (
	"sync"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// Ledger tracks every NET_BUFFER_LIST the host hands to a target as outstanding send data.
// Each list handed over with a successful offload must come back exactly once: completed
// through NdisTcpOffloadSendComplete or handed back in a terminate tree. Lists of a failed
// offload stay with the host and must not be completed or have their Status changed.
type Ledger struct {
	mu      sync.Mutex
	nextID  uint64
	entries map[*ndis.NetBufferList]*LedgerEntry
	order   []*ndis.NetBufferList
}

// LedgerEntry is what the ledger knows of one list.
type LedgerEntry struct {
	List        *ndis.NetBufferList
	Connection  *ndis.MiniportOffloadBlockList // the initiate block that carried it
	Index       int                            // its position in that block's chain
	StatusGiven ndis.Status                    // the Status the host left in it when handing it over
	// Sent reports a list of a MiniportTcpOffloadSend call, not of an initiate chain.
	Sent bool
	// Length is its data length when handed over: a target advances the data start of a
	// list by the bytes acknowledged (NdisAdvanceNetBufferDataStart), so the list's own
	// DataLength shrinks.
	Length int
	Owner  Owner
	// Settled is set once the initiate that carried it has completed, whatever its Status:
	// from then on Owner is final.
	Settled bool
	// SendCompleted counts NdisTcpOffloadSendComplete calls that returned it; HandedBack counts
	// terminate trees that chained it back.
	SendCompleted int
	HandedBack    int
}

// Owner says who holds a list.
type Owner int

// Owners. Zero is left unused.
const (
	_ Owner = iota
	// OwnedByHost: never handed over, or handed over with an initiate that failed for its
	// connection.
	OwnedByHost
	// OwnedByTarget: handed over with a connection the target offloaded.
	OwnedByTarget
)

// NewLedger returns an empty ledger.
func NewLedger() *Ledger { return &Ledger{entries: map[*ndis.NetBufferList]*LedgerEntry{}, nextID: 1} }

// Register records the lists chained from an initiate block, giving each an ID and a Status
// canary so that a change is visible.
func (l *Ledger) Register(conn *ndis.MiniportOffloadBlockList) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, nbl := range conn.NetBufferListChain.Chain() {
		if _, ok := l.entries[nbl]; ok {
			continue
		}
		if nbl.ID == 0 {
			nbl.ID = l.nextID
		}
		l.nextID++
		nbl.Status = StatusCanary
		l.entries[nbl] = &LedgerEntry{List: nbl, Connection: conn, Index: i, StatusGiven: nbl.Status, Owner: OwnedByHost, Length: nbl.DataLength()}
		l.order = append(l.order, nbl)
	}
}

// HandOver marks the lists of a connection the target offloaded as the target's.
func (l *Ledger) HandOver(conn *ndis.MiniportOffloadBlockList) { l.settle(conn, OwnedByTarget) }

// KeepWithHost records that the initiate carrying conn's lists completed without offloading
// conn, so the lists stay the host's.
func (l *Ledger) KeepWithHost(conn *ndis.MiniportOffloadBlockList) { l.settle(conn, OwnedByHost) }

func (l *Ledger) settle(conn *ndis.MiniportOffloadBlockList, owner Owner) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.entries {
		if e.Connection == conn {
			e.Owner, e.Settled = owner, true
		}
	}
}

// Entry returns the ledger's record of a list, if it has one.
func (l *Ledger) Entry(nbl *ndis.NetBufferList) (LedgerEntry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[nbl]
	if !ok {
		return LedgerEntry{}, false
	}
	return *e, true
}

// Of returns the records of the lists an initiate block carried, in their original order.
func (l *Ledger) Of(conn *ndis.MiniportOffloadBlockList) []LedgerEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []LedgerEntry
	for _, nbl := range l.order {
		if e := l.entries[nbl]; e.Connection == conn {
			out = append(out, *e)
		}
	}
	return out
}

// All returns every record in registration order.
func (l *Ledger) All() []LedgerEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LedgerEntry, 0, len(l.order))
	for _, nbl := range l.order {
		out = append(out, *l.entries[nbl])
	}
	return out
}

// sendCompleted counts a send completion of a list; it reports whether the ledger knew it.
func (l *Ledger) sendCompleted(nbl *ndis.NetBufferList) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[nbl]
	if ok {
		e.SendCompleted++
	}
	return ok
}

// handedBack counts a list chained back in a terminate tree; it reports whether the ledger
// knew it.
func (l *Ledger) handedBack(nbl *ndis.NetBufferList) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[nbl]
	if ok {
		e.HandedBack++
	}
	return ok
}

// Returns reports how many times a record's list came back.
func (e LedgerEntry) Returns() int { return e.SendCompleted + e.HandedBack }

// RegisterSent records lists the host handed to MiniportTcpOffloadSend for the connection
// offloaded by the initiate block conn: they are the target's from the call on, and come
// back like the initiate chain's, after it in the connection's order.
func (l *Ledger) RegisterSent(conn *ndis.MiniportOffloadBlockList, chain *ndis.NetBufferList) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := 0
	for _, e := range l.entries {
		if e.Connection == conn {
			next = max(next, e.Index+1)
		}
	}
	for _, nbl := range chain.Chain() {
		if _, ok := l.entries[nbl]; ok {
			continue
		}
		if nbl.ID == 0 {
			nbl.ID = l.nextID
		}
		l.nextID++
		nbl.Status = StatusCanary
		l.entries[nbl] = &LedgerEntry{List: nbl, Connection: conn, Index: next, StatusGiven: nbl.Status, Owner: OwnedByTarget, Settled: true, Length: nbl.DataLength(), Sent: true}
		l.order = append(l.order, nbl)
		next++
	}
}

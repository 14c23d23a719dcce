package wire

import (
	"bytes"
	"fmt"
	"sync"
)

// ByteLedger is the account of one direction of a connection: the bytes the sending
// application wrote, in order, against the bytes that reached the receiving application, in
// order, each delivery named by the way it came (a receive completion, an indication, the
// BufferedData of a terminate, the host stack after an upload). Every byte must arrive once
// and in order: the first delivery that does not continue the written stream is kept as the
// ledger's breach, with its offset and its way.
type ByteLedger struct {
	Name string

	mu        sync.Mutex
	written   []byte
	delivered int
	ways      []Delivery
	breach    string
	ended     string // why the receiving side stopped, when it did with an error
	notify    chan struct{}
}

// Delivery is one delivery in a ledger: the way it came, where it starts and how long it is.
type Delivery struct {
	Way    string
	Offset int
	Length int
}

// NewByteLedger returns an empty ledger.
func NewByteLedger(name string) *ByteLedger {
	return &ByteLedger{Name: name, notify: make(chan struct{})}
}

// Wrote records data the sending application wrote.
func (l *ByteLedger) Wrote(data []byte) {
	l.mu.Lock()
	l.written = append(l.written, data...)
	l.wake()
	l.mu.Unlock()
}

// Delivered records data that reached the receiving application by way, and checks that it
// continues the written stream exactly.
func (l *ByteLedger) Delivered(way string, data []byte) {
	if len(data) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	at := l.delivered
	l.ways = append(l.ways, Delivery{Way: way, Offset: at, Length: len(data)})
	l.delivered += len(data)
	defer l.wake()
	if l.breach != "" {
		return
	}
	if end := at + len(data); end > len(l.written) {
		l.breach = fmt.Sprintf("%s delivered %d bytes at offset %d, past the %d bytes written: %d bytes that were never sent, or sent twice",
			way, len(data), at, len(l.written), end-len(l.written))
		return
	}
	want := l.written[at : at+len(data)]
	if i := firstDiff(want, data); i >= 0 {
		l.breach = fmt.Sprintf("%s delivered a wrong byte at offset %d (0x%02x, written 0x%02x): %s",
			way, at+i, data[i], want[i], describeMisplaced(l.written, data, at))
	}
}

// Ended records that the receiving side stopped; why is empty for an orderly end.
func (l *ByteLedger) Ended(why string) {
	l.mu.Lock()
	if why != "" && l.ended == "" {
		l.ended = why
	}
	l.wake()
	l.mu.Unlock()
}

func (l *ByteLedger) wake() {
	close(l.notify)
	l.notify = make(chan struct{})
}

// state reports whether everything written has been delivered, or the ledger is breached or
// ended with an error (nothing more will change that), and the channel closed on the next
// change.
func (l *ByteLedger) state() (bool, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.delivered >= len(l.written) || l.breach != "" || l.ended != "", l.notify
}

// Breach returns the first delivery that broke the stream, or "".
func (l *ByteLedger) Breach() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.breach
}

// Written and DeliveredBytes return how many bytes were written and delivered.
func (l *ByteLedger) Written() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.written)
}

func (l *ByteLedger) DeliveredBytes() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.delivered
}

// Ways returns the deliveries so far.
func (l *ByteLedger) Ways() []Delivery {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Delivery(nil), l.ways...)
}

// Shortfall says how the ledger stands against complete delivery.
func (l *ByteLedger) Shortfall() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.breach != "":
		return l.breach
	case l.delivered < len(l.written):
		s := fmt.Sprintf("%d of %d bytes delivered; the first missing byte is at offset %d", l.delivered, len(l.written), l.delivered)
		if l.ended != "" {
			s += " (" + l.ended + ")"
		}
		return s
	}
	return fmt.Sprintf("all %d bytes delivered once, in order", len(l.written))
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// describeMisplaced says where a wrong delivery came from, when its bytes are found elsewhere
// in the written stream: the signature of a duplicate, a skip or a reorder.
func describeMisplaced(written, data []byte, at int) string {
	probe := data[:min(len(data), 64)]
	if len(probe) >= 16 {
		if i := bytes.Index(written, probe); i >= 0 {
			switch {
			case i < at:
				return fmt.Sprintf("its bytes were written at offset %d, already delivered: a duplicate", i)
			default:
				return fmt.Sprintf("its bytes were written at offset %d: %d bytes were skipped or reordered", i, i-at)
			}
		}
	}
	return "its bytes were never written"
}

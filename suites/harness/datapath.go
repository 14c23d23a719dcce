package harness

import (
	"context"
	"time"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// DataPathKind names a data-path callback.
type DataPathKind uint8

// Data-path callbacks. Zero is left unused.
const (
	_ DataPathKind = iota
	ReceiveCompleted
	ReceiveIndicated
	DisconnectCompleted
	ForwardCompleted
	ConnectionEvent
	NonOffloadReceived
)

var dataPathKindNames = map[DataPathKind]string{
	ReceiveCompleted: "NdisTcpOffloadReceiveComplete", ReceiveIndicated: "NdisTcpOffloadReceiveHandler",
	DisconnectCompleted: "NdisTcpOffloadDisconnectComplete", ForwardCompleted: "NdisTcpOffloadForwardComplete",
	ConnectionEvent: "NdisTcpOffloadEventHandler", NonOffloadReceived: "NdisMIndicateReceiveNetBufferLists",
}

func (k DataPathKind) String() string { return dataPathKindNames[k] }

// DataPathCall is one data-path callback a target made, recorded as it arrived: the lists it
// handed back with each Status, BytesTransferred and the bytes it wrote (copied at once, so
// that a target changing them later cannot rewrite the record).
type DataPathCall struct {
	Kind     DataPathKind
	Lists    []*ndis.NetBufferList
	Statuses []ndis.Status
	Bytes    []uint32 // BytesTransferred of each list
	Data     [][]byte // the data each list carries: the filled part of a receive buffer, an indication's data, a frame
	// Handle, Event and Info are set for indications and events.
	Handle ndis.Handle
	Event  ndis.TCPOffloadEventType
	Info   uint32
	// IndicateStatus is the Status a receive indication was made with; Answer and Consumed
	// are what the host answered.
	IndicateStatus ndis.Status
	Answer         ndis.Status
	Consumed       uint32
	DuringCall     bool // made while a handler call was in progress
	At             time.Time
}

// IndicationAnswer is how the host answers a receive indication: it returns the status and
// the bytes it consumed from data.
type IndicationAnswer func(handle ndis.Handle, data []byte) (ndis.Status, uint32)

// AcceptAll consumes every indicated byte.
func AcceptAll(_ ndis.Handle, data []byte) (ndis.Status, uint32) {
	return ndis.StatusSuccess, uint32(len(data))
}

// AnswerIndications sets how later receive indications are answered (AcceptAll by default).
func (h *Host) AnswerIndications(a IndicationAnswer) {
	h.mu.Lock()
	h.answer = a
	h.mu.Unlock()
}

// BracketDataPath makes enter and leave run at the start and the end of every later
// data-path callback, on the target's goroutine: the wire harness sees two at once.
func (h *Host) BracketDataPath(enter, leave func(DataPathKind)) {
	h.mu.Lock()
	h.dataEnter, h.dataLeave = enter, leave
	h.mu.Unlock()
}

// bracket runs the enter hook and returns the leave hook, for a deferred call.
func (h *Host) bracket(k DataPathKind) func() {
	h.mu.Lock()
	enter, leave := h.dataEnter, h.dataLeave
	h.mu.Unlock()
	if enter != nil {
		enter(k)
	}
	return func() {
		if leave != nil {
			leave(k)
		}
	}
}

// OnDataPath makes f run for every later data-path callback, after it is recorded, on the
// target's goroutine: the wire harness feeds its byte ledgers from it. f must not call Ginkgo.
func (h *Host) OnDataPath(f func(DataPathCall)) {
	h.mu.Lock()
	h.dataHook = f
	h.mu.Unlock()
}

func (h *Host) recordDataPath(c DataPathCall) {
	c.At = time.Now()
	c.DuringCall = h.calls.Load() > 0
	h.mu.Lock()
	h.dataPath = append(h.dataPath, c)
	close(h.notify)
	h.notify = make(chan struct{})
	hook := h.dataHook
	h.mu.Unlock()
	if hook != nil {
		hook(c)
	}
}

// DataPathCalls returns every data-path callback recorded so far.
func (h *Host) DataPathCalls() []DataPathCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]DataPathCall(nil), h.dataPath...)
}

// WaitDataPath waits until cond holds of the data-path callbacks recorded so far, or ctx ends.
func (h *Host) WaitDataPath(ctx context.Context, cond func([]DataPathCall) bool) bool {
	for {
		h.mu.Lock()
		ok := cond(h.dataPath)
		ch := h.notify
		h.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return false
		}
	}
}

// listsCall records a chain of lists: each one's Status, BytesTransferred and the first
// filled bytes of its data (all of it when fill is false).
func listsCall(kind DataPathKind, chain *ndis.NetBufferList, fill bool) DataPathCall {
	c := DataPathCall{Kind: kind}
	for _, l := range chain.Chain() {
		c.Lists = append(c.Lists, l)
		c.Statuses = append(c.Statuses, l.Status)
		c.Bytes = append(c.Bytes, l.BytesTransferred)
		c.Data = append(c.Data, listData(l, fill))
	}
	return c
}

// listData copies a list's data; with fill, only the BytesTransferred bytes the target wrote
// from the start of the buffer.
func listData(l *ndis.NetBufferList, fill bool) []byte {
	var out []byte
	for _, b := range l.NetBuffers() {
		out = append(out, b.Data...)
	}
	if fill && int(l.BytesTransferred) < len(out) {
		out = out[:l.BytesTransferred]
	}
	return out
}

// NdisTcpOffloadReceiveComplete records completed receive requests and the bytes written.
func (h *Host) NdisTcpOffloadReceiveComplete(chain *ndis.NetBufferList) {
	defer h.bracket(ReceiveCompleted)()
	h.recordDataPath(listsCall(ReceiveCompleted, chain, true))
}

// NdisTcpOffloadDisconnectComplete records a completed disconnect request.
func (h *Host) NdisTcpOffloadDisconnectComplete(nbl *ndis.NetBufferList) {
	defer h.bracket(DisconnectCompleted)()
	h.recordDataPath(listsCall(DisconnectCompleted, nbl, false))
}

// NdisTcpOffloadForwardComplete records completed forward requests.
func (h *Host) NdisTcpOffloadForwardComplete(chain *ndis.NetBufferList) {
	defer h.bracket(ForwardCompleted)()
	h.recordDataPath(listsCall(ForwardCompleted, chain, false))
}

// NdisTcpOffloadReceiveHandler records a receive indication and answers it as set by
// AnswerIndications.
func (h *Host) NdisTcpOffloadReceiveHandler(handle ndis.Handle, nbl *ndis.NetBufferList, status ndis.Status) (ndis.Status, uint32) {
	defer h.bracket(ReceiveIndicated)()
	c := listsCall(ReceiveIndicated, nbl, false)
	c.Handle, c.IndicateStatus = handle, status
	h.mu.Lock()
	answer := h.answer
	h.mu.Unlock()
	if answer == nil {
		answer = AcceptAll
	}
	var data []byte
	if nbl != nil {
		data = listData(nbl, false)
	}
	c.Answer, c.Consumed = answer(handle, data)
	h.recordDataPath(c)
	return c.Answer, c.Consumed
}

// NdisTcpOffloadEventHandler records a connection event.
func (h *Host) NdisTcpOffloadEventHandler(handle ndis.Handle, event ndis.TCPOffloadEventType, info uint32) {
	defer h.bracket(ConnectionEvent)()
	h.recordDataPath(DataPathCall{Kind: ConnectionEvent, Handle: handle, Event: event, Info: info})
}

// NdisMIndicateReceiveNetBufferLists records frames handed to the ordinary receive path.
func (h *Host) NdisMIndicateReceiveNetBufferLists(chain *ndis.NetBufferList) {
	defer h.bracket(NonOffloadReceived)()
	h.recordDataPath(listsCall(NonOffloadReceived, chain, false))
}

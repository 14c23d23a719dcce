package ndis

import "fmt"

// NetBufferList mirrors NET_BUFFER_LIST (nbl.h), reduced to what the chimney interface uses:
// the link to the next list, the NET_BUFFERs, the completion Status and the two
// NET_BUFFER_LIST_INFO entries the chimney pages name. In a chimney tree each list describes
// one NET_BUFFER of outstanding send data; on the data path a list is a send, receive,
// disconnect or forward request, or a receive indication.
type NetBufferList struct {
	Next           *NetBufferList
	FirstNetBuffer *NetBuffer
	Status         Status
	// BytesTransferred mirrors the TcpOffloadBytesTransferred info the target writes when it
	// completes a send, receive or disconnect request: the bytes sent and acknowledged, or
	// the bytes it copied into a posted receive buffer.
	BytesTransferred uint32
	// ReceiveNoPush mirrors the TcpReceiveNoPush info the host sets on a receive request:
	// complete it only when it is full (nonpush mode), not at a PSH.
	ReceiveNoPush bool
	// ID names the list in reports and across process boundaries; the host assigns it.
	ID uint64
}

// NetBuffer mirrors NET_BUFFER (nbl.h). The MDL chain is reduced to the bytes it maps: the
// data of a send, or the whole buffer of a posted receive request (which the target fills
// from the start and reports through BytesTransferred).
type NetBuffer struct {
	Next *NetBuffer
	Data []byte
}

// DataLength returns the number of data bytes in the list's NET_BUFFERs.
func (l *NetBufferList) DataLength() int {
	n := 0
	for _, b := range l.NetBuffers() {
		n += len(b.Data)
	}
	return n
}

// NetBuffers returns the list's NET_BUFFERs, in order, stopping at a cycle.
func (l *NetBufferList) NetBuffers() []*NetBuffer {
	var out []*NetBuffer
	seen := map[*NetBuffer]bool{}
	for b := l.FirstNetBuffer; b != nil && !seen[b]; b = b.Next {
		seen[b] = true
		out = append(out, b)
	}
	return out
}

func (l *NetBufferList) String() string {
	if l == nil {
		return "NULL"
	}
	return fmt.Sprintf("nbl#%d(%dB)", l.ID, l.DataLength())
}

// Chain returns the lists linked from l through Next, in order, stopping at a cycle.
func (l *NetBufferList) Chain() []*NetBufferList {
	var out []*NetBufferList
	seen := map[*NetBufferList]bool{}
	for n := l; n != nil && !seen[n]; n = n.Next {
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// LinkNetBufferLists links the lists in order through Next and returns the first, or nil.
func LinkNetBufferLists(lists ...*NetBufferList) *NetBufferList {
	for i := range lists {
		if i+1 < len(lists) {
			lists[i].Next = lists[i+1]
		} else {
			lists[i].Next = nil
		}
	}
	if len(lists) == 0 {
		return nil
	}
	return lists[0]
}

package remote

import (
	"errors"
	"fmt"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// The protocol's current revision carries the state operations and send completions only, so
// the server serves no data-path role. A served target that calls a data-path callback anyway
// ends the session's event stream with the reason.

func (ss *session) notCarried(callback string) {
	ss.mu.Lock()
	ss.fault = errors.Join(ss.fault, fmt.Errorf("%s: protocol revision %d does not carry the data path", callback, ProtocolRevision))
	ss.mu.Unlock()
	ss.wake()
}

func (ss *session) NdisTcpOffloadReceiveComplete(*ndis.NetBufferList) {
	ss.notCarried("NdisTcpOffloadReceiveComplete")
}

func (ss *session) NdisTcpOffloadDisconnectComplete(*ndis.NetBufferList) {
	ss.notCarried("NdisTcpOffloadDisconnectComplete")
}

func (ss *session) NdisTcpOffloadForwardComplete(*ndis.NetBufferList) {
	ss.notCarried("NdisTcpOffloadForwardComplete")
}

func (ss *session) NdisTcpOffloadReceiveHandler(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32) {
	ss.notCarried("NdisTcpOffloadReceiveHandler")
	return ndis.StatusOffloadDataNotAccepted, 0
}

func (ss *session) NdisTcpOffloadEventHandler(ndis.Handle, ndis.TCPOffloadEventType, uint32) {
	ss.notCarried("NdisTcpOffloadEventHandler")
}

func (ss *session) NdisMIndicateReceiveNetBufferLists(*ndis.NetBufferList) {
	ss.notCarried("NdisMIndicateReceiveNetBufferLists")
}

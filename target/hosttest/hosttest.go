// Package hosttest helps tests that play the host towards a target through the
// state-manipulation contract only.
package hosttest

import (
	"fmt"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// NoDataPath is embedded in a test host that expects no data-path callback: each one panics
// with its name, since a target without the data-path role must not make it.
type NoDataPath struct{}

func unexpected(name string) { panic(fmt.Sprintf("unexpected data-path callback %s", name)) }

func (NoDataPath) NdisTcpOffloadReceiveComplete(*ndis.NetBufferList) {
	unexpected("NdisTcpOffloadReceiveComplete")
}

func (NoDataPath) NdisTcpOffloadDisconnectComplete(*ndis.NetBufferList) {
	unexpected("NdisTcpOffloadDisconnectComplete")
}

func (NoDataPath) NdisTcpOffloadForwardComplete(*ndis.NetBufferList) {
	unexpected("NdisTcpOffloadForwardComplete")
}

func (NoDataPath) NdisTcpOffloadReceiveHandler(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32) {
	unexpected("NdisTcpOffloadReceiveHandler")
	return 0, 0
}

func (NoDataPath) NdisTcpOffloadEventHandler(ndis.Handle, ndis.TCPOffloadEventType, uint32) {
	unexpected("NdisTcpOffloadEventHandler")
}

func (NoDataPath) NdisMIndicateReceiveNetBufferLists(*ndis.NetBufferList) {
	unexpected("NdisMIndicateReceiveNetBufferLists")
}

// StateHost is a host of the state-manipulation contract only.
type StateHost interface {
	target.StateCompleter
	target.SendCompleter
}

// StateOnly makes a StateHost a target.Host whose data-path callbacks panic (NoDataPath).
func StateOnly(h StateHost) target.Host {
	return struct {
		StateHost
		NoDataPath
	}{h, NoDataPath{}}
}

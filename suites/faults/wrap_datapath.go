package faults

import (
	"errors"
	"net"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// DataHooks are the data-path points at which a fault changes a target's behaviour. Every
// hook is optional; each gets the call it replaces.
type DataHooks struct {
	// Transmit runs in place of passing a frame the target transmits to the wire.
	Transmit func(frame []byte, forward func([]byte))
	// Send runs in place of the inner MiniportTcpOffloadSend.
	Send func(ctx ndis.Context, chain *ndis.NetBufferList, call func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)) (ndis.Status, error)
	// Receive runs in place of the inner MiniportTcpOffloadReceive.
	Receive func(ctx ndis.Context, chain *ndis.NetBufferList, call func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)) (ndis.Status, error)
	// Disconnect runs in place of the inner MiniportTcpOffloadDisconnect.
	Disconnect func(ctx ndis.Context, nbl *ndis.NetBufferList, flags ndis.DisconnectFlags, call func(ndis.Context, *ndis.NetBufferList, ndis.DisconnectFlags) (ndis.Status, error)) (ndis.Status, error)
	// Arrive runs in place of handing the inner target a frame arriving from the wire.
	Arrive func(frame []byte, forward func([]byte))
	// Returns, when set, replaces the status a data-path handler of the inner target returned.
	Returns func(handler string, st ndis.Status) ndis.Status
	// ReceiveComplete, DisconnectComplete and ForwardComplete run in place of forwarding.
	ReceiveComplete    func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList))
	DisconnectComplete func(nbl *ndis.NetBufferList, forward func(*ndis.NetBufferList))
	// Indicate runs in place of forwarding a receive indication.
	Indicate func(h ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status, forward func(ndis.Handle, *ndis.NetBufferList, ndis.Status) (ndis.Status, uint32)) (ndis.Status, uint32)
	// Event runs in place of forwarding a connection event.
	Event func(h ndis.Handle, ev ndis.TCPOffloadEventType, info uint32, forward func(ndis.Handle, ndis.TCPOffloadEventType, uint32))
}

var (
	_ target.DataPath     = (*Wrapped)(nil)
	_ target.Wired        = (*Wrapped)(nil)
	_ target.Clocked      = (*Wrapped)(nil)
	_ target.RoleDeclarer = (*Wrapped)(nil)
)

// errNoRole answers a call for a role the inner target lacks; DeclaredRoles keeps the suite
// from making one.
var errNoRole = errors.New("the wrapped target does not have this role")

// DeclaredRoles passes on the inner target's roles.
func (w *Wrapped) DeclaredRoles() target.RoleSet { return target.RolesOf(w.Inner) }

// MiniportTcpOffloadSend passes through the Send hook.
func (w *Wrapped) MiniportTcpOffloadSend(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	dp, ok := w.Inner.(target.DataPath)
	if !ok {
		return 0, errNoRole
	}
	if w.Data.Send != nil {
		return w.returns("MiniportTcpOffloadSend")(w.Data.Send(ctx, chain, dp.MiniportTcpOffloadSend))
	}
	return w.returns("MiniportTcpOffloadSend")(dp.MiniportTcpOffloadSend(ctx, chain))
}

// returns passes a handler's status through the Returns hook.
func (w *Wrapped) returns(handler string) func(ndis.Status, error) (ndis.Status, error) {
	return func(st ndis.Status, err error) (ndis.Status, error) {
		if w.Data.Returns != nil && err == nil {
			st = w.Data.Returns(handler, st)
		}
		return st, err
	}
}

// MiniportTcpOffloadReceive forwards to the inner target.
func (w *Wrapped) MiniportTcpOffloadReceive(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	if dp, ok := w.Inner.(target.DataPath); ok {
		if w.Data.Receive != nil {
			return w.returns("MiniportTcpOffloadReceive")(w.Data.Receive(ctx, chain, dp.MiniportTcpOffloadReceive))
		}
		return w.returns("MiniportTcpOffloadReceive")(dp.MiniportTcpOffloadReceive(ctx, chain))
	}
	return 0, errNoRole
}

// MiniportTcpOffloadReceiveReturn forwards to the inner target.
func (w *Wrapped) MiniportTcpOffloadReceiveReturn(chain *ndis.NetBufferList) (ndis.Status, error) {
	if dp, ok := w.Inner.(target.DataPath); ok {
		return w.returns("MiniportTcpOffloadReceiveReturn")(dp.MiniportTcpOffloadReceiveReturn(chain))
	}
	return 0, errNoRole
}

// MiniportTcpOffloadDisconnect forwards to the inner target.
func (w *Wrapped) MiniportTcpOffloadDisconnect(ctx ndis.Context, nbl *ndis.NetBufferList, flags ndis.DisconnectFlags) (ndis.Status, error) {
	if dp, ok := w.Inner.(target.DataPath); ok {
		if w.Data.Disconnect != nil {
			return w.returns("MiniportTcpOffloadDisconnect")(w.Data.Disconnect(ctx, nbl, flags, dp.MiniportTcpOffloadDisconnect))
		}
		return w.returns("MiniportTcpOffloadDisconnect")(dp.MiniportTcpOffloadDisconnect(ctx, nbl, flags))
	}
	return 0, errNoRole
}

// MiniportTcpOffloadForward forwards to the inner target.
func (w *Wrapped) MiniportTcpOffloadForward(ctx ndis.Context, chain *ndis.NetBufferList) (ndis.Status, error) {
	if dp, ok := w.Inner.(target.DataPath); ok {
		return dp.MiniportTcpOffloadForward(ctx, chain)
	}
	return 0, errNoRole
}

// HardwareAddress forwards to the inner target.
func (w *Wrapped) HardwareAddress() net.HardwareAddr {
	if wd, ok := w.Inner.(target.Wired); ok {
		return wd.HardwareAddress()
	}
	return nil
}

// AttachLink attaches the inner target to a link that passes its frames through Transmit.
func (w *Wrapped) AttachLink(link target.Link) error {
	wd, ok := w.Inner.(target.Wired)
	if !ok {
		return errNoRole
	}
	return wd.AttachLink(linkHook{w: w, link: link})
}

// ReceiveFrame forwards to the inner target.
func (w *Wrapped) ReceiveFrame(frame []byte) {
	if wd, ok := w.Inner.(target.Wired); ok {
		if w.Data.Arrive != nil {
			w.Data.Arrive(frame, wd.ReceiveFrame)
			return
		}
		wd.ReceiveFrame(frame)
	}
}

// UseClock forwards to the inner target.
func (w *Wrapped) UseClock(c target.Clock) {
	if ck, ok := w.Inner.(target.Clocked); ok {
		ck.UseClock(c)
	}
}

type linkHook struct {
	w    *Wrapped
	link target.Link
}

func (l linkHook) TransmitFrame(frame []byte) {
	if l.w.Data.Transmit != nil {
		l.w.Data.Transmit(frame, l.link.TransmitFrame)
		return
	}
	l.link.TransmitFrame(frame)
}

func (h hostHook) NdisTcpOffloadReceiveComplete(chain *ndis.NetBufferList) {
	if h.w.Data.ReceiveComplete != nil {
		h.w.Data.ReceiveComplete(chain, h.w.host.NdisTcpOffloadReceiveComplete)
		return
	}
	h.w.host.NdisTcpOffloadReceiveComplete(chain)
}

func (h hostHook) NdisTcpOffloadDisconnectComplete(nbl *ndis.NetBufferList) {
	if h.w.Data.DisconnectComplete != nil {
		h.w.Data.DisconnectComplete(nbl, h.w.host.NdisTcpOffloadDisconnectComplete)
		return
	}
	h.w.host.NdisTcpOffloadDisconnectComplete(nbl)
}

func (h hostHook) NdisTcpOffloadForwardComplete(chain *ndis.NetBufferList) {
	h.w.host.NdisTcpOffloadForwardComplete(chain)
}

func (h hostHook) NdisTcpOffloadReceiveHandler(handle ndis.Handle, nbl *ndis.NetBufferList, st ndis.Status) (ndis.Status, uint32) {
	if h.w.Data.Indicate != nil {
		return h.w.Data.Indicate(handle, nbl, st, h.w.host.NdisTcpOffloadReceiveHandler)
	}
	return h.w.host.NdisTcpOffloadReceiveHandler(handle, nbl, st)
}

func (h hostHook) NdisTcpOffloadEventHandler(handle ndis.Handle, ev ndis.TCPOffloadEventType, info uint32) {
	if h.w.Data.Event != nil {
		h.w.Data.Event(handle, ev, info, h.w.host.NdisTcpOffloadEventHandler)
		return
	}
	h.w.host.NdisTcpOffloadEventHandler(handle, ev, info)
}

func (h hostHook) NdisMIndicateReceiveNetBufferLists(chain *ndis.NetBufferList) {
	h.w.host.NdisMIndicateReceiveNetBufferLists(chain)
}

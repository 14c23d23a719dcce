package faults

import (
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Op names a state-manipulation operation inside this package.
type Op int

// Operations.
const (
	OpInitiate Op = iota + 1
	OpQuery
	OpUpdate
	OpInvalidate
	OpTerminate
)

// Hooks are the points at which a fault changes a target's behaviour. Every hook is optional.
type Hooks struct {
	// Handler runs in place of the inner handler; call(tree) calls the inner one.
	Handler func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error
	// Complete runs in place of forwarding a completion to the host; forward(tree) forwards it.
	Complete func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList))
	// SendComplete runs in place of forwarding a send completion; forward forwards it.
	SendComplete func(chain *ndis.NetBufferList, forward func(*ndis.NetBufferList))
	// Opened runs once the inner target is open, with the host the suite gave.
	Opened func(host target.Host)
	// Closing runs when the suite closes the target, before the inner target is closed.
	Closing func()
}

// Wrapped is a target whose handlers and completions pass through Hooks.
type Wrapped struct {
	Inner target.Target
	Hooks Hooks
	Data  DataHooks // the data path's hooks (wrap_datapath.go)
	host  target.Host
}

var _ target.Target = (*Wrapped)(nil)

// With returns a Wrap function that wraps a target with the hooks hooks() returns; hooks is
// called once per target so that faults can keep per-target state.
func With(hooks func() Hooks) func(target.Target) target.Target {
	return func(inner target.Target) target.Target { return &Wrapped{Inner: inner, Hooks: hooks()} }
}

// Open opens the inner target with a host that passes completions through the hooks.
func (w *Wrapped) Open(host target.Host) (target.Info, error) {
	w.host = host
	info, err := w.Inner.Open(hostHook{w: w})
	if err == nil && w.Hooks.Opened != nil {
		w.Hooks.Opened(host)
	}
	return info, err
}

// Close runs the Closing hook and closes the inner target.
func (w *Wrapped) Close() error {
	if w.Hooks.Closing != nil {
		w.Hooks.Closing()
	}
	return w.Inner.Close()
}

func (w *Wrapped) handle(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
	if w.Hooks.Handler != nil {
		return w.Hooks.Handler(op, tree, call)
	}
	return call(tree)
}

// MiniportInitiateOffload passes through the Handler hook.
func (w *Wrapped) MiniportInitiateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return w.handle(OpInitiate, tree, w.Inner.MiniportInitiateOffload)
}

// MiniportQueryOffload passes through the Handler hook.
func (w *Wrapped) MiniportQueryOffload(tree *ndis.MiniportOffloadBlockList) error {
	return w.handle(OpQuery, tree, w.Inner.MiniportQueryOffload)
}

// MiniportUpdateOffload passes through the Handler hook.
func (w *Wrapped) MiniportUpdateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return w.handle(OpUpdate, tree, w.Inner.MiniportUpdateOffload)
}

// MiniportInvalidateOffload passes through the Handler hook.
func (w *Wrapped) MiniportInvalidateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return w.handle(OpInvalidate, tree, w.Inner.MiniportInvalidateOffload)
}

// MiniportTerminateOffload passes through the Handler hook.
func (w *Wrapped) MiniportTerminateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return w.handle(OpTerminate, tree, w.Inner.MiniportTerminateOffload)
}

// hostHook is the host the inner target sees.
type hostHook struct{ w *Wrapped }

func (h hostHook) complete(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
	if h.w.Hooks.Complete != nil {
		h.w.Hooks.Complete(op, tree, forward)
		return
	}
	forward(tree)
}

func (h hostHook) NdisMInitiateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.complete(OpInitiate, tree, h.w.host.NdisMInitiateOffloadComplete)
}

func (h hostHook) NdisMQueryOffloadStateComplete(tree *ndis.MiniportOffloadBlockList) {
	h.complete(OpQuery, tree, h.w.host.NdisMQueryOffloadStateComplete)
}

func (h hostHook) NdisMUpdateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.complete(OpUpdate, tree, h.w.host.NdisMUpdateOffloadComplete)
}

func (h hostHook) NdisMInvalidateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.complete(OpInvalidate, tree, h.w.host.NdisMInvalidateOffloadComplete)
}

func (h hostHook) NdisMTerminateOffloadComplete(tree *ndis.MiniportOffloadBlockList) {
	h.complete(OpTerminate, tree, h.w.host.NdisMTerminateOffloadComplete)
}

func (h hostHook) NdisTcpOffloadSendComplete(chain *ndis.NetBufferList) {
	if h.w.Hooks.SendComplete != nil {
		h.w.Hooks.SendComplete(chain, h.w.host.NdisTcpOffloadSendComplete)
		return
	}
	h.w.host.NdisTcpOffloadSendComplete(chain)
}

// Host returns the host the suite gave the wrapped target, for faults that call it directly.
func (w *Wrapped) Host() target.Host { return w.host }

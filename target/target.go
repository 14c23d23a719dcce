// Package target is the contract between the conformance suite and an offload target: the
// handlers a target implements (Target), the callbacks through which it completes (Host), and
// what it declares about itself when opened (Info, Capabilities, Limits).
//
// The contract follows the NDIS chimney interface: a handler takes a tree and returns at once;
// the target completes later, exactly once, by passing the same tree to the matching Host
// callback. Statuses are data in the tree; the Go errors here are for adapter and transport
// failures only (a remote target that cannot be reached), never for NDIS outcomes.
package target

import "github.com/ndis-chimney/conformance/target/ndis"

// StateManipulator mirrors the five generic chimney handlers of
// NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS. Each takes ownership of the tree until
// it passes the same pointer to the matching Host completion.
type StateManipulator interface {
	// MiniportInitiateOffload offloads the state in the tree; completes through
	// Host.NdisMInitiateOffloadComplete.
	MiniportInitiateOffload(tree *ndis.MiniportOffloadBlockList) error
	// MiniportQueryOffload writes the current offloaded state into the tree; completes through
	// Host.NdisMQueryOffloadStateComplete.
	MiniportQueryOffload(tree *ndis.MiniportOffloadBlockList) error
	// MiniportUpdateOffload applies cached state and relinks paths; completes through
	// Host.NdisMUpdateOffloadComplete.
	MiniportUpdateOffload(tree *ndis.MiniportOffloadBlockList) error
	// MiniportInvalidateOffload marks offloaded objects invalid; completes through
	// Host.NdisMInvalidateOffloadComplete.
	MiniportInvalidateOffload(tree *ndis.MiniportOffloadBlockList) error
	// MiniportTerminateOffload uploads offloaded objects; completes through
	// Host.NdisMTerminateOffloadComplete.
	MiniportTerminateOffload(tree *ndis.MiniportOffloadBlockList) error
}

// Target is an offload target under test. Open hands it the Host it completes through and
// returns what it declares about itself; Close releases it. The data path (send, receive,
// disconnect, forward), the network port and the clock are role interfaces beside this one
// (roles.go), which a target declares by implementing them.
type Target interface {
	Open(host Host) (Info, error)
	StateManipulator
	Close() error
}

// StateCompleter mirrors the NdisMXxxOffloadComplete functions a target calls to hand a tree
// back after a state-manipulation operation.
type StateCompleter interface {
	NdisMInitiateOffloadComplete(tree *ndis.MiniportOffloadBlockList)
	NdisMQueryOffloadStateComplete(tree *ndis.MiniportOffloadBlockList)
	NdisMUpdateOffloadComplete(tree *ndis.MiniportOffloadBlockList)
	NdisMInvalidateOffloadComplete(tree *ndis.MiniportOffloadBlockList)
	NdisMTerminateOffloadComplete(tree *ndis.MiniportOffloadBlockList)
}

// SendCompleter mirrors NdisTcpOffloadSendComplete: the target hands back NET_BUFFER_LISTs of
// send data (a chain linked through Next), each with its Status written. Outstanding send
// data passed at initiate comes back this way or in the terminate tree.
type SendCompleter interface {
	NdisTcpOffloadSendComplete(chain *ndis.NetBufferList)
}

// Host is what NDIS and the host stack offer a target: the completions and indications it
// calls. A target without the data-path role calls only StateCompleter and SendCompleter.
type Host interface {
	StateCompleter
	SendCompleter
	DataPathCompleter
	ReceiveIndicator
	EventIndicator
	NonOffloadReceiver
}

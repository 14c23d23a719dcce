// Package reference is the reference offload target: a plain, readable implementation of the
// TCP chimney offload-target contract that passes every spec of the suite. It plugs into the
// suite exactly as a third-party target does, through target.Target.
//
// Every handler queues its tree and returns at once; one worker goroutine takes the trees in
// arrival order, performs the operation and completes it through the Host, exactly once.
// Until the wire exists the reference sends nothing: it holds outstanding send data until the
// connection is terminated and hands it back then.
package reference

import (
	"errors"
	"sync"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

var _ target.Target = (*Target)(nil)

// Config sets the reference's declared limits and the readings it takes where the documents
// disagree (the suite sets them from ginkgo.yml, so the reference follows the same reading
// as the specs).
type Config struct {
	Limits target.Limits
	// PlaceholderStatusFromDependents: a placeholder's initiate status follows its dependents
	// (OFFLOAD_PARTIAL_SUCCESS when one or more failed), instead of always NDIS_STATUS_SUCCESS.
	PlaceholderStatusFromDependents bool
	// LinkerAllFailedPartialSuccess: a linker whose dependents all failed gets
	// NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS instead of NDIS_STATUS_FAILURE.
	LinkerAllFailedPartialSuccess bool
	// RootFailureStopsWholeTree: when the root's own state (a linker has none) cannot be
	// offloaded, the traversal ends and the blocks after it fail too, not only its subtree.
	RootFailureStopsWholeTree bool
	// PathOrNeighborFailureStopsWholeTree: when a path or neighbor block cannot be offloaded,
	// the traversal ends there and every block after it fails too, instead of only its subtree.
	PathOrNeighborFailureStopsWholeTree bool
	// KeepaliveResetOnKeepAliveRestart: TCP_FLAG_KEEP_ALIVE_RESTART, rather than
	// TCP_FLAG_MAX_RT_RESTART, makes an update reset the keepalive probe count and timeout.
	KeepaliveResetOnKeepAliveRestart bool
	// SendCompleteInitiateData: outstanding send data handed over at initiate is completed
	// through NdisTcpOffloadSendComplete at terminate (with NDIS_STATUS_UPLOAD_IN_PROGRESS, since
	// the reference never sends it) instead of being chained back in NetBufferListChain.
	SendCompleteInitiateData bool
}

// Target is the reference offload target.
type Target struct {
	cfg Config

	mu      sync.Mutex
	host    target.Host
	queue   chan request
	done    chan struct{}
	objects *registry
	// stopped is set during an initiate once a failure has ended its traversal; only the
	// worker goroutine touches it.
	stopped bool
}

// request is one queued handler call.
type request struct {
	op   operation
	tree *ndis.MiniportOffloadBlockList
}

type operation int

const (
	opInitiate operation = iota + 1
	opQuery
	opUpdate
	opInvalidate
	opTerminate
)

// New returns a reference target with the given configuration.
func New(cfg Config) *Target { return &Target{cfg: cfg} }

// ErrNotOpen is returned by a handler called before Open or after Close.
var ErrNotOpen = errors.New("reference target is not open")

// Open starts the worker and declares the reference's capabilities.
func (t *Target) Open(host target.Host) (target.Info, error) {
	if host == nil {
		return target.Info{}, errors.New("reference target: Open needs a host")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.queue != nil {
		return target.Info{}, errors.New("reference target: already open")
	}
	t.host = host
	t.queue = make(chan request, 1024)
	t.done = make(chan struct{})
	t.objects = newRegistry()
	go t.work(t.queue, t.done)
	return target.Info{
		Name:    "reference",
		Vendor:  "ndis-chimney conformance project",
		Version: "1",
		Capabilities: target.Capabilities{
			TCPConnectionOffload: target.TCPConnectionOffload{
				Encapsulation:                0x2, // NDIS_ENCAPSULATION_IEEE_802_3
				SupportIPv4:                  true,
				SupportIPv6:                  true,
				SupportSack:                  true,
				TCPConnectionOffloadCapacity: t.cfg.Limits.TCPEntries.Value,
			},
			Limits: t.cfg.Limits,
		},
	}, nil
}

// Close stops the worker after the queued requests are completed.
func (t *Target) Close() error {
	t.mu.Lock()
	q, done := t.queue, t.done
	t.queue = nil
	t.mu.Unlock()
	if q == nil {
		return nil
	}
	close(q)
	<-done
	return nil
}

func (t *Target) enqueue(op operation, tree *ndis.MiniportOffloadBlockList) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.queue == nil {
		return ErrNotOpen
	}
	t.queue <- request{op: op, tree: tree}
	return nil
}

// MiniportInitiateOffload queues the tree and returns; the worker offloads and completes it.
func (t *Target) MiniportInitiateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return t.enqueue(opInitiate, tree)
}

// MiniportQueryOffload queues the tree and returns.
func (t *Target) MiniportQueryOffload(tree *ndis.MiniportOffloadBlockList) error {
	return t.enqueue(opQuery, tree)
}

// MiniportUpdateOffload queues the tree and returns.
func (t *Target) MiniportUpdateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return t.enqueue(opUpdate, tree)
}

// MiniportInvalidateOffload queues the tree and returns.
func (t *Target) MiniportInvalidateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return t.enqueue(opInvalidate, tree)
}

// MiniportTerminateOffload queues the tree and returns.
func (t *Target) MiniportTerminateOffload(tree *ndis.MiniportOffloadBlockList) error {
	return t.enqueue(opTerminate, tree)
}

// work performs queued requests in arrival order, each completed exactly once.
func (t *Target) work(queue <-chan request, done chan<- struct{}) {
	defer close(done)
	for r := range queue {
		switch r.op {
		case opInitiate:
			t.initiate(r.tree)
			t.host.NdisMInitiateOffloadComplete(r.tree)
		case opQuery:
			t.query(r.tree)
			t.host.NdisMQueryOffloadStateComplete(r.tree)
		case opUpdate:
			t.update(r.tree)
			t.host.NdisMUpdateOffloadComplete(r.tree)
		case opInvalidate:
			t.invalidate(r.tree)
			t.host.NdisMInvalidateOffloadComplete(r.tree)
		case opTerminate:
			t.terminate(r.tree)
			t.host.NdisMTerminateOffloadComplete(r.tree)
		}
	}
}

// Package reference is the reference offload target: a plain, readable implementation of the
// TCP chimney offload-target contract that passes every spec of the suite. It plugs into the
// suite exactly as a third-party target does, through target.Target.
//
// Every handler queues its request and returns at once; one goroutine (a tcp.Loop) takes the
// requests in arrival order, together with the frames arriving from the wire and the timers'
// expiries, performs each and completes it through the Host. Offloaded connections are carried
// on by the TCP engine of package reference/tcp. A target whose port is attached to no link
// transmits nothing: it holds outstanding send data until the connection is terminated and
// hands it back then.
//
// Concurrency: everything that touches the offloaded objects runs on the loop, one request at
// a time, so the objects need no lock; mu guards only what the handlers read to post to the
// loop. The Host is called from the loop with no lock held, and a host that calls a handler
// from inside a callback has its request queued behind the current one.
package reference

import (
	"errors"
	"net"
	"sync"

	"github.com/ndis-chimney/conformance/reference/tcp"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

var (
	_ target.Target   = (*Target)(nil)
	_ target.DataPath = (*Target)(nil)
	_ target.Wired    = (*Target)(nil)
	_ target.Clocked  = (*Target)(nil)
)

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
	// HardwareAddress is the port's MAC address; DefaultHardwareAddress when zero.
	HardwareAddress [6]byte
}

// DefaultHardwareAddress is the port's MAC address unless Config sets one: locally
// administered, "REF" in its middle.
var DefaultHardwareAddress = [6]byte{0x02, 0x52, 0x45, 0x46, 0x00, 0x01}

// Target is the reference offload target.
type Target struct {
	cfg Config

	mu    sync.Mutex
	host  target.Host
	loop  *tcp.Loop // nil unless open
	link  target.Link
	clock target.Clock // the suite's, or nil for real time

	// Touched only on the loop:
	objects *registry
	byKey   map[tcp.Key]ndis.Context // offloaded connections by their two ends
	// stopped is set during an initiate once a failure has ended its traversal.
	stopped bool
	// adopted are the connections the current initiate offloaded, started once it completes.
	adopted []*tcp.Conn
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

// Open starts the loop and declares the reference's capabilities.
func (t *Target) Open(host target.Host) (target.Info, error) {
	if host == nil {
		return target.Info{}, errors.New("reference target: Open needs a host")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.loop != nil {
		return target.Info{}, errors.New("reference target: already open")
	}
	t.host = host
	t.objects = newRegistry()
	t.byKey = map[tcp.Key]ndis.Context{}
	t.loop = tcp.NewLoop()
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

// Close stops the loop after the queued requests are completed.
func (t *Target) Close() error {
	t.mu.Lock()
	l := t.loop
	t.loop = nil
	t.mu.Unlock()
	if l != nil {
		l.Close()
	}
	return nil
}

// post queues f on the loop, or reports that the target is not open.
func (t *Target) post(f func()) error {
	t.mu.Lock()
	l := t.loop
	t.mu.Unlock()
	if l == nil || !l.Post(f) {
		return ErrNotOpen
	}
	return nil
}

func (t *Target) enqueue(op operation, tree *ndis.MiniportOffloadBlockList) error {
	return t.post(func() { t.perform(op, tree) })
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

// perform performs one state operation and completes it, exactly once.
func (t *Target) perform(op operation, tree *ndis.MiniportOffloadBlockList) {
	switch op {
	case opInitiate:
		t.initiate(tree)
		started := append([]*tcp.Conn(nil), t.adopted...)
		t.host.NdisMInitiateOffloadComplete(tree)
		// The connections go on the wire once the host knows them offloaded.
		for _, c := range started {
			c.Start()
		}
	case opQuery:
		t.query(tree)
		t.host.NdisMQueryOffloadStateComplete(tree)
	case opUpdate:
		t.update(tree)
		t.host.NdisMUpdateOffloadComplete(tree)
	case opInvalidate:
		t.invalidate(tree)
		t.host.NdisMInvalidateOffloadComplete(tree)
	case opTerminate:
		t.terminate(tree)
		t.host.NdisMTerminateOffloadComplete(tree)
	}
}

// wire returns the link and the clock a connection offloaded now gets: the link attached (nil
// for none), and the suite's clock, or real time, with its timers run on the loop.
func (t *Target) wire() (target.Link, target.Clock) {
	t.mu.Lock()
	defer t.mu.Unlock()
	clock := t.clock
	if clock == nil {
		clock = tcp.RealClock()
	}
	return t.link, tcp.LoopClock(clock, t.loop)
}

// HardwareAddress returns the port's MAC address.
func (t *Target) HardwareAddress() net.HardwareAddr {
	mac := t.hardwareAddress()
	return net.HardwareAddr(mac[:])
}

func (t *Target) hardwareAddress() [6]byte {
	if t.cfg.HardwareAddress == ([6]byte{}) {
		return DefaultHardwareAddress
	}
	return t.cfg.HardwareAddress
}

// AttachLink connects the port to the wire. Connections offloaded before have none and never
// transmit.
func (t *Target) AttachLink(link target.Link) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.link = link
	return nil
}

// UseClock makes the connections offloaded from now on run their timers on clock.
func (t *Target) UseClock(clock target.Clock) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clock = clock
}

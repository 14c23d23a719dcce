package harness

import (
	"fmt"
	"time"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/onsi/ginkgo/v2"
)

// Factory returns a fresh, unopened target. The harness opens one for every spec, so that no
// spec sees what another left offloaded.
type Factory func() (target.Target, error)

// Timing bounds every wait of the harness.
type Timing struct {
	// Completion is how long the harness waits for a target to complete an operation.
	Completion time.Duration
	// Handler is how long a handler call may take to return.
	Handler time.Duration
	// Settle is how long, at the end of a spec, the harness keeps watching for a second
	// completion or a write to a tree already handed back.
	Settle time.Duration
}

// Session is one spec's connection to a freshly opened target.
type Session struct {
	Target target.Target
	Host   *Host
	Info   target.Info
	// Limits are the limits in force: those the target declared, overridden by ginkgo.yml.
	Limits target.Limits
	Ledger *Ledger
	Timing Timing
	// AcceptFailureWithoutCause makes a setup step answered with NDIS_STATUS_FAILURE on a
	// query, invalidate or terminate skip the spec instead of failing it (CONFLICT-TERM-02).
	AcceptFailureWithoutCause bool
	// Readings are the readings of the pages the judges take where pages disagree.
	Readings config.Interpretations
	// Model is the host's account of what the target holds offloaded, kept from completions.
	Model *Model
	// OnViolation, when set, receives what the judges find instead of the running spec
	// failing: the property runner sets it to fail and shrink the generated case.
	OnViolation func([]Violation)

	counts judgeCounts
	atEnd  []func() []Violation // AtEnd

	handles uint64
	// outstanding counts operations handed over and not yet awaited.
	outstanding int
	sendsSeen   int
	handed      []handover
}

// handover is one tree handed to the target in this session.
type handover struct {
	op   Op
	tree *ndis.MiniportOffloadBlockList
}

// Open opens a fresh target from factory with a new Host and registers its checks and its
// closing as cleanup of the running spec. overrides replace declared limits where they are
// declared themselves.
func Open(factory Factory, timing Timing, overrides target.Limits) *Session {
	ginkgo.GinkgoHelper()
	t, err := factory()
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("[harness] cannot create the target: %v", err))
	}
	s, err := OpenTarget(t, timing, overrides)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("[harness] %v", err))
	}
	ginkgo.DeferCleanup(s.close)
	return s
}

// OpenTarget opens t with a new Host and returns its session, without registering anything
// with the running spec: the property runner opens one per generated case and ends it itself
// with End.
func OpenTarget(t target.Target, timing Timing, overrides target.Limits) (*Session, error) {
	s := &Session{Target: t, Host: NewHost(), Ledger: NewLedger(), Timing: timing, Model: NewModel()}
	s.Host.InsideWait = timing.Handler / 2 // decided before the harness gives up on the handler
	info, err := t.Open(s.Host)
	if err != nil {
		return nil, fmt.Errorf("cannot open the target: %w", err)
	}
	s.Info = info
	s.Limits = Override(info.Capabilities.Limits, overrides)
	return s, nil
}

// End closes a session opened with OpenTarget, then judges what can only be judged at the end
// (a second completion, a write after completion, the send-data ledger), with everything the
// target flushed while closing. It does not wait out the settle window.
func (s *Session) End() {
	err := s.Target.Close()
	s.Host.markClosed(ginkgo.CurrentSpecReport().FullText(), s.handed)
	s.checkQuiet()
	if err != nil {
		s.violate(nil, 0, "", "closing the target failed: %v", err)
	}
}

// close ends a spec's session: it watches for the Settle window, closes the target, then
// judges the whole session once, with everything the target flushed while closing. The
// target is closed whatever the judging finds, so a failing spec leaks nothing.
func (s *Session) close() {
	ginkgo.GinkgoHelper()
	s.settle()
	err := s.Target.Close()
	s.Host.markClosed(ginkgo.CurrentSpecReport().FullText(), s.handed)
	found := s.quietViolations()
	if err != nil {
		found = append(found, Violation{Message: fmt.Sprintf("closing the target failed: %v", err)})
	}
	s.fail(found...)
}

// Override returns the limits of declared with every limit that over declares replaced.
func Override(declared, over target.Limits) target.Limits {
	out := declared
	pick := func(dst *target.Limit, src target.Limit) {
		if src.Declared {
			*dst = src
		}
	}
	pick(&out.TCPEntries, over.TCPEntries)
	pick(&out.PathEntries, over.PathEntries)
	pick(&out.NeighborEntries, over.NeighborEntries)
	pick(&out.HostMemoryObjects, over.HostMemoryObjects)
	pick(&out.SourceIPAddressEntries, over.SourceIPAddressEntries)
	pick(&out.SourceMACEntries, over.SourceMACEntries)
	pick(&out.VLANEntries, over.VLANEntries)
	pick(&out.MaxInitialRcvWnd, over.MaxInitialRcvWnd)
	pick(&out.MaxPathMTU, over.MaxPathMTU)
	pick(&out.TransmitBuffers, over.TransmitBuffers)
	pick(&out.ReceiveBuffers, over.ReceiveBuffers)
	if over.ConfigurableSourceMAC.Declared {
		out.ConfigurableSourceMAC = over.ConfigurableSourceMAC
	}
	if over.InterfaceVLANIDs.Declared {
		out.InterfaceVLANIDs = over.InterfaceVLANIDs
	}
	return out
}

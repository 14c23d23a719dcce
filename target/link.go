package target

import (
	"net"
	"time"
)

// Link is the host's side of a target's network port: the target transmits whole Ethernet
// frames (destination MAC first, no FCS) through it. The suite's wire harness implements it;
// a bridge to a TAP device or a physical port can implement it the same way.
type Link interface {
	TransmitFrame(frame []byte)
}

// Wired is the role of a target with a network port. AttachLink connects the port to the
// wire before any connection is offloaded; ReceiveFrame delivers a frame arriving from the
// wire. A target copies what it keeps of a frame: the slice is the caller's after the call.
type Wired interface {
	// HardwareAddress returns the port's MAC address, the source of frames that no neighbor
	// DlSourceAddress overrides.
	HardwareAddress() net.HardwareAddr
	AttachLink(link Link) error
	ReceiveFrame(frame []byte)
}

// Clock is time as the suite gives it, shaped like gVisor's tcpip.Clock: a monotonic reading
// and timers. Under virtual time nothing moves until the suite advances the clock, and every
// timer due by then has run when Advance returns.
type Clock interface {
	// Now returns the time since the clock's epoch.
	Now() time.Duration
	// AfterFunc calls f once, d from now, on the clock's own goroutine.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a timer of a Clock.
type Timer interface {
	// Stop prevents the call if it has not run; it reports whether it stopped it.
	Stop() bool
}

// Clocked is the role of a target that runs its timers on a clock the suite gives it. A
// target without it keeps real time, and the specs that need exact time skip with a reason.
type Clocked interface {
	UseClock(clock Clock)
}

package tcp

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/target"
)

// timer is one of a connection's timers (the push timer now; retransmission, persist,
// keepalive and delayed ACK next). It runs on the connection's clock, whose AfterFunc calls
// back on the goroutine that drives the engine (LoopClock), so that an expiry is an event like
// any other. A timer that is stopped or reset after its expiry was already queued must not
// fire: each arming gets a generation, and only the current one fires.
type timer struct {
	clock target.Clock
	fire  func()
	t     target.Timer
	gen   uint64
	armed bool
	when  time.Duration // the clock reading at which it fires, while armed
}

func newTimer(clock target.Clock, fire func()) timer {
	return timer{clock: clock, fire: fire}
}

// reset (re)starts the timer to fire d from now.
func (t *timer) reset(d time.Duration) {
	t.stop()
	t.gen++
	gen := t.gen
	t.armed = true
	t.when = t.clock.Now() + d
	t.t = t.clock.AfterFunc(d, func() {
		if !t.armed || t.gen != gen {
			return // stopped or reset since
		}
		t.armed = false
		t.fire()
	})
}

// stop stops the timer; an expiry already on its way is ignored.
func (t *timer) stop() {
	if t.t != nil {
		t.t.Stop()
		t.t = nil
	}
	t.armed = false
	t.gen++
}

// running reports whether the timer is armed.
func (t *timer) running() bool { return t.armed }

// remaining returns the time left until the timer fires, while it is armed.
func (t *timer) remaining() (time.Duration, bool) {
	if !t.armed {
		return 0, false
	}
	return max(t.when-t.clock.Now(), 0), true
}

// LoopClock returns a clock that reads time from c and runs its timers' functions on l, so
// that a timer expiry is handled like any other event of the engines l drives. The expiry
// waits until l has run it: a suite advancing a virtual clock finds everything due done when
// its Advance returns.
func LoopClock(c target.Clock, l *Loop) target.Clock { return loopClock{c, l} }

type loopClock struct {
	target.Clock
	loop *Loop
}

func (c loopClock) AfterFunc(d time.Duration, f func()) target.Timer {
	return c.Clock.AfterFunc(d, func() { c.loop.PostWait(f) })
}

// RealClock returns a clock of real time, for targets the suite gives no clock.
func RealClock() target.Clock { return &realClock{start: time.Now()} }

type realClock struct{ start time.Time }

func (c *realClock) Now() time.Duration { return time.Since(c.start) }

func (c *realClock) AfterFunc(d time.Duration, f func()) target.Timer {
	return realTimer{time.AfterFunc(d, f)}
}

type realTimer struct{ t *time.Timer }

func (t realTimer) Stop() bool { return t.t.Stop() }

// ManualClock is a virtual clock for tests: time moves only when Advance moves it, and every
// timer due by then has run when Advance returns (its functions run on Advance's goroutine,
// in deadline order).
type ManualClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers []*manualTimer
}

type manualTimer struct {
	c    *ManualClock
	when time.Duration
	f    func()
	done bool
}

// Now returns the time since the clock's epoch.
func (c *ManualClock) Now() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc calls f once the clock has been advanced by d.
func (c *ManualClock) AfterFunc(d time.Duration, f func()) target.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTimer{c: c, when: c.now + d, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Stop prevents the call if it has not run.
func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.done
	t.done = true
	return was
}

// Advance moves time forward by d, running every timer due on the way.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now + d
	for {
		var next *manualTimer
		for _, t := range c.timers {
			if !t.done && t.when <= end && (next == nil || t.when < next.when) {
				next = t
			}
		}
		if next == nil {
			break
		}
		next.done = true
		c.now = max(c.now, next.when)
		c.mu.Unlock()
		next.f()
		c.mu.Lock()
	}
	c.now = end
	live := c.timers[:0]
	for _, t := range c.timers {
		if !t.done {
			live = append(live, t)
		}
	}
	c.timers = live
	c.mu.Unlock()
}

package remote

import (
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// sessionClock is the clock a server gives a clocked target (UseClock): it reads the latest
// time the suite sent, and keeps the target's timers, running them when the suite's time
// reaches them (Advance, or the now_ns of a call). Nothing moves between: under virtual time
// the suite's time does not either, and what the target does meanwhile it does at the time
// it last heard.
type sessionClock struct {
	ss *session

	// advancing makes the goroutine of an Advance the clock's own goroutine: one at a time
	// runs timers.
	advancing sync.Mutex

	mu       sync.Mutex
	now      time.Duration
	timers   []*clockTimer // pending, in no order (few)
	seq      uint64        // timers due at the same time run in the order they were set
	inRun    bool          // an advance is running timers; it tells the client of the next at its end
	told     time.Duration // the wakeup the client was last sent and has not yet used
	haveTold bool
}

var _ target.Clock = (*sessionClock)(nil)

type clockTimer struct {
	c   *sessionClock
	due time.Duration
	seq uint64
	f   func()
}

func newSessionClock(ss *session, now time.Duration) *sessionClock {
	return &sessionClock{ss: ss, now: now}
}

// Now returns the latest time the suite sent.
func (c *sessionClock) Now() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc runs f when the suite's time reaches d from now, on the goroutine of the Advance
// (or call) that brings it there. A timer that becomes the earliest is sent to the client as
// a ClockWakeup, unless timers are running: the advance sends the earliest when it ends.
func (c *sessionClock) AfterFunc(d time.Duration, f func()) target.Timer {
	c.mu.Lock()
	c.seq++
	t := &clockTimer{c: c, due: c.now + max(d, 0), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	wake := !c.inRun && (!c.haveTold || t.due < c.told)
	if wake {
		c.told, c.haveTold = t.due, true
	}
	c.mu.Unlock()
	if wake {
		c.ss.wakeup(t.due)
	}
	return t
}

// Stop removes the timer if it has not run; it reports whether it did.
func (t *clockTimer) Stop() bool {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, p := range c.timers {
		if p == t {
			c.timers = append(c.timers[:i], c.timers[i+1:]...)
			return true
		}
	}
	return false
}

// earliestLocked returns the pending timer due first (the earlier set first among equals).
func (c *sessionClock) earliestLocked() *clockTimer {
	var first *clockTimer
	for _, t := range c.timers {
		if first == nil || t.due < first.due || t.due == first.due && t.seq < first.seq {
			first = t
		}
	}
	return first
}

// advanceTo moves the clock to to, running in order every timer due by then (those the
// callbacks set included), each with the clock reading its due time, and returns when they
// have returned. A time earlier than the clock's reading is taken as its reading. At the end
// the client is sent a wakeup for the earliest timer still pending when it is earlier than
// the last one sent or that one has passed, and always after an Advance (the client's wakeup
// fired, and it waits for the next).
func (c *sessionClock) advanceTo(to time.Duration, advance bool) {
	c.advancing.Lock()
	defer c.advancing.Unlock()
	c.mu.Lock()
	c.inRun = true
	for {
		t := c.earliestLocked()
		if t == nil || t.due > to {
			break
		}
		c.timers = removeTimer(c.timers, t)
		c.now = max(c.now, t.due)
		c.mu.Unlock()
		t.f()
		c.mu.Lock()
	}
	c.now = max(c.now, to)
	c.inRun = false
	if c.haveTold && c.told <= c.now {
		c.haveTold = false // used: the client armed it and has now advanced past it
	}
	next := c.earliestLocked()
	wake := next != nil && (advance || !c.haveTold || next.due < c.told)
	if wake {
		c.told, c.haveTold = next.due, true
	}
	c.mu.Unlock()
	if wake {
		c.ss.wakeup(next.due)
	}
}

func removeTimer(ts []*clockTimer, t *clockTimer) []*clockTimer {
	for i, p := range ts {
		if p == t {
			return append(ts[:i], ts[i+1:]...)
		}
	}
	return ts
}

// wakeup puts a ClockWakeup on Events.
func (ss *session) wakeup(at time.Duration) {
	ss.mu.Lock()
	ss.push(&pb.Event{Kind: &pb.Event_ClockWakeup{ClockWakeup: &pb.ClockWakeup{AtNs: int64(at)}}})
	ss.mu.Unlock()
	ss.wake()
}

package tcp

import "sync"

// Loop runs functions one at a time, in the order they were posted, on a goroutine of its
// own. Posting never blocks, so that a host callback running on the loop may post more work
// (it runs after the current function returns).
type Loop struct {
	mu     sync.Mutex
	queue  []func()
	wake   chan struct{}
	closed bool
	done   chan struct{}
}

// NewLoop starts a loop.
func NewLoop() *Loop {
	l := &Loop{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go l.run()
	return l
}

// Post queues f and reports whether the loop accepted it (false once it is closed).
func (l *Loop) Post(f func()) bool {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return false
	}
	l.queue = append(l.queue, f)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return true
}

// PostWait queues f and waits until it has run. It must not be called on the loop itself.
func (l *Loop) PostWait(f func()) bool {
	done := make(chan struct{})
	if !l.Post(func() { defer close(done); f() }) {
		return false
	}
	<-done
	return true
}

// Close runs what is already queued, stops the loop and waits for it. Posts after Close are
// refused. It must not be called on the loop itself.
func (l *Loop) Close() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		<-l.done
		return
	}
	l.closed = true
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	<-l.done
}

func (l *Loop) run() {
	defer close(l.done)
	for {
		l.mu.Lock()
		batch := l.queue
		l.queue = nil
		closed := l.closed
		l.mu.Unlock()
		if len(batch) == 0 {
			if closed {
				return
			}
			<-l.wake
			continue
		}
		for _, f := range batch {
			f()
		}
	}
}

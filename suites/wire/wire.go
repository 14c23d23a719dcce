package wire

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Wire is a simulated Ethernet link between two ports. Every frame a port transmits is
// numbered, decoded and checked, written to the capture when there is one, kept, and then
// handed to the other port's receiver, in the order it was transmitted.
type Wire struct {
	A, B *Port

	start   time.Time
	mu      sync.Mutex
	frames  []Frame
	bad     []error // frames a receiver would drop (Check), each naming its frame
	capture *Capture
	capErr  error
	// MaxKept bounds the frames kept in memory (the capture has them all); 0 keeps all.
	MaxKept   int
	dropped   int
	observers []func(Frame)
	changed   chan struct{} // closed and replaced when a frame crosses
}

// Plug is what a station uses to sit on a wire: it transmits frames and receives those
// arriving. A Port is one; so is a station's share of a port (rig.go).
type Plug interface {
	Attach(receive func(frame []byte))
	Transmit(frame []byte)
}

// Port is one end of a wire.
type Port struct {
	w       *Wire
	dir     Direction // the direction of the frames this port transmits
	mu      sync.Mutex
	receive func([]byte)
}

// New returns a wire with nothing attached. capture, when not nil, receives every frame.
func New(capture *Capture) *Wire {
	w := &Wire{start: time.Now(), capture: capture, changed: make(chan struct{})}
	w.A = &Port{w: w, dir: AToB}
	w.B = &Port{w: w, dir: BToA}
	return w
}

// Start is when the wire was made; frames are stamped from it.
func (w *Wire) Start() time.Time { return w.start }

// Attach sets the function that receives the frames arriving at this port. It is called on
// the transmitting side's goroutine, and must not block for long.
func (p *Port) Attach(receive func(frame []byte)) {
	p.mu.Lock()
	p.receive = receive
	p.mu.Unlock()
}

// Transmit puts a frame on the wire, towards the other port. The wire keeps its own copy.
func (p *Port) Transmit(frame []byte) { p.Send(frame, "") }

// Send is Transmit naming who transmitted the frame; it returns the frame as the wire
// numbered and kept it.
func (p *Port) Send(frame []byte, from string) Frame {
	data := append([]byte(nil), frame...)
	f := p.w.carry(p.dir, data, from)
	p.w.observe(f) // before delivery: whatever the frame causes is observed after it
	p.w.changedNow()
	other := p.w.B
	if p.dir == BToA {
		other = p.w.A
	}
	other.mu.Lock()
	receive := other.receive
	other.mu.Unlock()
	if receive != nil {
		receive(data)
	}
	return f
}

func (w *Wire) carry(dir Direction, data []byte, from string) Frame {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := Frame{Index: len(w.frames) + w.dropped + 1, Dir: dir, At: time.Since(w.start), Data: data, From: from}
	if errs := Check(f.Decode()); len(errs) > 0 {
		w.bad = append(w.bad, fmt.Errorf("%s: %w", f, errors.Join(errs...)))
	}
	if w.capture != nil && w.capErr == nil {
		w.capErr = w.capture.Write(f)
	}
	if w.MaxKept > 0 && len(w.frames) >= w.MaxKept {
		w.frames = w.frames[1:]
		w.dropped++
	}
	w.frames = append(w.frames, f)
	return f
}

// changedNow wakes those waiting on Changed: a frame has crossed and been observed.
func (w *Wire) changedNow() {
	w.mu.Lock()
	close(w.changed)
	w.changed = make(chan struct{})
	w.mu.Unlock()
}

// Changed returns a channel closed when the next frame has crossed and been observed.
func (w *Wire) Changed() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.changed
}

// Observe makes f run for every later frame, on the transmitting goroutine, after the frame
// is recorded and before it is delivered.
func (w *Wire) Observe(f func(Frame)) {
	w.mu.Lock()
	w.observers = append(w.observers, f)
	w.mu.Unlock()
}

func (w *Wire) observe(f Frame) {
	w.mu.Lock()
	obs := w.observers
	w.mu.Unlock()
	for _, o := range obs {
		o(f)
	}
}

// Frames returns the frames kept so far, in the order they crossed.
func (w *Wire) Frames() []Frame {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Frame(nil), w.frames...)
}

// Count returns how many frames have crossed.
func (w *Wire) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.frames) + w.dropped
}

// Bad returns the frames a receiver would drop, each with what is wrong with it.
func (w *Wire) Bad() []error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]error(nil), w.bad...)
}

// CaptureError is the first error writing the capture, if any.
func (w *Wire) CaptureError() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.capErr
}

// Close closes the capture, if any, after which frames are still carried but no longer
// captured. It returns the first error writing the capture.
func (w *Wire) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.capture == nil {
		return w.capErr
	}
	err := w.capture.Close()
	w.capture = nil
	if w.capErr != nil {
		return w.capErr
	}
	return err
}

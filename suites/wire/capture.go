package wire

import (
	"bufio"
	"fmt"
	"os"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// Capture writes frames to a pcap file (pure Go, pcapgo: no libpcap), which Wireshark opens.
type Capture struct {
	path  string
	file  *os.File
	buf   *bufio.Writer
	w     *pcapgo.Writer
	start time.Time
}

// snapLen is the capture length: whole frames, jumbo ones included.
const snapLen = 65536

// NewCapture creates the pcap file at path, replacing one that is there.
func NewCapture(path string, start time.Time) (*Capture, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriter(f)
	w := pcapgo.NewWriter(buf)
	if err := w.WriteFileHeader(snapLen, layers.LinkTypeEthernet); err != nil {
		f.Close()
		return nil, fmt.Errorf("writing the pcap header of %s: %w", path, err)
	}
	return &Capture{path: path, file: f, buf: buf, w: w, start: start}, nil
}

// Path is where the capture is written.
func (c *Capture) Path() string { return c.path }

// Write appends one frame, stamped with the time it crossed the wire.
func (c *Capture) Write(f Frame) error {
	ci := gopacket.CaptureInfo{Timestamp: c.start.Add(f.At), CaptureLength: min(len(f.Data), snapLen), Length: len(f.Data)}
	return c.w.WritePacket(ci, f.Data[:ci.CaptureLength])
}

// Close flushes and closes the file.
func (c *Capture) Close() error {
	err := c.buf.Flush()
	if cerr := c.file.Close(); err == nil {
		err = cerr
	}
	return err
}

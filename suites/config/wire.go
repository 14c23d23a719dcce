package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Wire configures the wire specs: where each spec's capture of the frames it saw is written,
// and how much data the transfer specs move.
type Wire struct {
	// Captures is the directory of the per-spec pcap files, relative to reports.dir unless
	// absolute (DefaultCaptures when empty).
	Captures string `yaml:"captures"`
	// KeepPassing keeps the captures of passing specs too; by default only a failing spec's
	// capture stays, named in its report entry.
	KeepPassing bool `yaml:"keepPassing"`
	// TransferBytes is how many bytes the transfer and upload-integrity specs move each way
	// (DefaultTransferBytes when zero).
	TransferBytes int `yaml:"transferBytes"`
	// Stall is how long a transfer may make no progress (no byte delivered either way) before
	// the spec fails (DefaultStall when zero).
	Stall Duration `yaml:"stall,omitempty"`
}

// DefaultStall is wire.stall when ginkgo.yml leaves it out.
const DefaultStall = Duration(5 * time.Second)

// StallTimeout returns wire.stall.
func (w Wire) StallTimeout() time.Duration {
	if w.Stall == 0 {
		return DefaultStall.D()
	}
	return w.Stall.D()
}

// DefaultCaptures is the captures directory under reports.dir when ginkgo.yml names none.
const DefaultCaptures = "captures"

// DefaultTransferBytes is what the transfer specs move each way when ginkgo.yml says nothing:
// 1 MiB, enough for hundreds of segments and many windows.
const DefaultTransferBytes = 1 << 20

// TransferSize returns the bytes the transfer specs move each way.
func (w Wire) TransferSize() int {
	if w.TransferBytes == 0 {
		return DefaultTransferBytes
	}
	return w.TransferBytes
}

// CapturesDir returns the directory of the per-spec captures.
func (c *Config) CapturesDir() string {
	d := c.Wire.Captures
	if d == "" {
		d = DefaultCaptures
	}
	if filepath.IsAbs(d) {
		return d
	}
	return c.ReportPath(d)
}

func (w Wire) check() error {
	if w.TransferBytes < 0 || (w.TransferBytes > 0 && w.TransferBytes < 1024) {
		return fmt.Errorf("wire.transferBytes: %d, want at least 1024 (or none, for %d)", w.TransferBytes, DefaultTransferBytes)
	}
	if w.Stall < 0 {
		return fmt.Errorf("wire.stall: %s, want a positive duration", w.Stall.D())
	}
	if strings.ContainsRune(w.Captures, 0) {
		return fmt.Errorf("wire.captures: a NUL byte")
	}
	return nil
}

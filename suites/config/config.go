// Package config reads ginkgo.yml, the suite's configuration: which target to run against,
// the limits it declares, timeouts, where reports go, and the readings the suite takes where
// the documents disagree. The file is validated strictly: an unknown key or a bad value stops
// the run before any spec, naming the key and its line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ndis-chimney/conformance/target"
	"go.yaml.in/yaml/v3"
)

// FileName is the configuration file's name at the repository root.
const FileName = "ginkgo.yml"

// Config is the whole of ginkgo.yml.
type Config struct {
	Target          Target          `yaml:"target"`
	Declared        Limits          `yaml:"declared"`
	Timeouts        Timeouts        `yaml:"timeouts"`
	Reports         Reports         `yaml:"reports"`
	Interpretations Interpretations `yaml:"interpretations"`
	Properties      Properties      `yaml:"properties"`

	// Path is where the configuration was read from; set by Load.
	Path string `yaml:"-"`
}

// Target selects the target under test.
type Target struct {
	// Kind is "reference" (the bundled reference target, in process), "exec" (the suite
	// launches the target's binary, which serves the protocol of target/remote) or "connect"
	// (the suite attaches to an endpoint already serving it).
	Kind      Kind      `yaml:"kind"`
	Reference Reference `yaml:"reference"`
	Exec      Exec      `yaml:"exec,omitempty"`
	Connect   Connect   `yaml:"connect,omitempty"`
}

// Exec configures a target the suite launches. The binary gets the path of a unix socket in
// a private directory in CHIMNEY_TARGET_SOCKET and must serve the protocol there.
type Exec struct {
	Path string   `yaml:"path,omitempty"` // the binary; relative to ginkgo.yml's directory unless absolute
	Args []string `yaml:"args,omitempty"`
	// Start bounds how long the binary may take to serve; zero means timeouts.handler × 10.
	Start Duration `yaml:"start,omitempty"`
}

// Connect configures a target already serving the protocol.
type Connect struct {
	// Address is "unix:///path/to/socket" or "host:port"; a TCP host must be a loopback
	// address unless AllowRemote is set.
	Address     string `yaml:"address,omitempty"`
	AllowRemote bool   `yaml:"allowRemote,omitempty"`
}

// Reference configures the bundled reference target.
type Reference struct {
	Limits Limits `yaml:"limits"`
}

// Limits mirrors target.Limits in ginkgo.yml; a key left out is undeclared.
type Limits struct {
	TCPEntries             *uint32  `yaml:"tcpEntries,omitempty"`
	PathEntries            *uint32  `yaml:"pathEntries,omitempty"`
	NeighborEntries        *uint32  `yaml:"neighborEntries,omitempty"`
	HostMemoryObjects      *uint32  `yaml:"hostMemoryObjects,omitempty"`
	SourceIPAddressEntries *uint32  `yaml:"sourceIPAddressEntries,omitempty"`
	ConfigurableSourceMAC  *bool    `yaml:"configurableSourceMAC,omitempty"`
	SourceMACEntries       *uint32  `yaml:"sourceMACEntries,omitempty"`
	InterfaceVLANIDs       []uint16 `yaml:"interfaceVLANIDs,omitempty"`
	VLANEntries            *uint32  `yaml:"vlanEntries,omitempty"`
	MaxInitialRcvWnd       *uint32  `yaml:"maxInitialRcvWnd,omitempty"`
	MaxPathMTU             *uint32  `yaml:"maxPathMTU,omitempty"`
	TransmitBuffers        *uint32  `yaml:"transmitBuffers,omitempty"`
	ReceiveBuffers         *uint32  `yaml:"receiveBuffers,omitempty"`
}

// Timeouts bound every wait of the harness.
type Timeouts struct {
	Completion Duration `yaml:"completion"` // for a completion to arrive
	Handler    Duration `yaml:"handler"`    // for a handler call to return
	Settle     Duration `yaml:"settle"`     // watching for late completions and writes at the end of a spec
}

// Reports says where reports are written. Relative paths are relative to the directory of
// ginkgo.yml.
type Reports struct {
	Dir         string `yaml:"dir"`
	JUnit       string `yaml:"junit"`       // file name in Dir
	JSON        string `yaml:"json"`        // Ginkgo's JSON report, file name in Dir
	Conformance string `yaml:"conformance"` // base name in Dir: writes <name>.md and <name>.json
}

// Kind names a way to reach the target.
type Kind string

// Target kinds.
const (
	KindReference Kind = "reference"
	KindExec      Kind = "exec"
	KindConnect   Kind = "connect"
)

// Kinds lists every kind, in the order the documentation gives them.
var Kinds = []Kind{KindReference, KindExec, KindConnect}

// UnmarshalYAML accepts only a known kind.
func (k *Kind) UnmarshalYAML(n *yaml.Node) error {
	return k.set(n.Value, n.Line)
}

func (k *Kind) set(v string, line int) error {
	for _, known := range Kinds {
		if Kind(v) == known {
			*k = known
			return nil
		}
	}
	where := "target.kind"
	if line > 0 {
		where = fmt.Sprintf("line %d: target.kind", line)
	}
	return fmt.Errorf("%s %q is not one of %v", where, v, Kinds)
}

// Set is flag.Value's setter, for -target.
func (k *Kind) Set(v string) error { return k.set(v, 0) }

func (k *Kind) String() string { return string(*k) }

// Duration is a time.Duration written as "2s" or "150ms".
type Duration time.Duration

// UnmarshalYAML parses a Go duration and rejects one that is not positive.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: %q is not a positive duration such as 2s or 150ms", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// D returns the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalYAML writes a duration as ginkgo.yml spells it, e.g. "2s".
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Load finds ginkgo.yml (the path given, else in the working directory or the nearest parent
// that has one), reads it strictly and checks its values.
func Load(path string) (*Config, error) {
	if path == "" {
		var err error
		if path, err = find(); err != nil {
			return nil, err
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg.Path, _ = filepath.Abs(path)
	return cfg, nil
}

// Parse reads a configuration from YAML, rejecting unknown keys and bad values.
func Parse(data []byte) (*Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, err
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func (c *Config) check() error {
	var errs []error
	switch c.Target.Kind {
	case "":
		errs = append(errs, fmt.Errorf("target.kind is missing (one of %v)", Kinds))
	case KindExec:
		if c.Target.Exec.Path == "" {
			errs = append(errs, errors.New("target.kind is exec, but target.exec.path names no binary"))
		}
	case KindConnect:
		if c.Target.Connect.Address == "" {
			errs = append(errs, errors.New("target.kind is connect, but target.connect.address names no endpoint"))
		}
	}
	if c.Timeouts.Completion == 0 || c.Timeouts.Handler == 0 || c.Timeouts.Settle == 0 {
		errs = append(errs, errors.New("timeouts.completion, timeouts.handler and timeouts.settle are all required"))
	}
	if c.Reports.Dir == "" || c.Reports.JUnit == "" || c.Reports.JSON == "" || c.Reports.Conformance == "" {
		errs = append(errs, errors.New("reports.dir, reports.junit, reports.json and reports.conformance are all required"))
	}
	for _, name := range []string{c.Reports.JUnit, c.Reports.JSON, c.Reports.Conformance} {
		if name != "" && filepath.Base(name) != name {
			errs = append(errs, fmt.Errorf("reports: %q must be a file name inside reports.dir, not a path", name))
		}
	}
	if err := c.Properties.check(); err != nil {
		errs = append(errs, err)
	}
	for _, id := range append(c.Declared.InterfaceVLANIDs, c.Target.Reference.Limits.InterfaceVLANIDs...) {
		if id > 0xFFF {
			errs = append(errs, fmt.Errorf("interfaceVLANIDs: %d does not fit the 12-bit VlanId", id))
		}
	}
	return errors.Join(errs...)
}

// find looks for ginkgo.yml in the working directory and its parents.
func find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no %s in the working directory or any parent", FileName)
		}
		dir = parent
	}
}

// ReportPath returns the path of a report file, relative to ginkgo.yml's directory unless
// reports.dir is absolute.
func (c *Config) ReportPath(name string) string {
	dir := c.Reports.Dir
	if !filepath.IsAbs(dir) && c.Path != "" {
		dir = filepath.Join(filepath.Dir(c.Path), dir)
	}
	return filepath.Join(dir, name)
}

// TargetLimits converts limits from ginkgo.yml into the contract's form.
func (l Limits) TargetLimits() target.Limits {
	lim := func(v *uint32) target.Limit {
		if v == nil {
			return target.Limit{}
		}
		return target.Declare(*v)
	}
	out := target.Limits{
		TCPEntries: lim(l.TCPEntries), PathEntries: lim(l.PathEntries), NeighborEntries: lim(l.NeighborEntries),
		HostMemoryObjects: lim(l.HostMemoryObjects), SourceIPAddressEntries: lim(l.SourceIPAddressEntries),
		SourceMACEntries: lim(l.SourceMACEntries), VLANEntries: lim(l.VLANEntries),
		MaxInitialRcvWnd: lim(l.MaxInitialRcvWnd), MaxPathMTU: lim(l.MaxPathMTU),
		TransmitBuffers: lim(l.TransmitBuffers), ReceiveBuffers: lim(l.ReceiveBuffers),
	}
	if l.ConfigurableSourceMAC != nil {
		out.ConfigurableSourceMAC = target.DeclareFlag(*l.ConfigurableSourceMAC)
	}
	if l.InterfaceVLANIDs != nil {
		out.InterfaceVLANIDs = target.VLANIDs{IDs: l.InterfaceVLANIDs, Declared: true}
	}
	return out
}

// Package config reads ginkgo.yml, the suite's configuration: which target to run against,
// the limits it declares, timeouts, where reports go, and the readings the suite takes where
// the documents disagree. The file is validated strictly: an unknown key or a bad value stops
// the run before any spec, naming the key and its line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
	Wire            Wire            `yaml:"wire"`

	// Path is where the configuration was read from; set by Load.
	Path string `yaml:"-"`

	doc *yaml.Node // the document as parsed, for the line of each key
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
// a private directory in CHIMNEY_TARGET_SOCKET and must serve the protocol there. It runs as a
// guest: in its own process group, killed with everything it started at the end of the run,
// with only the environment named here, in a fresh working directory unless Dir names one.
type Exec struct {
	// Path is the binary: an absolute path; a path with a slash, relative to ginkgo.yml's
	// directory ("./bin/target"); or a bare name without a slash ("node"), looked up on the
	// suite's PATH as a shell would. See ExecPath.
	Path string   `yaml:"path,omitempty"`
	Args []string `yaml:"args,omitempty"` // passed as they are: a relative path in them is relative to Dir
	// Env names variables of the suite's environment passed through to the target, e.g.
	// [PATH, HOME]. Nothing else passes: the target sees CHIMNEY_TARGET_SOCKET, these, SetEnv.
	Env []string `yaml:"env,omitempty"`
	// SetEnv sets variables for the target.
	SetEnv map[string]string `yaml:"setEnv,omitempty"`
	// Dir is the target's working directory, relative to ginkgo.yml's directory unless
	// absolute. Empty: a fresh private directory, removed at the end of the run.
	Dir string `yaml:"dir,omitempty"`
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
	// AfterClose is how long, after the last spec, the run keeps watching the targets it
	// closed for completions they make too late (optional, 1s when left out).
	AfterClose Duration `yaml:"afterClose"`
}

// DefaultAfterClose is timeouts.afterClose when ginkgo.yml leaves it out.
const DefaultAfterClose = Duration(time.Second)

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

// Parse reads a configuration from YAML, rejecting unknown keys, bad values and a second
// YAML document.
func Parse(data []byte) (*Config, error) {
	var cfg Config
	// A reading left out is the suite's default; most defaults are the zero value, this one
	// is not (CONFLICT-INIT-08: the partial-offload page's own words).
	cfg.Interpretations.RootFailureStopsWholeTree = true
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the configuration is empty")
		}
		return nil, err
	}
	var second yaml.Node
	if err := dec.Decode(&second); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("line %d: a second YAML document (after ---): %s holds one; everything after the first is never read", second.Line, FileName)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	cfg.doc = &doc
	if cfg.Timeouts.AfterClose == 0 {
		cfg.Timeouts.AfterClose = DefaultAfterClose
	}
	if cfg.Interpretations.KeepaliveResetFlag == "" {
		// Left out: the suite's reading, the first value. Written out, "" is refused; left as
		// "", the configuration could not be written back and read again.
		cfg.Interpretations.KeepaliveResetFlag = ResetOnMaxRTRestart
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func (c *Config) check() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch c.Target.Kind {
	case "":
		add("target.kind is missing (one of %v)", Kinds)
	case KindExec:
		if c.Target.Exec.Path == "" {
			add("%s is exec, but target.exec.path names no binary", c.at("target.kind"))
		}
	case KindConnect:
		if c.Target.Connect.Address == "" {
			add("%s is connect, but target.connect.address names no endpoint", c.at("target.kind"))
		}
	}
	errs = append(errs, c.checkExec()...)
	if strings.ContainsRune(c.Target.Connect.Address, 0) {
		add("%s: a NUL byte", c.at("target.connect.address"))
	}
	if c.Timeouts.Completion == 0 || c.Timeouts.Handler == 0 || c.Timeouts.Settle == 0 {
		add("timeouts.completion, timeouts.handler and timeouts.settle are all required")
	}
	if c.Reports.Dir == "" || c.Reports.JUnit == "" || c.Reports.JSON == "" || c.Reports.Conformance == "" {
		add("reports.dir, reports.junit, reports.json and reports.conformance are all required")
	}
	errs = append(errs, c.checkReports()...)
	if err := c.Properties.check(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Wire.check(); err != nil {
		errs = append(errs, err)
	}
	for _, id := range append(c.Declared.InterfaceVLANIDs, c.Target.Reference.Limits.InterfaceVLANIDs...) {
		if id > 0xFFF {
			add("interfaceVLANIDs: %d does not fit the 12-bit VlanId", id)
		}
	}
	return errors.Join(errs...)
}

// checkReports rejects report names that are not plain file names inside reports.dir, or that
// name the same file twice (compared without case, as on Windows and macOS file systems).
func (c *Config) checkReports() []error {
	var errs []error
	if strings.ContainsRune(c.Reports.Dir, 0) {
		errs = append(errs, fmt.Errorf("%s: a NUL byte", c.at("reports.dir")))
	}
	type file struct{ key, name string }
	var files []file
	for _, r := range []struct{ key, name string }{
		{"reports.junit", c.Reports.JUnit}, {"reports.json", c.Reports.JSON}, {"reports.conformance", c.Reports.Conformance},
	} {
		if r.name == "" {
			continue
		}
		if err := plainFileName(r.name); err != nil {
			errs = append(errs, fmt.Errorf("%s %q %v", c.at(r.key), r.name, err))
			continue
		}
		if r.key == "reports.conformance" {
			files = append(files, file{r.key, r.name + ".md"}, file{r.key, r.name + ".json"})
		} else {
			files = append(files, file{r.key, r.name})
		}
	}
	for i, a := range files {
		for _, b := range files[i+1:] {
			if strings.EqualFold(a.name, b.name) {
				errs = append(errs, fmt.Errorf("%s and %s both name the file %q: two reports would overwrite each other", c.at(a.key), c.at(b.key), b.name))
			}
		}
	}
	return errs
}

// plainFileName says what keeps name from being a plain file name on every system.
func plainFileName(name string) error {
	switch {
	case name == "." || name == "..":
		return errors.New("must be a file name inside reports.dir, not . or ..")
	case strings.ContainsRune(name, 0):
		return errors.New("has a NUL byte")
	case strings.ContainsAny(name, `/\`) || filepath.Base(name) != name:
		return errors.New("must be a file name inside reports.dir, not a path")
	}
	return nil
}

// checkExec rejects values of target.exec no process could be started with.
func (c *Config) checkExec() []error {
	var errs []error
	e := c.Target.Exec
	nul := func(key, v string) {
		if strings.ContainsRune(v, 0) {
			errs = append(errs, fmt.Errorf("%s: a NUL byte", c.at(key)))
		}
	}
	nul("target.exec.path", e.Path)
	nul("target.exec.dir", e.Dir)
	for i, a := range e.Args {
		nul(fmt.Sprintf("target.exec.args[%d]", i), a)
	}
	seen := map[string]string{}
	name := func(where, n string) {
		switch {
		case n == "" || strings.ContainsAny(n, "=\x00"):
			errs = append(errs, fmt.Errorf("%s %q is not a variable name", where, n))
		case n == targetSocketVar:
			errs = append(errs, fmt.Errorf("%s: %s is set by the suite, to the socket it chose", where, n))
		case seen[n] != "":
			errs = append(errs, fmt.Errorf("%s: %s is already named by %s", where, n, seen[n]))
		default:
			seen[n] = where
		}
	}
	for i, n := range e.Env {
		name(c.at(fmt.Sprintf("target.exec.env[%d]", i)), n)
	}
	for _, k := range slices.Sorted(maps.Keys(e.SetEnv)) {
		name(c.atSetEnv(k), k)
		if strings.ContainsRune(e.SetEnv[k], 0) {
			errs = append(errs, fmt.Errorf("%s: a NUL byte", c.atSetEnv(k)))
		}
	}
	return errs
}

// targetSocketVar is remote.EnvSocket (not imported: config stays below target/remote).
const targetSocketVar = "CHIMNEY_TARGET_SOCKET"

// ExecPath resolves target.exec.path: an absolute path is itself; a path with a slash is
// relative to ginkgo.yml's directory; a bare name (no slash) is looked up on the suite's PATH,
// as a shell would ("node"). It fails, naming the key and its line, when nothing is there.
func (c *Config) ExecPath() (string, error) {
	p := c.Target.Exec.Path
	where := c.atValue("target.exec.path", p)
	switch {
	case filepath.IsAbs(p):
	case !strings.ContainsAny(p, `/\`):
		found, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%s %q: not found on PATH (a name without a slash is looked up on PATH; write ./%s for a file next to %s): %w", where, p, p, FileName, err)
		}
		return found, nil
	default:
		p = filepath.Join(c.dir(), p)
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s %q: %w (a path with a slash is relative to the directory of %s)", where, c.Target.Exec.Path, err, FileName)
	}
	return p, nil
}

// ExecDir resolves target.exec.dir against ginkgo.yml's directory; "" stays "" (a fresh
// private directory).
func (c *Config) ExecDir() string {
	d := c.Target.Exec.Dir
	if d == "" || filepath.IsAbs(d) {
		return d
	}
	return filepath.Join(c.dir(), d)
}

// ExecEnv returns target.exec.setEnv as KEY=value pairs, sorted by key.
func (c *Config) ExecEnv() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(c.Target.Exec.SetEnv)) {
		out = append(out, k+"="+c.Target.Exec.SetEnv[k])
	}
	return out
}

// dir is the directory of ginkgo.yml ("." when it was parsed from bytes).
func (c *Config) dir() string {
	if c.Path == "" {
		return "."
	}
	return filepath.Dir(c.Path)
}

// node returns the value node of a dotted key path such as "reports.junit" or
// "target.exec.args[1]" in the file as parsed, or nil.
func (c *Config) node(path string) *yaml.Node {
	n := c.doc
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, part := range strings.Split(path, ".") {
		key, index, indexed := strings.Cut(strings.TrimSuffix(part, "]"), "[")
		k := keyNode(n, key)
		if k == nil {
			return nil
		}
		n = k.next
		if indexed {
			i, err := strconv.Atoi(index)
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		}
	}
	return n
}

type keyValue struct{ key, next *yaml.Node }

// keyNode finds key in the mapping n: its key node and value node (the last, if repeated).
func keyNode(n *yaml.Node, key string) *keyValue {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out *keyValue
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			out = &keyValue{n.Content[i], n.Content[i+1]}
		}
	}
	return out
}

// atSetEnv names the variable k of target.exec.setEnv for an error, with the line where the
// file names it (a variable name may contain dots, so it is no key path).
func (c *Config) atSetEnv(k string) string {
	if kv := keyNode(c.node("target.exec.setEnv"), k); kv != nil {
		return fmt.Sprintf("line %d: target.exec.setEnv.%s", kv.key.Line, k)
	}
	return "target.exec.setEnv." + k
}

// at names a key for an error: "line N: key" where the file has it, else the key alone.
func (c *Config) at(path string) string {
	if n := c.node(path); n != nil {
		return fmt.Sprintf("line %d: %s", n.Line, path)
	}
	return path
}

// atValue is at, for a value that may have been replaced since the file was read (a
// command-line flag): the line is given only while the value is the file's.
func (c *Config) atValue(path, value string) string {
	if n := c.node(path); n != nil && n.Value == value {
		return fmt.Sprintf("line %d: %s", n.Line, path)
	}
	return path + " (set on the command line)"
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

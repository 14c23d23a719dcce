// Package suites holds the conformance specs of the TCP chimney offload-target interface and
// runs them against any target.Target.
//
// A vendor runs them inside their own go test:
//
//	func TestConformance(t *testing.T) {
//		cfg, err := config.Load("")
//		...
//		suites.Run(t, func() (target.Target, error) { return mytarget.New(), nil }, cfg)
//	}
//
// Each spec opens a fresh target from the factory, plays the host towards it and checks one
// documented rule, labelled with the rule's ID and facets. After the run the conformance report
// is written where ginkgo.yml says, next to Ginkgo's JUnit and JSON reports.
package suites

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/report"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
	"go.yaml.in/yaml/v3"
)

// run is what the specs of the current run use.
var run struct {
	factory     harness.Factory
	cfg         *config.Config
	diagnostics func() string

	// header is what the conformance report says beyond Ginkgo's report: the configuration,
	// the provenance, and the target as the first process opened it before any spec.
	header report.Header
	// base is the conformance report's path without extension; junit and json are the paths
	// of Ginkgo's reports when ginkgo.yml names them (written here, atomically), "" when a
	// flag names them (written by Ginkgo).
	base, junit, json string
	// conclusion is the verdict of the finished run, on the first process; zero until then.
	conclusion report.Conformance
}

// Option adjusts a run.
type Option func()

// WithDiagnostics attaches what diagnostics returns (e.g. a launched target's stderr) to the
// report of every failed spec, and to the failure of a target that cannot start.
func WithDiagnostics(diagnostics func() string) Option {
	return func() { run.diagnostics = diagnostics }
}

// Run runs the specs against targets made by factory, configured by cfg. Reports go where cfg
// says unless Ginkgo's own report flags name other paths (explicit flags win).
//
// Before any spec, the first process replaces the conformance report with one saying the run
// is in progress (verdict INCOMPLETE) and removes Ginkgo's reports of an earlier run, so that a
// run that never ends leaves no earlier verdict behind. After the last spec the conformance
// report is written with the verdict. Run fails t when the verdict is NOT RUN or NOT
// CONFORMANT, or INCOMPLETE although every spec was selected, even if no spec failed.
func Run(t *testing.T, factory harness.Factory, cfg *config.Config, opts ...Option) bool {
	t.Helper()
	started := time.Now()
	for _, o := range opts {
		o()
	}
	run.factory, run.cfg, run.conclusion = factory, cfg, report.Conformance{}
	run.header = report.Header{
		Configuration: cfg, Provenance: report.NewProvenance(cfg.Path, started),
		TargetNote: "no target was opened in this run",
	}
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	run.base, run.junit, run.json = cfg.ReportPath(cfg.Reports.Conformance), "", ""
	if reporterConfig.JUnitReport == "" {
		run.junit = cfg.ReportPath(cfg.Reports.JUnit)
	}
	if reporterConfig.JSONReport == "" {
		run.json = cfg.ReportPath(cfg.Reports.JSON)
	}
	if err := rules.Validate(); err != nil {
		Stop(t, cfg, fmt.Errorf("the rule catalog is malformed: %w", err))
	}
	if suiteConfig.ParallelProcess == 1 {
		if err := report.RemoveStale(nonEmpty(run.junit, run.json)...); err != nil {
			t.Fatal(err)
		}
		if err := report.Write(report.InProgress(run.header), run.base); err != nil {
			t.Fatalf("cannot write the conformance report: %v", err)
		}
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	passed := ginkgo.RunSpecs(t, "TCP chimney offload conformance", suiteConfig, reporterConfig)
	if c := run.conclusion; c.Verdict != "" {
		fmt.Printf("\nVerdict: %s (%s)\n  %s.md\n", strings.ToUpper(string(c.Verdict)), c.Why, run.base)
		switch {
		case c.Verdict == report.VerdictNotRun, c.Verdict == report.VerdictNotConformant,
			c.Verdict == report.VerdictIncomplete && c.Selection.Whole():
			t.Errorf("verdict %s: %s (see %s.md)", strings.ToUpper(string(c.Verdict)), c.Why, run.base)
			passed = false
		}
	}
	return passed
}

// Stop ends a run that cannot start, before any spec: it writes conformance reports saying
// NOT RUN and why where cfg puts them, replacing any report of an earlier run, and fails t.
func Stop(t testing.TB, cfg *config.Config, why error) {
	t.Helper()
	h := report.Header{
		Configuration: cfg, Provenance: report.NewProvenance(cfg.Path, time.Now()),
		TargetNote: "no target was opened: the run stopped before any spec",
	}
	stop(t, h, cfg.ReportPath(cfg.Reports.Conformance), why, cfg.ReportPath(cfg.Reports.JUnit), cfg.ReportPath(cfg.Reports.JSON))
}

// StopOnConfigError is Stop for a configuration that could not be loaded from path ("" for
// the nearest ginkgo.yml): the reports go to reportDir when it is given, else where the
// configuration file names them if that much of it can still be read, else nowhere.
func StopOnConfigError(t testing.TB, path, reportDir string, err error) {
	t.Helper()
	if path == "" {
		path = nearest(config.FileName)
	}
	r := reportsNamedIn(path)
	if reportDir != "" {
		r.Dir = reportDir
	}
	if r.Dir == "" {
		t.Fatalf("%v (no report written: the report directory is not known)", err)
	}
	name := func(n, def string) string {
		if n == "" || filepath.Base(n) != n {
			return filepath.Join(r.Dir, def)
		}
		return filepath.Join(r.Dir, n)
	}
	h := report.Header{Provenance: report.NewProvenance(path, time.Now()), TargetNote: "no target was opened: the configuration could not be read"}
	stop(t, h, name(r.Conformance, "conformance"), err, name(r.JUnit, "junit.xml"), name(r.JSON, "ginkgo.json"))
}

func stop(t testing.TB, h report.Header, base string, why error, stale ...string) {
	t.Helper()
	werr := report.RemoveStale(stale...)
	if werr == nil {
		werr = report.Write(report.NotStarted(h, why.Error()), base)
	}
	if werr != nil {
		t.Fatalf("%v (and the report saying so could not be written: %v)", why, werr)
	}
	t.Fatalf("%v (reported in %s.md)", why, base)
}

// reportsNamedIn reads the reports section of a configuration file that does not load, as
// leniently as it can: unknown keys and bad values elsewhere are ignored. When even that
// fails, it falls back to the default reports directory next to the file, if that exists.
func reportsNamedIn(path string) config.Reports {
	if path == "" {
		return config.Reports{}
	}
	base := filepath.Dir(path)
	var doc struct {
		Reports config.Reports `yaml:"reports"`
	}
	data, err := os.ReadFile(path)
	if err == nil {
		_ = yaml.Unmarshal(data, &doc) // a type error elsewhere still fills what it can
	}
	r := doc.Reports
	if r.Dir == "" {
		if fi, err := os.Stat(filepath.Join(base, "reports")); err != nil || !fi.IsDir() {
			return config.Reports{}
		}
		r.Dir = "reports"
	}
	if !filepath.IsAbs(r.Dir) {
		r.Dir = filepath.Join(base, r.Dir)
	}
	return r
}

// nearest finds name in the working directory or its nearest parent that has it, or "".
func nearest(name string) string {
	dir, err := os.Getwd()
	for err == nil {
		if _, serr := os.Stat(filepath.Join(dir, name)); serr == nil {
			return filepath.Join(dir, name)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}

func nonEmpty(list ...string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// start remembers, in this process, that a target could not start in some spec: the specs
// after it are then not judged instead of each waiting for a target and failing the same way.
var start struct {
	failed bool
	reason string
}

// open opens a fresh target for the running spec.
func open() *harness.Session {
	ginkgo.GinkgoHelper()
	if run.factory == nil {
		ginkgo.Fail("[harness] no target: run the specs through suites.Run")
	}
	if start.failed {
		ginkgo.Skip(report.NotJudgedPrefix + "the target could not start: " + start.reason)
	}
	opened := false
	defer func() {
		if !opened { // harness.Open failed the spec: the factory or Open returned an error
			start.failed = true
		}
	}()
	t := run.cfg.Timeouts
	s := harness.Open(run.factory, harness.Timing{Completion: t.Completion.D(), Handler: t.Handler.D(), Settle: t.Settle.D()},
		run.cfg.Declared.TargetLimits())
	opened = true
	s.AcceptFailureWithoutCause = run.cfg.Interpretations.AcceptFailureWithoutCause
	s.Readings = run.cfg.Interpretations
	return s
}

// interpretations returns the readings selected in ginkgo.yml.
func interpretations() config.Interpretations { return run.cfg.Interpretations }

// A failed spec carries the target's own diagnostics, when the run has them. A spec whose
// target could not start gives the reason the specs after it are not judged.
var _ = ginkgo.AfterEach(func() {
	spec := ginkgo.CurrentSpecReport()
	if run.diagnostics != nil && spec.Failed() {
		ginkgo.AddReportEntry("target diagnostics (protocol faults, stderr)", run.diagnostics(), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
	if start.failed && start.reason == "" {
		msg := strings.TrimPrefix(strings.TrimSpace(spec.Failure.Message), "[harness] ")
		start.reason = fmt.Sprintf("%s (in %q)", strings.SplitN(msg, "\n", 2)[0], spec.FullText())
	}
})

// Every target is closed at the end of its spec; a faulty one may still complete a tree long
// after. The run keeps watching for timeouts.afterClose after the last spec, then judges every
// completion made after its session closed (harness.LateViolations) against the rule it breaks.
var _ = ginkgo.AfterSuite(func() {
	if run.cfg == nil || harness.SessionsClosed() == 0 {
		return
	}
	watch, cancel := context.WithTimeout(context.Background(), run.cfg.Timeouts.AfterClose.D())
	defer cancel()
	<-watch.Done() // the watch window: late completions are what is being watched for
	if vs := harness.LateViolations(); len(vs) > 0 {
		harness.FailWithViolations(vs)
	}
})

// Before any spec, the first process opens the target once: to record what it declares, and
// to stop the run at once, with one failure that says why, when the target cannot start.
var _ = ginkgo.SynchronizedBeforeSuite(func() []byte {
	if run.cfg == nil {
		ginkgo.Fail("[harness] no target: run the specs through suites.Run")
	}
	limit := 10 * max(run.cfg.Timeouts.Handler.D(), run.cfg.Timeouts.Completion.D())
	type result struct {
		info target.Info
		err  error
	}
	done := make(chan result, 1)
	go func() {
		info, err := describeTarget()
		done <- result{info, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(limit):
		res.err = fmt.Errorf("opening the target did not return within %s", limit)
	}
	if res.err != nil {
		msg := "[harness] the target could not start: " + res.err.Error()
		if run.diagnostics != nil {
			if d := strings.TrimSpace(run.diagnostics()); d != "" {
				msg += "\n" + d
			}
		}
		ginkgo.Fail(msg)
	}
	run.header.Target, run.header.TargetNote = res.info, ""
	return nil
}, func([]byte) {})

// The conformance report is written once, after all specs, on the first parallel process,
// with Ginkgo's JUnit and JSON reports when ginkgo.yml names them.
var _ = ginkgo.ReportAfterSuite("conformance report", func(r types.Report) {
	if run.cfg == nil {
		return
	}
	c := report.Build(r, run.header)
	var errs []error
	if run.json != "" {
		errs = append(errs, report.WriteFileWith(run.json, func(tmp string) error { return reporters.GenerateJSONReport(r, tmp) }))
	}
	if run.junit != "" {
		errs = append(errs, report.WriteFileWith(run.junit, func(tmp string) error { return reporters.GenerateJUnitReport(r, tmp) }))
	}
	errs = append(errs, report.Write(c, run.base))
	if err := errors.Join(errs...); err != nil {
		ginkgo.Fail(fmt.Sprintf("writing the reports: %v", err))
	}
	run.conclusion = c
})

// describeTarget opens a target to record what it declares, with the limits in force after
// ginkgo.yml's overrides, and closes it.
func describeTarget() (target.Info, error) {
	if run.factory == nil {
		return target.Info{}, errors.New("no target: run the specs through suites.Run")
	}
	t, err := run.factory()
	if err != nil {
		return target.Info{}, fmt.Errorf("cannot create the target: %w", err)
	}
	info, err := t.Open(harness.NewHost())
	if err != nil {
		return target.Info{}, fmt.Errorf("cannot open the target: %w", err)
	}
	_ = t.Close()
	info.Capabilities.Limits = harness.Override(info.Capabilities.Limits, run.cfg.Declared.TargetLimits())
	return info, nil
}

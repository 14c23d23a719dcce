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
	"fmt"
	"os"
	"testing"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/report"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
)

// run is what the specs of the current run use.
var run struct {
	factory     harness.Factory
	cfg         *config.Config
	diagnostics func() string
}

// Option adjusts a run.
type Option func()

// WithDiagnostics attaches what diagnostics returns (e.g. a launched target's stderr) to the
// report of every failed spec.
func WithDiagnostics(diagnostics func() string) Option {
	return func() { run.diagnostics = diagnostics }
}

// Run runs the specs against targets made by factory, configured by cfg. Reports go where cfg
// says unless Ginkgo's own report flags name other paths (explicit flags win).
func Run(t *testing.T, factory harness.Factory, cfg *config.Config, opts ...Option) bool {
	t.Helper()
	for _, o := range opts {
		o()
	}
	if err := rules.Validate(); err != nil {
		t.Fatalf("the rule catalog is malformed: %v", err)
	}
	run.factory, run.cfg = factory, cfg
	gomega.RegisterFailHandler(ginkgo.Fail)
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	if reporterConfig.JUnitReport == "" {
		reporterConfig.JUnitReport = cfg.ReportPath(cfg.Reports.JUnit)
	}
	if reporterConfig.JSONReport == "" {
		reporterConfig.JSONReport = cfg.ReportPath(cfg.Reports.JSON)
	}
	if err := os.MkdirAll(cfg.ReportPath(""), 0o755); err != nil {
		t.Fatalf("cannot create the report directory: %v", err)
	}
	return ginkgo.RunSpecs(t, "TCP chimney offload conformance", suiteConfig, reporterConfig)
}

// open opens a fresh target for the running spec.
func open() *harness.Session {
	ginkgo.GinkgoHelper()
	if run.factory == nil {
		ginkgo.Fail("[harness] no target: run the specs through suites.Run")
	}
	t := run.cfg.Timeouts
	s := harness.Open(run.factory, harness.Timing{Completion: t.Completion.D(), Handler: t.Handler.D(), Settle: t.Settle.D()},
		run.cfg.Declared.TargetLimits())
	s.AcceptFailureWithoutCause = run.cfg.Interpretations.AcceptFailureWithoutCause
	s.Readings = run.cfg.Interpretations
	return s
}

// interpretations returns the readings selected in ginkgo.yml.
func interpretations() config.Interpretations { return run.cfg.Interpretations }

// A failed spec carries the target's own diagnostics, when the run has them.
var _ = ginkgo.AfterEach(func() {
	if run.diagnostics != nil && ginkgo.CurrentSpecReport().Failed() {
		ginkgo.AddReportEntry("target diagnostics (protocol faults, stderr)", run.diagnostics(), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
})

// The conformance report is written once, after all specs, on the first parallel process.
var _ = ginkgo.ReportAfterSuite("conformance report", func(r types.Report) {
	if run.cfg == nil {
		return
	}
	info := describeTarget()
	base := run.cfg.ReportPath(run.cfg.Reports.Conformance)
	c := report.Build(r, info, run.cfg)
	if err := report.Write(c, base); err != nil {
		ginkgo.Fail(fmt.Sprintf("writing the conformance report: %v", err))
	}
	fmt.Fprintf(ginkgo.GinkgoWriter, "conformance report: %s.md (%s)\n", base, c.Verdict)
})

// describeTarget opens a target once more to record what it declares, with the limits in
// force after ginkgo.yml's overrides.
func describeTarget() target.Info {
	t, err := run.factory()
	if err != nil {
		return target.Info{Name: fmt.Sprintf("(cannot create the target: %v)", err)}
	}
	info, err := t.Open(harness.NewHost())
	if err != nil {
		return target.Info{Name: fmt.Sprintf("(cannot open the target: %v)", err)}
	}
	_ = t.Close()
	info.Capabilities.Limits = harness.Override(info.Capabilities.Limits, run.cfg.Declared.TargetLimits())
	return info
}

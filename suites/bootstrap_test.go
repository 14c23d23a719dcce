package suites_test

import (
	"flag"
	"fmt"
	"testing"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/faults"
	"github.com/ndis-chimney/conformance/target"
	// The ginkgo CLI treats a package as a Ginkgo suite, and passes it -p, --label-filter and
	// the other flags, only when one of its _test.go files imports Ginkgo.
	_ "github.com/onsi/ginkgo/v2"
)

var (
	configPath = flag.String("config", "", "path to ginkgo.yml (default: the nearest one above the working directory)")
	reportDir  = flag.String("report-dir", "", "write the reports here instead of where ginkgo.yml says")
	faultName  = flag.String("fault", "", "run against the reference wrapped in this fault of suites/faults (meta-tests)")
	control    = flag.Bool("fault-control", false, "with -fault: apply only the fault's configuration, not the fault, so the reference shows it passes the same specs")
)

// TestConformance is the bootstrap suite: it reads ginkgo.yml and runs every spec against the
// target it selects.
func TestConformance(t *testing.T) {
	cfg, err := config.Load(*configPath)
	if err != nil {
		t.Fatalf("configuration: %v", err)
	}
	if *reportDir != "" {
		cfg.Reports.Dir = *reportDir
	}
	var fault *faults.Fault
	if *faultName != "" {
		f, ok := faults.ByName(*faultName)
		if !ok {
			t.Fatalf("-fault: no fault named %q in suites/faults", *faultName)
		}
		if f.Configure != nil {
			f.Configure(cfg)
		}
		fault = f
	}
	factory := referenceFactory(cfg)
	if f := fault; f != nil && !*control {
		inner := factory
		factory = func() (target.Target, error) {
			t, err := inner()
			if err != nil {
				return nil, fmt.Errorf("fault %s: %w", f.Name, err)
			}
			return f.Wrap(t), nil
		}
	}
	suites.Run(t, factory, cfg)
}

// referenceFactory makes reference targets with the limits and readings of ginkgo.yml.
func referenceFactory(cfg *config.Config) func() (target.Target, error) {
	in := cfg.Interpretations
	rc := reference.Config{
		Limits:                           cfg.Target.Reference.Limits.TargetLimits(),
		PlaceholderStatusFromDependents:  in.PlaceholderStatusFollowsDependents,
		LinkerAllFailedPartialSuccess:    in.LinkerAllDependentsFailedPartialSuccess,
		RootFailureStopsWholeTree:        in.RootFailureStopsWholeTree,
		KeepaliveResetOnKeepAliveRestart: in.KeepaliveResetFlag == config.ResetOnKeepAliveRestart,
		SendCompleteInitiateData:         in.InitiateSendDataOnlySendCompleted,
	}
	return func() (target.Target, error) { return reference.New(rc), nil }
}

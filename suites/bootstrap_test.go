package suites_test

import (
	"flag"
	"testing"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target"
)

var configPath = flag.String("config", "", "path to ginkgo.yml (default: the nearest one above the working directory)")

// TestConformance is the bootstrap suite: it reads ginkgo.yml and runs every spec against the
// target it selects.
func TestConformance(t *testing.T) {
	cfg, err := config.Load(*configPath)
	if err != nil {
		t.Fatalf("configuration: %v", err)
	}
	suites.Run(t, referenceFactory(cfg), cfg)
}

// referenceFactory makes reference targets with the limits and readings of ginkgo.yml.
func referenceFactory(cfg *config.Config) func() (target.Target, error) {
	in := cfg.Interpretations
	rc := reference.Config{
		Limits:                          cfg.Target.Reference.Limits.TargetLimits(),
		PlaceholderStatusFromDependents: in.PlaceholderStatusFollowsDependents,
		LinkerAllFailedPartialSuccess:   in.LinkerAllDependentsFailedPartialSuccess,
		RootFailureContinues:            in.RootFailureContinuesTraversal,
		KeepaliveResetOnKeepAliveRestart: in.KeepaliveResetFlag == config.ResetOnKeepAliveRestart,
	}
	return func() (target.Target, error) { return reference.New(rc), nil }
}

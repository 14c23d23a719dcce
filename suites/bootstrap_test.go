package suites_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ndis-chimney/conformance/suites"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/faults"
	"github.com/ndis-chimney/conformance/target"
	// The ginkgo CLI treats a package as a Ginkgo suite, and passes it -p, --label-filter and
	// the other flags, only when one of its _test.go files imports Ginkgo.
	_ "github.com/onsi/ginkgo/v2"
)

// afterCloseEnv, when set, overrides timeouts.afterClose.
const afterCloseEnv = "CHIMNEY_AFTER_CLOSE"

var (
	configPath = flag.String("config", "", "path to ginkgo.yml (default: the nearest one above the working directory)")
	reportDir  = flag.String("report-dir", "", "write the reports here instead of where ginkgo.yml says")
	faultName  = flag.String("fault", "", "run against the reference wrapped in this fault of suites/faults (meta-tests)")
	control    = flag.Bool("fault-control", false, "with -fault: apply only the fault's configuration, not the fault, so the reference shows it passes the same specs")
	kind       config.Kind
	targetPath = flag.String("target-path", "", "with -target=exec: the target binary (overrides target.exec.path)")
	targetArgs = flag.String("target-args", "", "with -target=exec: its arguments, separated by spaces (override target.exec.args)")
	targetAddr = flag.String("target-address", "", "with -target=connect: unix:///path or host:port (overrides target.connect.address)")
)

func init() {
	flag.Var(&kind, "target", fmt.Sprintf("the target kind, one of %v (overrides target.kind)", config.Kinds))
}

// TestConformance is the bootstrap suite: it reads ginkgo.yml and runs every spec against the
// target it selects.
func TestConformance(t *testing.T) {
	cfg, err := config.Load(*configPath)
	if err != nil {
		suites.StopOnConfigError(t, *configPath, *reportDir, fmt.Errorf("configuration: %w", err))
	}
	if *reportDir != "" {
		cfg.Reports.Dir = *reportDir
	}
	if v := os.Getenv(afterCloseEnv); v != "" {
		// The project's meta tests run the suite hundreds of times and shorten the watch for
		// late completions, except where a late completion is what they test.
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			suites.Stop(t, cfg, fmt.Errorf("%s=%q: want a positive duration such as 10ms", afterCloseEnv, v))
		}
		cfg.Timeouts.AfterClose = config.Duration(d)
	}
	overrideTarget(cfg)
	var fault *faults.Fault
	if *faultName != "" {
		f, ok := faults.ByName(*faultName)
		if !ok {
			suites.Stop(t, cfg, fmt.Errorf("-fault: no fault named %q in suites/faults", *faultName))
		}
		if f.Configure != nil {
			f.Configure(cfg)
		}
		fault = f
	}
	sel, err := suites.SelectTarget(cfg)
	if err != nil {
		// A target that cannot be reached fails every spec with the reason, and the reports
		// are still written: a run never ends without them.
		sel = suites.Selected{Factory: func() (target.Target, error) { return nil, err }, Close: func() error { return nil }}
	}
	defer sel.Close()
	factory := sel.Factory
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
	suites.Run(t, factory, cfg, suites.WithDiagnostics(sel.Diagnostics))
}

// overrideTarget applies the -target flags to the configuration.
func overrideTarget(cfg *config.Config) {
	if kind != "" {
		cfg.Target.Kind = kind
	}
	if *targetPath != "" {
		cfg.Target.Exec.Path = *targetPath
	}
	if *targetArgs != "" {
		cfg.Target.Exec.Args = strings.Fields(*targetArgs)
	}
	if *targetAddr != "" {
		cfg.Target.Connect.Address = *targetAddr
	}
}

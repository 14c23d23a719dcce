package suites

import (
	"fmt"
	"path/filepath"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/remote"
)

// Selected is the target a configuration selects: a factory of fresh targets, what to show
// when a spec fails (a launched target's stderr), and what to release after the run.
type Selected struct {
	Factory     harness.Factory
	Diagnostics func() string // nil when there is nothing to show
	Close       func() error
}

// SelectTarget makes the target ginkgo.yml selects: the reference in process, a binary the
// suite launches (exec), or an endpoint already serving the protocol (connect).
func SelectTarget(cfg *config.Config) (Selected, error) {
	t := cfg.Target
	calls := max(cfg.Timeouts.Handler.D(), cfg.Timeouts.Completion.D())
	switch t.Kind {
	case config.KindExec:
		path := t.Exec.Path
		if !filepath.IsAbs(path) && filepath.Base(path) != path && cfg.Path != "" {
			path = filepath.Join(filepath.Dir(cfg.Path), path) // a path, not a command name on PATH
		}
		start := t.Exec.Start.D()
		if start == 0 {
			start = 10 * cfg.Timeouts.Handler.D()
		}
		l, err := remote.Exec(remote.ExecConfig{Path: path, Args: t.Exec.Args, StartTimeout: start, CallTimeout: calls})
		if err != nil {
			return Selected{}, fmt.Errorf("target.exec: %w", err)
		}
		return Selected{Factory: l.Factory(), Diagnostics: l.Stderr, Close: l.Close}, nil
	case config.KindConnect:
		e, err := remote.Connect(t.Connect.Address, remote.ConnectOptions{
			ClientOptions: remote.ClientOptions{CallTimeout: calls}, AllowRemote: t.Connect.AllowRemote,
		})
		if err != nil {
			return Selected{}, fmt.Errorf("target.connect: %w", err)
		}
		return Selected{Factory: e.Factory(), Close: e.Close}, nil
	}
	rc := cfg.ReferenceConfig()
	return Selected{
		Factory: func() (target.Target, error) { return reference.New(rc), nil },
		Close:   func() error { return nil },
	}, nil
}

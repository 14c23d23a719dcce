package suites

import (
	"fmt"
	"strings"
	"sync"

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
	faults := &faultLog{}
	switch t.Kind {
	case config.KindExec:
		path, err := cfg.ExecPath() // a bare name on PATH, a path with a slash next to ginkgo.yml
		if err != nil {
			return Selected{}, err
		}
		start := t.Exec.Start.D()
		if start == 0 {
			start = 10 * cfg.Timeouts.Handler.D()
		}
		l, err := remote.Exec(remote.ExecConfig{
			Path: path, Args: t.Exec.Args, PassEnv: t.Exec.Env, Env: cfg.ExecEnv(), Dir: cfg.ExecDir(),
			StartTimeout: start, CallTimeout: calls, OnFault: faults.add,
		})
		if err != nil {
			return Selected{}, fmt.Errorf("target.exec: %w", err)
		}
		return Selected{Factory: l.Factory(), Diagnostics: func() string { return faults.String() + l.Stderr() }, Close: l.Close}, nil
	case config.KindConnect:
		e, err := remote.Connect(t.Connect.Address, remote.ConnectOptions{
			ClientOptions: remote.ClientOptions{CallTimeout: calls, OnFault: faults.add}, AllowRemote: t.Connect.AllowRemote,
		})
		if err != nil {
			return Selected{}, fmt.Errorf("target.connect: %w", err)
		}
		return Selected{Factory: e.Factory(), Diagnostics: faults.String, Close: e.Close}, nil
	}
	rc := cfg.ReferenceConfig()
	return Selected{
		Factory: func() (target.Target, error) { return reference.New(rc), nil },
		Close:   func() error { return nil },
	}, nil
}

// faultLog keeps the last protocol faults of a remote target (a broken stream, a malformed
// message, a dead server), so that the spec they break shows them.
type faultLog struct {
	mu   sync.Mutex
	last []string
}

func (f *faultLog) add(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last = append(f.last, err.Error())
	if len(f.last) > 16 {
		f.last = f.last[len(f.last)-16:]
	}
}

// String lists the faults kept, one per line after a heading, or nothing.
func (f *faultLog) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.last) == 0 {
		return ""
	}
	return "protocol faults:\n  " + strings.Join(f.last, "\n  ") + "\n"
}

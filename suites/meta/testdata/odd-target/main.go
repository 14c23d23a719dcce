// Command odd-target serves the reference target over the protocol, odd in the ways the
// verdict tests need, as the environment says:
//
//	ODD_EXIT=N   writes a line to stderr and exits with status N before serving: a target
//	             that cannot start
//	ODD_OPENS=N  lets N sessions open, then refuses every later Open: a target that stops
//	             starting in the middle of a run
//	ODD_NAME=s   declares s as its name (any text, e.g. Markdown meant to forge the report)
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/remote"
)

func main() {
	if code, err := strconv.Atoi(os.Getenv("ODD_EXIT")); err == nil {
		fmt.Fprintln(os.Stderr, "odd-target: refusing to start, on purpose")
		os.Exit(code)
	}
	path := flag.String("config", "", "ginkgo.yml to take limits and readings from (default: the nearest one)")
	flag.Parse()
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "odd-target:", err)
		os.Exit(2)
	}
	rc := cfg.ReferenceConfig()
	opens := int64(-1)
	if n, err := strconv.ParseInt(os.Getenv("ODD_OPENS"), 10, 64); err == nil {
		opens = n
	}
	var opened atomic.Int64
	err = remote.ServeFromEnv(func() (target.Target, error) {
		return &odd{Target: reference.New(rc), opens: opens, opened: &opened, name: os.Getenv("ODD_NAME")}, nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "odd-target:", err)
		os.Exit(1)
	}
}

type odd struct {
	target.Target
	opens  int64
	opened *atomic.Int64
	name   string
}

func (o *odd) Open(host target.Host) (target.Info, error) {
	if n := o.opened.Add(1); o.opens >= 0 && n > o.opens {
		return target.Info{}, errors.New("odd-target: refusing to open another session, on purpose")
	}
	info, err := o.Target.Open(host)
	if o.name != "" {
		info.Name = o.name
	}
	return info, err
}

// Command reference-target serves the reference offload target over the out-of-process
// protocol of target/remote, on the unix socket named by CHIMNEY_TARGET_SOCKET. Its limits
// and readings come from ginkgo.yml, so it takes the same readings as the specs:
//
//	CHIMNEY_TARGET_SOCKET=/tmp/t.sock reference-target -config ginkgo.yml
//
// It exits when its stdin (a pipe) closes or on SIGTERM.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/remote"
)

func main() {
	path := flag.String("config", "", "ginkgo.yml to take limits and readings from (default: the nearest ginkgo.yml)")
	flag.Parse()
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reference-target:", err)
		os.Exit(2)
	}
	rc := cfg.ReferenceConfig()
	err = remote.ServeFromEnv(func() (target.Target, error) { return reference.New(rc), nil })
	if err != nil {
		fmt.Fprintln(os.Stderr, "reference-target:", err)
		os.Exit(1)
	}
}

// Command misbehaving-target serves the reference target over the protocol, misbehaving as
// MISBEHAVE says, so that the meta tests can show the suite survives it:
//
//	crash       exits in the middle of the third initiate it is handed
//	slow-start  never starts serving
//	hang        never completes an initiate
//	garbage     writes a non-protocol reply on its socket instead of serving
package main

import (
	"fmt"
	"net"
	"os"
	"sync/atomic"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
)

func main() {
	cfg, err := config.Load("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(2)
	}
	rc := cfg.ReferenceConfig()
	mode := os.Getenv("MISBEHAVE")
	fmt.Fprintf(os.Stderr, "misbehaving-target: mode %q\n", mode)
	switch mode {
	case "slow-start":
		select {} // never listens; the launcher's start timeout must end the wait
	case "garbage":
		serveGarbage(os.Getenv(remote.EnvSocket))
		return
	}
	var initiates atomic.Int32
	err = remote.ServeFromEnv(func() (target.Target, error) {
		return &misbehaving{Target: reference.New(rc), mode: mode, initiates: &initiates}, nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(1)
	}
}

type misbehaving struct {
	target.Target
	mode      string
	initiates *atomic.Int32
}

func (m *misbehaving) MiniportInitiateOffload(tree *ndis.MiniportOffloadBlockList) error {
	switch {
	case m.mode == "crash" && m.initiates.Add(1) == 3:
		fmt.Fprintln(os.Stderr, "misbehaving-target: crashing on purpose in the third initiate")
		os.Exit(3)
	case m.mode == "hang":
		return nil // takes the tree and never completes it
	}
	return m.Target.MiniportInitiateOffload(tree)
}

// serveGarbage accepts on the socket and answers every connection with bytes that are not
// HTTP/2, so no call can succeed.
func serveGarbage(path string) {
	lis, err := net.Listen("unix", path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(1)
	}
	for {
		c, err := lis.Accept()
		if err != nil {
			return
		}
		c.Write([]byte("this is not the protocol\r\n\r\n"))
		c.Close()
	}
}

//go:build !unix

package remote

import (
	"os"
	"os/exec"
	"syscall"
)

// On systems without process groups the launcher kills the target alone: what it starts may
// outlive it (a Windows job object would be the way to catch it; not done).

func guestAttr() *syscall.SysProcAttr { return nil }

func startGuest(cmd *exec.Cmd) error { return cmd.Start() }

func waitGuest(cmd *exec.Cmd) { cmd.Wait() }

func killGroup(p *os.Process) { _ = p.Kill() }

type watchdog struct{}

func startWatchdog(string) (*watchdog, error) { return nil, nil }

func (*watchdog) group(int) {}
func (*watchdog) clear()    {}
func (*watchdog) done()     {}

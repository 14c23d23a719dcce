//go:build unix && !linux

package remote

import (
	"os/exec"
	"syscall"
)

// guestAttr puts the target in its own process group. (Pdeathsig is Linux's.)
func guestAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func startGuest(cmd *exec.Cmd) error { return cmd.Start() }

// waitGuest reaps the target, then kills what is left of its group. Without waitid's WNOWAIT
// here, the group is killed after the reap, as soon as possible after it.
func waitGuest(cmd *exec.Cmd) {
	cmd.Wait()
	killGroup(cmd.Process)
}

package remote

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"unsafe"
)

// guestAttr puts the target in its own process group, and has the kernel send it SIGKILL
// when the thread that started it dies.
func guestAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// spawner is a goroutine locked to its OS thread for the life of the process, which starts
// every target. Pdeathsig fires when the *thread* that forked the child exits, not the
// process; Go may end a thread whose goroutine locked it and exited, so a target started from
// an arbitrary goroutine could be killed in the middle of a run. This thread never exits
// before the process does.
var spawner struct {
	once sync.Once
	reqs chan spawnRequest
}

type spawnRequest struct {
	cmd  *exec.Cmd
	done chan error
}

// startGuest starts cmd on the spawner's thread.
func startGuest(cmd *exec.Cmd) error {
	spawner.once.Do(func() {
		spawner.reqs = make(chan spawnRequest)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread lives as long as the process
			for r := range spawner.reqs {
				r.done <- r.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	spawner.reqs <- spawnRequest{cmd: cmd, done: done}
	return <-done
}

// waitGuest waits until the target exits, kills what is left of its process group, then
// reaps the target. The group is killed before the target is reaped: while the target is an
// unreaped zombie its process ID, which is the group's ID, cannot be reused, so the kill
// cannot reach an unrelated process.
func waitGuest(cmd *exec.Cmd) {
	const pPID, wexitedNowait = 1, syscall.WEXITED | syscall.WNOWAIT
	var info [128]byte // siginfo_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(cmd.Process.Pid), uintptr(unsafe.Pointer(&info)), wexitedNowait, 0, 0)
		if errno != syscall.EINTR {
			break
		}
	}
	killGroup(cmd.Process)
	cmd.Wait()
}

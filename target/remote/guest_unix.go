//go:build unix

package remote

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// killGroup sends SIGKILL to the process group whose leader is p (the target: started with
// Setpgid, its process ID is the group's ID). Call it only while p is not yet reaped.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL) // ESRCH: the group is empty already
}

// watchdogScript runs in /bin/sh, in a process group of its own, with the read end of a pipe
// as stdin whose write end only the suite holds. The suite tells it the target's group
// ("group PGID", "clear" once it has killed it itself) and "done" when it closes cleanly.
// Reading EOF without "done" means the suite died without closing the launcher (SIGKILL, a
// crash, os.Exit): the watchdog then kills the group and removes the private directory ($1).
// It ignores the signals a terminal or a supervisor sends to the suite's group.
const watchdogScript = `trap '' HUP INT TERM PIPE
pg=
while read -r cmd arg; do
	case $cmd in
	group) pg=$arg ;;
	clear) pg= ;;
	done) exit 0 ;;
	esac
done
if [ -n "$pg" ]; then kill -9 -"$pg" 2>/dev/null; fi
rm -rf -- "$1"
`

// watchdog cleans up after a suite that died without closing its launcher.
type watchdog struct {
	mu     sync.Mutex
	cmd    *exec.Cmd
	w      *os.File
	exited chan struct{}
}

// startWatchdog starts the watchdog of the private directory dir.
func startWatchdog(dir string) (*watchdog, error) {
	r, w, err := os.Pipe() // close-on-exec: the target never holds the write end
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "chimney-target-watchdog", dir)
	cmd.Stdin, cmd.Dir, cmd.Env = r, "/", []string{"PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // a ^C to the suite's group does not reach it
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	wd := &watchdog{cmd: cmd, w: w, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(wd.exited) }()
	return wd, nil
}

func (wd *watchdog) say(line string) {
	if wd == nil {
		return
	}
	wd.mu.Lock()
	defer wd.mu.Unlock()
	fmt.Fprintln(wd.w, line)
}

// group tells the watchdog the process group to kill if the suite dies.
func (wd *watchdog) group(pgid int) { wd.say(fmt.Sprintf("group %d", pgid)) }

// clear tells it the group is gone.
func (wd *watchdog) clear() { wd.say("clear") }

// done stops it without it killing or removing anything, and reaps it.
func (wd *watchdog) done() {
	if wd == nil {
		return
	}
	wd.say("done")
	wd.w.Close()
	select {
	case <-wd.exited:
	case <-time.After(5 * time.Second):
		wd.cmd.Process.Kill()
		<-wd.exited
	}
}

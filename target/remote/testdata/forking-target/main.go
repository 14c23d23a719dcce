// Command forking-target serves the reference target over the protocol after starting a child
// process that would outlive it, so that the launcher's tests can show the child does not
// outlive the run. It writes what it saw to the file FORK_REPORT names (JSON): its process ID
// and group, the child's process ID, its working directory and what it found there, and its
// whole environment.
//
//	FORK_REPORT=/path/report.json forking-target         # serve (as the launcher expects)
//	FORK_NO_SERVE=1 ...                                  # start the child, never serve
//	forking-target child                                 # the child: sleeps for an hour
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/remote"
)

// Report is what the target writes to FORK_REPORT.
type Report struct {
	Pid, Pgid, Child int
	Cwd              string
	Leftover         bool // a file left in the working directory by an earlier run was there
	Env              []string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		time.Sleep(time.Hour)
		return
	}
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	child := exec.Command(self, "child")
	child.Stdout, child.Stderr = os.Stdout, os.Stderr // holds the launcher's output pipe open too
	if err := child.Start(); err != nil {
		fail(err)
	}
	cwd, _ := os.Getwd()
	_, statErr := os.Stat("leftover")
	if err := os.WriteFile("leftover", []byte("from an earlier run"), 0o600); err != nil {
		fail(err)
	}
	pgid, _ := syscall.Getpgid(0)
	r := Report{Pid: os.Getpid(), Pgid: pgid, Child: child.Process.Pid, Cwd: cwd, Leftover: statErr == nil, Env: os.Environ()}
	data, _ := json.Marshal(r)
	if err := os.WriteFile(os.Getenv("FORK_REPORT"), data, 0o600); err != nil {
		fail(err)
	}
	if os.Getenv("FORK_NO_SERVE") != "" {
		time.Sleep(time.Hour)
	}
	err = remote.ServeFromEnv(func() (target.Target, error) { return reference.New(reference.Config{}), nil })
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "forking-target:", err)
	os.Exit(1)
}

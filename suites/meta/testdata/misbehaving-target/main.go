// Command misbehaving-target serves the reference target over the protocol, misbehaving as
// MISBEHAVE says, so that the meta tests can show the suite survives it:
//
//	crash       exits in the middle of the third initiate it is handed
//	slow-start  never starts serving
//	hang        never completes an initiate
//	garbage     writes a non-protocol reply on its socket instead of serving
//	malformed   answers every session with an event naming a block its tree does not carry
//	fault:NAME  serves the reference wrapped in fault NAME of suites/faults (a second
//	            completion, a completion of a tree never handed over, ...)
//	fork        serves the reference after starting a child (itself, sleeping for an hour)
//	            that would outlive it
//	self-linked completes every call with a tree whose block links to itself
//	cyclic      completes every call with a tree whose blocks link in a cycle
//	amplify     completes every call with a 4 MiB message of two million empty blocks
//	flood       answers every call with 100000 completions
//
// It reads ginkgo.yml from -config (it runs in a working directory of its own) and, when
// MISBEHAVE_REPORT names a file, writes there (JSON) its process ID, its child's, its working
// directory and its socket path, so a test can check that none outlives the run.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/faults"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
	"github.com/ndis-chimney/conformance/target/remote/pb"
	"google.golang.org/grpc"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		time.Sleep(time.Hour) // the child of mode fork
		return
	}
	path := flag.String("config", "", "ginkgo.yml (default: the nearest one above the working directory)")
	flag.Parse()
	mode := os.Getenv("MISBEHAVE")
	child := 0
	if mode == "fork" {
		child = startChild()
	}
	report(child)
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(2)
	}
	rc := cfg.ReferenceConfig()
	fmt.Fprintf(os.Stderr, "misbehaving-target: mode %q\n", mode)
	switch mode {
	case "slow-start":
		select {} // never listens; the launcher's start timeout must end the wait
	case "garbage":
		serveGarbage(os.Getenv(remote.EnvSocket))
		return
	case "malformed":
		serveMalformed(os.Getenv(remote.EnvSocket))
		return
	case "self-linked", "cyclic", "amplify", "flood":
		serveHostile(os.Getenv(remote.EnvSocket), mode)
		return
	}
	wrap := func(t target.Target) target.Target { return t }
	if name, ok := strings.CutPrefix(mode, "fault:"); ok {
		f, found := faults.ByName(name)
		if !found {
			fmt.Fprintf(os.Stderr, "misbehaving-target: no fault %q\n", name)
			os.Exit(2)
		}
		wrap = f.Wrap
	}
	var initiates atomic.Int32
	err = remote.ServeFromEnv(func() (target.Target, error) {
		return &misbehaving{Target: wrap(reference.New(rc)), mode: mode, initiates: &initiates}, nil
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

// serveMalformed serves the protocol, but every session's event stream carries one completion
// whose first block names a next block the tree does not carry.
func serveMalformed(path string) {
	lis, err := net.Listen("unix", path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(1)
	}
	srv := grpc.NewServer()
	pb.RegisterOffloadTargetServer(srv, malformed{})
	_ = srv.Serve(lis)
}

type malformed struct {
	pb.UnimplementedOffloadTargetServer
}

func (malformed) Open(context.Context, *pb.OpenRequest) (*pb.OpenResponse, error) {
	return &pb.OpenResponse{SessionId: 1, Info: &pb.Info{Name: "malformed"}, ProtocolRevision: remote.ProtocolRevision}, nil
}

func (malformed) Events(_ *pb.EventsRequest, s grpc.ServerStreamingServer[pb.Event]) error {
	_ = s.Send(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{
		Operation: pb.Operation_OPERATION_INITIATE,
		Tree:      &pb.Tree{TreeId: 1, Blocks: []*pb.Block{{BlockId: 1, NextBlockId: 7}}},
	}}})
	<-s.Context().Done()
	return nil
}

func (malformed) Call(context.Context, *pb.CallRequest) (*pb.CallResponse, error) {
	return &pb.CallResponse{}, nil
}

func (malformed) Close(context.Context, *pb.CloseRequest) (*pb.CloseResponse, error) {
	return &pb.CloseResponse{}, nil
}

// startChild starts this binary again as a child that sleeps for an hour, sharing the target's
// output, and returns its process ID.
func startChild() int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(1)
	}
	c := exec.Command(self, "child")
	c.Stdout, c.Stderr = os.Stdout, os.Stderr
	if err := c.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
		os.Exit(1)
	}
	return c.Process.Pid
}

// report writes what a test needs to check that nothing outlives the run, if asked to.
func report(child int) {
	path := os.Getenv("MISBEHAVE_REPORT")
	if path == "" {
		return
	}
	cwd, _ := os.Getwd()
	data, _ := json.Marshal(map[string]any{"pid": os.Getpid(), "child": child, "cwd": cwd, "socket": os.Getenv(remote.EnvSocket)})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "misbehaving-target:", err)
	}
}

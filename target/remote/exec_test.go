package remote_test

import (
	"context"
	"github.com/ndis-chimney/conformance/target/hosttest"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// buildReferenceTarget compiles cmd/reference-target into a temporary directory.
func buildReferenceTarget(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "reference-target")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/ndis-chimney/conformance/cmd/reference-target").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func initiate(t *testing.T, tgt target.Target, host recorder) {
	t.Helper()
	tree := fixtures.OneConnection()
	if err := tgt.MiniportInitiateOffload(tree); err != nil {
		t.Fatal(err)
	}
	if c := host.next(t); c.tree != tree || tree.Status != ndis.StatusSuccess {
		t.Fatalf("initiate: got %s of %p, want NDIS_STATUS_SUCCESS on %p", tree.Status, c.tree, tree)
	}
}

func TestExecRunsTheReferenceTargetAndRestartsItAfterAKill(t *testing.T) {
	bin := buildReferenceTarget(t)
	// The binary runs in its own working directory: it is told where ginkgo.yml is.
	cfg, err := filepath.Abs("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	l, err := remote.Exec(remote.ExecConfig{Path: bin, Args: []string{"-config=" + cfg}, StartTimeout: 10 * time.Second, CallTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	a, hostA, infoA := open(t, l.Factory())
	b, hostB, _ := open(t, l.Factory())
	if infoA.Name != "reference" {
		t.Errorf("Info.Name = %q", infoA.Name)
	}
	initiate(t, a, hostA)
	initiate(t, b, hostB)

	if err := syscall.Kill(l.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := a.MiniportTerminateOffload(fixtures.OneConnection()); err == nil {
		t.Error("a call to a killed target succeeded")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := l.Factory()()
		if err == nil {
			host := make(recorder, 4)
			if _, err = c.Open(hosttest.StateOnly(host)); err == nil {
				initiate(t, c, host)
				c.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no target after the kill: %v\n%s", err, l.Stderr())
		}
		time.Sleep(20 * time.Millisecond) // the launcher sees the death when the process is reaped
	}
}

// malformedServer sends an event naming a block its tree does not carry.
type malformedServer struct {
	pb.UnimplementedOffloadTargetServer
}

func (malformedServer) Open(context.Context, *pb.OpenRequest) (*pb.OpenResponse, error) {
	return &pb.OpenResponse{SessionId: 1, Info: &pb.Info{}, ProtocolRevision: remote.ProtocolRevision}, nil
}

func (malformedServer) Events(_ *pb.EventsRequest, s grpc.ServerStreamingServer[pb.Event]) error {
	s.Send(&pb.Event{Kind: &pb.Event_StateCompletion{StateCompletion: &pb.StateCompletion{
		Operation: pb.Operation_OPERATION_INITIATE,
		Tree:      &pb.Tree{TreeId: 1, Blocks: []*pb.Block{{BlockId: 1, NextBlockId: 7}}},
	}}})
	<-s.Context().Done()
	return nil
}

func (malformedServer) Call(context.Context, *pb.CallRequest) (*pb.CallResponse, error) {
	return &pb.CallResponse{}, nil
}

func (malformedServer) Close(context.Context, *pb.CloseRequest) (*pb.CloseResponse, error) {
	return &pb.CloseResponse{}, nil
}

func TestAMalformedEventIsAFaultNotAPanic(t *testing.T) {
	sock := filepath.Join(socketDir(t), "t.sock")
	lis, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pb.RegisterOffloadTargetServer(srv, malformedServer{})
	go srv.Serve(lis)
	defer srv.Stop()
	faults := make(chan error, 4)
	ep, err := remote.Connect("unix://"+sock, remote.ConnectOptions{ClientOptions: remote.ClientOptions{OnFault: func(err error) { faults <- err }}})
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	tgt, host, _ := open(t, ep.Factory())
	select {
	case err := <-faults:
		if !strings.Contains(err.Error(), "block 7") {
			t.Errorf("fault %v does not name the bad reference", err)
		}
	case <-time.After(wait):
		t.Fatal("no fault reported")
	}
	host.none(t, 50*time.Millisecond)
	if err := tgt.MiniportInitiateOffload(fixtures.OneConnection()); err == nil {
		t.Error("a call after a fault succeeded")
	}
}

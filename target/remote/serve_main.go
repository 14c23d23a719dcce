package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ndis-chimney/conformance/target"
)

// ServeFromEnv is what a Go implementer's main calls: it listens on the unix socket named by
// CHIMNEY_TARGET_SOCKET (mode 0600), serves targets made by newTarget, and returns when stdin
// is closed (if stdin is a pipe, as under Exec), on SIGTERM or interrupt, or when serving fails.
//
//	func main() {
//		if err := remote.ServeFromEnv(func() (target.Target, error) { return mytarget.New(), nil }); err != nil {
//			log.Fatal(err)
//		}
//	}
func ServeFromEnv(newTarget func() (target.Target, error)) error {
	path := os.Getenv(EnvSocket)
	if path == "" {
		return fmt.Errorf("%s is not set: it names the unix socket to serve on", EnvSocket)
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
		os.Remove(path) // left over from an earlier run
	}
	lis, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	if err := os.Chmod(path, 0o600); err != nil {
		lis.Close()
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
		watch, cancel := context.WithCancel(ctx)
		ctx = watch
		go func() {
			io.Copy(io.Discard, os.Stdin)
			cancel()
		}()
	}
	srv := NewServer(newTarget, Bounds{})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
		srv.Stop(2 * time.Second)
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			return err
		}
		return nil
	}
}

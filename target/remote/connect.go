package remote

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/ndis-chimney/conformance/target"
)

// ConnectOptions configure Connect.
type ConnectOptions struct {
	ClientOptions
	// AllowRemote permits a TCP address that is not a loopback address. The protocol has no
	// authentication or encryption: use it only on a network you trust.
	AllowRemote bool
}

// Endpoint is a connection to a process already serving the protocol.
type Endpoint struct {
	conn *grpc.ClientConn
	opts ClientOptions
}

// Connect prepares a connection to "unix:///path/to/socket" or "host:port". A TCP host must
// be "localhost" or a loopback IP unless opts.AllowRemote. Nothing is dialled until the first
// target is opened.
func Connect(address string, opts ConnectOptions) (*Endpoint, error) {
	grpcTarget, err := grpcAddress(address, opts.AllowRemote)
	if err != nil {
		return nil, err
	}
	return dial(grpcTarget, opts.ClientOptions)
}

func dial(grpcTarget string, opts ClientOptions) (*Endpoint, error) {
	opts = opts.orDefault()
	conn, err := grpc.NewClient(grpcTarget, append(opts.DialOptions(), grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		return nil, fmt.Errorf("remote target %s: %w", grpcTarget, err)
	}
	return &Endpoint{conn: conn, opts: opts}, nil
}

func grpcAddress(address string, allowRemote bool) (string, error) {
	if path, ok := strings.CutPrefix(address, "unix://"); ok {
		if !strings.HasPrefix(path, "/") {
			return "", fmt.Errorf("remote target address %q: a unix socket path must be absolute (unix:///path)", address)
		}
		return address, nil
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return "", fmt.Errorf("remote target address %q: want unix:///path or host:port: %w", address, err)
	}
	if port == "" {
		return "", fmt.Errorf("remote target address %q: no port", address)
	}
	if !allowRemote {
		ip, err := netip.ParseAddr(host)
		if host != "localhost" && (err != nil || !ip.IsLoopback()) {
			return "", fmt.Errorf("remote target address %q is not a loopback address; set allowRemote to use it (the protocol is neither authenticated nor encrypted)", address)
		}
	}
	return "passthrough:///" + address, nil
}

// Factory returns a function that makes a new, unopened target: one session each.
func (e *Endpoint) Factory() func() (target.Target, error) {
	return func() (target.Target, error) { return NewClient(e.conn, e.opts), nil }
}

// Close closes the connection; targets made from it fail afterwards.
func (e *Endpoint) Close() error { return e.conn.Close() }

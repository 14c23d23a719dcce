package reference

import (
	"net/netip"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// The reference keeps its own inverted tree (concepts/offload-target-s-internal-state-trees.md):
// each connection points to its path, each path to its neighbor, and every object carries the
// NdisOffloadHandle the host gave it.

// neighbor is an offloaded neighbor state object.
type neighbor struct {
	handle    ndis.Handle
	konst     ndis.NeighborOffloadStateConst
	cached    ndis.NeighborOffloadStateCached
	delegated ndis.NeighborOffloadStateDelegated
	invalid   bool
}

// path is an offloaded path state object.
type path struct {
	handle    ndis.Handle
	ipv6      bool
	konst     ndis.PathOffloadStateConst
	cached    ndis.PathOffloadStateCached
	delegated ndis.PathOffloadStateDelegated
	neighbor  ndis.Context
	invalid   bool
}

// connection is an offloaded TCP connection state object.
type connection struct {
	handle    ndis.Handle
	konst     ndis.TCPOffloadStateConst
	cached    ndis.TCPOffloadStateCached
	delegated ndis.TCPOffloadStateDelegated
	path      ndis.Context
	// sendData is the outstanding send data the host handed over, in its original order.
	// With no wire yet, it stays here until the connection is terminated.
	sendData []*ndis.NetBufferList
	// receiveData is buffered receive data copied at initiate.
	receiveData []byte
	invalid     bool
}

// registry holds the offloaded objects by the context the reference wrote for them.
type registry struct {
	next        ndis.Context
	neighbors   map[ndis.Context]*neighbor
	paths       map[ndis.Context]*path
	connections map[ndis.Context]*connection
}

func newRegistry() *registry {
	return &registry{
		next:        0x1000,
		neighbors:   map[ndis.Context]*neighbor{},
		paths:       map[ndis.Context]*path{},
		connections: map[ndis.Context]*connection{},
	}
}

// newContext returns a context never handed out before by this target.
func (r *registry) newContext() ndis.Context {
	r.next += 0x10
	return r.next
}

// layerOf returns the layer of the object a context names, or zero if it names none.
func (r *registry) layerOf(c ndis.Context) ndis.Layer {
	switch {
	case r.neighbors[c] != nil:
		return ndis.LayerNeighbor
	case r.paths[c] != nil:
		return ndis.LayerPath
	case r.connections[c] != nil:
		return ndis.LayerTCP
	}
	return 0
}

// count returns the number of objects offloaded at one layer.
func (r *registry) count(l ndis.Layer) int {
	switch l {
	case ndis.LayerNeighbor:
		return len(r.neighbors)
	case ndis.LayerPath:
		return len(r.paths)
	case ndis.LayerTCP:
		return len(r.connections)
	}
	return 0
}

func (r *registry) total() int { return len(r.neighbors) + len(r.paths) + len(r.connections) }

// sourceMACs returns the distinct non-NULL source MAC addresses in use.
func (r *registry) sourceMACs() map[ndis.DlAddress]bool {
	out := map[ndis.DlAddress]bool{}
	for _, n := range r.neighbors {
		if !n.konst.DlSourceAddress.IsNull() {
			out[n.konst.DlSourceAddress] = true
		}
	}
	return out
}

// vlanIDs returns the distinct non-zero VLAN IDs in use.
func (r *registry) vlanIDs() map[uint16]bool {
	out := map[uint16]bool{}
	for _, n := range r.neighbors {
		if n.konst.VlanID != 0 {
			out[n.konst.VlanID] = true
		}
	}
	return out
}

// sourceIPs returns the distinct path source addresses in use.
func (r *registry) sourceIPs() map[netip.Addr]bool {
	out := map[netip.Addr]bool{}
	for _, p := range r.paths {
		out[p.konst.SourceAddress] = true
	}
	return out
}

// dependents reports whether any offloaded object depends on the object c names.
func (r *registry) dependents(c ndis.Context) bool {
	for _, p := range r.paths {
		if p.neighbor == c {
			return true
		}
	}
	for _, k := range r.connections {
		if k.path == c {
			return true
		}
	}
	return false
}

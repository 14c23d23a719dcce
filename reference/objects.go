package reference

import (
	"net/netip"

	"github.com/ndis-chimney/conformance/reference/tcp"
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
	// engine carries the connection on: it keeps the delegated variables traffic changes,
	// the outstanding send data and the receive data not yet delivered. delegated keeps the
	// others (the timers' variables the engine does not run yet), as handed over or updated.
	engine  *tcp.Conn
	key     tcp.Key // the connection's two ends, by which frames find it
	invalid bool
}

// registry holds the offloaded objects. Each sits in a slot of one table, and the context the
// reference writes for an object names its slot and the slot's generation. Finding an object
// is then an index into the table rather than a hash, so it costs the same with a million
// objects as with ten. A freed slot is reused under the next generation: the table stays as
// large as the most objects offloaded at once, a context is never handed out twice (short of
// 2^32 reuses of one slot), and a stale context names nothing.
type registry struct {
	slots    []slot
	empty    []uint32               // indexes of empty slots, reused before the table grows
	perLayer [ndis.LayerTCP + 1]int // objects per layer
	// What objects share, counted as they come and go, so that checking a limit does not
	// walk every object.
	sourceMACs map[ndis.DlAddress]int // neighbors per non-NULL source MAC address
	vlanIDs    map[uint16]int         // neighbors per non-zero VLAN ID
	sourceIPs  map[netip.Addr]int     // paths per source address
}

// slot holds one object, or none when all three are nil.
type slot struct {
	generation uint32
	neighbor   *neighbor
	path       *path
	connection *connection
}

func newRegistry() *registry {
	return &registry{
		sourceMACs: map[ndis.DlAddress]int{},
		vlanIDs:    map[uint16]int{},
		sourceIPs:  map[netip.Addr]int{},
	}
}

// A context holds the slot's generation in its upper 32 bits and, in the lower, the slot's
// index made to look like an aligned address: firstContext for slot 0, contextStride more for
// each slot after it. That leaves room for 2^28 objects at once, more than memory holds.
const (
	firstContext  = 0x1010
	contextStride = 0x10
)

func contextOf(index, generation uint32) ndis.Context {
	return ndis.Context(generation)<<32 | ndis.Context(firstContext+contextStride*index)
}

// slot returns the slot c names, or nil if c names none or was handed out for an earlier
// generation of it.
func (r *registry) slot(c ndis.Context) (*slot, uint32) {
	low := uint32(c)
	if low < firstContext || (low-firstContext)%contextStride != 0 {
		return nil, 0
	}
	i := (low - firstContext) / contextStride
	if int(i) >= len(r.slots) || r.slots[i].generation != uint32(c>>32) {
		return nil, 0
	}
	return &r.slots[i], i
}

func (r *registry) neighbor(c ndis.Context) *neighbor {
	if s, _ := r.slot(c); s != nil {
		return s.neighbor
	}
	return nil
}

func (r *registry) path(c ndis.Context) *path {
	if s, _ := r.slot(c); s != nil {
		return s.path
	}
	return nil
}

func (r *registry) connection(c ndis.Context) *connection {
	if s, _ := r.slot(c); s != nil {
		return s.connection
	}
	return nil
}

// layerOf returns the layer of the object a context names, or zero if it names none.
func (r *registry) layerOf(c ndis.Context) ndis.Layer {
	s, _ := r.slot(c)
	switch {
	case s == nil:
		return 0
	case s.neighbor != nil:
		return ndis.LayerNeighbor
	case s.path != nil:
		return ndis.LayerPath
	case s.connection != nil:
		return ndis.LayerTCP
	}
	return 0
}

// count returns the number of objects offloaded at one layer.
func (r *registry) count(l ndis.Layer) int { return r.perLayer[l] }

func (r *registry) total() int {
	return r.perLayer[ndis.LayerNeighbor] + r.perLayer[ndis.LayerPath] + r.perLayer[ndis.LayerTCP]
}

func (r *registry) addNeighbor(n *neighbor) ndis.Context {
	if mac := n.konst.DlSourceAddress; !mac.IsNull() {
		r.sourceMACs[mac]++
	}
	if id := n.konst.VlanID; id != 0 {
		r.vlanIDs[id]++
	}
	r.perLayer[ndis.LayerNeighbor]++
	return r.add(slot{neighbor: n})
}

func (r *registry) addPath(p *path) ndis.Context {
	r.sourceIPs[p.konst.SourceAddress]++
	r.perLayer[ndis.LayerPath]++
	return r.add(slot{path: p})
}

func (r *registry) addConnection(c *connection) ndis.Context {
	r.perLayer[ndis.LayerTCP]++
	return r.add(slot{connection: c})
}

// add puts an object into an empty slot and returns the context that names it.
func (r *registry) add(s slot) ndis.Context {
	var i uint32
	if n := len(r.empty); n > 0 {
		i, r.empty = r.empty[n-1], r.empty[:n-1]
	} else {
		i = uint32(len(r.slots))
		r.slots = append(r.slots, slot{})
	}
	s.generation = r.slots[i].generation
	r.slots[i] = s
	return contextOf(i, s.generation)
}

// free forgets the object c names, if any.
func (r *registry) free(c ndis.Context) {
	s, i := r.slot(c)
	switch {
	case s == nil:
		return
	case s.neighbor != nil:
		uncount(r.sourceMACs, s.neighbor.konst.DlSourceAddress)
		uncount(r.vlanIDs, s.neighbor.konst.VlanID)
		r.perLayer[ndis.LayerNeighbor]--
	case s.path != nil:
		uncount(r.sourceIPs, s.path.konst.SourceAddress)
		r.perLayer[ndis.LayerPath]--
	case s.connection != nil:
		r.perLayer[ndis.LayerTCP]--
	default:
		return // already empty
	}
	*s = slot{generation: s.generation + 1}
	r.empty = append(r.empty, i)
}

// uncount takes one off k's count and forgets k at zero, so that len(m) is the number of
// distinct keys in use. Keys never counted (a NULL address, VLAN 0) are left alone.
func uncount[K comparable](m map[K]int, k K) {
	if m[k] == 0 {
		return
	}
	if m[k]--; m[k] == 0 {
		delete(m, k)
	}
}

package harness

import (
	"net/netip"
	"time"

	"github.com/ndis-chimney/conformance/target/ndis"
)

// Model is the host's own account of what a target holds offloaded, kept from the completions
// alone and independent of any target's code: every object the target reported offloaded, the
// state it was offloaded or last updated with, the object it depends on, and whether it was
// invalidated. Judges hold each new completion against it.
type Model struct {
	objects map[ndis.Context]*Object
	order   []ndis.Context // in the order they were offloaded, for stable iteration
	// Terminated are the contexts of objects the target reported terminated, for judging that
	// their resources were freed (TERM-020).
	Terminated map[ndis.Context]*Object
}

// Object is one offloaded state object as the host knows it.
type Object struct {
	Context ndis.Context
	Layer   ndis.Layer
	IPv6    bool
	Handle  ndis.Handle
	// Parent is the object it depends on: a path's neighbor, a connection's path.
	Parent ndis.Context
	// FormerParents are the neighbors a path was relinked away from.
	FormerParents []ndis.Context
	// State is a copy of the block it was offloaded with: the constant, cached and delegated
	// structures as handed over, cached ones replaced by every successful update.
	State ndis.MiniportOffloadBlockList
	// Updated reports whether a successful update replaced any of its cached variables.
	Updated bool
	// PreviousCached holds the cached structures before the last update, to tell "not
	// applied" from "applied to another object".
	PreviousCached ndis.MiniportOffloadBlockList
	// UpdateGiven holds every structure the last successful update carried for it, constant
	// and delegated ones included, which an update must not apply.
	UpdateGiven ndis.MiniportOffloadBlockList
	Invalidated bool
	// HadSendData reports whether outstanding send data was handed over with it.
	HadSendData bool
	// OnTheWire reports whether the connection runs on a wire, where traffic moves its
	// delegated variables: only their encodings and ranges are judged, and the wire judges
	// hold the values against the frames.
	OnTheWire bool
	// FailedOp is the last operation the target answered NDIS_STATUS_FAILURE for on it.
	FailedOp Op

	// For the judges of send data, buffered receive data and the cached flags' resets
	// (judges_senddata.go, judges_flags.go):

	// Block is the initiate block it was offloaded with, by which the ledger names a
	// connection's send-data lists; Began is when that initiate was handed over.
	Block *ndis.MiniportOffloadBlockList
	Began time.Time
	// Buffered is a copy of the buffered receive data handed over with a connection, taken
	// before the harness overwrote the host's buffer; BufferedList is the host's list that
	// held it (see scribbleBufferedData).
	Buffered     []byte
	BufferedList *ndis.NetBufferList
	// CachedUpdates are the successful updates of a connection's TCP cached variables, in the
	// order they completed.
	CachedUpdates []CachedUpdate
}

// CachedUpdate is one successful update of a connection's TCP cached variables.
type CachedUpdate struct {
	Before, Given ndis.TCPOffloadStateCached // the cached variables it replaced, and those it carried
	Began         time.Time                  // when the update was handed over
	Concurrent    bool                       // another operation was outstanding meanwhile
}

// NewModel returns a model with nothing offloaded.
func NewModel() *Model {
	return &Model{objects: map[ndis.Context]*Object{}, Terminated: map[ndis.Context]*Object{}}
}

// Object returns the live object a context names.
func (m *Model) Object(c ndis.Context) (*Object, bool) {
	o, ok := m.objects[c]
	return o, ok
}

// OnTheWire marks the object with context c as a connection that carries traffic.
func (m *Model) OnTheWire(c ndis.Context) {
	if o, ok := m.objects[c]; ok {
		o.OnTheWire = true
	}
}

// Objects returns the live objects in the order they were offloaded.
func (m *Model) Objects() []*Object {
	out := make([]*Object, 0, len(m.objects))
	for _, c := range m.order {
		if o, ok := m.objects[c]; ok {
			out = append(out, o)
		}
	}
	return out
}

// Count returns the live objects at layer l (all layers when l is zero).
func (m *Model) Count(l ndis.Layer) int {
	n := 0
	for _, o := range m.objects {
		if l == 0 || o.Layer == l {
			n++
		}
	}
	return n
}

// Dependents returns the live objects that depend on c.
func (m *Model) Dependents(c ndis.Context) []*Object {
	var out []*Object
	for _, o := range m.Objects() {
		if o.Parent == c {
			out = append(out, o)
		}
	}
	return out
}

// SourceMACs, VLANIDs and SourceIPs return the distinct values in use by live objects: what
// the per-value limits count.
func (m *Model) SourceMACs() map[ndis.DlAddress]bool {
	out := map[ndis.DlAddress]bool{}
	for _, o := range m.objects {
		if c := o.State.NeighborConst; c != nil && !c.DlSourceAddress.IsNull() {
			out[c.DlSourceAddress] = true
		}
	}
	return out
}

// VLANIDs returns the distinct non-zero VLAN IDs of live neighbors.
func (m *Model) VLANIDs() map[uint16]bool {
	out := map[uint16]bool{}
	for _, o := range m.objects {
		if c := o.State.NeighborConst; c != nil && c.VlanID != 0 {
			out[c.VlanID] = true
		}
	}
	return out
}

// SourceIPs returns the distinct source addresses of live paths.
func (m *Model) SourceIPs() map[netip.Addr]bool {
	out := map[netip.Addr]bool{}
	for _, o := range m.objects {
		if c := o.State.PathConst; c != nil {
			out[c.SourceAddress] = true
		}
	}
	return out
}

func (m *Model) add(o *Object) {
	m.objects[o.Context] = o
	m.order = append(m.order, o.Context)
	delete(m.Terminated, o.Context)
}

func (m *Model) remove(c ndis.Context) {
	if o, ok := m.objects[c]; ok {
		m.Terminated[c] = o
		delete(m.objects, c)
	}
}

// copyState returns a block holding deep copies of the state structures of b.
func copyState(b *ndis.MiniportOffloadBlockList) ndis.MiniportOffloadBlockList {
	var out ndis.MiniportOffloadBlockList
	out.Header = b.Header
	if s := b.NeighborConst; s != nil {
		c := *s
		out.NeighborConst = &c
	}
	if s := b.NeighborCached; s != nil {
		c := *s
		out.NeighborCached = &c
	}
	if s := b.NeighborDelegated; s != nil {
		c := *s
		out.NeighborDelegated = &c
	}
	if s := b.PathConst; s != nil {
		c := *s
		out.PathConst = &c
	}
	if s := b.PathCached; s != nil {
		c := *s
		out.PathCached = &c
	}
	if s := b.PathDelegated; s != nil {
		c := *s
		out.PathDelegated = &c
	}
	if s := b.TCPConst; s != nil {
		c := *s
		out.TCPConst = &c
	}
	if s := b.TCPCached; s != nil {
		c := *s
		out.TCPCached = &c
	}
	if s := b.TCPDelegated; s != nil {
		c := *s
		c.SendDataHead, c.SendDataTail, c.BufferedData = nil, nil, nil
		out.TCPDelegated = &c
	}
	return out
}

// stateAt returns a block holding copies of the state structures a snapshot recorded.
func stateAt(b BlockSnapshot) ndis.MiniportOffloadBlockList {
	var out ndis.MiniportOffloadBlockList
	out.Header = b.Members.Header
	for i, name := range stateMembers {
		if b.States[i] == nil {
			continue
		}
		switch v := b.States[i].(type) {
		case ndis.NeighborOffloadStateConst:
			out.NeighborConst = &v
		case ndis.NeighborOffloadStateCached:
			out.NeighborCached = &v
		case ndis.NeighborOffloadStateDelegated:
			out.NeighborDelegated = &v
		case ndis.PathOffloadStateConst:
			out.PathConst = &v
		case ndis.PathOffloadStateCached:
			out.PathCached = &v
		case ndis.PathOffloadStateDelegated:
			out.PathDelegated = &v
		case ndis.TCPOffloadStateConst:
			out.TCPConst = &v
		case ndis.TCPOffloadStateCached:
			out.TCPCached = &v
		case ndis.TCPOffloadStateDelegated:
			v.SendDataHead, v.SendDataTail, v.BufferedData = nil, nil, nil
			out.TCPDelegated = &v
		default:
			_ = name
		}
	}
	return out
}

// blockView is one block of an outcome as judges and the model see it: where it sits, what it
// was when handed over and what it is when handed back.
type blockView struct {
	Path   string
	Layer  ndis.Layer
	Parent *ndis.MiniportOffloadBlockList // the block whose DependentBlockList leads here
	Before BlockSnapshot
	After  BlockSnapshot
	Role   ndis.Role // at hand-over
}

// views pairs every block of an outcome's hand-over snapshot with its snapshot at completion.
func views(out Outcome) []blockView {
	after := map[*ndis.MiniportOffloadBlockList]BlockSnapshot{}
	for _, b := range out.After.Blocks {
		after[b.Block] = b
	}
	parents := map[*ndis.MiniportOffloadBlockList]ndis.Visit{}
	for _, v := range ndis.Walk(out.Tree) {
		parents[v.Block] = v
	}
	vs := make([]blockView, 0, len(out.Before.Blocks))
	for _, b := range out.Before.Blocks {
		a, ok := after[b.Block]
		if !ok {
			// No longer reachable in the tree handed back: nothing the target wrote into it can
			// be seen, so it counts as never written.
			a = BlockSnapshot{Block: b.Block, Path: b.Path, Members: ndis.MiniportOffloadBlockList{Status: StatusUnwritten}, States: make([]any, len(stateMembers))}
		}
		v := blockView{Path: b.Path, Before: b, After: a, Role: roleOf(b)}
		if w, ok := parents[b.Block]; ok {
			v.Layer, v.Parent = w.Layer, w.Parent
		}
		if v.Layer == 0 {
			v.Layer = b.Members.Header.Type.Layer()
		}
		vs = append(vs, v)
	}
	return vs
}

// roleOf returns the role a block had in a snapshot.
func roleOf(b BlockSnapshot) ndis.Role {
	switch {
	case b.Members.MiniportOffloadContext == nil:
		return ndis.RolePlaceholder
	case b.Slot != 0:
		return ndis.RoleLinker
	}
	return ndis.RoleNewOffload
}

// Offloaded reports whether an initiate status says the block's own state was offloaded.
func Offloaded(st ndis.Status) bool {
	return st == ndis.StatusSuccess || st == ndis.StatusOffloadPartialSuccess
}

// apply brings the model up to date with a completed operation, taking the target's statuses
// at their word: judges have already held them against the rules.
func (m *Model) apply(out Outcome) {
	vs := views(out)
	byBlock := map[*ndis.MiniportOffloadBlockList]blockView{}
	for _, v := range vs {
		byBlock[v.Before.Block] = v
	}
	// objectOf is the context of the object a block stands for after the operation: the
	// context written for a new offload, the linker's, or for a placeholder the object its
	// own parent stands for.
	var objectOf func(b *ndis.MiniportOffloadBlockList) ndis.Context
	objectOf = func(b *ndis.MiniportOffloadBlockList) ndis.Context {
		v, ok := byBlock[b]
		if !ok {
			return 0
		}
		if v.Role == ndis.RolePlaceholder {
			if v.Parent == nil {
				return 0
			}
			return objectOf(v.Parent)
		}
		return v.After.Slot
	}
	for _, v := range vs {
		st := v.After.Members.Status
		switch out.Op {
		case Initiate:
			if v.Role != ndis.RoleNewOffload || !Offloaded(st) || v.After.Slot == 0 {
				continue
			}
			o := &Object{
				Context: v.After.Slot, Layer: v.Layer, IPv6: v.Before.Members.Header.Type.IsIPv6(),
				Handle: v.Before.Members.NdisOffloadHandle, State: stateAt(v.Before), HadSendData: len(v.Before.Chain) > 0,
				Block: v.Before.Block, Began: out.Began,
			}
			if v.Parent != nil {
				o.Parent = objectOf(v.Parent)
			}
			m.add(o)
		default:
			if v.Role != ndis.RoleLinker {
				continue
			}
			o, ok := m.objects[v.Before.Slot]
			if !ok {
				continue
			}
			if st == ndis.StatusFailure {
				o.FailedOp = out.Op
			}
			if st != ndis.StatusSuccess {
				continue
			}
			switch out.Op {
			case Update:
				m.update(o, v, objectOf, out)
			case Invalidate:
				o.Invalidated = true
			case Terminate:
				m.remove(o.Context)
			}
		}
	}
}

// update applies a successful update block: its cached structures, and a relink of a path to
// the neighbor its parent block names.
func (m *Model) update(o *Object, v blockView, objectOf func(*ndis.MiniportOffloadBlockList) ndis.Context, out Outcome) {
	given := stateAt(v.Before)
	o.UpdateGiven = given
	prev := copyState(&o.State)
	changed := false
	if given.NeighborCached != nil && o.State.NeighborCached != nil {
		o.State.NeighborCached, changed = given.NeighborCached, true
	}
	if given.PathCached != nil && o.State.PathCached != nil {
		o.State.PathCached, changed = given.PathCached, true
	}
	if given.TCPCached != nil && o.State.TCPCached != nil {
		o.State.TCPCached, changed = given.TCPCached, true
		// Kept for the judges of the resets its cached flags and values ask for.
		o.CachedUpdates = append(o.CachedUpdates, CachedUpdate{Before: *prev.TCPCached, Given: *given.TCPCached, Began: out.Began, Concurrent: out.Concurrent})
	}
	if changed {
		o.Updated, o.PreviousCached = true, prev
	}
	if o.Layer == ndis.LayerPath && v.Parent != nil {
		if p := objectOf(v.Parent); p != 0 && p != o.Parent {
			if n, ok := m.objects[p]; ok && n.Layer == ndis.LayerNeighbor {
				o.FormerParents = append(o.FormerParents, o.Parent)
				o.Parent = p
			}
		}
	}
}

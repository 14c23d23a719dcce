package scenario

import (
	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// picked resolves a step's picks against the objects the target holds, in pick order without
// repeats; a terminate also takes every object that depends on a picked one, since a host
// uploads a neighbor or path only with what hangs from it.
func picked(m *harness.Model, st Step) []*harness.Object {
	objs := m.Objects()
	if len(objs) == 0 {
		return nil
	}
	var out []*harness.Object
	seen := map[ndis.Context]bool{}
	var take func(o *harness.Object)
	take = func(o *harness.Object) {
		if seen[o.Context] {
			return
		}
		seen[o.Context] = true
		out = append(out, o)
		if st.Op == OpTerminate {
			for _, d := range m.Dependents(o.Context) {
				take(d)
			}
		}
	}
	for _, p := range st.Pick {
		take(objs[p%len(objs)])
		if st.Alone {
			break
		}
	}
	return out
}

// referenceTree builds the tree of a query, update, invalidate or terminate naming objs: a
// linker per object, under placeholders for the ancestors not named themselves, shaped as the
// objects hang together. fill adds what each linker carries.
func referenceTree(m *harness.Model, objs []*harness.Object, fill func(*ndis.MiniportOffloadBlockList, *harness.Object)) *ndis.MiniportOffloadBlockList {
	named := map[ndis.Context]bool{}
	for _, o := range objs {
		named[o.Context] = true
	}
	// wanted reports whether o or anything below it is named.
	var wanted func(o *harness.Object) bool
	wanted = func(o *harness.Object) bool {
		if named[o.Context] {
			return true
		}
		for _, d := range m.Dependents(o.Context) {
			if wanted(d) {
				return true
			}
		}
		return false
	}
	var block func(o *harness.Object) *ndis.MiniportOffloadBlockList
	block = func(o *harness.Object) *ndis.MiniportOffloadBlockList {
		var b *ndis.MiniportOffloadBlockList
		if named[o.Context] {
			b = fixtures.Linker(o.Layer, o.Context)
			b.Header.Type = o.State.Header.Type
			b.NdisOffloadHandle = o.Handle
			fill(b, o)
		} else {
			b = fixtures.Placeholder(o.Layer)
		}
		var deps []*ndis.MiniportOffloadBlockList
		for _, d := range m.Dependents(o.Context) {
			if wanted(d) {
				deps = append(deps, block(d))
			}
		}
		return fixtures.Under(b, deps...)
	}
	var roots []*ndis.MiniportOffloadBlockList
	for _, o := range m.Objects() {
		if _, hasParent := m.Object(o.Parent); hasParent || !wanted(o) {
			continue
		}
		roots = append(roots, block(o))
	}
	return fixtures.Chain(roots...)
}

// alone builds a stand-alone block naming o.
func alone(o *harness.Object, fill func(*ndis.MiniportOffloadBlockList, *harness.Object)) *ndis.MiniportOffloadBlockList {
	b := fixtures.Linker(o.Layer, o.Context)
	b.Header.Type = o.State.Header.Type
	b.NdisOffloadHandle = o.Handle
	fill(b, o)
	return b
}

// classes decodes a query's Classes bits.
func classes(bits uint8) fixtures.StateClasses {
	c := fixtures.StateClasses{Const: bits&1 != 0, Cached: bits&2 != 0, Delegated: bits&4 != 0}
	if c == (fixtures.StateClasses{}) {
		return fixtures.AllClasses
	}
	return c
}

// withState gives a linker the zeroed structures of classes c, for the target to fill.
func withState(c fixtures.StateClasses) func(*ndis.MiniportOffloadBlockList, *harness.Object) {
	return func(b *ndis.MiniportOffloadBlockList, o *harness.Object) {
		fixtures.AddState(b, o.State.Header.Type, o.Layer, c)
	}
}

// updated gives a linker new cached values for its object, distinct per object and from its
// current ones, a connection the cached flags and keepalive and MaxRT values the step picks,
// and with st.Extra, constant and delegated structures holding other values.
func updated(st Step) func(*ndis.MiniportOffloadBlockList, *harness.Object) {
	seed, extra := st.Seed, st.Extra
	return func(b *ndis.MiniportOffloadBlockList, o *harness.Object) {
		x := mix(seed, int(o.Context))
		fixtures.AddState(b, o.State.Header.Type, o.Layer, fixtures.StateClasses{Cached: true, Const: extra, Delegated: extra})
		switch o.Layer {
		case ndis.LayerNeighbor:
			c := *o.State.NeighborCached
			c.DlDestinationAddress = ndis.MAC(0x02, 0x77, byte(x>>16), byte(x>>8), byte(x), byte(o.Context))
			c.HostReachabilityDelta = c.HostReachabilityDelta + 1 + x%100
			*b.NeighborCached = c
		case ndis.LayerPath:
			c := *o.State.PathCached
			c.PathMTU = 576 + (c.PathMTU+1+x%300)%900
			*b.PathCached = c
		case ndis.LayerTCP:
			c := *o.State.TCPCached
			c.Flags ^= ndis.TCPFlagNaglingEnabled
			resets(&c, st, x)
			c.TtlOrHopLimit = uint8(1 + (uint32(c.TtlOrHopLimit)+x%100)%254)
			c.TosOrTrafficClass ^= uint8(1 + x%255)
			c.UserPriority = (c.UserPriority + 1 + uint8(x%6)) & 7
			*b.TCPCached = c
		}
		if extra {
			otherConst(b, x)
		}
	}
}

// resets gives a connection's cached state the restart flags, keepalive values and MaxRT a
// step picks: each picked value changes to another one, drawn afresh so that it may go down as
// well as up.
func resets(c *ndis.TCPOffloadStateCached, st Step, x uint32) {
	c.Flags &^= ndis.TCPFlagMaxRTRestart | ndis.TCPFlagKeepAliveRestart // a flag asks for its reset in the update that carries it
	if st.MaxRTRestart {
		c.Flags |= ndis.TCPFlagMaxRTRestart
	}
	if st.KeepAliveRestart {
		c.Flags |= ndis.TCPFlagKeepAliveRestart
	}
	if st.Keepalive&8 != 0 {
		c.Flags ^= ndis.TCPFlagKeepAliveEnabled
	}
	other := func(old, v uint32) uint32 {
		if v == old {
			v++
		}
		return v
	}
	if st.Keepalive&1 != 0 {
		c.KaProbeCount = uint8(other(uint32(c.KaProbeCount), 1+(x>>3)%20))
	}
	if st.Keepalive&2 != 0 {
		c.KaTimeout = other(c.KaTimeout, 1000+x%100000)
	}
	if st.Keepalive&4 != 0 {
		c.KaInterval = other(c.KaInterval, 100+(x>>7)%10000)
	}
	switch st.MaxRT {
	case 1:
		c.MaxRT = 0
	case 2:
		c.MaxRT = other(c.MaxRT, 1+(x>>11)%5000)
	}
}

// otherConst fills an update block's constant and delegated structures with values no object
// has, which a target must not apply.
func otherConst(b *ndis.MiniportOffloadBlockList, x uint32) {
	if s := b.NeighborConst; s != nil {
		s.VlanID = uint16(x%4000) + 1
	}
	if s := b.PathConst; s != nil {
		s.DestinationAddress = fixtures.PoisonAddr
	}
	if s := b.TCPConst; s != nil {
		s.RemotePort, s.LocalPort, s.RemoteMss, s.HashValue = fixtures.Poison16, fixtures.Poison16, fixtures.Poison16, fixtures.Poison32
	}
	if s := b.TCPDelegated; s != nil {
		s.State = ndis.TcpConnectionClosing
		s.RcvNxt, s.SndUna, s.SndNxt, s.SndMax = fixtures.PoisonSeq, fixtures.PoisonSeq, fixtures.PoisonSeq, fixtures.PoisonSeq
	}
}

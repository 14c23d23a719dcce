package scenario

import (
	"slices"

	"pgregory.net/rapid"
)

// Focus weights the generator towards the situations of one rule, so that each property spec
// spends its cases where its rule arises. The zero Focus draws a bit of everything.
type Focus struct {
	Ops      []string // the operations the rule concerns; empty for all
	Large    bool     // trees large enough to exhaust the declared limits
	Causes   bool     // blocks with documented causes of failure: windows, MTUs, VLANs, MACs
	SendData bool     // outstanding send data and buffered receive data on most connections
	Overlap  bool     // operations handed over while others are in progress
	Relink   bool     // updates that move paths to another neighbor
	Resets   bool     // updates whose TCP cached flags and values ask for resets of delegated variables
	Flagless bool     // with Resets: updates that mostly ask for none (no restart flag, MaxRT 0)
}

// Draw draws a scenario: an initiate first, then up to eight operations. Steps are drawn as a
// slice, so that rapid can delete any of them while shrinking.
func Draw(t *rapid.T, f Focus) Scenario {
	ops := f.Ops
	all := []string{OpInitiate, OpQuery, OpUpdate, OpInvalidate, OpTerminate}
	if len(ops) == 0 {
		ops = all
	}
	step := rapid.Custom(func(t *rapid.T) Step {
		// Two draws in three take the focus's operations; the rest any.
		pool := all
		if rapid.IntRange(0, 2).Draw(t, "focused") > 0 {
			pool = ops
		}
		op := rapid.SampledFrom(pool).Draw(t, "op")
		var st Step
		if op == OpInitiate {
			st = drawInitiate(t, f)
		} else {
			st = drawOperation(t, f, op)
		}
		if op != OpTerminate && (f.Overlap || rapid.IntRange(0, 5).Draw(t, "overlap?") == 0) {
			st.Overlap = rapid.Bool().Draw(t, "overlap")
		}
		return st
	})
	first := drawFirstInitiate(t, f)
	rest := rapid.SliceOfN(step, 0, 8).Draw(t, "steps")
	return Scenario{Steps: append([]Step{first}, rest...)}
}

func drawOperation(t *rapid.T, f Focus, op string) Step {
	st := Step{Op: op, Relink: -1}
	st.Pick = rapid.SliceOfN(rapid.IntRange(0, 63), 1, 6).Draw(t, "pick")
	st.Alone = rapid.IntRange(0, 3).Draw(t, "alone?") == 0
	switch op {
	case OpQuery:
		st.Classes = uint8(rapid.IntRange(0, 7).Draw(t, "classes"))
	case OpUpdate:
		st.Seed = rapid.Uint32().Draw(t, "seed")
		st.Extra = rapid.IntRange(0, 3).Draw(t, "extra?") == 0
		if f.Relink || rapid.IntRange(0, 3).Draw(t, "relink?") == 0 {
			st.Relink = rapid.IntRange(0, 7).Draw(t, "relink")
		}
		odds := 3
		if f.Resets {
			odds = 1
		}
		st.MaxRTRestart = rapid.IntRange(0, odds).Draw(t, "max rt restart?") == 0
		st.KeepAliveRestart = rapid.IntRange(0, odds).Draw(t, "keepalive restart?") == 0
		st.Keepalive = uint8(rapid.IntRange(0, 7).Draw(t, "keepalive changes"))
		if rapid.IntRange(0, 3).Draw(t, "keepalive toggle?") == 0 {
			st.Keepalive |= 8
		}
		st.MaxRT = uint8(rapid.IntRange(0, 2).Draw(t, "max rt"))
		if f.Flagless && rapid.IntRange(0, 7).Draw(t, "flagless?") != 0 {
			st.MaxRTRestart, st.KeepAliveRestart, st.MaxRT = false, false, 1
		}
	}
	return st
}

// drawFirstInitiate draws the scenario's first initiate. For a focus whose rules concern
// connections (their send data, their cached state), every block of it is a new offload and
// every path has a connection, so that later steps have connections to act on.
func drawFirstInitiate(t *rapid.T, f Focus) Step {
	return drawInitiateOf(t, f, f.SendData || f.Resets)
}

func drawInitiate(t *rapid.T, f Focus) Step { return drawInitiateOf(t, f, false) }

func drawInitiateOf(t *rapid.T, f Focus, connections bool) Step {
	maxRoots, maxPaths, maxConns := 3, 3, 4
	if f.Large {
		maxRoots, maxPaths, maxConns = 5, 5, 8
	}
	minPaths, minConns := 0, 0
	role := drawRole
	if connections {
		minPaths, minConns = 1, 1
		role = func(*rapid.T, string) string { return New }
	}
	roots := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Root {
		r := Root{Role: role(t, "root role"), Link: rapid.IntRange(0, 7).Draw(t, "link")}
		if r.Role == New {
			r.Neighbor = Neighbor{Seed: rapid.Uint32().Draw(t, "seed"), VLAN: drawCause(t, f, 5, "vlan"), SourceMAC: drawCause(t, f, 4, "mac")}
		}
		r.Paths = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) PathNode {
			p := PathNode{Role: role(t, "path role"), Link: rapid.IntRange(0, 15).Draw(t, "link")}
			if p.Role == New {
				p.Path = Path{Seed: rapid.Uint32().Draw(t, "seed"), IPv6: rapid.Bool().Draw(t, "ipv6"),
					Source: uint8(rapid.IntRange(0, 3).Draw(t, "source")), MTUOver: drawCause(t, f, 1, "mtu") > 0}
			}
			p.Conns = rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Conn { return drawConn(t, f) }), minConns, maxConns).Draw(t, "conns")
			return p
		}), minPaths, maxPaths).Draw(t, "paths")
		return r
	}), 1, maxRoots).Draw(t, "roots")
	return Step{Op: OpInitiate, Roots: roots, Relink: -1}
}

// drawRole draws a block's role: mostly new offloads.
func drawRole(t *rapid.T, label string) string {
	return rapid.SampledFrom([]string{New, New, New, Linker, Placeholder}).Draw(t, label)
}

// drawCause draws a choice that is zero (no cause) most of the time, up to max otherwise.
func drawCause(t *rapid.T, f Focus, max int, label string) uint8 {
	odds := 6
	if f.Causes {
		odds = 2
	}
	if rapid.IntRange(0, odds).Draw(t, label+"?") != 0 {
		return 0
	}
	return uint8(rapid.IntRange(1, max).Draw(t, label))
}

func drawConn(t *rapid.T, f Focus) Conn {
	c := Conn{
		Seed:        rapid.Uint32().Draw(t, "seed"),
		State:       uint8(rapid.IntRange(0, 5).Draw(t, "state")),
		ConstFlags:  uint16(rapid.IntRange(0, 7).Draw(t, "const flags")),
		CachedFlags: uint16(rapid.IntRange(0, 3).Draw(t, "cached flags")),
		WindowOver:  drawCause(t, f, 1, "window") > 0,
	}
	// One connection in three has outstanding send data; under the focus, three in four, so
	// that connections without any are seen beside them.
	odds := 2
	if f.SendData {
		odds = 0
	}
	var withSend bool
	if f.SendData {
		withSend = rapid.IntRange(0, 3).Draw(t, "send?") > 0
	} else {
		withSend = rapid.IntRange(0, 2).Draw(t, "send?") == 0
	}
	if withSend {
		c.Send = rapid.SliceOfN(rapid.Uint16(), 1, 5).Draw(t, "send")
		c.Sent = rapid.Uint16().Draw(t, "sent")
	}
	if rapid.IntRange(0, odds+1).Draw(t, "buffered?") == 0 {
		c.Buffered = rapid.Uint16Range(1, 4000).Draw(t, "buffered")
		c.BufferedLists = uint8(rapid.IntRange(0, 3).Draw(t, "buffered lists"))
	}
	return c
}

// HasOp reports whether the scenario takes op.
func (s Scenario) HasOp(op string) bool {
	return slices.ContainsFunc(s.Steps, func(st Step) bool { return st.Op == op })
}

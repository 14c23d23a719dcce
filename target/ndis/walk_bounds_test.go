package ndis

import (
	"strings"
	"testing"
	"time"
)

// within runs f and fails the test if it does not return within d: a walk that loops on a
// cycle would otherwise hang the whole test binary.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %s (a loop on a cycle?)", what, d)
	}
}

// deepChain returns a chain of n blocks, each the only dependent of the one before.
func deepChain(n int) *MiniportOffloadBlockList {
	root := block(NeighborOffloadState, ctx(0))
	b := root
	for range n - 1 {
		d := block(TcpOffloadState, ctx(0))
		b.DependentBlockList = d
		b = d
	}
	return root
}

// A chain a million DependentBlockList links deep is walked to MaxDepth levels, quickly,
// without a million-deep recursion or quadratic paths, and Validate names the block where
// the walk stops.
func TestWalkStopsAtMaxDepthOnAMillionDeepChain(t *testing.T) {
	root := deepChain(1_000_000)
	var visits []Visit
	var problems []Problem
	within(t, 10*time.Second, "Walk and Validate of a 1M-deep chain", func() {
		visits = Walk(root)
		problems = Validate(root, InitiateTree)
		_ = Format(root)
	})
	if len(visits) != MaxDepth {
		t.Errorf("walked %d blocks, want MaxDepth = %d", len(visits), MaxDepth)
	}
	if last := visits[len(visits)-1]; last.Depth != MaxDepth-1 || strings.Count(last.Path, "/") != MaxDepth-1 {
		t.Errorf("last visit at depth %d, path %q", last.Depth, last.Path)
	}
	if !hasDefect(problems, DefectTooDeep) {
		t.Errorf("Validate did not report DefectTooDeep: %d problems", len(problems))
	}
}

// Self-links and cycles through NextBlock, DependentBlockList and NET_BUFFER_LIST Next end
// every walk of the model.
func TestEveryWalkEndsOnSelfLinksAndCycles(t *testing.T) {
	selfNext := block(NeighborOffloadState, ctx(0))
	selfNext.NextBlock = selfNext
	selfDep := block(NeighborOffloadState, ctx(0))
	selfDep.DependentBlockList = selfDep
	// A placeholder root whose dependents are placeholders in a NextBlock cycle: the layer
	// of the root is sought below it, where no layer is known.
	phRoot, ph1, ph2 := block(0, nil), block(0, nil), block(0, nil)
	phRoot.DependentBlockList, ph1.NextBlock, ph2.NextBlock = ph1, ph2, ph1
	// A long NextBlock ring.
	ring := block(NeighborOffloadState, ctx(0))
	last := ring
	for range 20_000 {
		n := block(NeighborOffloadState, ctx(0))
		last.NextBlock = n
		last = n
	}
	last.NextBlock = ring

	for name, root := range map[string]*MiniportOffloadBlockList{
		"NextBlock to itself": selfNext, "DependentBlockList to itself": selfDep,
		"placeholder dependents in a cycle": phRoot, "a ring of 20001 blocks": ring,
	} {
		within(t, 10*time.Second, name, func() {
			Walk(root)
			Validate(root, InitiateTree)
			Validate(root, ReferenceTree)
			Format(root)
			root.Siblings()
			root.Dependents()
			PathOf(root, selfNext)
		})
		if ps := Validate(root, InitiateTree); name != "placeholder dependents in a cycle" && !hasDefect(ps, DefectReachedTwice) {
			t.Errorf("%s: Validate missed the cycle", name)
		}
	}

	l1, l2 := &NetBufferList{ID: 1}, &NetBufferList{ID: 2}
	l1.Next, l2.Next = l2, l1
	self := &NetBufferList{ID: 3}
	self.Next = self
	nb := &NetBuffer{Data: []byte{1, 2}}
	nb.Next = nb
	l1.FirstNetBuffer = nb
	within(t, time.Second, "Chain of NET_BUFFER_LIST cycles", func() {
		if n := l1.DataLength(); n != 2 {
			t.Errorf("DataLength over a NET_BUFFER self-link: %d", n)
		}
		_ = l1.String()
		if n := len(l1.Chain()); n != 2 {
			t.Errorf("Chain of a 2-cycle: %d lists", n)
		}
		if n := len(self.Chain()); n != 1 {
			t.Errorf("Chain of a self-link: %d lists", n)
		}
	})
}

// Placeholders that share their dependents make the search for a root placeholder's layer
// revisit the shared lists once per way of reaching them: four chains of 128 placeholders,
// each block of a chain with the next chain as its dependents, took 3 min 20 s to walk and
// validate before the search remembered what it found. Now it takes milliseconds.
func TestWalkIsFastOnPlaceholdersSharingDependents(t *testing.T) {
	chainOf := func(n int, dep *MiniportOffloadBlockList) *MiniportOffloadBlockList {
		var first, prev *MiniportOffloadBlockList
		for range n {
			b := &MiniportOffloadBlockList{DependentBlockList: dep}
			if prev == nil {
				first = b
			} else {
				prev.NextBlock = b
			}
			prev = b
		}
		return first
	}
	root := chainOf(1024, chainOf(1024, chainOf(1024, chainOf(1024, nil))))
	start := time.Now()
	within(t, 10*time.Second, "Walk and Validate of 4096 placeholders sharing dependents", func() {
		Walk(root)
		Validate(root, InitiateTree)
		Format(root)
	})
	t.Logf("4096 placeholders sharing dependents: walked, validated and formatted in %s", time.Since(start).Round(time.Millisecond))
}

package main

import (
	"regexp"
	"testing"
)

var idPattern = regexp.MustCompile(`^testdata/sample/sample\.go:\d+:\d+:[a-z-]+$`)

// IDs are file:line:col:operator, unique, and the same from one enumeration to the next.
func TestIDsAreUniqueAndStable(t *testing.T) {
	first, again := enumerateSample(t, ""), enumerateSample(t, "")
	if len(first) != len(again) {
		t.Fatalf("%d mutants, then %d", len(first), len(again))
	}
	seen := map[string]bool{}
	for i, m := range first {
		if !idPattern.MatchString(m.ID()) {
			t.Errorf("ID %q is not file:line:col:operator", m.ID())
		}
		if seen[m.ID()] {
			t.Errorf("ID %s twice", m.ID())
		}
		seen[m.ID()] = true
		if again[i].ID() != m.ID() || again[i].Desc != m.Desc {
			t.Errorf("mutant %d: %s, then %s", i, m, again[i])
		}
	}
}

// Code added below a function does not change the IDs of the mutants above it, or what they do.
func TestIDsSurviveCodeAddedBelow(t *testing.T) {
	before := map[string]string{}
	for _, m := range enumerateSample(t, "") {
		before[m.ID()] = m.Desc
	}
	after := map[string]string{}
	for _, m := range enumerateSample(t, "\nfunc more(a int) bool { return a > 1 }\n") {
		after[m.ID()] = m.Desc
	}
	for id, desc := range before {
		if after[id] != desc {
			t.Errorf("%s: %q, then %q", id, desc, after[id])
		}
	}
	if len(after) <= len(before) {
		t.Errorf("the added function has no mutants (%d, then %d)", len(before), len(after))
	}
}

// Mutants are numbered from the given start, in source order.
func TestMutantsAreNumberedInSourceOrder(t *testing.T) {
	ms, err := loadSample(t, "").enumerate(7)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if m.Index != 7+i {
			t.Fatalf("mutant %d (%s) has index %d", i, m, m.Index)
		}
		if i > 0 {
			p := ms[i-1]
			if m.Line < p.Line || m.Line == p.Line && m.Col < p.Col {
				t.Errorf("%s comes after %s", m, p)
			}
		}
	}
}

// An edit applies at its offsets relative to where the source starts.
func TestApplyEdits(t *testing.T) {
	src := []byte("return a < b")
	got := applyEdits(src[7:], []edit{{11, 12, "y"}, {9, 10, "<="}, {7, 8, "x"}}, 7)
	if string(got) != "x <= y" {
		t.Errorf("got %q", got)
	}
}

package main

import (
	"slices"
	"strings"
	"testing"
)

func TestReadEquivalents(t *testing.T) {
	eq, err := readEquivalents(strings.NewReader(`# comment

reference/a.go:1:2:int-zero   the value is a capacity hint
reference/a.go:3:4:logical both operands are always true here
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(eq) != 2 || eq["reference/a.go:1:2:int-zero"] != "the value is a capacity hint" {
		t.Errorf("read %v", eq)
	}
	for _, bad := range []string{"reference/a.go:1:2:int-zero\n", "x:1:2:op why\nx:1:2:op why again\n"} {
		if _, err := readEquivalents(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// A listed ID that names no viable mutant is stale.
func TestStaleEquivalents(t *testing.T) {
	ms := enumerateSample(t, "")
	var live, dead string
	for _, m := range ms {
		if m.Viable() && live == "" {
			live = m.ID()
		}
		if !m.Viable() {
			dead = m.ID()
		}
	}
	eq := equivalents{live: "r", dead: "r", "testdata/sample/sample.go:999:1:logical": "r"}
	if got, want := eq.stale(ms), []string{dead, "testdata/sample/sample.go:999:1:logical"}; !slices.Equal(got, want) {
		t.Errorf("stale %v, want %v", got, want)
	}
}

// The score leaves out what does not compile and what is equivalent; a listed mutant that is
// killed counts as killed and is reported, as is one that makes specs skip.
func TestTally(t *testing.T) {
	s := &Summary{Results: []Result{
		{ID: "a", Status: StatusKilled}, {ID: "b", Status: StatusKilled}, {ID: "c", Status: StatusKilled, ListedEquivalent: true},
		{ID: "d", Status: StatusSurvived}, {ID: "e", Status: StatusEquivalent, ListedEquivalent: true},
		{ID: "f", Status: StatusNotViable},
		{ID: "g", Status: StatusEquivalent, ListedEquivalent: true, NewSkips: []string{"default: a spec"}},
	}}
	s.tally()
	if s.Mutants != 7 || s.Viable != 6 || s.NotViable != 1 || s.Killed != 3 || s.Survived != 1 || s.Equivalent != 2 {
		t.Errorf("counts %+v", s)
	}
	if s.Score != 75 {
		t.Errorf("score %.1f, want 3 / (5 - 1) = 75", s.Score)
	}
	if !slices.Equal(s.WrongEquivalences, []string{"c", "g"}) {
		t.Errorf("wrong equivalences %v", s.WrongEquivalences)
	}
}

func TestFailureLine(t *testing.T) {
	out := "Ran 3 of 3 Specs\n\nSummarizing 1 Failure:\n  [FAIL] MiniportInitiateOffload when ... [rule:INIT-045]\n\nFAIL\n"
	if got := failureLine(out, nil); got != "[FAIL] MiniportInitiateOffload when ... [rule:INIT-045]" {
		t.Errorf("got %q", got)
	}
	if got := failureLine("goroutine 1\n\u2022panic: boom\n", nil); got != "panic: boom" {
		t.Errorf("got %q", got)
	}
	if got := failureLine("Summarizing 1 Failure:\n  [PANICKED!] MiniportTerminateOffload [BeforeEach] when ...\n", nil); got != "[PANICKED!] MiniportTerminateOffload [BeforeEach] when ..." {
		t.Errorf("got %q", got)
	}
}

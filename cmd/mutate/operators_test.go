package main

import (
	"go/importer"
	"go/token"
	"os"
	"strings"
	"testing"
)

// loadSample parses and type-checks testdata/sample, with extra appended to its source.
func loadSample(t *testing.T, extra string) *Package {
	t.Helper()
	src, err := os.ReadFile("testdata/sample/sample.go")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPackage(token.NewFileSet(), importer.Default(), "sample", "/nonexistent/testdata/sample", "testdata/sample",
		map[string][]byte{"sample.go": append(src, extra...)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func enumerateSample(t *testing.T, extra string) []*Mutant {
	t.Helper()
	ms, err := loadSample(t, extra).enumerate(1)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// Each operator makes the intended change, and the mutant compiles.
func TestOperatorsProduceTheIntendedCode(t *testing.T) {
	byID := map[string]*Mutant{}
	for _, m := range enumerateSample(t, "") {
		byID[m.ID()] = m
	}
	for _, c := range []struct {
		id   string
		line string // the mutated line, trimmed
	}{
		{"sample.go:7:11:conditional-boundary", "return a <= b"},
		{"sample.go:7:11:negate-conditional", "return a >= b"},
		{"sample.go:11:11:negate-conditional", "return a != b"},
		{"sample.go:36:8:conditional-boundary", "if x >= 9 {"},
		{"sample.go:36:8:negate-conditional", "if x <= 9 {"},
		{"sample.go:16:5:arithmetic", "n -= xs[i]"},
		{"sample.go:15:28:increment-decrement", "for i := 0; i < len(xs); i-- {"},
		{"sample.go:22:11:logical", "return a || !b"},
		{"sample.go:22:14:remove-not", "return a && b"},
		{"sample.go:57:30:bool-literal", "func enabled() bool { return false }"},
		{"sample.go:29:17:int-plus-one", "return pair{a: 17}"},
		{"sample.go:29:17:int-zero", "return pair{a: 0}"},
		{"sample.go:41:3:statement-deletion", ""},                                    // note(x) removed
		{"sample.go:16:3:statement-deletion", "_ = xs[i]"},                           // n += xs[i]
		{"sample.go:54:2:statement-deletion", "_, _ = p.b, p.a"},                     // p.a, p.b = p.b, p.a
		{"sample.go:39:3:statement-deletion", ""},                                    // seen = nil: nil cannot go to _
		{"sample.go:65:3:statement-deletion", "_ = y"},                               // note(y): y would be unused
		{"sample.go:25:25:return-early", "func pick(ok bool) pair { return pair{};"}, // a struct's zero value
		{"sample.go:49:29:return-early", "func first[T any](xs []T) T { return *new(T);"},
		{"sample.go:14:29:return-early", "func sum(xs ...int) (n int) { return;"}, // named results
		{"sample.go:26:2:invert-if", "if !(ok) {"},
		{"sample.go:37:4:branch", "continue"},
	} {
		m := byID["testdata/sample/"+c.id]
		if m == nil {
			t.Errorf("no mutant %s", c.id)
			continue
		}
		if !m.Viable() {
			t.Errorf("%s does not compile: %v", c.id, m.viable)
			continue
		}
		if got := strings.TrimSpace(strings.Split(string(m.Source()), "\n")[m.Line-1]); got != c.line {
			t.Errorf("%s: line %d reads %q, want %q", c.id, m.Line, got, c.line)
		}
	}
}

// A mutant that cannot compile is kept, marked not viable, and says why.
func TestAMutantThatDoesNotCompileIsNotViable(t *testing.T) {
	for _, m := range enumerateSample(t, "") {
		if m.ID() == "testdata/sample/sample.go:60:11:arithmetic" { // s + "!" -> s - "!"
			if m.Viable() || !strings.Contains(m.viable.Error(), "operator - not defined") {
				t.Errorf("string subtraction: viable error %v", m.viable)
			}
			return
		}
	}
	t.Error("no arithmetic mutant of the string concatenation")
}

// A comparison or a negation as an if condition gets no invert-if mutant: negate-conditional
// and remove-not already make it.
func TestInvertIfSkipsWhatOtherOperatorsMake(t *testing.T) {
	for _, m := range enumerateSample(t, "") {
		if m.Operator == opInvertIf && m.Line != 26 {
			t.Errorf("unexpected invert-if mutant %s", m)
		}
	}
}

// Every operator has a mutant in the sample, so the tests above cannot miss one.
func TestTheSampleExercisesEveryOperator(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range enumerateSample(t, "") {
		seen[m.Operator] = true
	}
	for _, op := range Operators {
		if !seen[op] {
			t.Errorf("the sample has no %s mutant", op)
		}
	}
}

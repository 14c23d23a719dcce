package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// The schema of every viable mutant of the sample compiles, including the switches of a generic
// function, a variadic one, a method with an unnamed receiver and unnamed parameters, and a
// function with a blank parameter.
func TestTheSchemaCompiles(t *testing.T) {
	p := loadSample(t, "")
	ms, err := p.enumerate(1)
	if err != nil {
		t.Fatal(err)
	}
	var viable []*Mutant
	for _, m := range ms {
		if m.Viable() {
			viable = append(viable, m)
		}
	}
	overlay, err := p.schema(viable) // type-checks what it returns
	if err != nil {
		t.Fatal(err)
	}
	if len(overlay) != 2 {
		t.Errorf("the schema has %d files, want the sample and the switch's variable", len(overlay))
	}
}

const printTest = `package sample

import (
	"fmt"
	"testing"
)

func TestPrint(t *testing.T) {
	p := &pair{1, 2}
	p.swap()
	fmt.Println(less(1, 2), same(1, 1), sum(1, 2, 3), both(true, false), pick(false), count([]int{1, 2, 10, 3}),
		first([]int{7, 8}), *p, enabled(), greet("hi"), pair{}.area(0, ""), twice(1, 3))
}
`

// A mutant selected in the schema binary prints what the same mutant built on its own prints,
// and not what the unmutated code prints.
func TestASchemaMutantBehavesLikeItsOwnBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds seven small test binaries")
	}
	root := t.TempDir()
	src, err := os.ReadFile("testdata/sample/sample.go")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"go.mod":               "module example.com/m\n\ngo 1.26\n",
		"sample/sample.go":     string(src),
		"sample/print_test.go": printTest,
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkgs, err := loadPackages(root, []string{"./sample"})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := pkgs[0].enumerate(1)
	if err != nil {
		t.Fatal(err)
	}
	var viable []*Mutant
	byID := map[string]*Mutant{}
	for _, m := range ms {
		if m.Viable() {
			viable = append(viable, m)
			byID[m.ID()] = m
		}
	}
	overlay, err := pkgs[0].schema(viable)
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{moduleRoot: root, suite: "./sample"}
	schemaBin, _, err := b.build(filepath.Join(root, "schema"), overlay)
	if err != nil {
		t.Fatal(err)
	}
	run := func(bin string, mutant int) string {
		cmd := exec.Command(bin, "-test.run=TestPrint")
		cmd.Env = append(os.Environ(), schemaEnv+"="+strconv.Itoa(mutant))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s (mutant %d): %v\n%s", bin, mutant, err, out)
		}
		return string(out)
	}
	unmutated := run(schemaBin, 0)
	for _, id := range []string{
		"sample/sample.go:16:5:arithmetic",         // a variadic function with a named result
		"sample/sample.go:50:12:int-plus-one",      // a generic function
		"sample/sample.go:69:35:return-early",      // an unnamed receiver and unnamed parameters
		"sample/sample.go:74:11:arithmetic",        // a blank parameter
		"sample/sample.go:54:2:statement-deletion", // a method with a pointer receiver
		"sample/sample.go:37:4:branch",             // break -> continue
	} {
		m := byID[id]
		if m == nil {
			t.Errorf("no viable mutant %s", id)
			continue
		}
		own, _, err := b.build(filepath.Join(root, strconv.Itoa(m.Index)), map[string][]byte{m.file.path: m.Source()})
		if err != nil {
			t.Fatal(err)
		}
		want, got := run(own, 0), run(schemaBin, m.Index)
		if got != want {
			t.Errorf("%s: the schema prints %q, its own build %q", m, got, want)
		}
		if got == unmutated {
			t.Errorf("%s: prints what the unmutated code prints, %q", m, got)
		}
	}
}

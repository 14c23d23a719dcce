package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Mutant is one small change to one function body of a package under test.
type Mutant struct {
	Index    int    // 1-based position in enumeration order; selects the mutant in a schema binary
	File     string // module-relative, slash-separated, e.g. reference/initiate.go
	Line     int
	Col      int
	Operator string // e.g. negate-conditional
	Desc     string // what changes, e.g. "== -> !="

	edits []edit
	// fallback, when set, is tried in place of edits when they do not compile: a deletion
	// that keeps the uses of the local variables it would leave unused.
	fallback *alternative
	file     *srcFile
	fn       *ast.FuncDecl // the top-level function whose body the mutant changes
	// viable is nil when the mutated package type-checks; otherwise the first error.
	viable error
}

// ID is the mutant's stable name: file:line:col:operator, positions in the unmutated file.
func (m *Mutant) ID() string {
	return fmt.Sprintf("%s:%d:%d:%s", m.File, m.Line, m.Col, m.Operator)
}

// String is the mutant's short description, e.g. "reference/initiate.go:57:12 == -> !=".
func (m *Mutant) String() string {
	return fmt.Sprintf("%s:%d:%d %s", m.File, m.Line, m.Col, m.Desc)
}

// Viable reports whether the mutated package compiles.
func (m *Mutant) Viable() bool { return m.viable == nil }

// Source returns the mutated file's source.
func (m *Mutant) Source() []byte { return applyEdits(m.file.src, m.edits, 0) }

// alternative is another form of a mutant.
type alternative struct {
	desc  string
	edits []edit
}

// edit replaces the bytes [off, end) of a file with text.
type edit struct {
	off, end int
	text     string
}

// applyEdits applies non-overlapping edits, given in any order, to src, whose first byte is at
// offset base of the file the edits' offsets refer to.
func applyEdits(src []byte, edits []edit, base int) []byte {
	sorted := append([]edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].off < sorted[j].off })
	var out bytes.Buffer
	last := 0
	for _, e := range sorted {
		out.Write(src[last : e.off-base])
		out.WriteString(e.text)
		last = e.end - base
	}
	out.Write(src[last:])
	return out.Bytes()
}

// srcFile is one non-test Go file of a package under test.
type srcFile struct {
	path string // absolute
	rel  string // module-relative, slash-separated
	src  []byte
	ast  *ast.File
}

// Package is a package under test, parsed and type-checked.
type Package struct {
	ImportPath string
	Dir        string
	files      []*srcFile
	fset       *token.FileSet
	imp        types.Importer
	info       *types.Info
	types      *types.Package
}

// listed is what go list says of a package.
type listed struct {
	ImportPath, Dir, Export string
	DepOnly                 bool
	GoFiles, CgoFiles       []string
	Error                   *struct{ Err string }
}

// goList lists the packages matching patterns and their dependencies, with export data.
func goList(dir string, patterns ...string) ([]listed, error) {
	args := append([]string{"list", "-e", "-json=ImportPath,Dir,Export,DepOnly,GoFiles,CgoFiles,Error", "-deps", "-export"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v\n%s", strings.Join(patterns, " "), err, stderr.Bytes())
	}
	var all []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			return all, nil
		} else if err != nil {
			return nil, fmt.Errorf("reading go list: %v", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("package %s: %s", p.ImportPath, p.Error.Err)
		}
		all = append(all, p)
	}
}

// loadPackages lists the packages matching patterns (run from the module root) with the export
// data of their dependencies, and of what the schema's switch imports, then parses and
// type-checks each.
func loadPackages(moduleRoot string, patterns []string) ([]*Package, error) {
	found, err := goList(moduleRoot, patterns...)
	if err != nil {
		return nil, err
	}
	schemaDeps, err := goList(moduleRoot, schemaImports...)
	if err != nil {
		return nil, err
	}
	exports := map[string]string{}
	for _, p := range append(found, schemaDeps...) {
		exports[p.ImportPath] = p.Export
	}
	var roots []listed
	for _, p := range found {
		if !p.DepOnly {
			if len(p.CgoFiles) > 0 {
				return nil, fmt.Errorf("package %s uses cgo, which the mutator does not handle", p.ImportPath)
			}
			roots = append(roots, p)
		}
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("no package matches %s", strings.Join(patterns, " "))
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(exports[path])
	})
	var pkgs []*Package
	for _, r := range roots {
		srcs := map[string][]byte{}
		for _, name := range r.GoFiles {
			data, err := os.ReadFile(filepath.Join(r.Dir, name))
			if err != nil {
				return nil, err
			}
			srcs[name] = data
		}
		rel, err := filepath.Rel(moduleRoot, r.Dir)
		if err != nil {
			return nil, err
		}
		p, err := newPackage(fset, imp, r.ImportPath, r.Dir, filepath.ToSlash(rel), srcs)
		if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// newPackage parses and type-checks the files srcs (name to source) of one package in dir,
// whose module-relative directory is relDir.
func newPackage(fset *token.FileSet, imp types.Importer, importPath, dir, relDir string, srcs map[string][]byte) (*Package, error) {
	p := &Package{ImportPath: importPath, Dir: dir, fset: fset, imp: imp}
	names := make([]string, 0, len(srcs))
	for name := range srcs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, srcs[name], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, &srcFile{path: path, rel: pathJoin(relDir, name), src: srcs[name], ast: f})
	}
	p.info = &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	var err error
	if p.types, err = p.check(nil, p.info); err != nil {
		return nil, fmt.Errorf("package %s does not type-check unmutated: %v", importPath, err)
	}
	return p, nil
}

func pathJoin(dir, name string) string {
	if dir == "" || dir == "." {
		return name
	}
	return dir + "/" + name
}

// check type-checks the package with some files' sources replaced (by absolute path) and
// returns the first error.
func (p *Package) check(replace map[string][]byte, info *types.Info) (*types.Package, error) {
	files := make([]*ast.File, 0, len(p.files)+len(replace))
	seen := map[string]bool{}
	for _, f := range p.files {
		src, ok := replace[f.path]
		if !ok {
			files = append(files, f.ast)
			continue
		}
		seen[f.path] = true
		g, err := parser.ParseFile(p.fset, f.path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, g)
	}
	added := make([]string, 0, len(replace))
	for path := range replace {
		if !seen[path] {
			added = append(added, path)
		}
	}
	sort.Strings(added)
	for _, path := range added { // new files, such as the schema's switch
		g, err := parser.ParseFile(p.fset, path, replace[path], parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, g)
	}
	var first error
	conf := types.Config{Importer: p.imp, Error: func(err error) {
		if first == nil {
			first = err
		}
	}}
	pkg, _ := conf.Check(p.ImportPath, p.fset, files, info)
	return pkg, first
}

// enumerate lists every mutant of the package's function bodies, in file and source order,
// numbering them from next, and type-checks each to tell viable from not viable.
func (p *Package) enumerate(next int) ([]*Mutant, error) {
	var out []*Mutant
	ids := map[string]bool{}
	for _, f := range p.files {
		for _, decl := range f.ast.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			for _, m := range mutationsOf(p, f, fn) {
				m.file, m.fn = f, fn
				if bytes.Equal(m.Source(), f.src) {
					continue // the "mutation" writes what is already there, e.g. deleting `_ = x`
				}
				if ids[m.ID()] {
					return nil, fmt.Errorf("two mutants share the ID %s", m.ID())
				}
				ids[m.ID()] = true
				m.Index = next
				next++
				_, m.viable = p.check(map[string][]byte{f.path: m.Source()}, nil)
				if m.viable != nil && m.fallback != nil {
					primary := alternative{m.Desc, m.edits}
					m.Desc, m.edits = m.fallback.desc, m.fallback.edits
					if _, err := p.check(map[string][]byte{f.path: m.Source()}, nil); err == nil {
						m.viable = nil
					} else {
						m.Desc, m.edits = primary.desc, primary.edits
					}
				}
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// position returns the 1-based line and column of pos.
func (p *Package) position(pos token.Pos) (line, col int) {
	at := p.fset.Position(pos)
	return at.Line, at.Column
}

// offset returns the byte offset of pos in its file.
func (p *Package) offset(pos token.Pos) int { return p.fset.Position(pos).Offset }

// text returns the source of a node.
func (p *Package) text(f *srcFile, n ast.Node) string {
	return string(f.src[p.offset(n.Pos()):p.offset(n.End())])
}

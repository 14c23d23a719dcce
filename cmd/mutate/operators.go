package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// The mutation operators. Each name is the last part of a mutant's ID.
const (
	opConditionalBoundary = "conditional-boundary" // <  <=  >  >=  moved by one
	opNegateConditional   = "negate-conditional"   // == != < <= > >= replaced by their negation
	opArithmetic          = "arithmetic"           // + -, * /, % *, and their assignment forms
	opIncDec              = "increment-decrement"  // ++ --
	opLogical             = "logical"              // && ||
	opRemoveNot           = "remove-not"           // !x -> x
	opBoolLiteral         = "bool-literal"         // true false
	opIntPlusOne          = "int-plus-one"         // c -> c+1
	opIntZero             = "int-zero"             // c -> 0
	opStatementDeletion   = "statement-deletion"   // a call, go or defer removed; x = y -> _ = y
	opReturnEarly         = "return-early"         // the function returns its zero values on entry
	opInvertIf            = "invert-if"            // if c -> if !(c)
	opBranch              = "branch"               // break continue
)

// Operators lists every operator, in the order mutants of one node are enumerated.
var Operators = []string{
	opConditionalBoundary, opNegateConditional, opArithmetic, opIncDec, opLogical, opRemoveNot,
	opBoolLiteral, opIntPlusOne, opIntZero, opStatementDeletion, opReturnEarly, opInvertIf, opBranch,
}

var (
	boundary = map[token.Token]token.Token{token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR}
	negation = map[token.Token]token.Token{
		token.EQL: token.NEQ, token.NEQ: token.EQL, token.LSS: token.GEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR,
	}
	arithmetic = map[token.Token]token.Token{
		token.ADD: token.SUB, token.SUB: token.ADD, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL,
		token.ADD_ASSIGN: token.SUB_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN, token.MUL_ASSIGN: token.QUO_ASSIGN,
		token.QUO_ASSIGN: token.MUL_ASSIGN, token.REM_ASSIGN: token.MUL_ASSIGN,
	}
	logical = map[token.Token]token.Token{token.LAND: token.LOR, token.LOR: token.LAND}
	incDec  = map[token.Token]token.Token{token.INC: token.DEC, token.DEC: token.INC}
	branch  = map[token.Token]token.Token{token.BREAK: token.CONTINUE, token.CONTINUE: token.BREAK}
)

// mutator collects the mutants of one function declaration.
type mutator struct {
	p   *Package
	f   *srcFile
	fn  *ast.FuncDecl
	out []*Mutant
}

// mutationsOf returns the mutants of fn's body, in source order (by position, then by the order
// of Operators), before they are checked for viability.
func mutationsOf(p *Package, f *srcFile, fn *ast.FuncDecl) []*Mutant {
	m := &mutator{p: p, f: f, fn: fn}
	m.returnEarly(fn)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			m.swap(opConditionalBoundary, n.OpPos, n.Op, boundary)
			m.swap(opNegateConditional, n.OpPos, n.Op, negation)
			m.swap(opArithmetic, n.OpPos, n.Op, arithmetic)
			m.swap(opLogical, n.OpPos, n.Op, logical)
		case *ast.UnaryExpr:
			if n.Op == token.NOT {
				m.add(opRemoveNot, n.OpPos, "remove !", edit{m.off(n.OpPos), m.off(n.OpPos) + 1, ""})
			}
		case *ast.Ident:
			m.boolLiteral(n)
		case *ast.BasicLit:
			m.intConstant(n)
		case *ast.AssignStmt:
			m.swap(opArithmetic, n.TokPos, n.Tok, arithmetic)
			m.deleteAssignment(n)
		case *ast.IncDecStmt:
			m.swap(opIncDec, n.TokPos, n.Tok, incDec)
			m.deleteStatement(n)
		case *ast.ExprStmt:
			if _, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				m.deleteStatement(n)
			}
		case *ast.GoStmt, *ast.DeferStmt:
			m.deleteStatement(n.(ast.Stmt))
		case *ast.IfStmt:
			m.invertIf(n)
		case *ast.BranchStmt:
			m.swap(opBranch, n.TokPos, n.Tok, branch)
		}
		return true
	})
	rank := map[string]int{}
	for i, op := range Operators {
		rank[op] = i
	}
	sort.SliceStable(m.out, func(i, j int) bool {
		a, b := m.out[i], m.out[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return rank[a.Operator] < rank[b.Operator]
	})
	return m.out
}

func (m *mutator) off(pos token.Pos) int { return m.p.offset(pos) }

// add records a mutant at pos.
func (m *mutator) add(op string, pos token.Pos, desc string, edits ...edit) *Mutant {
	line, col := m.p.position(pos)
	mu := &Mutant{File: m.f.rel, Line: line, Col: col, Operator: op, Desc: desc, edits: edits}
	m.out = append(m.out, mu)
	return mu
}

// swap replaces the operator token tok at pos by its counterpart in table, if it has one.
func (m *mutator) swap(op string, pos token.Pos, tok token.Token, table map[token.Token]token.Token) {
	to, ok := table[tok]
	if !ok {
		return
	}
	at := m.off(pos)
	m.add(op, pos, fmt.Sprintf("%s -> %s", tok, to), edit{at, at + len(tok.String()), to.String()})
}

// boolLiteral flips a use of the predeclared true or false.
func (m *mutator) boolLiteral(id *ast.Ident) {
	if obj := m.p.info.Uses[id]; obj == nil || obj.Parent() != types.Universe || (id.Name != "true" && id.Name != "false") {
		return
	}
	to := map[string]string{"true": "false", "false": "true"}[id.Name]
	m.add(opBoolLiteral, id.Pos(), id.Name+" -> "+to, edit{m.off(id.Pos()), m.off(id.End()), to})
}

// intConstant replaces an integer literal c with c+1 and, unless it is 0, with 0. The literal
// keeps its base (0x10 -> 0x11).
func (m *mutator) intConstant(lit *ast.BasicLit) {
	if lit.Kind != token.INT {
		return
	}
	v, err := strconv.ParseUint(lit.Value, 0, 64)
	if err != nil {
		return // too large to move by one
	}
	format := func(n uint64) string {
		lower := strings.ToLower(lit.Value)
		switch {
		case strings.HasPrefix(lower, "0x"):
			return fmt.Sprintf("%#x", n)
		case strings.HasPrefix(lower, "0b"):
			return fmt.Sprintf("%#b", n)
		case strings.HasPrefix(lower, "0o"):
			return fmt.Sprintf("%#O", n)
		}
		return strconv.FormatUint(n, 10)
	}
	from, to := m.off(lit.Pos()), m.off(lit.End())
	if v < 1<<64-1 {
		next := format(v + 1)
		m.add(opIntPlusOne, lit.Pos(), lit.Value+" -> "+next, edit{from, to, next})
	}
	if v != 0 {
		m.add(opIntZero, lit.Pos(), lit.Value+" -> 0", edit{from, to, "0"})
	}
}

// deleteStatement removes a call, go, defer or inc/dec statement.
func (m *mutator) deleteStatement(s ast.Stmt) {
	m.replace(s, "", "remove "+quote(m.p.text(m.f, s)))
}

// replace records the statement-deletion mutant that replaces s with text, and as its
// fallback, should a local variable be left unused, the same followed by `_ = v` for each
// local variable s uses.
func (m *mutator) replace(s ast.Stmt, text, desc string) {
	mu := m.add(opStatementDeletion, s.Pos(), desc, edit{m.off(s.Pos()), m.off(s.End()), text})
	var keep []string
	seen := map[types.Object]bool{}
	ast.Inspect(s, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := m.p.info.Uses[id].(*types.Var)
		if ok && !v.IsField() && !seen[v] && v.Pos() >= m.fn.Pos() && v.Pos() < m.fn.End() {
			seen[v] = true
			keep = append(keep, "_ = "+id.Name)
		}
		return true
	})
	if len(keep) == 0 {
		return
	}
	if text != "" {
		keep = append([]string{text}, keep...)
	}
	alt := strings.Join(keep, "; ")
	mu.fallback = &alternative{quote(m.p.text(m.f, s)) + " -> " + quote(alt), []edit{{m.off(s.Pos()), m.off(s.End()), alt}}}
}

// deleteAssignment turns `x = y` (or x op= y) into `_ = y`, so that y is still evaluated and
// still used, and the mutant compiles. Declarations (:=) are left alone, since later uses need
// them; an assignment of untyped nil, which cannot go to _, is removed.
func (m *mutator) deleteAssignment(s *ast.AssignStmt) {
	if s.Tok == token.DEFINE {
		return
	}
	for _, r := range s.Rhs {
		if tv, ok := m.p.info.Types[r]; ok && tv.IsNil() {
			m.replace(s, "", "remove "+quote(m.p.text(m.f, s)))
			return
		}
	}
	blanks := strings.Repeat("_, ", len(s.Lhs))
	blanks = blanks[:len(blanks)-2]
	rhs := string(m.f.src[m.off(s.Rhs[0].Pos()):m.off(s.Rhs[len(s.Rhs)-1].End())])
	if s.Tok != token.ASSIGN {
		blanks = "_"
	}
	text := blanks + " = " + rhs
	m.replace(s, text, quote(m.p.text(m.f, s))+" -> "+quote(text))
}

// invertIf negates an if statement's condition. A condition that is a single comparison or a
// negation is left to negate-conditional and remove-not, which already produce that mutant.
func (m *mutator) invertIf(s *ast.IfStmt) {
	switch c := ast.Unparen(s.Cond).(type) {
	case *ast.BinaryExpr:
		if _, ok := negation[c.Op]; ok {
			return
		}
	case *ast.UnaryExpr:
		if c.Op == token.NOT {
			return
		}
	}
	cond := m.p.text(m.f, s.Cond)
	m.add(opInvertIf, s.Pos(), quote("if "+cond)+" -> "+quote("if !("+cond+")"),
		edit{m.off(s.Cond.Pos()), m.off(s.Cond.Pos()), "!("}, edit{m.off(s.Cond.End()), m.off(s.Cond.End()), ")"})
}

// returnEarly makes the function return at once: the zero value of each result, or a bare
// return when it has named results or none.
func (m *mutator) returnEarly(fn *ast.FuncDecl) {
	if len(fn.Body.List) == 0 {
		return
	}
	text := "return"
	if res := fn.Type.Results; res != nil && len(res.List) > 0 && len(res.List[0].Names) == 0 {
		var zeros []string
		for _, field := range res.List {
			zeros = append(zeros, m.zero(field.Type))
		}
		text = "return " + strings.Join(zeros, ", ")
	}
	at := m.off(fn.Body.Lbrace) + 1
	m.add(opReturnEarly, fn.Body.Lbrace, text, edit{at, at, " " + text + ";"})
}

// zero returns source for the zero value of the type that typeExpr denotes.
func (m *mutator) zero(typeExpr ast.Expr) string {
	src := m.p.text(m.f, typeExpr)
	t := m.p.info.Types[typeExpr].Type
	if t == nil {
		return "*new(" + src + ")"
	}
	if _, ok := t.(*types.TypeParam); ok {
		return "*new(" + src + ")"
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false"
		case u.Info()&types.IsNumeric != 0:
			return "0"
		case u.Info()&types.IsString != 0:
			return `""`
		}
		return "nil" // unsafe.Pointer
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return "nil"
	case *types.Struct, *types.Array:
		return src + "{}"
	}
	return "*new(" + src + ")"
}

// quote returns source on one line, shortened and quoted for a description.
func quote(src string) string {
	s := strings.Join(strings.Fields(src), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return "`" + s + "`"
}

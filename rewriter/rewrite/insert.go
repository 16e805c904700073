package rewrite

import (
	"go/ast"
	"go/token"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
)

// inserts applies insert rules: the rule's statement goes on the line of
// the statement it is inserted before (found by its structure, whatever its
// layout), before it, so that no line moves.
type inserts struct{ immediate }

func (inserts) add(p *pkgState, r *rules.Rule) error {
	f, fd, err := p.findFunc(r)
	if err != nil {
		return err
	}
	at, _ := rules.ParseStmt(r.At)
	want := render(token.NewFileSet(), at)
	var anchor ast.Stmt
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if st, ok := n.(ast.Stmt); ok && anchor == nil && render(p.fset, st) == want {
			anchor = st
		}
		return anchor == nil
	})
	if anchor == nil {
		return r.Errorf("at", "%s.%s has no statement %q to insert before: the code moved (a new Go or module version?)", p.pkg.PkgPath, r.Function, r.At)
	}
	f.edits.insert(f.off(anchor.Pos()), r.Code+"; ")
	f.rules[r.ID] = true
	f.inject(r.ID, emit.InjInsert, rules.FuncName(fd), anchor.Pos())
	return nil
}

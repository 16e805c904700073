package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
)

// calls applies call rules: in each file of the package that imports the
// rule's package, every call of the rule's function (pkg.F(...), under
// whatever name the file imports pkg) calls the wrapper instead. Only the
// callee's name changes, on its line, so that no line moves:
//
//	db, err := sql.Open("pgx", dsn)
//	db, err := otelgen_otelsql.Open("pgx", dsn)
//
// The wrapper's package is imported on the line of the package clause. A
// file whose only use of pkg was such a call keeps its import with a line
// at its end (var _ = sql.Open). The function as a value (f := sql.Open),
// a dot-import and a package whose name is shadowed where it is called are
// left alone: a call the rule missed calls the function itself.
type calls struct{ immediate }

func (calls) add(p *pkgState, r *rules.Rule) error {
	wrapper, err := p.checkWrapper(r)
	if err != nil {
		return err
	}
	for _, f := range p.files {
		local := importName(f.ast, r.Package, wrapper.callee.Pkg().Name())
		if local == "" {
			continue
		}
		// Parsed again with objects resolved, to tell the package's name
		// from a variable that shadows it. A file parsed from short text
		// takes this syntax as its own, to be edited by offset.
		fset := token.NewFileSet()
		if !f.exact {
			fset = f.fset
		}
		af, err := parser.ParseFile(fset, f.name, f.src, 0)
		if err != nil {
			return err
		}
		if !f.exact {
			f.ast, f.full, f.exact = af, true, true
		}
		var sites []*ast.SelectorExpr
		uses := 0
		ast.Inspect(af, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == local && id.Obj == nil {
				uses++
			}
			return true
		})
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != r.Function {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == local && id.Obj == nil {
				sites = append(sites, sel)
			}
			return true
		})
		if len(sites) == 0 {
			continue
		}
		name := r.Wrapper.Name
		if q := f.qualifier(p.tpkg)(wrapper.fn.Pkg()); q != "" {
			name = q + "." + name
		}
		// af has positions of its own, but the same offsets as f.
		tf := f.fset.File(f.ast.Pos())
		for _, sel := range sites {
			from, to := int(sel.Pos()-af.FileStart), int(sel.End()-af.FileStart)
			if tf.Line(tf.Pos(from)) != tf.Line(tf.Pos(to)) {
				return r.Errorf("function", "%s: a call of %s.%s is split over lines: write it on one", f.name, r.Package, r.Function)
			}
			f.edits.replace(from, to, name)
			f.inject(r.ID, emit.InjCall, r.Package+"."+r.Function, tf.Pos(from))
		}
		if uses == len(sites) {
			f.decls = append(f.decls, fmt.Sprintf("var _ = %s.%s // the calls of %s.%s above call %s", local, r.Function, r.Package, r.Function, r.Wrapper))
		}
		f.rules[r.ID] = true
	}
	return nil
}

// wrapping is a call rule's function and its wrapper, type-checked.
type wrapping struct {
	callee, fn *types.Func
}

// checkWrapper finds the function a call rule wraps and its wrapper, and
// checks that the wrapper takes the same parameters and returns the same
// results.
func (p *pkgState) checkWrapper(r *rules.Rule) (*wrapping, error) {
	if p.tpkg == nil || p.imported == nil {
		return nil, fmt.Errorf("%s: not type-checked", p.pkg.PkgPath)
	}
	// The go command's imports, not tpkg's: a check without bodies
	// imports only what declarations use.
	if _, ok := p.pkg.Imports[r.Package]; !ok {
		return nil, r.Errorf("package", "%s does not import %s", p.pkg.PkgPath, r.Package)
	}
	calleePkg, err := p.imported(r.Package)
	if err != nil || calleePkg == nil {
		return nil, r.Errorf("package", "cannot load package %s: %v", r.Package, err)
	}
	callee, ok := calleePkg.Scope().Lookup(r.Function).(*types.Func)
	if !ok {
		return nil, r.Errorf("function", "%s has no function %s", r.Package, r.Function)
	}
	wpkg, err := p.imported(r.Wrapper.Package)
	if err != nil || wpkg == nil {
		return nil, r.Errorf("wrapper", "cannot load package %s: %v", r.Wrapper.Package, err)
	}
	fn, ok := wpkg.Scope().Lookup(r.Wrapper.Name).(*types.Func)
	if !ok {
		return nil, r.Errorf("wrapper", "package %s has no function %s", r.Wrapper.Package, r.Wrapper.Name)
	}
	want, got := callee.Type().(*types.Signature), fn.Type().(*types.Signature)
	if want.TypeParams().Len() > 0 || got.TypeParams().Len() > 0 {
		return nil, r.Errorf("function", "%s.%s or its wrapper is generic: a call rule wraps plain functions", r.Package, r.Function)
	}
	if !types.Identical(want, got) {
		qual := func(p *types.Package) string { return p.Name() }
		return nil, r.Errorf("wrapper", "%s does not fit %s.%s: it must take the same parameters and return the same results:\n\twrapper: %s\n\twant:    %s",
			r.Wrapper, r.Package, r.Function, types.TypeString(got, qual), types.TypeString(want, qual))
	}
	return &wrapping{callee: callee, fn: fn}, nil
}

// importName returns the name under which file f imports path, or "" when
// it does not, or only as _ or with a dot. name is the package's own name.
func importName(f *ast.File, path, name string) string {
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p != path {
			continue
		}
		if im.Name == nil {
			return name
		}
		if im.Name.Name != "_" && im.Name.Name != "." {
			return im.Name.Name
		}
	}
	return ""
}

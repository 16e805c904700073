package rewrite

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
	"github.com/otelgen/otelgen/templates"
)

// render prints a syntax node in a normal form, to compare code by its
// structure rather than its layout.
func render(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	printer.Fprint(&b, fset, n)
	return b.String()
}

// srcFile is one original file of the package and what is to change in it.
type srcFile struct {
	fset *token.FileSet
	name string
	src  []byte
	// ast has no function bodies until parseFull, unless full. Its
	// positions are right by line only unless exact: a file to edit is
	// parsed again (parseFull) first.
	ast   *ast.File
	full  bool
	exact bool
	edits edits
	// trailer goes at the end of the file, before decls: the
	// trampolines of the file's hook rules.
	trailer []byte
	decls   []string        // declarations to append, one per line
	copies  []bodyCopy      // hooked copies of functions, appended last
	qual    types.Qualifier // the file's, once made
	rules   map[string]bool

	injections []emit.Injection
}

// inject records that rule id put something of kind into target at pos.
// Every edit stays on the line it is made at, so the line is the same in
// the instrumented file.
func (f *srcFile) inject(id, kind, target string, pos token.Pos) {
	f.injections = append(f.injections, emit.Injection{Rule: id, Kind: kind, Target: target, Line: f.fset.Position(pos).Line})
}

// parseFull parses f again, with its function bodies. Nodes of the
// skimmed syntax are not to be kept past it.
func (f *srcFile) parseFull() error {
	af, err := parser.ParseFile(f.fset, f.name, f.src, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	f.ast, f.full, f.exact = af, true, true
	return nil
}

// findFunc returns f's declaration of function (as rules name it: "F" or
// "T.M"), or nil and the names of the functions of the same base name.
func (f *srcFile) findFunc(function string) (*ast.FuncDecl, []string) {
	var similar []string
	for _, d := range f.ast.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != funcBase(function) {
			continue
		}
		if name := rules.FuncName(fd); name != function {
			similar = append(similar, name)
			continue
		}
		return fd, nil
	}
	return nil, similar
}

// off returns the offset in f.src of position p of f.ast, which must be
// exact.
func (f *srcFile) off(p token.Pos) int {
	if !f.exact {
		panic(fmt.Sprintf("rewrite: an offset in %s, parsed from short text", f.name))
	}
	return f.fset.Position(p).Offset
}

func (f *srcFile) text(n ast.Node) string { return string(f.src[f.off(n.Pos()):f.off(n.End())]) }

type param struct {
	name string
	v    templates.Var
}

// names returns the names and types of a parameter or result list. When
// rename is set, it gives unnamed and blank entries a name, by edits to the
// source, so that the jump can pass them on.
func (f *srcFile) names(fl *ast.FieldList, prefix string, rename bool, tparams map[string]bool) []param {
	if fl == nil {
		return nil
	}
	var out []param
	for _, field := range fl.List {
		typ := field.Type
		v := templates.Var{Type: f.text(typ), Opaque: mentions(typ, tparams) || f.hidden(typ)}
		if ell, ok := typ.(*ast.Ellipsis); ok {
			v.Type = "[]" + f.text(ell.Elt)
		}
		v.HookType = "*" + v.Type
		if v.Opaque {
			v.HookType = "interface{}"
		}
		if len(field.Names) == 0 {
			name := prefix + strconv.Itoa(len(out))
			if rename {
				f.edits.insert(f.off(typ.Pos()), name+" ")
			}
			out = append(out, param{name, v})
			continue
		}
		for _, n := range field.Names {
			name := n.Name
			if name == "_" {
				name = prefix + strconv.Itoa(len(out))
				if rename {
					f.edits.replace(f.off(n.Pos()), f.off(n.End()), name)
				}
			}
			out = append(out, param{name, v})
		}
	}
	return out
}

// hidden reports whether a type expression names something a hook package
// cannot: an unexported type of the target package, or a type from an
// internal or vendored package.
func (f *srcFile) hidden(e ast.Expr) bool {
	internal := map[string]bool{}
	for _, im := range f.ast.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		if strings.Contains("/"+p+"/", "/internal/") || strings.HasPrefix(p, "vendor/") {
			internal[name] = true
		}
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && internal[id.Name] {
				found = true
			}
			return false
		case *ast.Field:
			// Names of fields and parameters are not types.
			ast.Inspect(x.Type, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && !token.IsExported(id.Name) && types.Universe.Lookup(id.Name) == nil {
					found = true
				}
				_, sel := n.(*ast.SelectorExpr)
				return !sel && !found
			})
			return false
		case *ast.Ident:
			if !token.IsExported(x.Name) && types.Universe.Lookup(x.Name) == nil {
				found = true
			}
		}
		return !found
	})
	return found
}

// recvTypeParams returns the type parameter names of a generic receiver, as
// in *List[T] or Map[K, V].
func recvTypeParams(t ast.Expr) []string {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	var idx []ast.Expr
	switch x := t.(type) {
	case *ast.IndexExpr:
		idx = []ast.Expr{x.Index}
	case *ast.IndexListExpr:
		idx = x.Indices
	}
	var out []string
	for _, e := range idx {
		if id, ok := e.(*ast.Ident); ok {
			out = append(out, id.Name)
		}
	}
	return out
}

// mentions reports whether a type expression uses one of the named type
// parameters.
func mentions(e ast.Expr, tparams map[string]bool) bool {
	if len(tparams) == 0 {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(x.X, func(n ast.Node) bool { return true })
			return false // pkg.T never names a type parameter
		case *ast.Ident:
			if tparams[x.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

// lookup finds the types object of a declaration.
func lookup(pkg *types.Package, fd *ast.FuncDecl) (*types.Func, bool) {
	if fd.Recv == nil {
		f, ok := pkg.Scope().Lookup(fd.Name.Name).(*types.Func)
		return f, ok
	}
	name := rules.FuncName(fd)
	tname := strings.Trim(name[:strings.LastIndex(name, ".")], "(*)")
	tn, ok := pkg.Scope().Lookup(tname).(*types.TypeName)
	if !ok {
		return nil, false
	}
	named, ok := tn.Type().(*types.Named)
	if !ok {
		return nil, false
	}
	for i := 0; i < named.NumMethods(); i++ {
		if m := named.Method(i); m.Name() == fd.Name.Name {
			return m, true
		}
	}
	return nil, false
}

// qualifier renders package names as the file imports them. A package the
// file does not import gets an import of its own, added on the line of the
// package clause so that no line moves, once.
func (f *srcFile) qualifier(self *types.Package) types.Qualifier {
	if f.qual == nil {
		f.qual = f.newQualifier(self)
	}
	return f.qual
}

func (f *srcFile) newQualifier(self *types.Package) types.Qualifier {
	named := map[string]string{} // path -> local name
	plain := map[string]bool{}   // imported under its own name
	for _, im := range f.ast.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		switch {
		case im.Name == nil:
			plain[p] = true
		case im.Name.Name != "_" && im.Name.Name != ".":
			named[p] = im.Name.Name
		}
	}
	return func(p *types.Package) string {
		switch {
		case p == self:
			return ""
		case named[p.Path()] != "":
			return named[p.Path()]
		case plain[p.Path()]:
			return p.Name()
		}
		name := "otelgen_" + p.Name()
		named[p.Path()] = name
		f.edits.insert(f.off(f.ast.Name.End()), fmt.Sprintf("; import %s %q", name, p.Path()))
		return name
	}
}

// packageClause returns the package name a Go file declares.
func packageClause(src []byte) string {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return f.Name.Name
}

// results returns the names and types of a function's results, as names
// does. When rename is set, a single unnamed result without parentheses
// gets them, so that it can be named.
func (f *srcFile) results(ft *ast.FuncType, rename bool, tparams map[string]bool) []param {
	bare := rename && ft.Results != nil && ft.Results.Opening == token.NoPos
	if bare {
		f.edits.insert(f.off(ft.Results.Pos()), "(")
	}
	out := f.names(ft.Results, "otelgen_r", rename, tparams)
	if bare {
		f.edits.insert(f.off(ft.Results.End()), ")")
	}
	return out
}

// bodyCopy is a function appended to the file whose body is a copy of
// src[start:end] (a function's body after its opening brace, with the
// edits made inside it, but not edit skip: the function's own jump).
// head opens it, with a //line directive that maps the body's lines to the
// original's, so it goes after everything else in the file.
type bodyCopy struct {
	head       string
	start, end int
	skip       int
}

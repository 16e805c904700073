// Package rewrite is the third stage of the pipeline: it applies the matched
// rules to one package's source. For each hook rule it puts a one-line jump at
// the top of the target function, on the line of its opening brace, and
// appends the trampolines that the jump calls to the end of the same file; it
// adds the fields and files that other rules ask for.
package rewrite

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/match"
	"github.com/otelgen/otelgen/rules"
	"github.com/otelgen/otelgen/templates"
	"golang.org/x/tools/go/packages"
)

// Files otelgen adds: to every package that has hook rules, and to every
// main package that binds hooks. Rules of kind file cannot use these names.
const (
	HooksFileName    = "otelgen_hooks.go"
	RegisterFileName = "otelgen_register.go"
)

// File is one file of the rewritten program: a changed original or an added
// file.
type File struct {
	Pkg      *packages.Package
	Path     string // absolute path of the original, or where an added file goes
	Original []byte // nil for an added file
	Output   []byte
	Rules    []string // ids of the rules that shaped it, sorted
	// Injections says what each rule put where, sorted by line, kind,
	// target and rule.
	Injections []emit.Injection
}

// Hook is a hook rule bound to a function of the program.
type Hook struct {
	Rule *rules.Rule
	Pkg  *packages.Package
	Func *types.Func // the target, from the original package
	Tmpl *templates.Hook
}

// Result is what rewriting one package produced.
type Result struct {
	Files []*File
	Hooks []*Hook
}

// Package rewrites one package with the rules that matched it. types is the
// original package, type-checked; it is used to find methods and to render
// the constraints of a generic receiver.
func Package(pkg *packages.Package, ms []*match.Match, tpkg *types.Package) (*Result, error) {
	fset := token.NewFileSet()
	var files []*srcFile
	for _, name := range pkg.GoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, &srcFile{fset: fset, name: name, src: src, ast: f, rules: map[string]bool{}})
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	text := func(f *srcFile, n ast.Node) string { return f.text(n) }

	res := &Result{}
	var added []*File
	// Hook rules on one function share its renames; group them first.
	type fnKey struct {
		file *srcFile
		decl *ast.FuncDecl
	}
	var fnOrder []fnKey
	fnRules := map[fnKey][]*rules.Rule{}
	var spans []spanAt
	for _, m := range ms {
		r := m.Rule
		switch r.Kind {
		case rules.KindHook:
			f, fd, err := findFunc(files, pkg, r)
			if err != nil {
				return nil, err
			}
			k := fnKey{f, fd}
			if _, ok := fnRules[k]; !ok {
				fnOrder = append(fnOrder, k)
			}
			fnRules[k] = append(fnRules[k], r)
		case rules.KindInsert:
			f, fd, err := findFunc(files, pkg, r)
			if err != nil {
				return nil, err
			}
			at, _ := rules.ParseStmt(r.At)
			want := render(token.NewFileSet(), at)
			var anchor ast.Stmt
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if st, ok := n.(ast.Stmt); ok && anchor == nil && render(fset, st) == want {
					anchor = st
				}
				return anchor == nil
			})
			if anchor == nil {
				return nil, r.Errorf("at", "%s.%s has no statement %q to insert before: the code moved (a new Go or module version?)", pkg.PkgPath, r.Function, r.At)
			}
			// On the anchor's line, before it, so that no line moves.
			f.edits.insert(off(anchor.Pos()), r.Code+"; ")
			f.rules[r.ID] = true
			f.inject(r.ID, emit.InjInsert, rules.FuncName(fd), anchor.Pos())
		case rules.KindField:
			var st *ast.StructType
			var sf *srcFile
			for _, f := range files {
				ast.Inspect(f.ast, func(n ast.Node) bool {
					if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Name == r.Struct {
						if s, ok := ts.Type.(*ast.StructType); ok {
							st, sf = s, f
						}
					}
					_, isFunc := n.(*ast.FuncDecl)
					return !isFunc && st == nil
				})
			}
			if st == nil {
				return nil, r.Errorf("struct", "%s has no struct type %s", pkg.PkgPath, r.Struct)
			}
			for _, fl := range st.Fields.List {
				for _, n := range fl.Names {
					if n.Name == r.FieldName {
						return nil, r.Errorf("name", "%s.%s already has a field %s", pkg.PkgPath, r.Struct, r.FieldName)
					}
				}
			}
			// Add the field last, on the line of the closing brace, so
			// that the layout of existing fields and every line number
			// stay as they were.
			ins := r.FieldName + " " + r.FieldType + "; "
			if n := len(st.Fields.List); n > 0 && fset.Position(st.Fields.List[n-1].End()).Line == fset.Position(st.Fields.Closing).Line {
				ins = "; " + ins
			}
			sf.edits.insert(off(st.Fields.Closing), ins)
			sf.rules[r.ID] = true
			sf.inject(r.ID, emit.InjField, r.Struct+"."+r.FieldName, st.Fields.Closing)
		case rules.KindSpan:
			f, fd, err := findFunc(files, pkg, r)
			if err != nil {
				return nil, err
			}
			spans = append(spans, spanAt{f, fd, r})
		case rules.KindFile:
			content := r.Content
			if name := packageClause(content); name != pkg.Name {
				return nil, r.Errorf("file", "the file declares package %s, but %s is package %s", name, pkg.PkgPath, pkg.Name)
			}
			if r.FileName == HooksFileName || r.FileName == RegisterFileName {
				return nil, r.Errorf("name", "%s is reserved for the code otelgen generates: name the file otherwise", r.FileName)
			}
			path := filepath.Join(pkg.Dir, r.FileName)
			for _, f := range pkg.GoFiles {
				if f == path {
					return nil, r.Errorf("name", "%s already has a file %s", pkg.PkgPath, r.FileName)
				}
			}
			added = append(added, &File{Pkg: pkg, Path: path, Output: content, Rules: []string{r.ID},
				Injections: []emit.Injection{{Rule: r.ID, Kind: emit.InjFile, Target: r.FileName, Line: 1}}})
		}
	}

	var allHooks []*templates.Hook
	for _, k := range fnOrder {
		f, fd := k.file, k.decl
		rs := fnRules[k]
		needParams, needResults := false, false
		for _, r := range rs {
			needParams = needParams || !r.Before.IsZero()
			needResults = needResults || !r.After.IsZero()
		}
		tparams := map[string]bool{}
		var tparamDecl, targs []string
		if fd.Type.TypeParams != nil {
			for _, fl := range fd.Type.TypeParams.List {
				for _, n := range fl.Names {
					tparams[n.Name] = true
					targs = append(targs, n.Name)
				}
			}
			tparamDecl = append(tparamDecl, text(f, fd.Type.TypeParams)[1:len(text(f, fd.Type.TypeParams))-1])
		}
		var fn *types.Func
		if tpkg != nil {
			fn, _ = lookup(tpkg, fd)
		}
		var recv *templates.Var
		var recvName string
		if fd.Recv != nil {
			field := fd.Recv.List[0]
			// A method of a generic type: its type parameters come
			// from the receiver, their constraints from the type.
			names := recvTypeParams(field.Type)
			if len(names) > 0 {
				if fn == nil {
					return nil, fmt.Errorf("%s: cannot resolve the type parameters of %s", pkg.PkgPath, rules.FuncName(fd))
				}
				sig := fn.Type().(*types.Signature)
				qual := f.qualifier(tpkg)
				var decl []string
				for i := 0; i < sig.RecvTypeParams().Len(); i++ {
					tp := sig.RecvTypeParams().At(i)
					if names[i] == "_" {
						return nil, rs[0].Errorf("function", "%s has a blank receiver type parameter: name it to hook the method", rules.FuncName(fd))
					}
					tparams[names[i]] = true
					targs = append(targs, names[i])
					decl = append(decl, names[i]+" "+types.TypeString(tp.Constraint(), qual))
				}
				tparamDecl = append(decl, tparamDecl...)
				targs = append(names[:0:0], targs...)
			}
			recvName = "otelgen_recv"
			if len(field.Names) == 1 && field.Names[0].Name != "_" {
				recvName = field.Names[0].Name
			} else if needParams {
				if len(field.Names) == 1 {
					f.edits.replace(off(field.Names[0].Pos()), off(field.Names[0].End()), recvName)
				} else {
					f.edits.insert(off(field.Type.Pos()), recvName+" ")
				}
			}
			recv = &templates.Var{Type: text(f, field.Type)}
			recv.Opaque = mentions(field.Type, tparams) || f.hidden(field.Type)
			recv.HookType = recv.Type
			if recv.Opaque {
				recv.HookType = "interface{}"
			}
		}
		params := f.names(fd.Type.Params, "otelgen_p", needParams, tparams)
		bare := needResults && fd.Type.Results != nil && fd.Type.Results.Opening == token.NoPos
		if bare {
			// A single unnamed result has no parentheses: add them.
			f.edits.insert(off(fd.Type.Results.Pos()), "(")
		}
		results := f.names(fd.Type.Results, "otelgen_r", needResults, tparams)
		if bare {
			f.edits.insert(off(fd.Type.Results.End()), ")")
		}
		tp, ta := "", ""
		if len(tparamDecl) > 0 {
			tp = "[" + strings.Join(tparamDecl, ", ") + "]"
			ta = "[" + strings.Join(targs, ", ") + "]"
		}
		var jump strings.Builder
		for _, r := range rs {
			h := &templates.Hook{
				RuleID:     r.ID,
				Ident:      Ident(r.ID),
				FuncName:   pkg.PkgPath + "." + r.Function,
				TypeParams: tp,
				TypeArgs:   ta,
				Recv:       recv,
				HasBefore:  !r.Before.IsZero(),
				HasAfter:   !r.After.IsZero(),
			}
			for _, p := range params {
				h.Params = append(h.Params, p.v)
			}
			for _, p := range results {
				h.Results = append(h.Results, p.v)
			}
			writeJump(&jump, h, recvName, params, results)
			allHooks = append(allHooks, h)
			f.tail = append(f.tail, h)
			f.rules[r.ID] = true
			f.inject(r.ID, emit.InjHook, rules.FuncName(fd), fd.Body.Lbrace)
			res.Hooks = append(res.Hooks, &Hook{Rule: r, Pkg: pkg, Func: fn, Tmpl: h})
		}
		f.edits.insert(off(fd.Body.Lbrace)+1, " "+jump.String())
	}

	for _, sp := range spans {
		if rs := fnRules[fnKey{sp.file, sp.decl}]; len(rs) > 0 {
			return nil, sp.rule.Errorf("function", "%s.%s has a //otel:span directive and hook rule %s: use one or the other", pkg.PkgPath, sp.rule.Function, rs[0].ID)
		}
		if err := sp.file.span(tpkg, sp.decl, sp.rule); err != nil {
			return nil, err
		}
	}

	for _, f := range files {
		if len(f.edits) == 0 && len(f.tail) == 0 {
			continue
		}
		out := f.edits.apply(f.src)
		if len(f.tail) > 0 {
			tail, err := templates.Trampolines(f.tail)
			if err != nil {
				return nil, err
			}
			if !bytes.HasSuffix(out, []byte("\n")) {
				out = append(out, '\n')
			}
			out = append(out, tail...)
		}
		if len(f.decls) > 0 {
			if !bytes.HasSuffix(out, []byte("\n")) {
				out = append(out, '\n')
			}
			out = append(out, "\n"+strings.Join(f.decls, "\n")+"\n"...)
		}
		var ids []string
		for id := range f.rules {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		SortInjections(f.injections)
		res.Files = append(res.Files, &File{Pkg: pkg, Path: f.name, Original: f.src, Output: out, Rules: ids, Injections: f.injections})
	}
	if len(allHooks) > 0 {
		hf, err := templates.HooksFile(pkg.Name, allHooks)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(pkg.Dir, HooksFileName)
		var ids []string
		for _, h := range allHooks {
			ids = append(ids, h.RuleID)
		}
		slices.Sort(ids)
		ids = dedup(ids)
		res.Files = append(res.Files, &File{Pkg: pkg, Path: path, Output: hf, Rules: ids, Injections: AddedFile(emit.InjHooks, HooksFileName, ids)})
	}
	res.Files = append(res.Files, added...)
	slices.SortFunc(res.Files, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
	return res, nil
}

// findFunc finds the declaration a rule's function names.
func findFunc(files []*srcFile, pkg *packages.Package, r *rules.Rule) (*srcFile, *ast.FuncDecl, error) {
	var similar []string
	for _, f := range files {
		for _, d := range f.ast.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != funcBase(r.Function) {
				continue
			}
			if name := rules.FuncName(fd); name != r.Function {
				similar = append(similar, name)
				continue
			}
			if fd.Body == nil {
				return nil, nil, r.Errorf("function", "%s.%s has no Go body (it is implemented in assembly or linked by name): it cannot be instrumented", pkg.PkgPath, r.Function)
			}
			return f, fd, nil
		}
	}
	msg := fmt.Sprintf("%s has no function %s", pkg.PkgPath, r.Function)
	if len(similar) > 0 {
		msg += fmt.Sprintf(" (it has %s)", strings.Join(similar, ", "))
	}
	return nil, nil, r.Errorf("function", "%s", msg)
}

// render prints a syntax node in a normal form, to compare code by its
// structure rather than its layout.
func render(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	printer.Fprint(&b, fset, n)
	return b.String()
}

// Ident turns a rule id into the prefix of the names the rule adds.
func Ident(id string) string {
	return "otelgen_" + strings.NewReplacer("-", "_", ".", "_").Replace(id)
}

// srcFile is one original file of the package and what is to change in it.
type srcFile struct {
	fset  *token.FileSet
	name  string
	src   []byte
	ast   *ast.File
	edits edits
	tail  []*templates.Hook
	decls []string        // declarations to append, one per line
	qual  types.Qualifier // the file's, once made
	rules map[string]bool

	injections []emit.Injection
}

// inject records that rule id put something of kind into target at pos.
// Every edit stays on the line it is made at, so the line is the same in
// the instrumented file.
func (f *srcFile) inject(id, kind, target string, pos token.Pos) {
	f.injections = append(f.injections, emit.Injection{Rule: id, Kind: kind, Target: target, Line: f.fset.Position(pos).Line})
}

// AddedFile returns the injections of a file that otelgen adds for rules
// ids: one of kind per rule, at line 1.
func AddedFile(kind, name string, ids []string) []emit.Injection {
	var out []emit.Injection
	for _, id := range ids {
		out = append(out, emit.Injection{Rule: id, Kind: kind, Target: name, Line: 1})
	}
	return out
}

// SortInjections puts injections in their recorded order.
func SortInjections(ins []emit.Injection) {
	slices.SortFunc(ins, func(a, b emit.Injection) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Target, b.Target), cmp.Compare(a.Rule, b.Rule))
	})
}

func (f *srcFile) off(p token.Pos) int { return f.fset.Position(p).Offset }

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

// writeJump writes the statement that calls a rule's trampolines, to go on the
// line of the function's opening brace.
func writeJump(b *strings.Builder, h *templates.Hook, recv string, params, results []param) {
	list := func(ps []param) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.name)
		}
		return strings.Join(s, ", ")
	}
	args := list(params)
	if h.Recv != nil {
		args = strings.TrimSuffix(recv+", "+args, ", ")
	}
	// The call record lives in this frame, from the before hook to the
	// after hook; the trampolines hand hooks pointers into it and into
	// the named results without moving them to the heap.
	var exit []string
	if h.HasBefore {
		fmt.Fprintf(b, "if %s_before != nil { var otelgen_c otelgen_call; ", h.Ident)
		args = strings.TrimSuffix("&otelgen_c, "+args, ", ")
		if len(params) > 0 {
			fmt.Fprintf(b, "%s = ", list(params))
		}
		fmt.Fprintf(b, "%s_enter%s(%s); ", h.Ident, h.TypeArgs, args)
		exit = append(exit, "&otelgen_c")
	} else {
		fmt.Fprintf(b, "if %s_after != nil { ", h.Ident)
	}
	if h.HasAfter {
		for _, r := range results {
			exit = append(exit, "&"+r.name)
		}
		fmt.Fprintf(b, "defer %s_exit%s(%s); ", h.Ident, h.TypeArgs, strings.Join(exit, ", "))
	}
	if h.HasBefore {
		if len(results) > 0 {
			fmt.Fprintf(b, "if otelgen_c.skip { return %s_skipped%s(&otelgen_c) } ", h.Ident, h.TypeArgs)
		} else {
			b.WriteString("if otelgen_c.skip { return } ")
		}
	}
	b.WriteString("};")
}

func funcBase(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[i+1:]
	}
	return name
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

func dedup(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

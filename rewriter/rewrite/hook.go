package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
	"github.com/otelgen/otelgen/templates"
	"golang.org/x/tools/go/packages"
)

// Hook is a hook rule bound to a function of the program.
type Hook struct {
	Rule *rules.Rule
	Pkg  *packages.Package
	Func *types.Func // the target, from the original package
	Tmpl *templates.Hook
}

// hooks applies hook rules. The hook rules on one function share its
// renames and its jump line, so add groups them by function and finish
// applies each group: on the line of the opening brace, a jump that calls
// each rule's trampolines; at the end of the file, the trampolines; and a
// file of hook variables for the package.
type hooks struct {
	order []*ast.FuncDecl
	fns   map[*ast.FuncDecl][]*rules.Rule
	file  map[*ast.FuncDecl]*srcFile
}

func (a *hooks) add(p *pkgState, r *rules.Rule) error {
	f, fd, err := p.findFunc(r)
	if err != nil {
		return err
	}
	if _, ok := a.fns[fd]; !ok {
		a.order = append(a.order, fd)
		a.file[fd] = f
		p.topped[fd] = r.ID
	}
	a.fns[fd] = append(a.fns[fd], r)
	return nil
}

func (a *hooks) finish(p *pkgState) error {
	var all []*templates.Hook
	tails := map[*srcFile][]*templates.Hook{}
	for _, fd := range a.order {
		f := a.file[fd]
		hs, err := a.jump(p, f, fd, a.fns[fd])
		if err != nil {
			return err
		}
		all = append(all, hs...)
		tails[f] = append(tails[f], hs...)
	}
	for _, f := range p.files {
		if len(tails[f]) == 0 {
			continue
		}
		tail, err := templates.Trampolines(tails[f])
		if err != nil {
			return err
		}
		f.trailer = tail
	}
	if len(all) == 0 {
		return nil
	}
	hf, err := templates.HooksFile(p.pkg.Name, all)
	if err != nil {
		return err
	}
	var ids []string
	for _, h := range all {
		ids = append(ids, h.RuleID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	p.added = append(p.added, &File{Pkg: p.pkg, Path: filepath.Join(p.pkg.Dir, HooksFileName), Output: hf, Rules: ids, Injections: AddedFile(emit.InjHooks, HooksFileName, ids)})
	return nil
}

// jump applies the hook rules rs of function fd in file f: it names the
// parameters and results that the hooks need, and puts on the line of the
// opening brace the jump that calls each rule's trampolines. It returns
// what the trampolines and the hook variables are rendered from.
func (a *hooks) jump(p *pkgState, f *srcFile, fd *ast.FuncDecl, rs []*rules.Rule) ([]*templates.Hook, error) {
	var out []*templates.Hook
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
		tparamDecl = append(tparamDecl, f.text(fd.Type.TypeParams)[1:len(f.text(fd.Type.TypeParams))-1])
	}
	// A function whose rules all have an after hook only keeps no defer
	// of its own: see splittable. Its copy needs every parameter named.
	split := splittable(p, fd, rs)
	var fn *types.Func
	if p.tpkg != nil {
		fn, _ = lookup(p.tpkg, fd)
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
				return nil, fmt.Errorf("%s: cannot resolve the type parameters of %s", p.pkg.PkgPath, rules.FuncName(fd))
			}
			sig := fn.Type().(*types.Signature)
			qual := f.qualifier(p.tpkg)
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
		} else if needParams || split {
			if len(field.Names) == 1 {
				f.edits.replace(f.off(field.Names[0].Pos()), f.off(field.Names[0].End()), recvName)
			} else {
				f.edits.insert(f.off(field.Type.Pos()), recvName+" ")
			}
		}
		recv = &templates.Var{Type: f.text(field.Type)}
		recv.Opaque = mentions(field.Type, tparams) || f.hidden(field.Type)
		recv.HookType = recv.Type
		if recv.Opaque {
			recv.HookType = "interface{}"
		}
	}
	params := f.names(fd.Type.Params, "otelgen_p", needParams || split, tparams)
	results := f.results(fd.Type, needResults, tparams)
	tp, ta, td := "", "", ""
	if len(tparamDecl) > 0 {
		tp = "[" + strings.Join(tparamDecl, ", ") + "]"
		ta = "[" + strings.Join(targs, ", ") + "]"
		td = typeDeclParams(tparamDecl, targs)
	}
	var jump strings.Builder
	for _, r := range rs {
		h := &templates.Hook{
			RuleID:     r.ID,
			Ident:      Ident(r.ID),
			FuncName:   p.pkg.PkgPath + "." + r.Function,
			TypeParams: tp,
			TypeDecl:   td,
			TypeArgs:   ta,
			Recv:       recv,
			HasBefore:  !r.Before.IsZero(),
			HasAfter:   !r.After.IsZero(),
			Pooled:     tp == "" && canImportSync(p.pkg),
		}
		for _, p := range params {
			h.Params = append(h.Params, p.v)
		}
		for _, p := range results {
			h.Results = append(h.Results, p.v)
		}
		writeJump(&jump, h, recvName, params, results)
		out = append(out, h)
		f.rules[r.ID] = true
		f.inject(r.ID, emit.InjHook, rules.FuncName(fd), fd.Body.Lbrace)
		p.res.Hooks = append(p.res.Hooks, &Hook{Rule: r, Pkg: p.pkg, Func: fn, Tmpl: h})
	}
	if !split {
		f.edits.insert(f.off(fd.Body.Lbrace)+1, " "+jump.String())
		return out, nil
	}
	// The function calls its hooked copy when a hook is bound, and runs
	// its own body, defer-free and still inlinable, when none is.
	name := out[0].Ident + "_hooked" + ta
	variadic := isVariadic(fd.Type)
	var args, decl []string
	if recv != nil {
		args = append(args, recvName)
		decl = append(decl, recvName+" "+recv.Type)
	}
	for i, p := range params {
		if i == len(params)-1 && variadic {
			args = append(args, p.name+"...")
			decl = append(decl, p.name+" ..."+strings.TrimPrefix(p.v.Type, "[]"))
		} else {
			args = append(args, p.name)
			decl = append(decl, p.name+" "+p.v.Type)
		}
	}
	var guard []string
	for _, h := range out {
		guard = append(guard, h.Ident+"_after != nil")
	}
	call := fmt.Sprintf("%s(%s)", name, strings.Join(args, ", "))
	if len(results) > 0 {
		call = "return " + call
	} else {
		call += "; return"
	}
	jumpSeq := len(f.edits)
	f.edits.insert(f.off(fd.Body.Lbrace)+1, fmt.Sprintf(" if %s { %s };", strings.Join(guard, " || "), call))
	var sig strings.Builder
	fmt.Fprintf(&sig, "func %s%s(%s)", out[0].Ident+"_hooked", tp, strings.Join(decl, ", "))
	if len(results) > 0 {
		decl = decl[:0]
		for _, r := range results {
			decl = append(decl, r.name+" "+r.v.Type)
		}
		sig.WriteString(" (" + strings.Join(decl, ", ") + ")")
	}
	// The copy's lines map to the original's, in a file named as
	// -trimpath names it (a path of the machine would differ between
	// checkouts).
	pos := f.fset.Position(fd.Body.Lbrace)
	f.copies = append(f.copies, bodyCopy{
		head:  fmt.Sprintf("// %s is %s with its hooks, which it calls when one is bound.\n//line %s:%d\n%s {%s", out[0].Ident+"_hooked", rules.FuncName(fd), path.Join(p.pkg.PkgPath, filepath.Base(pos.Filename)), pos.Line, sig.String(), " "+jump.String()),
		start: f.off(fd.Body.Lbrace) + 1,
		end:   f.off(fd.Body.Rbrace) + 1,
		skip:  jumpSeq,
	})
	return out, nil
}

// maxSplitNodes bounds the size of a body that splittable copies: about
// what the compiler still inlines once the call of the copy is added.
const maxSplitNodes = 40

// splittable reports whether the function gets a hooked copy rather than
// a deferred exit in its own body. A defer makes a function non-inlinable
// and costs its frame about a nanosecond even when no hook is bound, which
// for a small function is most of its cost; the copy keeps the defer out
// of the unbound path. It applies when every rule has an after hook only
// (a before hook's jump needs the body in place), to small bodies (the
// copy doubles their code), never in the runtime, to functions without
// //go: directives (which the copy would not carry), and to bodies that do
// not use package runtime (a stack walk would see the extra frame).
func splittable(p *pkgState, fd *ast.FuncDecl, rs []*rules.Rule) bool {
	for _, r := range rs {
		if !r.Before.IsZero() || r.After.IsZero() {
			return false
		}
	}
	if fd.Body == nil || p.pkg.PkgPath == "runtime" || strings.HasPrefix(p.pkg.PkgPath, "internal/") || strings.HasPrefix(p.pkg.PkgPath, "runtime/") {
		return false
	}
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			if strings.HasPrefix(c.Text, "//go:") || strings.HasPrefix(c.Text, "//line") {
				return false
			}
		}
	}
	n, usesRuntime := 0, false
	ast.Inspect(fd.Body, func(x ast.Node) bool {
		if x == nil {
			return false
		}
		n++
		if sel, ok := x.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "runtime" {
				usesRuntime = true
			}
		}
		return true
	})
	return n <= maxSplitNodes && !usesRuntime
}

// isVariadic reports whether ft's last parameter is variadic.
func isVariadic(ft *ast.FuncType) bool {
	ps := ft.Params.List
	if len(ps) == 0 {
		return false
	}
	_, ok := ps[len(ps)-1].Type.(*ast.Ellipsis)
	return ok
}

// writeJump writes the statement that calls a rule's trampolines, to go on the
// line of the function's opening brace.
//
// With an after hook, the enter trampoline returns the call record, which the
// deferred exit trampoline hands back (to its pool) once the after hook has
// run; the exit trampoline gets the named results by pointer and does not
// keep them, so they stay in this frame. With a before hook only, the enter
// trampoline hands the record back itself and returns what the jump needs.
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
	enter := fmt.Sprintf("%s_enter%s(%s)", h.Ident, h.TypeArgs, args)
	skipped := func(res string) string {
		if len(results) == 0 {
			return "return"
		}
		return fmt.Sprintf("return %s_skipped%s(%s)", h.Ident, h.TypeArgs, res)
	}
	switch {
	case h.HasBefore && h.HasAfter:
		fmt.Fprintf(b, "if %s_before != nil { ", h.Ident)
		if len(params) > 0 {
			fmt.Fprintf(b, "var otelgen_c *%s_rec%s; otelgen_c, %s = %s; ", h.Ident, h.TypeArgs, list(params), enter)
		} else {
			fmt.Fprintf(b, "otelgen_c := %s; ", enter)
		}
		exit := []string{"otelgen_c"}
		for _, r := range results {
			exit = append(exit, "&"+r.name)
		}
		fmt.Fprintf(b, "defer %s_exit%s(%s); ", h.Ident, h.TypeArgs, strings.Join(exit, ", "))
		fmt.Fprintf(b, "if otelgen_c.c.skip { %s } ", skipped("otelgen_c.c.results"))
	case h.HasBefore:
		fmt.Fprintf(b, "if %s_before != nil { ", h.Ident)
		switch {
		case len(params) == 0 && len(results) == 0:
			fmt.Fprintf(b, "if %s { return } ", enter)
		case len(results) == 0:
			fmt.Fprintf(b, "var otelgen_skip bool; %s, otelgen_skip = %s; if otelgen_skip { return } ", list(params), enter)
		default:
			lhs := "otelgen_skip, otelgen_results"
			if len(params) > 0 {
				lhs = list(params) + ", " + lhs
			}
			fmt.Fprintf(b, "var otelgen_skip bool; var otelgen_results []interface{}; %s = %s; if otelgen_skip { %s } ", lhs, enter, skipped("otelgen_results"))
		}
	default:
		fmt.Fprintf(b, "if %s_after != nil { ", h.Ident)
		var exit []string
		for _, r := range results {
			exit = append(exit, "&"+r.name)
		}
		fmt.Fprintf(b, "defer %s_exit%s(%s); ", h.Ident, h.TypeArgs, strings.Join(exit, ", "))
	}
	b.WriteString("};")
}

// canImportSync reports whether pkg may import sync, for the pools of call
// records: it is not in the standard library, or it imports sync already
// (directly or not). A standard package that does not may be one that sync
// itself imports.
func canImportSync(pkg *packages.Package) bool {
	if pkg.Module != nil {
		return true
	}
	seen := map[*packages.Package]bool{}
	var walk func(*packages.Package) bool
	walk = func(p *packages.Package) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		for path, q := range p.Imports {
			if path == "sync" || walk(q) {
				return true
			}
		}
		return false
	}
	return walk(pkg)
}

// typeDeclParams renders a type parameter list for a type declaration. With
// one type parameter whose constraint starts with * or (, "[P *C]" would
// declare an array of length P*C; a trailing comma makes it a list.
func typeDeclParams(decl, names []string) string {
	list := strings.Join(decl, ", ")
	if len(names) == 1 {
		constraint := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(list), names[0]))
		if strings.HasPrefix(constraint, "*") || strings.HasPrefix(constraint, "(") {
			return "[" + list + ",]"
		}
	}
	return "[" + list + "]"
}

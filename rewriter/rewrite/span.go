package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rules"
)

// spans applies span rules (//otel:span directives): add finds the
// function, finish applies the rule once the hook rules have taken their
// functions, since a function takes either.
type spans struct{ todo []spanAt }

// spanAt is a span rule and the function it applies to.
type spanAt struct {
	file *srcFile
	decl *ast.FuncDecl
	rule *rules.Rule
}

func (a *spans) add(p *pkgState, r *rules.Rule) error {
	f, fd, err := p.findFunc(r)
	if err != nil {
		return err
	}
	a.todo = append(a.todo, spanAt{f, fd, r})
	return nil
}

func (a *spans) finish(p *pkgState) error {
	for _, sp := range a.todo {
		if id, ok := p.topped[sp.decl]; ok {
			return sp.rule.Errorf("function", "%s.%s has a //otel:span directive and hook rule %s: use one or the other", p.pkg.PkgPath, sp.rule.Function, id)
		}
		if err := sp.file.span(p.tpkg, sp.decl, sp.rule); err != nil {
			return err
		}
	}
	return nil
}

// span applies a span rule (a //otel:span directive) to fd. On the line of
// the opening brace it starts the span, in the context parameter when there
// is one (which then carries it) and on the goroutine, and defers its end,
// which records a returned error; at the end of the file it declares the
// variable that describes the span:
//
//	func Place(ctx context.Context, id string) (err error) { var otelgen_span otelspan.Active; if otelgen_span_Place.On() { ctx, otelgen_span = otelgen_span_Place.Start(ctx, id) }; defer otelgen_span.End(&err);
//	...
//	var otelgen_span_Place = otelspan.New("orders.Place", "example.com/orders.Place", []string{"id"}, false)
func (f *srcFile) span(tpkg *types.Package, fd *ast.FuncDecl, r *rules.Rule) error {
	if tpkg == nil {
		return fmt.Errorf("%s: not type-checked", r.Package)
	}
	fn, ok := lookup(tpkg, fd)
	if !ok {
		return r.Errorf("function", "%s.%s: cannot resolve its type", r.Package, r.Function)
	}
	sig := fn.Type().(*types.Signature)
	ctxAt := -1
	for i := 0; i < sig.Params().Len(); i++ {
		if isContext(sig.Params().At(i).Type()) {
			ctxAt = i
			break
		}
	}
	errAt := -1
	if n := sig.Results().Len(); n > 0 && types.Identical(sig.Results().At(n-1).Type(), types.Universe.Lookup("error").Type()) {
		errAt = n - 1
	}
	params := f.names(fd.Type.Params, "otelgen_p", ctxAt >= 0, nil)
	var results []param
	if errAt >= 0 {
		results = f.results(fd.Type, true, nil)
	}

	pkgName := f.qualifier(tpkg)(types.NewPackage(rules.SpanPackage, "otelspan"))
	v := "otelgen_span_" + strings.NewReplacer("(", "", "*", "", ")", "", ".", "_").Replace(r.Function)
	var keys, vals []string
	for _, a := range r.SpanAttrs {
		keys = append(keys, strconv.Quote(a))
		vals = append(vals, a)
	}
	attrs := "nil"
	if len(keys) > 0 {
		attrs = "[]string{" + strings.Join(keys, ", ") + "}"
	}
	f.decls = append(f.decls, fmt.Sprintf("var %s = %s.New(%q, %q, %s, %t)", v, pkgName, r.SpanName, r.Package+"."+r.Function, attrs, r.SpanMetric))

	// Off, the function pays a check and a deferred call that returns: the
	// attributes' values are boxed only when the span is on.
	jump := fmt.Sprintf("var otelgen_span %s.Active; if %s.On() { ", pkgName, v)
	if ctxAt >= 0 {
		ctx := params[ctxAt].name
		jump += fmt.Sprintf("%s, otelgen_span = %s.Start(%s) }", ctx, v, strings.Join(append([]string{ctx}, vals...), ", "))
	} else {
		jump += fmt.Sprintf("otelgen_span = %s.Begin(%s) }", v, strings.Join(vals, ", "))
	}
	errArg := "nil"
	if errAt >= 0 {
		errArg = "&" + results[errAt].name
	}
	jump += "; defer otelgen_span.End(" + errArg + ");"
	f.edits.insert(f.off(fd.Body.Lbrace)+1, " "+jump)
	f.rules[r.ID] = true
	f.inject(r.ID, emit.InjSpan, r.Function, fd.Body.Lbrace)
	return nil
}

// isContext reports whether t is context.Context.
func isContext(t types.Type) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

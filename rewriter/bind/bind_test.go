package bind

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/rewriter/rewrite"
	"github.com/otelgen/otelgen/rules"
	"github.com/otelgen/otelgen/templates"
	"golang.org/x/tools/go/packages"
)

// universe type-checks the packages of srcs (import path to source) on
// demand, each once, like the load stage's universe.
type universe struct {
	srcs map[string]string
	pkgs map[string]*types.Package
}

func (u *universe) Import(path string) (*types.Package, error) {
	if p, ok := u.pkgs[path]; ok {
		return p, nil
	}
	src, ok := u.srcs[path]
	if !ok {
		return nil, fmt.Errorf("no package %s", path)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path+".go", src, 0)
	if err != nil {
		return nil, err
	}
	p, err := (&types.Config{Importer: u}).Check(path, fset, []*ast.File{f}, nil)
	if err != nil {
		return nil, err
	}
	u.pkgs[path] = p
	return p, nil
}

const (
	targetSrc = `package t

type T struct{}

func F(a int, s string) error { return nil }

func (t *T) M(x []byte) int { return len(x) }

func G[E any](e E) E { return e }
`
	hookSrc = `package h

import (
	"example.com/t"
	"github.com/otelgen/otelgen/hook"
)

func FBefore(c *hook.Call, a *int, s *string) {}
func FAfter(c *hook.Call, err *error)         {}
func FShort(c *hook.Call, a *int)             {}
func FValues(c *hook.Call, a int, s string)   {}
func FReturns(c *hook.Call, err *error) bool  { return false }
func FGeneric[X any](c *hook.Call, err *X)    {}
func FVariadic(c *hook.Call, a ...*int)       {}
func MBefore(c *hook.Call, recv *t.T, x *[]byte) {}
func MAfter(c *hook.Call, n *int)             {}
func GBefore(c *hook.Call, e any)             {}
func GTyped(c *hook.Call, e *int)             {}
`
	noCallSrc = `package nocall

func FBefore(a *int, s *string) {}
`
)

func newUniverse() *universe {
	return &universe{
		srcs: map[string]string{
			"example.com/t":      targetSrc,
			"example.com/h":      hookSrc,
			"example.com/nocall": noCallSrc,
			HookAPI:              "package hook\n\ntype Call struct{ skip bool }\n",
		},
		pkgs: map[string]*types.Package{},
	}
}

// hookFor builds what the rewrite stage hands to Check for a rule on the
// function or method name of example.com/t, with the given hooks.
func hookFor(t *testing.T, u *universe, name, recv string, before, after rules.HookRef) *rewrite.Hook {
	t.Helper()
	tp, err := u.Import("example.com/t")
	if err != nil {
		t.Fatal(err)
	}
	var fn *types.Func
	if recv == "" {
		fn = tp.Scope().Lookup(name).(*types.Func)
	} else {
		named := tp.Scope().Lookup(recv).(*types.TypeName).Type().(*types.Named)
		for m := range named.Methods() {
			if m.Name() == name {
				fn = m
			}
		}
	}
	sig := fn.Type().(*types.Signature)
	tmpl := &templates.Hook{FuncName: "example.com/t." + name}
	generic := sig.TypeParams().Len() > 0
	if sig.Recv() != nil {
		tmpl.Recv = &templates.Var{}
	}
	for range sig.Params().Len() {
		tmpl.Params = append(tmpl.Params, templates.Var{Opaque: generic})
	}
	for range sig.Results().Len() {
		tmpl.Results = append(tmpl.Results, templates.Var{Opaque: generic})
	}
	r := &rules.Rule{ID: "r", Kind: rules.KindHook, Package: "example.com/t", Function: name, HookSpec: &rules.HookSpec{Before: before, After: after}}
	return &rewrite.Hook{Rule: r, Pkg: &packages.Package{PkgPath: "example.com/t"}, Func: fn, Tmpl: tmpl}
}

func TestCheck(t *testing.T) {
	h := func(name string) rules.HookRef { return rules.HookRef{Package: "example.com/h", Name: name} }
	none := rules.HookRef{}
	tests := []struct {
		name          string
		fn, recv      string
		before, after rules.HookRef
		want          string // a substring of the error, or "" for none
	}{
		{"before and after fit", "F", "", h("FBefore"), h("FAfter"), ""},
		{"after only", "F", "", none, h("FAfter"), ""},
		{"method, receiver first", "M", "T", h("MBefore"), h("MAfter"), ""},
		{"generic target: values as any", "G", "", h("GBefore"), none, ""},
		{"generic target: a typed hook does not fit", "G", "", h("GTyped"), none, "does not fit"},
		{"a parameter missing", "F", "", h("FShort"), none, "does not fit"},
		{"parameters by value", "F", "", h("FValues"), none, "does not fit"},
		{"a hook that returns", "F", "", none, h("FReturns"), "does not fit"},
		{"a generic hook", "F", "", none, h("FGeneric"), "does not fit"},
		{"a variadic hook", "F", "", h("FVariadic"), none, "does not fit"},
		{"no such function", "F", "", h("Nope"), none, "package example.com/h has no function Nope"},
		{"no hook.Call", "F", "", rules.HookRef{Package: "example.com/nocall", Name: "FBefore"}, none, "must take a *hook.Call first"},
		{"a package that does not load", "F", "", rules.HookRef{Package: "example.com/missing", Name: "X"}, none, "cannot load hook package example.com/missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newUniverse()
			err := Check(hookFor(t, u, tt.fn, tt.recv, tt.before, tt.after), u.Import)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Check: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("Check passed, want an error with %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Check: %v\nwant an error with %q", err, tt.want)
			}
		})
	}
}

// The message shows the hook, the target and the signature wanted, so that
// the hook's author can fix it without reading otelgen.
func TestCheckMessage(t *testing.T) {
	u := newUniverse()
	err := Check(hookFor(t, u, "F", "", rules.HookRef{Package: "example.com/h", Name: "FShort"}, rules.HookRef{}), u.Import)
	if err == nil {
		t.Fatal("Check passed")
	}
	for _, want := range []string{
		"hook:   func(c *hook.Call, a *int)",
		"target: func(a int, s string) error",
		"want:   func(*hook.Call, *int, *string)",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
}

// Types from two checks of one package (source and export data, in
// generate) are the same type when they are spelled the same.
func TestSameTypeAcrossChecks(t *testing.T) {
	a, b := newUniverse(), newUniverse()
	ta, _ := a.Import("example.com/t")
	tb, _ := b.Import("example.com/t")
	ptr := func(p *types.Package) types.Type { return types.NewPointer(p.Scope().Lookup("T").Type()) }
	if types.Identical(ptr(ta), ptr(tb)) {
		t.Fatal("two checks gave identical types: the test proves nothing")
	}
	if !sameType(ptr(ta), ptr(tb)) {
		t.Error("sameType(*t.T, *t.T) from two checks = false")
	}
	if sameType(ptr(ta), types.NewPointer(types.Typ[types.Int])) {
		t.Error("sameType(*t.T, *int) = true")
	}
}

func TestRegisterFile(t *testing.T) {
	u := newUniverse()
	h := func(name string) rules.HookRef { return rules.HookRef{Package: "example.com/h", Name: name} }
	f := hookFor(t, u, "F", "", h("FBefore"), h("FAfter"))
	f.Rule.ID, f.Tmpl.Ident = "zz-f", "otelgen_zz_f"
	m := hookFor(t, u, "M", "T", rules.HookRef{}, h("MAfter"))
	m.Rule.ID, m.Tmpl.Ident = "aa-m", "otelgen_aa_m"
	main := &packages.Package{ID: "example.com/app", Dir: "/src/app"}
	path, src, ids, err := RegisterFile(main, []*rewrite.Hook{f, m})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/src/app/" + RegisterFileName; path != want {
		t.Errorf("path = %s, want %s", path, want)
	}
	if got := strings.Join(ids, ","); got != "aa-m,zz-f" {
		t.Errorf("rule ids = %s, want aa-m,zz-f (sorted)", got)
	}
	text := string(src)
	for _, want := range []string{`otelgen_h0 "example.com/h"`, "otelgen_h0.FBefore", "otelgen_h0.FAfter", "otelgen_h0.MAfter"} {
		if !strings.Contains(text, want) {
			t.Errorf("register file lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "otelgen_aa_m") > strings.Index(text, "otelgen_zz_f") {
		t.Errorf("bindings not in rule order:\n%s", text)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), path, src, 0); err != nil {
		t.Errorf("register file does not parse: %v\n%s", err, text)
	}
}

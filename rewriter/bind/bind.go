// Package bind connects hook functions to the functions they instrument. It
// checks each hook's signature against its target, and writes the file added
// to every main package that sets the target's hook variables to the hook
// functions, through a go:linkname directive.
package bind

import (
	"fmt"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/rewriter/rewrite"
	"github.com/otelgen/otelgen/rules"
	"github.com/otelgen/otelgen/templates"
	"golang.org/x/tools/go/packages"
)

// HookAPI is the import path of the package that declares hook.Call.
const HookAPI = "github.com/otelgen/otelgen/hook"

// RegisterFileName is the file added to each main package.
const RegisterFileName = rewrite.RegisterFileName

// PackageFunc returns the type-checked package with an import path.
type PackageFunc = rewrite.PackageFunc

// Check verifies that the hooks of h fit its target, and returns a
// descriptive error naming both signatures when they do not.
func Check(h *rewrite.Hook, load PackageFunc) error {
	if h.Func == nil {
		return h.Rule.Errorf("function", "cannot resolve the type of %s.%s", h.Pkg.PkgPath, h.Rule.Function)
	}
	sig := h.Func.Type().(*types.Signature)
	for _, side := range []string{"before", "after"} {
		ref := h.Rule.Before
		if side == "after" {
			ref = h.Rule.After
		}
		if ref.IsZero() {
			continue
		}
		pkg, err := load(ref.Package)
		if err != nil || pkg == nil {
			return h.Rule.Errorf(side, "cannot load hook package %s: %v", ref.Package, err)
		}
		fn, ok := pkg.Scope().Lookup(ref.Name).(*types.Func)
		if !ok {
			return h.Rule.Errorf(side, "package %s has no function %s", ref.Package, ref.Name)
		}
		got := fn.Type().(*types.Signature)
		call := callType(pkg)
		if call == nil {
			return h.Rule.Errorf(side, "hook %s must take a *hook.Call first: package %s does not import %s", ref, ref.Package, HookAPI)
		}
		var want []types.Type
		want = append(want, types.NewPointer(call))
		if side == "before" {
			if h.Tmpl.Recv != nil {
				want = append(want, hookType(sig.Recv().Type(), h.Tmpl.Recv.Opaque, false))
			}
			for i := 0; i < sig.Params().Len(); i++ {
				want = append(want, hookType(sig.Params().At(i).Type(), h.Tmpl.Params[i].Opaque, true))
			}
		} else {
			for i := 0; i < sig.Results().Len(); i++ {
				want = append(want, hookType(sig.Results().At(i).Type(), h.Tmpl.Results[i].Opaque, true))
			}
		}
		if !fits(got, want) {
			return h.Rule.Errorf(side, "hook %s does not fit %s:\n\thook:   %s\n\ttarget: %s\n\twant:   %s",
				ref, h.Tmpl.FuncName,
				types.TypeString(got, qualifier), types.TypeString(sig, qualifier), render(want))
		}
	}
	return nil
}

func hookType(t types.Type, generic, byPointer bool) types.Type {
	if generic {
		return types.Universe.Lookup("any").Type()
	}
	if byPointer {
		return types.NewPointer(t)
	}
	return t
}

func fits(got *types.Signature, want []types.Type) bool {
	if got.TypeParams().Len() > 0 || got.Results().Len() != 0 || got.Variadic() || got.Params().Len() != len(want) {
		return false
	}
	for i, w := range want {
		if !sameType(got.Params().At(i).Type(), w) {
			return false
		}
	}
	return true
}

// sameType compares types by their fully qualified spelling. The hook's
// types and the target's may come from different type-checks of the same
// package (export data and source), where types.Identical would fail.
func sameType(a, b types.Type) bool {
	if types.Identical(a, b) {
		return true
	}
	path := func(p *types.Package) string { return p.Path() }
	return types.TypeString(a, path) == types.TypeString(b, path)
}

func render(ts []types.Type) string {
	var s []string
	for _, t := range ts {
		s = append(s, types.TypeString(t, qualifier))
	}
	return "func(" + strings.Join(s, ", ") + ")"
}

func qualifier(p *types.Package) string { return p.Name() }

// callType finds hook.Call among the imports of a hook package.
func callType(pkg *types.Package) types.Type {
	var find func(p *types.Package, seen map[*types.Package]bool) types.Type
	find = func(p *types.Package, seen map[*types.Package]bool) types.Type {
		if seen[p] {
			return nil
		}
		seen[p] = true
		if p.Path() == HookAPI {
			if tn, ok := p.Scope().Lookup("Call").(*types.TypeName); ok {
				return tn.Type()
			}
			return nil
		}
		for _, imp := range p.Imports() {
			if t := find(imp, seen); t != nil {
				return t
			}
		}
		return nil
	}
	return find(pkg, map[*types.Package]bool{})
}

// RegisterFile renders the file that binds hooks in one main package. hooks
// are those whose target is in that program.
func RegisterFile(main *packages.Package, hooks []*rewrite.Hook) (path string, src []byte, ruleIDs []string, err error) {
	paths := map[string]bool{}
	for _, h := range hooks {
		for _, ref := range []rules.HookRef{h.Rule.Before, h.Rule.After} {
			if !ref.IsZero() {
				paths[ref.Package] = true
			}
		}
	}
	sorted := slices.Sorted(maps.Keys(paths))
	local := map[string]string{}
	var imports []templates.Import
	for i, p := range sorted {
		local[p] = "otelgen_h" + strconv.Itoa(i)
		imports = append(imports, templates.Import{Name: local[p], Path: p})
	}
	var bs []*templates.Binding
	for _, h := range hooks {
		b := &templates.Binding{RuleID: h.Rule.ID, Ident: h.Tmpl.Ident, FuncName: h.Tmpl.FuncName, Local: h.Pkg.ID == main.ID}
		if r := h.Rule.Before; !r.IsZero() {
			b.Before.Name = local[r.Package] + "." + r.Name
		}
		if r := h.Rule.After; !r.IsZero() {
			b.After.Name = local[r.Package] + "." + r.Name
		}
		bs = append(bs, b)
		ruleIDs = append(ruleIDs, h.Rule.ID)
	}
	slices.SortFunc(bs, func(a, b *templates.Binding) int { return strings.Compare(a.RuleID, b.RuleID) })
	slices.Sort(ruleIDs)
	src, err = templates.RegisterFile(imports, bs)
	if err != nil {
		return "", nil, nil, fmt.Errorf("register file: %w", err)
	}
	return filepath.Join(main.Dir, RegisterFileName), src, ruleIDs, nil
}

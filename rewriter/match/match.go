// Package match is the second stage of the pipeline: it pairs rules with the
// packages of the loaded program, checking version constraints. It reads no
// Go source either; the rewrite stage finds functions and types by name.
package match

import (
	"cmp"
	"fmt"
	"go/version"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/tools/go/packages"
)

// Match is a rule that applies to a package of the build.
type Match struct {
	Rule *rules.Rule
	Pkg  *packages.Package
}

// Miss is a rule that did not apply, and why.
type Miss struct {
	Rule   *rules.Rule
	Reason string
}

// Result is what the match stage found.
type Result struct {
	Matches []*Match // sorted by package ID, then rule order, then rule id
	Misses  []*Miss  // sorted by rule id
}

// ByPackage groups the matches by package ID, in the stage's order.
func (r *Result) ByPackage() (ids []string, m map[string][]*Match) {
	m = map[string][]*Match{}
	for _, x := range r.Matches {
		if _, ok := m[x.Pkg.ID]; !ok {
			ids = append(ids, x.Pkg.ID)
		}
		m[x.Pkg.ID] = append(m[x.Pkg.ID], x)
	}
	return ids, m
}

// Run matches every rule of set against the packages in prog's build.
//
// The program is its packages and, since the main packages import the hook
// packages of the rules that apply, those hook packages and everything they
// import: matching repeats until that set stops growing. prog.InBuild is
// updated to the final set.
func Run(prog *load.Program, set *rules.Set) *Result {
	linked := linkedOptions(prog, set)
	for {
		res := runOnce(prog, set, linked)
		grew := false
		for _, m := range res.Matches {
			for _, h := range m.Rule.HookPackages() {
				hp := prog.ByPath(h)
				if hp == nil || prog.InBuild[hp.ID] {
					continue
				}
				for id := range load.Deps(hp) {
					if !prog.InBuild[id] {
						prog.InBuild[id] = true
						grew = true
					}
				}
			}
		}
		if !grew {
			return res
		}
	}
}

// linkedOptions returns, for each option of rules.Options, why it is linked
// ("" when it is not): otelgen.yaml lists it, or the program itself, before
// otelgen adds anything, links the option's package.
func linkedOptions(prog *load.Program, set *rules.Set) map[string]string {
	out := map[string]string{}
	for name, pkg := range rules.Options {
		if slices.Contains(set.Link, name) {
			out[name] = "otelgen.yaml links it"
			continue
		}
		for id := range prog.InBuild {
			if prog.All[id].PkgPath == pkg {
				out[name] = "the program links " + pkg
				break
			}
		}
	}
	return out
}

func runOnce(prog *load.Program, set *rules.Set, linked map[string]string) *Result {
	byPath := map[string][]*packages.Package{}
	for id := range prog.InBuild {
		p := prog.All[id]
		byPath[p.PkgPath] = append(byPath[p.PkgPath], p)
	}
	res := &Result{}
	for _, r := range set.Rules {
		if !r.Go.IsZero() && !r.Go.Match(prog.Env.GOVERSION) {
			res.Misses = append(res.Misses, &Miss{r, fmt.Sprintf("Go %s is outside %q", strings.TrimPrefix(version.Lang(prog.Env.GOVERSION), "go"), r.Go)})
			continue
		}
		if o := unlinked(r, linked); o != "" {
			res.Misses = append(res.Misses, &Miss{r, fmt.Sprintf("option %s (for %s) is not linked: the program does not link %s; to link it, add \"link: [%s]\" to otelgen.yaml", o, rules.OptionUse[o], rules.Options[o], o)})
			continue
		}
		pkgs := byPath[r.Package]
		if r.Package == rules.MainPackages {
			pkgs = prog.Mains()
		}
		if len(pkgs) == 0 {
			res.Misses = append(res.Misses, &Miss{r, fmt.Sprintf("%s is not in the build", r.Package)})
			continue
		}
		matched, missed := len(res.Matches), len(res.Misses)
		for _, p := range pkgs {
			if !r.Version.IsZero() {
				v := ModuleVersion(p)
				if !r.Version.Match(v) {
					if v == "" {
						v = "(no version)"
					}
					res.Misses = append(res.Misses, &Miss{r, fmt.Sprintf("%s %s is outside %q", ModulePath(p), v, r.Version)})
					continue
				}
			}
			if r.Scope() == rules.ScopeCallers {
				// The rule's package is only where its function is: the
				// rule applies to the packages that call it, once.
				for _, c := range callers(prog, r) {
					res.Matches = append(res.Matches, &Match{Rule: r, Pkg: c})
				}
				break
			}
			res.Matches = append(res.Matches, &Match{Rule: r, Pkg: p})
		}
		if r.Scope() == rules.ScopeCallers && len(res.Matches) == matched && len(res.Misses) == missed {
			res.Misses = append(res.Misses, &Miss{r, fmt.Sprintf("no package of the main module imports %s", r.Package)})
		}
	}
	// Rules that are part of a feature (the runtime patch for goroutine-local
	// storage) apply only when a matched rule needs that feature.
	needed := map[string]bool{}
	for _, m := range res.Matches {
		if m.Rule.Feature == "" {
			for _, f := range m.Rule.Needs {
				needed[f] = true
			}
		}
	}
	kept := res.Matches[:0]
	for _, m := range res.Matches {
		if m.Rule.Feature != "" && !needed[m.Rule.Feature] {
			res.Misses = append(res.Misses, &Miss{m.Rule, fmt.Sprintf("no matched rule needs %s", m.Rule.Feature)})
			continue
		}
		kept = append(kept, m)
	}
	res.Matches = kept
	slices.SortStableFunc(res.Matches, func(a, b *Match) int {
		return cmp.Or(strings.Compare(a.Pkg.ID, b.Pkg.ID), cmp.Compare(a.Rule.Order, b.Rule.Order), strings.Compare(a.Rule.ID, b.Rule.ID))
	})
	return res
}

// callers returns the packages of the main module (and of the workspace's
// modules) in the build that import r's package, but for the packages of
// the functions r calls: a wrapper calls what it wraps.
func callers(prog *load.Program, r *rules.Rule) []*packages.Package {
	skip := map[string]bool{r.Package: true}
	for _, ref := range r.Refs() {
		skip[ref.Ref.Package] = true
	}
	var out []*packages.Package
	for id := range prog.InBuild {
		p := prog.All[id]
		if p.Module == nil || !p.Module.Main || skip[p.PkgPath] {
			continue
		}
		if _, ok := p.Imports[r.Package]; ok {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *packages.Package) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// unlinked returns the first option of r that is not linked, or "".
func unlinked(r *rules.Rule, linked map[string]string) string {
	for _, o := range r.Options {
		if linked[o] == "" {
			return o
		}
	}
	return ""
}

// ModuleVersion is the version of the module that provides p: the
// replacement's version when it is replaced by another version, and "" for a
// directory replacement or the main module.
func ModuleVersion(p *packages.Package) string {
	m := p.Module
	if m == nil {
		return ""
	}
	if m.Replace != nil {
		return m.Replace.Version
	}
	return m.Version
}

// ModulePath is the path of the module that provides p, or "std".
func ModulePath(p *packages.Package) string {
	if p.Module == nil {
		return "std"
	}
	return p.Module.Path
}

// Package rewriter runs otelgen's pipeline over a module:
//
//	load   (rewriter/load)    the go command lists packages and files
//	match  (rewriter/match)   rules × packages, with version constraints
//	rewrite(rewriter/rewrite) one package at a time, by splicing source text
//	bind   (rewriter/bind)    hook signatures checked, main packages bind hooks
//	check  (rewriter/typecheck) every rewritten package type-checked
//	emit   (rewriter/emit)    the _otel/ tree, its lock, diff and overlay
//
// It never imports the OpenTelemetry SDK.
package rewriter

import (
	"bytes"
	"errors"
	"fmt"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/otelgen/otelgen/rewriter/bind"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rewriter/match"
	"github.com/otelgen/otelgen/rewriter/rewrite"
	"github.com/otelgen/otelgen/rewriter/typecheck"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/tools/go/packages"
)

// ConfigFile is a module's own rule file, at its root.
const ConfigFile = "otelgen.yaml"

// Options control a run.
type Options struct {
	Dir      string   // any directory inside the module
	Patterns []string // default ./...
	Version  string   // otelgen's version, recorded in the lock
	// Explain keeps going past rules that do not apply (a missing function,
	// a hook that does not fit), recording them in Result.Problems, and
	// stops before type-checking and emitting.
	Explain bool
}

// Problem is a rule that matched a package but could not be applied.
type Problem struct {
	Rule *rules.Rule
	Pkg  string
	Err  error
}

// InputError is a problem with what the user gave otelgen: a rule file, a
// hook, a package pattern. The CLI exits 2 for it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputErr(err error) error {
	if err == nil {
		return nil
	}
	return &InputError{err}
}

// Result is a generated tree and what it needs.
type Result struct {
	Inputs string // the inputs digest, for emit.State
	Env    *load.Env
	Tree   emit.Tree
	Lock   emit.Lock
	Places emit.Places
	Files  []*emit.File
	Match  *match.Result
	Set    *rules.Set
	// Hooks are the hook rules bound to functions, and Problems the rules
	// that could not be; Problems is filled only with Options.Explain.
	Hooks    []*rewrite.Hook
	Problems []Problem
}

// RuleSet reads the built-in rules and the module's otelgen.yaml.
func RuleSet(root string) (*rules.Set, error) {
	builtin, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	var cfg *rules.Config
	name := filepath.Join(root, ConfigFile)
	if data, err := os.ReadFile(name); err == nil {
		cfg, err = rules.ParseConfig(ConfigFile, data, func(rel string) ([]byte, error) {
			return os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		})
		if err != nil {
			return nil, inputErr(err)
		}
	}
	set, err := rules.Load(builtin, cfg, ConfigFile)
	return set, inputErr(err)
}

// Generate runs the pipeline and returns the tree that _otel/ should hold.
// It writes nothing.
func Generate(opt Options) (*Result, error) {
	env, err := load.ReadEnv(opt.Dir)
	if err != nil {
		return nil, inputErr(err)
	}
	root := env.Root()
	set, err := RuleSet(root)
	if err != nil {
		return nil, err
	}
	patterns := opt.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	inputs, err := InputsDigest(env, opt.Version, set.Digest(), patterns)
	if err != nil {
		return nil, err
	}
	hookPkgs := map[string]bool{bind.HookAPI: true}
	for _, r := range set.Rules {
		for _, h := range []rules.HookRef{r.Before, r.After} {
			if !h.IsZero() {
				hookPkgs[h.Package] = true
			}
		}
	}
	var extra []string
	for p := range hookPkgs {
		extra = append(extra, p)
	}
	sort.Strings(extra)

	lopt := load.Options{Dir: root, Patterns: patterns, Extra: extra, Env: env}
	prog, err := load.Load(lopt)
	if err != nil {
		return nil, inputErr(err)
	}
	// Hook packages that the module cannot resolve yet (otelgen's own
	// dependencies missing from go.mod or go.sum) are resolved in a copy of
	// go.mod, which then goes into _otel/ as the go.mod the build sees.
	var goMod, goSum []byte
	if errs := prog.ExtraErrors(); len(errs) > 0 && !prog.Vendor {
		tmp, err := os.MkdirTemp("", "otelgen-modfile-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		modfile := filepath.Join(tmp, "go.mod")
		origMod, _ := os.ReadFile(filepath.Join(root, "go.mod"))
		origSum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
		os.WriteFile(modfile, origMod, 0o644)
		os.WriteFile(filepath.Join(tmp, "go.sum"), origSum, 0o644)
		lopt.ModFile = modfile
		if prog, err = load.Load(lopt); err != nil {
			return nil, inputErr(err)
		}
		newMod, _ := os.ReadFile(modfile)
		newSum, _ := os.ReadFile(filepath.Join(tmp, "go.sum"))
		if !bytes.Equal(newMod, origMod) || !bytes.Equal(newSum, origSum) {
			goMod, goSum = newMod, newSum
		}
	}

	res := &Result{Set: set, Inputs: inputs, Env: env, Places: emit.Places{Root: root, GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE}}
	res.Match = match.Run(prog, set)
	if err := hookLoadErrors(prog, res.Match); err != nil {
		return nil, inputErr(err)
	}

	u := typecheck.New(prog.All)
	ids, byPkg := res.Match.ByPackage()
	var files []*rewrite.File
	var hooks []*rewrite.Hook
	for _, id := range ids {
		pkg := prog.All[id]
		tpkg, err := u.Package(id)
		if err != nil {
			return nil, err
		}
		ms := byPkg[id]
		r, err := rewrite.Package(pkg, ms, tpkg)
		if err != nil && opt.Explain {
			// Find the rules at fault, and go on with the others.
			var ok []*match.Match
			for _, m := range ms {
				if _, err := rewrite.Package(pkg, []*match.Match{m}, tpkg); err != nil {
					res.Problems = append(res.Problems, Problem{m.Rule, pkg.PkgPath, err})
				} else {
					ok = append(ok, m)
				}
			}
			r, err = rewrite.Package(pkg, ok, tpkg)
		}
		if err != nil {
			return nil, inputErr(err)
		}
		files = append(files, r.Files...)
		hooks = append(hooks, r.Hooks...)
	}

	byPath := map[string]*packages.Package{}
	for _, p := range prog.All {
		byPath[p.PkgPath] = p
	}
	loadByPath := func(path string) (*types.Package, error) {
		p, ok := byPath[path]
		if !ok {
			return nil, fmt.Errorf("not loaded")
		}
		return u.Package(p.ID)
	}
	checked := hooks[:0]
	for _, h := range hooks {
		if err := bind.Check(h, loadByPath); err != nil {
			if !opt.Explain {
				return nil, inputErr(err)
			}
			res.Problems = append(res.Problems, Problem{h.Rule, h.Pkg.PkgPath, err})
			continue
		}
		checked = append(checked, h)
	}
	hooks = checked
	res.Hooks = hooks
	if opt.Explain {
		return res, nil
	}
	for _, m := range prog.Mains() {
		// The main package's program: its imports, and the hook packages it
		// will import for the hooks on them, to a fixed point.
		deps := load.Deps(m)
		for grew := true; grew; {
			grew = false
			for _, h := range hooks {
				if !deps[h.Pkg.ID] {
					continue
				}
				for _, ref := range []rules.HookRef{h.Rule.Before, h.Rule.After} {
					if hp := prog.ByPath(ref.Package); hp != nil && !deps[hp.ID] {
						for id := range load.Deps(hp) {
							deps[id] = true
						}
						grew = true
					}
				}
			}
		}
		var mine []*rewrite.Hook
		for _, h := range hooks {
			if deps[h.Pkg.ID] {
				mine = append(mine, h)
			}
		}
		if len(mine) == 0 {
			continue
		}
		path, src, ids, err := bind.RegisterFile(m, mine)
		if err != nil {
			return nil, err
		}
		files = append(files, &rewrite.File{Pkg: m, Path: path, Output: src, Rules: ids})
	}

	if err := checkTypes(u, files); err != nil {
		return nil, err
	}

	res.Lock = emit.Lock{
		Otelgen:     opt.Version,
		Go:          env.GOVERSION,
		RulesDigest: set.Digest(),
		Vendor:      prog.Vendor,
		Patterns:    patterns,
	}
	replaced := map[string]bool{}
	for _, f := range files {
		logical, modVer, err := logicalPath(prog, env, f)
		if err != nil {
			return nil, inputErr(err)
		}
		if modVer != "" && !prog.Vendor {
			replaced[modVer] = true
		}
		res.Files = append(res.Files, &emit.File{Logical: logical, Original: f.Original, Output: f.Output, Rules: f.Rules})
	}
	for mv := range replaced {
		res.Lock.Replaced = append(res.Lock.Replaced, mv)
	}
	sort.Strings(res.Lock.Replaced)
	if len(res.Lock.Replaced) > 0 || goMod != nil {
		origMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
		if err != nil {
			return nil, err
		}
		origSum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
		if goMod == nil {
			goMod, goSum = origMod, origSum
		}
		goMod = withReplaces(goMod, res.Lock.Replaced)
		res.Lock.GoMod = &emit.ModRecord{GoModSHA256: emit.Hash(origMod), GoSumSHA256: emit.Hash(origSum)}
	}
	res.Tree, err = emit.Build(&res.Lock, res.Files, goMod, goSum)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// withReplaces appends to go.mod a replace directive for every rewritten
// module version, pointing at its folder in _otel/mod/.
func withReplaces(goMod []byte, mods []string) []byte {
	if len(mods) == 0 {
		return goMod
	}
	var b bytes.Buffer
	b.Write(goMod)
	if !bytes.HasSuffix(goMod, []byte("\n")) {
		b.WriteByte('\n')
	}
	b.WriteString("\n// Added by otelgen: these dependencies have rewritten files in _otel/mod/.\nreplace (\n")
	for _, mv := range mods {
		mod, ver, _ := strings.Cut(mv, "@")
		fmt.Fprintf(&b, "\t%s %s => ./%s/mod/%s\n", mod, ver, emit.Dir, mv)
	}
	b.WriteString(")\n")
	return b.Bytes()
}

// hookLoadErrors reports hook packages that did not load, for rules that
// matched.
func hookLoadErrors(prog *load.Program, m *match.Result) error {
	errs := prog.ExtraErrors()
	var out []string
	seen := map[string]bool{}
	for _, x := range m.Matches {
		for _, side := range []string{"before", "after"} {
			ref := x.Rule.Before
			if side == "after" {
				ref = x.Rule.After
			}
			if ref.IsZero() || seen[ref.Package] || len(errs[ref.Package]) == 0 {
				continue
			}
			seen[ref.Package] = true
			msg := x.Rule.Errorf(side, "hook package %s does not load: %s", ref.Package, strings.Join(errs[ref.Package], "; ")).Error()
			if prog.Vendor {
				msg += "\n\tIn vendor mode the hook packages must be vendored: add otelgen as a tool" +
					"\n\t(go get -tool github.com/otelgen/otelgen/cmd/otelgen), which brings them, then run go mod vendor;" +
					"\n\tor turn the rule off with disable: [" + x.Rule.ID + "] in otelgen.yaml."
			}
			out = append(out, msg)
		}
	}
	if len(out) > 0 {
		return errors.New(strings.Join(out, "\n"))
	}
	return nil
}

// checkTypes type-checks every package that has a rewritten or added file. A
// rewrite that would not compile is a bug of otelgen's or of a rule; either
// way nothing is written.
func checkTypes(u *typecheck.Universe, files []*rewrite.File) error {
	byPkg := map[string][]typecheck.Source{}
	var ids []string
	for _, f := range files {
		if _, ok := byPkg[f.Pkg.ID]; !ok {
			ids = append(ids, f.Pkg.ID)
		}
		byPkg[f.Pkg.ID] = append(byPkg[f.Pkg.ID], typecheck.Source{Name: f.Path, Data: f.Output})
	}
	sort.Strings(ids)
	var msgs []string
	for _, id := range ids {
		errs, err := u.Check(id, byPkg[id])
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			// The original may not check cleanly under go/types
			// (cgo, for one): only new errors count.
			before, _ := u.Check(id, nil)
			old := map[string]bool{}
			for _, e := range before {
				old[e] = true
			}
			for _, e := range errs {
				if !old[e] {
					msgs = append(msgs, e)
				}
			}
		}
	}
	if len(msgs) > 0 {
		return fmt.Errorf("the rewritten code does not type-check, so nothing was written:\n\t%s", strings.Join(msgs, "\n\t"))
	}
	return nil
}

// logicalPath names a file of the rewritten program by its origin. For a file
// of a module dependency it also returns "module@version".
func logicalPath(prog *load.Program, env *load.Env, f *rewrite.File) (logical, modVer string, err error) {
	rel := func(base, p string) (string, bool) {
		r, err := filepath.Rel(base, p)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return "", false
		}
		return r, true
	}
	if prog.IsStd(f.Pkg) {
		r, _ := rel(filepath.Join(env.GOROOT, "src"), f.Path)
		return emit.StdPath(r), "", nil
	}
	m := f.Pkg.Module
	if m == nil {
		return "", "", fmt.Errorf("%s: package %s belongs to no module", f.Path, f.Pkg.PkgPath)
	}
	if m.Main {
		r, _ := rel(env.Root(), f.Path)
		return emit.MainPath(r), "", nil
	}
	path, ver := m.Path, m.Version
	if prog.Vendor {
		r, ok := rel(filepath.Join(env.Root(), "vendor", filepath.FromSlash(path)), f.Path)
		if !ok {
			return "", "", fmt.Errorf("%s is not where vendor/modules.txt puts %s", f.Path, path)
		}
		return emit.ModPath(path, ver, r), path + "@" + ver, nil
	}
	dir := m.Dir
	if m.Replace != nil {
		if m.Replace.Version == "" {
			// Replaced by a directory: its files are not in the
			// module cache, so the overlay can name them.
			if r, ok := rel(env.Root(), f.Path); ok {
				return emit.MainPath(r), "", nil
			}
			return "", "", fmt.Errorf("%s: rules on module %s, replaced by a directory outside the main module, are not supported", f.Path, m.Path)
		}
		return "", "", fmt.Errorf("%s: rules on module %s, replaced by %s@%s, are not supported yet", f.Path, m.Path, m.Replace.Path, m.Replace.Version)
	}
	r, ok := rel(dir, f.Path)
	if !ok {
		return "", "", fmt.Errorf("%s is not in module %s@%s", f.Path, path, ver)
	}
	return emit.ModPath(path, ver, r), path + "@" + ver, nil
}

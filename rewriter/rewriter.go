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
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/otelgen/otelgen/rewriter/bind"
	"github.com/otelgen/otelgen/rewriter/directive"
	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rewriter/match"
	"github.com/otelgen/otelgen/rewriter/rewrite"
	"github.com/otelgen/otelgen/rewriter/typecheck"
	"github.com/otelgen/otelgen/rules"
	"github.com/otelgen/otelgen/templates"
	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"
)

// ConfigFile is a module's own rule file, at its root.
const ConfigFile = "otelgen.yaml"

// Options control a run.
type Options struct {
	Dir      string   // any directory inside the module
	Patterns []string // default ./...
	Version  string   // otelgen's version, recorded in the lock
	// Platforms are GOOS/GOARCH pairs to cover, as in "linux/amd64"; none
	// means the host's.
	Platforms []string
	// Explain keeps going past rules that do not apply (a missing function,
	// a hook that does not fit), recording them in Result.Problems, and
	// stops before type-checking and emitting.
	Explain bool
	// Context stops the run when it is done: the go command is stopped,
	// and Generate returns the context's error. nil means never.
	Context context.Context
	// Progress, when set, is told each stage as it begins, as in
	// "loading packages (go list)" or "type-checking 412 packages".
	Progress func(stage string)
	// Env is what the go command said in Dir (load.ReadEnv), when the
	// caller has asked already, as Fresh does; nil: Generate asks.
	Env *load.Env
}

func (o *Options) context() context.Context {
	if o.Context == nil {
		return context.Background()
	}
	return o.Context
}

func (o *Options) progress(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

// forPlatform names a platform in a progress line: "" for the host's.
func forPlatform(name string) string {
	if name == "" {
		return ""
	}
	return " for " + name
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
	// Notes are what explain should tell about the build besides rules.
	Notes []string
}

// pluginNote is the note for a program that imports package plugin.
const pluginNote = "This program loads Go plugins (it imports package plugin). Build every plugin it loads with the same" +
	"\n-overlay=$PWD/_otel/overlay.json, or plugin.Open fails with \"plugin was built with a different version of package ...\":" +
	"\n\tgo build -buildmode=plugin -overlay=$PWD/_otel/overlay.json ./yourplugin"

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
	if err != nil {
		return nil, inputErr(err)
	}
	declared, err := rules.BuiltinSettings()
	if err != nil {
		return nil, err
	}
	set, err = set.Configure(declared, cfg)
	return set, inputErr(err)
}

// Generate runs the pipeline and returns the tree that _otel/ should hold.
// It writes nothing. A failure of the go command that otelgen recognises
// comes back as a *load.GoError, which says why and what fixes it.
func Generate(opt Options) (*Result, error) {
	res, env, err := generate(opt)
	if cerr := opt.context().Err(); cerr != nil {
		return nil, cerr // whatever failed, it failed because of that
	}
	if err != nil {
		root, gomodcache := moduleRoot(opt.Dir), ""
		if env != nil {
			root, gomodcache = env.Root(), env.GOMODCACHE
		}
		return nil, load.Explain(err, root, gomodcache)
	}
	return res, nil
}

// moduleRoot is the directory of the go.mod at or above dir, or dir.
func moduleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

func generate(opt Options) (*Result, *load.Env, error) {
	env := opt.Env
	if env == nil {
		var err error
		if env, err = load.ReadEnv(opt.Dir); err != nil {
			return nil, nil, inputErr(err)
		}
	}
	res, err := generateIn(opt, env)
	return res, env, err
}

func generateIn(opt Options, env *load.Env) (*Result, error) {
	root := env.Root()
	set, err := RuleSet(root)
	if err != nil {
		return nil, err
	}
	patterns := opt.Patterns
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	platforms, err := ParsePlatforms(opt.Platforms)
	if err != nil {
		return nil, inputErr(err)
	}
	inputs, err := InputsDigest(env, opt.Version, set.Digest(), append(patterns, platforms...))
	if err != nil {
		return nil, err
	}
	res := &Result{Set: set, Inputs: inputs, Env: env, Places: emit.Places{Root: root, GOROOT: env.GOROOT, GOMODCACHE: env.GOMODCACHE}}

	// The types of dependencies, and the verdicts of checks, from
	// earlier runs of any module on this machine: see typecheck.Cache.
	// What this run adds is written when it ends.
	cache := typecheck.OpenCache()
	defer cache.Close()

	// Each platform is loaded, matched and rewritten on its own: build
	// constraints pick other files, and other packages.
	var plats []*platform
	if len(platforms) == 0 {
		platforms = []string{""} // the host's
	}
	for _, name := range platforms {
		p, err := generatePlatform(opt, env, cache, set, patterns, name, res)
		if err != nil {
			return nil, err
		}
		plats = append(plats, p)
		if opt.Explain {
			return res, nil
		}
	}

	// The union over platforms: the same file must come out the same.
	byPath := map[string]*rewrite.File{}
	var files []*rewrite.File
	for _, p := range plats {
		for _, f := range p.files {
			if old, ok := byPath[f.Path]; ok {
				if !bytes.Equal(old.Output, f.Output) {
					return nil, fmt.Errorf("%s comes out differently for platforms %s and %s", f.Path, plats[0].label(), p.label())
				}
				continue
			}
			byPath[f.Path] = f
			files = append(files, f)
		}
	}
	// One file per main package binds the hooks of every platform's
	// program; a binding for a target that a platform lacks is harmless.
	regs, err := registerFiles(plats)
	if err != nil {
		return nil, err
	}
	for _, p := range plats {
		opt.progress("type-checking the rewritten packages%s", forPlatform(p.name))
		pfiles := append(append([]*rewrite.File(nil), p.files...), regs...)
		if err := checkTypes(opt.context(), p.u, p.prog, set, pfiles); err != nil {
			if p.name != "" {
				err = fmt.Errorf("for %s: %w", p.name, err)
			}
			return nil, err
		}
	}
	files = append(files, regs...)
	// Nothing reads or adds to the cache from here on: write what this
	// run added while the tree is made.
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		cache.Close()
	}()
	defer func() { <-closed }()

	var goMod, goSum []byte
	for _, p := range plats {
		if p.goMod == nil {
			continue
		}
		if goMod != nil && (!bytes.Equal(goMod, p.goMod) || !bytes.Equal(goSum, p.goSum)) {
			return nil, fmt.Errorf("the injected code needs different requirements for platforms %s and %s", plats[0].label(), p.label())
		}
		goMod, goSum = p.goMod, p.goSum
	}

	prog := plats[0].prog
	res.Lock = emit.Lock{
		Otelgen:     opt.Version,
		Go:          env.GOVERSION,
		RulesDigest: set.Digest(),
		Vendor:      prog.Vendor,
		Patterns:    patterns,
	}
	if platforms[0] != "" {
		res.Lock.Platforms = platforms
	}
	var byPlatform [][]string
	for _, p := range plats {
		res.Lock.HookPackages = append(res.Lock.HookPackages, hookPackagesOf(p.prog)...)
		lines, err := platformLines(set, fromProgram(p.prog))
		if err != nil {
			return nil, err
		}
		byPlatform = append(byPlatform, lines)
	}
	slices.Sort(res.Lock.HookPackages)
	res.Lock.HookPackages = slices.Compact(res.Lock.HookPackages)
	res.Lock.TargetsDigest = digestLines(byPlatform, platforms, prog.Vendor, env.Workspace())
	replaced := map[string]bool{}
	for _, p := range plats {
		for _, pkg := range p.prog.All {
			if m := pkg.Module; m != nil && m.Main && m.Dir != root && p.prog.InBuild[pkg.ID] {
				r, err := filepath.Rel(root, m.Dir)
				if err != nil {
					return nil, err
				}
				if res.Lock.Workspace == nil {
					res.Lock.Workspace = map[string]string{}
				}
				res.Lock.Workspace[m.Path] = filepath.ToSlash(r)
			}
		}
	}
	for _, f := range files {
		logical, modVer, err := logicalPath(prog, env, f)
		if err != nil {
			return nil, inputErr(err)
		}
		if modVer != "" && !prog.Vendor {
			replaced[modVer] = true
		}
		if from, _ := emit.Origin(logical); from == emit.FromWork {
			// A module that go.mod replaces with a directory outside
			// the module root is read from there, like a workspace's.
			m := f.Pkg.Module
			if _, ok := res.Lock.Workspace[m.Path]; !ok {
				r, err := filepath.Rel(root, m.Dir)
				if err != nil {
					return nil, err
				}
				if res.Lock.Workspace == nil {
					res.Lock.Workspace = map[string]string{}
				}
				res.Lock.Workspace[m.Path] = filepath.ToSlash(r)
			}
		}
		res.Files = append(res.Files, &emit.File{Logical: logical, Original: f.Original, Output: f.Output, Rules: f.Rules, Injections: f.Injections})
	}
	res.Lock.Replaced = slices.Sorted(maps.Keys(replaced))
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

// platform is one GOOS/GOARCH's run of the pipeline.
type platform struct {
	name         string // "linux/amd64", or "" for the host's
	prog         *load.Program
	u            *typecheck.Universe
	files        []*rewrite.File // without the main packages' register files
	hooks        []*rewrite.Hook
	goMod, goSum []byte // the go.mod the build must see, when otelgen changes it
}

func (p *platform) label() string {
	if p.name == "" {
		return "the host's"
	}
	return p.name
}

// ParsePlatforms checks a list of GOOS/GOARCH pairs, as in
// "linux/amd64,darwin/arm64", and returns them sorted.
func ParsePlatforms(list []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, item := range list {
		for _, p := range strings.Split(item, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			goos, goarch, ok := strings.Cut(p, "/")
			if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
				return nil, fmt.Errorf("platform %q: want GOOS/GOARCH, as in linux/amd64", p)
			}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// generatePlatform loads, matches, rewrites and binds for one platform.
func generatePlatform(opt Options, env *load.Env, cache *typecheck.Cache, set *rules.Set, patterns []string, name string, res *Result) (*platform, error) {
	// The hook packages of the module's own rules load from the start;
	// those of a built-in integration once one of its rules matches, since
	// the build gets the integration's module only then. Their imports are
	// part of the program and can make more rules match: load and match
	// until the set of hook packages stops growing, starting from the last
	// run's set when there was one (see nextHooks).
	base := map[string]bool{bind.HookAPI: true}
	for _, r := range set.Rules {
		for _, h := range r.HookPackages() {
			if rules.IntegrationModule(h) == "" {
				base[h] = true
			}
		}
	}
	goos, goarch := env.GOOS, env.GOARCH
	if name != "" {
		goos, goarch, _ = strings.Cut(name, "/")
	}
	salt := typecheck.Salt(env.GOVERSION, goos, goarch, env.GOFLAGS, env.CGOENABLED)
	note := hookNote(salt, env.Root(), name, patterns, set)
	allowed := allowedHooks(set, base)
	hookPkgs, guessed := base, false
	importsOf := integrationImports(env.Root(), env.GOMODCACHE, opt.Version)
	if guess := guessHooks(cache, note, env, patterns); guess != nil {
		hookPkgs = predictHooks(base, allowed, guess)
		guessed = !maps.Equal(hookPkgs, base)
	} else {
		// No run to go by: every program gets the SDK's start, and the
		// module's imports get their integrations, with what they reach.
		// That saves the first load of growing.
		hookPkgs = firstGuess(set, base, allowed, moduleImports(env.Root(), opt.Dir, patterns), importsOf)
		guessed = !maps.Equal(hookPkgs, base)
	}
	importsGuessed, shrunk := false, false
	plat := &platform{name: name}
	var prog *load.Program
	var m *match.Result
	for {
		var err error
		if prog, err = loadPlatform(opt, env, patterns, name, hookPkgs, plat); err != nil {
			if guessed && opt.context().Err() == nil {
				// A guess must not fail a run that would succeed
				// without it: start again as if there were none.
				hookPkgs, guessed = base, false
				continue
			}
			return nil, err
		}
		// The directives in the program's own code are rules too.
		spans, err := directive.Find(prog)
		if err != nil {
			return nil, inputErr(err)
		}
		m = match.Run(prog, set.With(spans))
		need := maps.Clone(base)
		for _, x := range m.Matches {
			for _, h := range x.Rule.HookPackages() {
				need[h] = true
			}
		}
		next := nextHooks(hookPkgs, need, guessed)
		if next == nil {
			if next = shrinkHooks(hookPkgs, need, shrunk); next == nil {
				break
			}
			shrunk = true
			hookPkgs, guessed = next, true
			continue
		}
		guessed = false
		if !importsGuessed {
			// Once: what the hook packages to load import directly
			// may make more rules match; load their hook packages too.
			importsGuessed = true
			if g := importGuess(next, set, allowed, importsOf); len(g) > len(next) {
				next, guessed = g, true
			}
		}
		hookPkgs = next
	}
	rememberHooks(cache, note, hookPkgs)
	plat.prog = prog
	if res.Match == nil {
		res.Match = m
	}
	if p := prog.ByPath("plugin"); p != nil && prog.InBuild[p.ID] && !slices.Contains(res.Notes, pluginNote) {
		res.Notes = append(res.Notes, pluginNote)
	}
	if err := hookLoadErrors(prog, m); err != nil {
		return nil, inputErr(err)
	}
	opt.progress("type-checking %d packages%s", len(prog.InBuild), forPlatform(name))

	ids, byPkg := m.ByPackage()
	u := typecheck.New(prog.All, prog.GOARCH())
	u.UseCache(cache, salt, ids, env.GOROOT, env.GOMODCACHE)
	plat.u = u
	// Rewrites from the cache (see results.go): their hooks are bound
	// already, and their packages need no check from source, so that
	// their types can come from export data, as any dependency's.
	build := opt.Version + " " + develBuild(opt.Version)
	keys := map[string]string{}
	cached := map[string]*rewrite.Result{}
	var misses []string
	for _, id := range ids {
		if !opt.Explain && len(prog.All[id].Errors) == 0 {
			keys[id] = resultKey(u, prog, build, id, byPkg[id])
		}
		if keys[id] != "" {
			if r, ok := loadResult(cache, keys[id], prog.All[id], byPkg[id]); ok {
				cached[id] = r
				continue
			}
		}
		misses = append(misses, id)
	}
	u.SetSource(misses)
	for _, p := range prog.Extra {
		u.Whole(p.ID)
	}
	addedCode(u, prog, misses, byPkg)
	for _, id := range misses {
		u.Keep(id, targetNames(byPkg[id])...)
	}
	// Check every package to rewrite, and the hook packages that binding
	// and the check of the output need, at once, so that the checks of
	// all their dependencies share the cores; the loop below takes each
	// check's result in turn.
	var warming sync.WaitGroup
	defer warming.Wait()
	hooks := map[string]bool{}
	for _, id := range misses {
		warming.Go(func() { u.Source(id) })
		for _, m := range byPkg[id] {
			for _, path := range m.Rule.HookPackages() {
				if p := prog.ByPath(path); p != nil && !hooks[p.ID] {
					hooks[p.ID] = true
					warming.Go(func() { u.Package(p.ID) })
				}
			}
		}
	}
	loadByPath := func(path string) (*types.Package, error) {
		p := prog.ByPath(path)
		if p == nil {
			return nil, fmt.Errorf("not loaded")
		}
		return u.Package(p.ID)
	}
	// Rewrites made now are saved once their hooks are bound.
	bound := map[*rewrite.Hook]bool{}
	var toSave []func()
	for _, id := range ids {
		if err := opt.context().Err(); err != nil {
			return nil, err
		}
		pkg := prog.All[id]
		if len(pkg.Errors) > 0 {
			var msgs []string
			for _, e := range pkg.Errors {
				msgs = append(msgs, e.Error())
			}
			return nil, inputErr(byPkg[id][0].Rule.Errorf("package", "%s does not load: %s", pkg.PkgPath, strings.Join(msgs, "; ")))
		}
		ms := byPkg[id]
		key := keys[id]
		if r := cached[id]; r != nil {
			plat.files = append(plat.files, r.Files...)
			for _, h := range r.Hooks {
				bound[h] = true
			}
			plat.hooks = append(plat.hooks, r.Hooks...)
			continue
		}
		tpkg, err := u.Source(id)
		if err != nil {
			// An import that cannot be resolved is the module's to fix:
			// name the rule that needs the package.
			if ie := (*typecheck.ImportError)(nil); errors.As(err, &ie) {
				return nil, inputErr(byPkg[id][0].Rule.Errorf("package", "%v", err))
			}
			return nil, err
		}
		parsed := &rewrite.Parsed{Fset: u.Fset, Files: u.Syntax(id), Short: true, Texts: u.Texts(id)}
		r, err := rewrite.Package(pkg, ms, tpkg, loadByPath, parsed)
		if err != nil && opt.Explain {
			// Find the rules at fault, and go on with the others.
			var ok []*match.Match
			for _, m := range ms {
				if _, err := rewrite.Package(pkg, []*match.Match{m}, tpkg, loadByPath, parsed); err != nil {
					res.Problems = append(res.Problems, Problem{m.Rule, pkg.PkgPath, err})
				} else {
					ok = append(ok, m)
				}
			}
			r, err = rewrite.Package(pkg, ok, tpkg, loadByPath, parsed)
		}
		if err != nil {
			return nil, inputErr(err)
		}
		plat.files = append(plat.files, r.Files...)
		plat.hooks = append(plat.hooks, r.Hooks...)
		if key != "" {
			toSave = append(toSave, func() { saveResult(cache, key, pkg, r) })
		}
	}

	checked := plat.hooks[:0]
	for _, h := range plat.hooks {
		if bound[h] {
			checked = append(checked, h)
			continue
		}
		if err := bind.Check(h, loadByPath); err != nil {
			if !opt.Explain {
				return nil, inputErr(err)
			}
			res.Problems = append(res.Problems, Problem{h.Rule, h.Pkg.PkgPath, err})
			continue
		}
		checked = append(checked, h)
	}
	plat.hooks = checked
	if res.Hooks == nil {
		res.Hooks = checked
	}
	for _, save := range toSave {
		save()
	}
	return plat, nil
}

// addedCode tells u what the rules that rewrite packages ids add to them
// besides hook calls, which name the hook packages, the packages that the
// templates import (Whole), and types that signatures spell: inserted
// statements, added fields' types and files. A rule of another kind makes
// the package's imports Whole.
func addedCode(u *typecheck.Universe, prog *load.Program, ids []string, byPkg map[string][]*match.Match) {
	for _, path := range templates.Imports() {
		if p := prog.ByPath(path); p != nil {
			u.Whole(p.ID)
		}
	}
	for _, id := range ids {
		for _, m := range byPkg[id] {
			switch r := m.Rule; r.Kind {
			case rules.KindHook, rules.KindSpan, rules.KindCall:
			case rules.KindInsert:
				u.AddCode(id, r.Code)
			case rules.KindField:
				u.AddCode(id, r.FieldType)
			case rules.KindFile:
				u.AddFile(id, r.Content)
			default:
				if p := prog.All[id]; p != nil {
					for _, dep := range p.Imports {
						u.Whole(dep.ID)
					}
				}
			}
		}
	}
}

// loadPlatform loads the program and the hook packages. When the hook
// packages need requirements that go.mod lacks (an integration's module,
// otelgen's own dependencies), it loads with a copy of go.mod, which the go
// command completes and which then goes into _otel/ as the go.mod the build
// sees: plat.goMod and plat.goSum. (-modfile does not work in a workspace,
// nor does vendor mode allow new requirements: there the module must require
// them already, and hookLoadErrors says so.)
func loadPlatform(opt Options, env *load.Env, patterns []string, name string, hookPkgs map[string]bool, plat *platform) (*load.Program, error) {
	root := env.Root()
	extra := slices.Sorted(maps.Keys(hookPkgs))
	lopt := load.Options{Dir: root, Patterns: patterns, Extra: extra, Env: env, Platform: name, Context: opt.context()}
	opt.progress("loading packages%s (go list)", forPlatform(name))
	plat.goMod, plat.goSum = nil, nil
	origMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	f, err := modfile.Parse(filepath.Join(root, "go.mod"), origMod, nil)
	if err != nil {
		return nil, inputErr(err)
	}
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil || env.Workspace() {
		prog, err := load.Load(lopt)
		return prog, inputErr(err)
	}
	missing := missingIntegrations(f, hookPkgs)
	if len(missing) == 0 {
		prog, err := load.Load(lopt)
		if err != nil || len(prog.ExtraErrors()) == 0 {
			return prog, inputErr(err)
		}
	}
	var replaces []string
	if len(missing) > 0 {
		src, err := findOtelgen(f, opt.Version)
		if err != nil {
			return nil, inputErr(err)
		}
		if replaces, err = addIntegrations(f, missing, src, root); err != nil {
			return nil, inputErr(err)
		}
	}
	withMods, err := f.Format()
	if err != nil {
		return nil, err
	}
	withMods = replaceBlock(withMods, integrationsComment, replaces)
	tmp, err := os.MkdirTemp("", "otelgen-modfile-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	origSum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
	lopt.ModFile = filepath.Join(tmp, "go.mod")
	if err := os.WriteFile(lopt.ModFile, withMods, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), origSum, 0o644); err != nil {
		return nil, err
	}
	prog, err := load.Load(lopt)
	if err != nil {
		return nil, inputErr(err)
	}
	newMod, _ := os.ReadFile(lopt.ModFile)
	newSum, _ := os.ReadFile(filepath.Join(tmp, "go.sum"))
	// The go command spreads the block of replacements it was given over
	// single directives without their comment: gather them again.
	if newMod, err = regroupReplaces(newMod, integrationsComment, replaces); err != nil {
		return nil, err
	}
	if !bytes.Equal(newMod, origMod) || !bytes.Equal(newSum, origSum) {
		plat.goMod, plat.goSum = newMod, newSum
	}
	return prog, nil
}

// registerFiles renders the file that binds hooks in each main package, from
// the hooks of every platform whose program reaches their targets.
func registerFiles(plats []*platform) ([]*rewrite.File, error) {
	type mainPkg struct {
		pkg   *packages.Package
		hooks []*rewrite.Hook
		seen  map[string]bool
	}
	mains := map[string]*mainPkg{} // by directory
	var dirs []string
	for _, p := range plats {
		for _, m := range p.prog.Mains() {
			mp, ok := mains[m.Dir]
			if !ok {
				mp = &mainPkg{pkg: m, seen: map[string]bool{}}
				mains[m.Dir] = mp
				dirs = append(dirs, m.Dir)
			}
			// The main package's program: its imports, the packages that
			// files added to them import, and the hook packages it will
			// import for the hooks on them, to a fixed point.
			deps := load.Deps(m)
			addDeps := func(path string) bool {
				hp := p.prog.ByPath(path)
				if hp == nil || deps[hp.ID] {
					return false
				}
				for id := range load.Deps(hp) {
					deps[id] = true
				}
				return true
			}
			for grew := true; grew; {
				grew = false
				for _, f := range p.files {
					if f.Original == nil && deps[f.Pkg.ID] {
						for _, imp := range rules.FileImports(f.Output) {
							grew = addDeps(imp) || grew
						}
					}
				}
				for _, h := range p.hooks {
					if !deps[h.Pkg.ID] {
						continue
					}
					for _, ref := range h.Rule.Refs() {
						grew = addDeps(ref.Ref.Package) || grew
					}
				}
			}
			for _, h := range p.hooks {
				key := h.Rule.ID + "\x00" + h.Pkg.PkgPath
				if deps[h.Pkg.ID] && !mp.seen[key] {
					mp.seen[key] = true
					mp.hooks = append(mp.hooks, h)
				}
			}
		}
	}
	slices.Sort(dirs)
	var out []*rewrite.File
	for _, dir := range dirs {
		mp := mains[dir]
		if len(mp.hooks) == 0 {
			continue
		}
		path, src, ids, err := bind.RegisterFile(mp.pkg, mp.hooks)
		if err != nil {
			return nil, err
		}
		out = append(out, &rewrite.File{Pkg: mp.pkg, Path: path, Output: src, Rules: ids,
			Injections: rewrite.AddedFile(emit.InjRegister, bind.RegisterFileName, ids)})
	}
	return out, nil
}

// withReplaces appends to go.mod a replace directive for every rewritten
// module version, pointing at its folder in _otel/mod/.
func withReplaces(goMod []byte, mods []string) []byte {
	var lines []string
	for _, mv := range mods {
		mod, ver, _ := strings.Cut(mv, "@")
		lines = append(lines, fmt.Sprintf("%s %s => ./%s/mod/%s", mod, ver, emit.Dir, mv))
	}
	return replaceBlock(goMod, "Added by otelgen: these dependencies have rewritten files in _otel/mod/.", lines)
}

// hookLoadErrors reports hook packages that did not load, for rules that
// matched.
func hookLoadErrors(prog *load.Program, m *match.Result) error {
	errs := prog.ExtraErrors()
	var out []string
	seen := map[string]bool{}
	for _, x := range m.Matches {
		for _, fr := range x.Rule.Refs() {
			ref := fr.Ref
			if seen[ref.Package] || len(errs[ref.Package]) == 0 {
				continue
			}
			seen[ref.Package] = true
			msg := x.Rule.Errorf(fr.Field, "hook package %s does not load: %s", ref.Package, strings.Join(errs[ref.Package], "; ")).Error()
			mod := rules.IntegrationModule(ref.Package)
			switch {
			case mod != "" && (prog.Env.Workspace() || prog.Vendor):
				// The build can take no requirement that go.mod lacks.
				msg += "\n\tIn a go.work workspace or in vendor mode, the module must require the integration itself:" +
					"\n\tgo get " + mod + "@<the version of " + rules.Module + " it requires>" +
					"\n\tand, for vendor mode, import " + ref.Package + " from a file of the module (such as" +
					"\n\totelgen_generate.go: import _ \"" + ref.Package + "\"), then run go mod vendor;" +
					"\n\tor turn the rule off with disable: [" + x.Rule.ID + "] in otelgen.yaml."
			case prog.Env.Workspace():
				msg += "\n\tIn a go.work workspace the hook packages must be required already: add their module to go.mod;" +
					"\n\tor turn the rule off with disable: [" + x.Rule.ID + "] in otelgen.yaml."
			case prog.Vendor:
				msg += "\n\tIn vendor mode the hook packages must be vendored: require their module, import them from" +
					"\n\ta file of the module, then run go mod vendor;" +
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
// way nothing is written. Function bodies are checked where the rewrite
// changed them: in the functions edited and added. A call rule edits calls
// anywhere in a file, so every body of its files is checked. A field rule
// breaks a struct literal without keys anywhere in the package, so the
// bodies of the files with a literal of the struct are checked, and when the
// field's type may not be comparable, which breaks == of the struct, every
// body of the package.
func checkTypes(ctx context.Context, u *typecheck.Universe, prog *load.Program, set *rules.Set, files []*rewrite.File) error {
	byID := map[string]*rules.Rule{}
	for _, r := range set.Rules {
		byID[r.ID] = r
	}
	byPkg := map[string][]typecheck.Source{}
	origs := map[string][]typecheck.Source{}
	bodies := map[string]*typecheck.Bodies{}
	var ids []string
	for _, f := range files {
		// Files come from every platform's load: find this platform's
		// package of the same path.
		pkg := prog.All[f.Pkg.ID]
		if pkg == nil || pkg.Dir != f.Pkg.Dir {
			continue
		}
		if _, ok := byPkg[pkg.ID]; !ok {
			ids = append(ids, pkg.ID)
			bodies[pkg.ID] = &typecheck.Bodies{}
		}
		b := bodies[pkg.ID]
		src := typecheck.Source{Name: f.Path, Data: f.Output, Original: f.Original}
		for _, inj := range f.Injections {
			switch inj.Kind {
			case emit.InjCall:
				src.Original = nil
			case emit.InjField:
				r := byID[inj.Rule]
				if r == nil || !comparableType(r.FieldType) {
					b.All = true
				} else if !slices.Contains(b.Literals, r.Struct) {
					b.Literals = append(b.Literals, r.Struct)
				}
			}
		}
		byPkg[pkg.ID] = append(byPkg[pkg.ID], src)
		if f.Original != nil {
			origs[pkg.ID] = append(origs[pkg.ID], typecheck.Source{Name: f.Path, Data: f.Original})
		}
	}
	slices.Sort(ids)
	// The packages are checked concurrently (the universe bounds how many
	// checks run at once), and their errors reported in the order of ids.
	newErrs := make([][]string, len(ids))
	fails := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			if fails[i] = ctx.Err(); fails[i] != nil {
				return
			}
			slices.Sort(bodies[id].Literals)
			errs, err := u.Check(id, byPkg[id], *bodies[id])
			if err != nil || len(errs) == 0 {
				fails[i] = err
				return
			}
			// The original may not check cleanly under go/types
			// (cgo, for one): only new errors count.
			before, _ := u.Check(id, origs[id], *bodies[id])
			old := map[string]bool{}
			for _, e := range before {
				old[e] = true
			}
			for _, e := range errs {
				if !old[e] {
					newErrs[i] = append(newErrs[i], e)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	var msgs []string
	for i := range ids {
		if fails[i] != nil {
			return fails[i]
		}
		msgs = append(msgs, newErrs[i]...)
	}
	if len(msgs) > 0 {
		return fmt.Errorf("the rewritten code does not type-check, so nothing was written:\n\t%s", strings.Join(msgs, "\n\t"))
	}
	return nil
}

// comparableType reports whether a field rule's type, as written, is one
// that == always compiles for: a predeclared type but for a few, a pointer,
// a channel, an interface or unsafe.Pointer. Any other may not be.
func comparableType(typ string) bool {
	e, err := parser.ParseExpr(typ)
	if err != nil {
		return false
	}
	switch e := e.(type) {
	case *ast.Ident:
		tn, ok := types.Universe.Lookup(e.Name).(*types.TypeName)
		return ok && types.Comparable(tn.Type())
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "unsafe" && e.Sel.Name == "Pointer"
	case *ast.StarExpr, *ast.ChanType, *ast.InterfaceType:
		return true
	}
	return false
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
		if r, ok := rel(env.Root(), f.Path); ok {
			return emit.MainPath(r), "", nil
		}
		// Another module of the go.work workspace.
		r, ok := rel(m.Dir, f.Path)
		if !ok {
			return "", "", fmt.Errorf("%s is not in module %s", f.Path, m.Path)
		}
		return emit.WorkPath(m.Path, r), "", nil
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
			// Elsewhere: named like a workspace module's file, with
			// the directory in the lock.
			r, ok := rel(m.Dir, f.Path)
			if !ok {
				return "", "", fmt.Errorf("%s is not in %s, where go.mod replaces module %s", f.Path, m.Dir, m.Path)
			}
			return emit.WorkPath(m.Path, r), "", nil
		}
		return "", "", fmt.Errorf("%s: rules on module %s, replaced by %s@%s, are not supported yet", f.Path, m.Path, m.Replace.Path, m.Replace.Version)
	}
	r, ok := rel(dir, f.Path)
	if !ok {
		return "", "", fmt.Errorf("%s is not in module %s@%s", f.Path, path, ver)
	}
	return emit.ModPath(path, ver, r), path + "@" + ver, nil
}

// targetNames are the package-level names that the rules of ms target in
// their package: a function's, a method's type, a struct given a field.
func targetNames(ms []*match.Match) []string {
	var names []string
	for _, m := range ms {
		r := m.Rule
		if r.Function != "" {
			name := r.Function
			if i := strings.LastIndex(name, "."); i >= 0 {
				name = strings.Trim(name[:i], "(*)")
			}
			name, _, _ = strings.Cut(name, "[") // a generic type's
			names = append(names, name)
		}
		if r.FieldSpec != nil {
			names = append(names, r.Struct)
		}
	}
	return names
}

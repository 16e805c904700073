package rewriter

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/otelgen/otelgen/rewriter/emit"
	"github.com/otelgen/otelgen/rewriter/load"
	"github.com/otelgen/otelgen/rewriter/typecheck"
	"github.com/otelgen/otelgen/rules"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// Which hook packages a program loads with is found by loading: the hook
// packages of matched rules import packages on which more rules match (the
// SDK setup of rules/sdk brings the OTel SDK, on which rules/otelsdk's rules
// match), so generate loads, matches and loads again until the set stops
// growing; on examples/demo that is three runs of go list. A guess of the
// final set, from the last run on the same module (a note in otelgen's
// cache, or the committed lock), makes it one: load with the guess, match,
// and keep the load if the matches need exactly the guessed set. Without a
// last run, the first load takes the SDK start's hook packages, those of the
// rules on what the module's own packages import, and what they reach
// (firstGuess), and a load that finds more guesses the next from what the
// hook packages to load import, directly or through their dependencies
// (importGuess, with the table rules.HookReach): one load on the demo and
// on examples/store, two where an integration's target is a dependency's
// import only.
//
// A guess is only a starting point, and the answer is the one growing gives.
// A load with a set S matches every rule whose target the program imports,
// or the hook packages of rules matched so far import, as long as S holds
// those hook packages (match.Run adds to the build only the hook packages of
// matched rules, so a hook package that only its own rules would justify
// adds nothing). So a load whose matches need exactly S matched what growing
// from the module's own hook packages matches in the end, and S is the set
// growing ends with. A guess with a package too many is loaded again without
// it (the build must not get a requirement it does not use); one with a
// package too few grows as before.
//
// Growing alone can end with a package too many: a hook package's module
// raises (by MVS) the version of a dependency that a rule matched at its
// lower version only (a rule's version range, a package or import the newer
// version drops), and the final load matches no rule that needs that rule's
// hook package. A guessed load leaves it out, as the final load's matches
// ask; so that the output does not depend on whether a run guessed, growing
// then tries the matches' set once too (shrinkHooks).

// predictHooks returns the set to load first: base (the module's own hook
// packages, always loaded) and the packages of guess that a rule of the set
// can ask for (allowed), so that a stale guess names no package that this
// otelgen does not ship.
func predictHooks(base, allowed map[string]bool, guess []string) map[string]bool {
	out := maps.Clone(base)
	for _, g := range guess {
		if allowed[g] {
			out[g] = true
		}
	}
	return out
}

// nextHooks says what to load after a load with cur, whose matches need
// need (base included): nil when cur is the final set. guessed says that cur
// is a guess no load has confirmed yet: it is final only if the matches need
// exactly it, and otherwise the next load is with what they need. Without a
// guess, the set only grows, and is final once it holds what the matches
// need.
func nextHooks(cur, need map[string]bool, guessed bool) map[string]bool {
	if maps.Equal(cur, need) {
		return nil
	}
	if guessed {
		return maps.Clone(need)
	}
	grown := maps.Clone(cur)
	for p := range need {
		grown[p] = true
	}
	if len(grown) == len(cur) {
		return nil
	}
	return grown
}

// shrinkHooks says what to load when growing has ended with more hook
// packages than the matches need: a hook module raised a dependency's
// version out of the range of a rule whose hook package was added for it.
// The matches' set is then tried once, as a guess, so that a run that
// started without a guess ends where one that guessed does (nextHooks cuts
// a guess to what the matches need); nil when cur is exactly need, or the
// cut was tried already (shrunk), which ends a set that flips between two.
func shrinkHooks(cur, need map[string]bool, shrunk bool) map[string]bool {
	if shrunk || maps.Equal(cur, need) {
		return nil
	}
	return maps.Clone(need)
}

// allowedHooks is every hook package that the rules of set, or the module's
// //otel:span directives, can ask for.
func allowedHooks(set *rules.Set, base map[string]bool) map[string]bool {
	out := maps.Clone(base)
	out[rules.SpanPackage] = true
	for _, r := range set.Rules {
		for _, h := range r.HookPackages() {
			out[h] = true
		}
	}
	return out
}

// hookNote names, in otelgen's cache, the hook packages that the last
// generate of the module at root loaded for the platform, patterns and rules.
func hookNote(salt, root, platform string, patterns []string, set *rules.Set) string {
	return fmt.Sprintf("hook packages\n%s\nroot %s\nplatform %q\npatterns %q\nrules %s\n", salt, root, platform, patterns, set.Digest())
}

// guessHooks returns the hook packages that the last generate of the module
// loaded: from otelgen's cache, for this platform, or else from the
// committed lock (all platforms together). nil when there is neither.
func guessHooks(cache *typecheck.Cache, note string, env *load.Env, patterns []string) []string {
	if data, ok := cache.GetNote(note); ok {
		return strings.Fields(string(data))
	}
	lock, err := emit.ReadLock(env.Root())
	if err != nil || lock == nil || !slices.Equal(lock.Patterns, patterns) {
		return nil
	}
	return lock.HookPackages
}

// firstGuess guesses the final set for a module that no run has loaded
// yet (no note, no lock): the hook packages of the rules on main packages,
// which every program gets (the SDK's start), and of the rules on what the
// module's own files import (own: a database driver, a router), grown by
// what they reach (importGuess). Rules on what only dependencies import are
// left for the load to find: go.mod's requirements would be a guess too
// wide for a module of several programs, and a guess too wide costs a load
// more.
func firstGuess(set *rules.Set, base, allowed map[string]bool, own []string, importsOf func(string) []string) map[string]bool {
	out := maps.Clone(base)
	for _, r := range set.Rules {
		if len(r.Options) > 0 || r.Package != rules.MainPackages {
			continue
		}
		for _, h := range r.HookPackages() {
			if allowed[h] {
				out[h] = true
			}
		}
	}
	byTarget := hooksByTarget(set, allowed)
	for _, imp := range own {
		for _, h := range byTarget[imp] {
			out[h] = true
		}
	}
	return importGuess(out, set, allowed, importsOf)
}

// moduleImports returns, sorted, what the packages of the module at root
// that patterns (relative to dir) name import from outside the module, and
// the module's own packages they import, and so on: a package by its
// directory, its files whatever their build constraints, tests left out,
// which a guess can afford. A pattern it cannot place in the module's
// directories (another module's package, std) gives nothing.
func moduleImports(root, dir string, patterns []string) []string {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil
	}
	modPath := modfile.ModulePath(data)
	if modPath == "" {
		return nil
	}
	base, err := filepath.Rel(root, dir)
	if err != nil {
		base = "."
	}
	seen := map[string]bool{}
	var queue []string // directories, relative to root, slash-separated
	add := func(rel string) {
		if !seen[rel] {
			seen[rel] = true
			queue = append(queue, rel)
		}
	}
	for _, pat := range patterns {
		rel, tree := strings.CutSuffix(pat, "/...")
		if pat == "..." {
			rel, tree = ".", true
		}
		switch r, ok := strings.CutPrefix(rel, modPath); {
		case ok && (r == "" || r[0] == '/'):
			rel = path.Clean("." + r)
		case rel == "." || strings.HasPrefix(rel, "./") || rel == ".." || strings.HasPrefix(rel, "../"):
			rel = path.Join(filepath.ToSlash(base), rel)
		default:
			continue
		}
		if rel == ".." || strings.HasPrefix(rel, "../") {
			continue
		}
		if !tree {
			add(rel)
			continue
		}
		var files []string
		sourceFiles(filepath.Join(root, filepath.FromSlash(rel)), &files)
		for _, f := range files {
			if d, err := filepath.Rel(root, filepath.Dir(f)); err == nil && strings.HasSuffix(f, ".go") {
				add(filepath.ToSlash(d))
			}
		}
	}
	var out []string
	for len(queue) > 0 {
		dir := filepath.Join(root, filepath.FromSlash(queue[0]))
		queue = queue[1:]
		for _, imp := range dirImports(dir) {
			if r, ok := strings.CutPrefix(imp, modPath); ok && (r == "" || r[0] == '/') {
				add(path.Clean("." + r))
			} else {
				out = append(out, imp)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// rememberHooks records the final set under note, unless it is there already.
func rememberHooks(cache *typecheck.Cache, note string, final map[string]bool) {
	data := []byte(strings.Join(slices.Sorted(maps.Keys(final)), "\n"))
	if old, ok := cache.GetNote(note); !ok || string(old) != string(data) {
		cache.PutNote(note, data)
	}
}

// importGuess grows a set of hook packages by what the next load would most
// likely add: the hook packages of rules whose target a hook package of the
// set imports directly, and so on for those (rules/sdk imports
// go.opentelemetry.io/otel/trace, on which rules/otelsdk's rules match, a
// step that growing needs a load for). importsOf gives a package's imports,
// read from its files, or nil when it cannot tell. Only packages that allowed
// holds are added. Like any guess, the load checks it.
func importGuess(hooks map[string]bool, set *rules.Set, allowed map[string]bool, importsOf func(string) []string) map[string]bool {
	byTarget := hooksByTarget(set, allowed)
	out := maps.Clone(hooks)
	queue := slices.Sorted(maps.Keys(hooks))
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, imp := range importsOf(p) {
			for _, h := range byTarget[imp] {
				if !out[h] {
					out[h] = true
					queue = append(queue, h)
				}
			}
		}
	}
	return out
}

// hooksByTarget maps a package to the hook packages, of those allowed, of
// the rules that target it. A rule behind an option matches only where the
// option is linked, which imports do not tell, and a rule on main packages
// targets no import: neither is there.
func hooksByTarget(set *rules.Set, allowed map[string]bool) map[string][]string {
	byTarget := map[string][]string{}
	for _, r := range set.Rules {
		if r.Package == rules.MainPackages || len(r.Options) > 0 {
			continue
		}
		for _, h := range r.HookPackages() {
			if allowed[h] {
				byTarget[r.Package] = append(byTarget[r.Package], h)
			}
		}
	}
	return byTarget
}

// integrationImports returns an importsOf for importGuess: the imports of
// a built-in integration's package, read from the otelgen checkout that
// go.mod (at root) replaces otelgen with, or from the module cache at the
// version it requires, and what the package reaches through its
// dependencies as this otelgen's table has it (rules.HookReach). Other
// packages, and integrations it cannot find, give nil.
func integrationImports(root, gomodcache, version string) func(string) []string {
	direct := directImports(root, gomodcache, version)
	return func(pkg string) []string {
		return append(direct(pkg), rules.HookReach(pkg)...)
	}
}

// directImports is integrationImports without the table: what the
// package's files import.
func directImports(root, gomodcache, version string) func(string) []string {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return func(string) []string { return nil }
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return func(string) []string { return nil }
	}
	src, err := findOtelgen(f, version)
	if err != nil {
		return func(string) []string { return nil }
	}
	return func(pkg string) []string {
		mod := rules.IntegrationModule(pkg)
		if mod == "" {
			return nil
		}
		var dir string
		if src.dir != "" {
			dir = filepath.FromSlash(src.dir)
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(root, dir)
			}
			dir = filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(pkg, rules.Module+"/")))
		} else {
			escMod, err1 := module.EscapePath(mod)
			escVer, err2 := module.EscapeVersion(src.version)
			if err1 != nil || err2 != nil || gomodcache == "" {
				return nil
			}
			dir = filepath.Join(gomodcache, filepath.FromSlash(escMod)+"@"+escVer, filepath.FromSlash(strings.TrimPrefix(pkg, mod)))
		}
		out := dirImports(dir)
		slices.Sort(out)
		return slices.Compact(out)
	}
}

// dirImports returns what the Go files of dir import, tests left out, in
// file order, repeated as often as files repeat them.
func dirImports(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if text, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			out = append(out, rules.FileImports(text)...)
		}
	}
	return out
}

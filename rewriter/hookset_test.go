package rewriter

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/rewriter/bind"
	"github.com/otelgen/otelgen/rules"
)

func pkgSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(s) {
		m[p] = true
	}
	return m
}

func showSet(m map[string]bool) string {
	if m == nil {
		return "nil"
	}
	return "{" + strings.Join(slices.Sorted(maps.Keys(m)), " ") + "}"
}

func TestPredictHooks(t *testing.T) {
	for _, c := range []struct {
		name, base, allowed string
		guess               []string
		want                string
	}{
		{"no guess", "hook", "hook sdk", nil, "hook"},
		{"guess within the rules", "hook", "hook sdk otelsdk nethttp", []string{"sdk", "otelsdk"}, "hook otelsdk sdk"},
		{"a package no rule asks for is left out", "hook", "hook sdk", []string{"sdk", "rules/gone"}, "hook sdk"},
		{"the base is always there", "hook own", "hook own sdk", []string{"sdk"}, "hook own sdk"},
		{"a guess that repeats the base", "hook", "hook sdk", []string{"hook", "hook"}, "hook"},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := pkgSet(c.base)
			got := predictHooks(base, pkgSet(c.allowed), c.guess)
			if showSet(got) != showSet(pkgSet(c.want)) {
				t.Errorf("predictHooks = %s, want %s", showSet(got), showSet(pkgSet(c.want)))
			}
			if showSet(base) != showSet(pkgSet(c.base)) {
				t.Errorf("predictHooks changed base to %s", showSet(base))
			}
		})
	}
}

// TestNextHooks walks the loads that generate makes: without a guess, the
// set grows until it holds what the matches need; with one, a load whose
// matches need exactly the guess is the last, and any other is followed by a
// load with what the matches need.
func TestNextHooks(t *testing.T) {
	for _, c := range []struct {
		name, cur, need string
		guessed         bool
		want            string // "nil": cur is final
	}{
		{"first load, rules match", "hook", "hook nethttp sdk", false, "hook nethttp sdk"},
		{"growing: new packages", "hook nethttp sdk", "hook nethttp otelsdk sdk", false, "hook nethttp otelsdk sdk"},
		{"growing: nothing new", "hook nethttp otelsdk sdk", "hook nethttp otelsdk sdk", false, "nil"},
		{"growing: fewer needed stays", "hook nethttp sdk", "hook sdk", false, "nil"},
		{"growing: other needed", "hook nethttp", "hook sdk", false, "hook nethttp sdk"},
		{"guess confirmed", "hook nethttp otelsdk sdk", "hook nethttp otelsdk sdk", true, "nil"},
		{"guess too small", "hook sdk", "hook nethttp sdk", true, "hook nethttp sdk"},
		{"guess too large", "hook gin nethttp sdk", "hook nethttp sdk", true, "hook nethttp sdk"},
		{"guess wrong both ways", "hook gin sdk", "hook nethttp sdk", true, "hook nethttp sdk"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cur := pkgSet(c.cur)
			got := nextHooks(cur, pkgSet(c.need), c.guessed)
			want := "nil"
			if c.want != "nil" {
				want = showSet(pkgSet(c.want))
			}
			if showSet(got) != want {
				t.Errorf("nextHooks = %s, want %s", showSet(got), want)
			}
			if showSet(cur) != showSet(pkgSet(c.cur)) {
				t.Errorf("nextHooks changed cur to %s", showSet(cur))
			}
		})
	}
}

// TestHookLoads runs the loop of generatePlatform against a model of
// loading: a load with set S matches the rules whose target the program or
// the hook packages of rules matched so far import, as long as S holds those
// hook packages. Whatever the guess, the loop ends with the set that growing
// from the base ends with, and a right guess takes one load.
func TestHookLoads(t *testing.T) {
	// The model: rules by target; which targets each package imports.
	type rule struct{ target, hook string }
	rulesOf := []rule{
		{"net/http", "nethttp"}, {"main", "sdk"}, {"otel/trace", "otelsdk"},
		{"gin", "ginhook"}, {"selfcycle", "cyc"},
	}
	imports := map[string][]string{
		"program": {"main", "net/http"},
		"sdk":     {"otel/trace", "net/http"},
		"otelsdk": {"otel/trace"},
		"nethttp": {"net/http"},
		"cyc":     {"selfcycle"}, // imports its own rule's target: never grounded
		"ginhook": {"gin"},
	}
	base := pkgSet("hook")
	load := func(s map[string]bool) map[string]bool {
		need := maps.Clone(base)
		reached := pkgSet("program")
		for grew := true; grew; {
			grew = false
			targets := map[string]bool{}
			for p := range reached {
				for _, t := range imports[p] {
					targets[t] = true
				}
			}
			for _, r := range rulesOf {
				if targets[r.target] && !need[r.hook] {
					need[r.hook] = true
					grew = true
				}
				if targets[r.target] && s[r.hook] && !reached[r.hook] {
					reached[r.hook] = true
					grew = true
				}
			}
		}
		return need
	}
	run := func(guess []string) (final map[string]bool, loads int) {
		cur, guessed, shrunk := base, false, false
		if guess != nil {
			cur = predictHooks(base, pkgSet("hook nethttp sdk otelsdk ginhook cyc"), guess)
			guessed = !maps.Equal(cur, base)
		}
		for {
			loads++
			need := load(cur)
			next := nextHooks(cur, need, guessed)
			if next == nil {
				if next = shrinkHooks(cur, need, shrunk); next == nil {
					return cur, loads
				}
				cur, guessed, shrunk = next, true, true
				continue
			}
			cur, guessed = next, false
		}
	}
	want, wantLoads := run(nil)
	if showSet(want) != "{hook nethttp otelsdk sdk}" || wantLoads != 3 {
		t.Fatalf("without a guess: %s in %d loads, want {hook nethttp otelsdk sdk} in 3", showSet(want), wantLoads)
	}
	for _, c := range []struct {
		guess []string
		loads int
	}{
		{[]string{"hook", "nethttp", "otelsdk", "sdk"}, 1},
		{[]string{"nethttp", "sdk"}, 2},
		{[]string{"nethttp", "otelsdk", "sdk", "ginhook"}, 2},
		{[]string{"nethttp", "otelsdk", "sdk", "cyc"}, 2},
		{[]string{"cyc"}, 3},
		{[]string{"ginhook", "gone"}, 3},
	} {
		got, loads := run(c.guess)
		if showSet(got) != showSet(want) || loads != c.loads {
			t.Errorf("guess %v: %s in %d loads, want %s in %d", c.guess, showSet(got), loads, showSet(want), c.loads)
		}
	}
}

func TestImportGuess(t *testing.T) {
	rule := func(id, pkg, hook string) *rules.Rule {
		t.Helper()
		rs, err := rules.ParseRules("r.yaml", []byte("rules:\n  - id: "+id+"\n    kind: hook\n    package: "+pkg+"\n    function: F\n    before: "+hook+".B\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return rs[0]
	}
	const sdk, otelsdk, nethttp, gin = "example.com/rules/sdk", "example.com/rules/otelsdk", "example.com/rules/nethttp", "example.com/rules/gin"
	const slogotlp = "example.com/rules/slog/slogotlp"
	// A rule behind an option: never guessed from imports.
	optional, err := rules.ParseRules("r.yaml", []byte("rules:\n  - id: slog-otlp\n    kind: hook\n    package: log/slog\n    function: New\n    option: logs\n    before: "+slogotlp+".B\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	rs := &rules.Set{Rules: []*rules.Rule{
		optional[0],
		rule("otelsdk", "go.opentelemetry.io/otel/trace", otelsdk),
		rule("nethttp", "net/http", nethttp),
		rule("gin", "github.com/gin-gonic/gin", gin),
		rule("main", rules.MainPackages, sdk),
	}}
	imports := map[string][]string{
		sdk:     {"go.opentelemetry.io/otel/trace", "os", "log/slog"},
		otelsdk: {"net/http"},
		nethttp: {"net/http"},
	}
	importsOf := func(p string) []string { return imports[p] }
	all := pkgSet("hook " + sdk + " " + otelsdk + " " + nethttp + " " + gin + " " + slogotlp)
	for _, c := range []struct {
		name, hooks string
		allowed     map[string]bool
		want        string
	}{
		{"nothing imported", "hook " + nethttp, all, "hook " + nethttp},
		{"one step, then the next", "hook " + sdk, all, "hook " + sdk + " " + otelsdk + " " + nethttp},
		{"only allowed packages", "hook " + sdk, pkgSet("hook " + sdk + " " + otelsdk), "hook " + sdk + " " + otelsdk},
		{"unknown imports", "hook " + gin, all, "hook " + gin},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := importGuess(pkgSet(c.hooks), rs, c.allowed, importsOf)
			if showSet(got) != showSet(pkgSet(c.want)) {
				t.Errorf("importGuess = %s, want %s", showSet(got), showSet(pkgSet(c.want)))
			}
		})
	}
}

// TestBuiltinGuesses guesses, with the built-in rules and the table of
// what their hook packages reach, the set that examples/demo's loads end
// with: from what its first load's matches need (log/slog, which no hook
// package imports directly but the SDK's logr does, brings rules/slog),
// and for a first run from nothing (the SDK's start on main packages, and
// what it reaches; never a package behind an option, as the logs SDK's).
func TestBuiltinGuesses(t *testing.T) {
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set := &rules.Set{Rules: rs}
	r := rules.Module + "/rules/"
	base := pkgSet(bind.HookAPI)
	allowed := allowedHooks(set, base)
	want := pkgSet(bind.HookAPI + " " + r + "nethttp " + r + "otelsdk " + r + "runtimemetrics " + r + "sdk " + r + "slog " + r + "stdlog")
	first := pkgSet(bind.HookAPI + " " + r + "nethttp " + r + "runtimemetrics " + r + "sdk " + r + "stdlog")
	if got := importGuess(first, set, allowed, rules.HookReach); showSet(got) != showSet(want) {
		t.Errorf("importGuess = %s, want %s", showSet(got), showSet(want))
	}
	if got := firstGuess(set, base, allowed, nil, rules.HookReach); showSet(got) != showSet(want) {
		t.Errorf("firstGuess = %s, want %s", showSet(got), showSet(want))
	}
}

// TestIntegrationImports reads an integration package's imports from the
// checkout that go.mod replaces otelgen with, and from the module cache.
func TestIntegrationImports(t *testing.T) {
	root := t.TempDir()
	cache := t.TempDir()
	write := func(p, data string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := "package sdk\n\nimport (\n\t\"os\"\n\t\"go.opentelemetry.io/otel/trace\"\n)\n"
	write(filepath.Join(root, "checkout", "rules", "sdk", "start", "a.go"), src)
	write(filepath.Join(root, "checkout", "rules", "sdk", "start", "a_test.go"), "package sdk\n\nimport \"testing\"\n")
	write(filepath.Join(cache, "github.com", "otelgen", "otelgen", "rules", "sdk@v1.2.0", "start", "a.go"), src)
	for _, c := range []struct{ name, gomod string }{
		{"checkout", "module example.com/app\n\nrequire github.com/otelgen/otelgen v0.0.0\n\nreplace github.com/otelgen/otelgen => ./checkout\n"},
		{"module cache", "module example.com/app\n\nrequire github.com/otelgen/otelgen v1.2.0\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			write(filepath.Join(root, "go.mod"), c.gomod)
			importsOf := integrationImports(root, cache, "devel")
			if got := strings.Join(importsOf(rules.Module+"/rules/sdk/start"), " "); got != "go.opentelemetry.io/otel/trace os" {
				t.Errorf("imports of rules/sdk/start: %q", got)
			}
			if got := importsOf(rules.Module + "/rules/none"); got != nil {
				t.Errorf("imports of a missing package: %q", got)
			}
			if got := importsOf("example.com/app/hooks"); got != nil {
				t.Errorf("imports of a package of the module: %q", got)
			}
		})
	}
}

// TestHookLoadsShrink models a hook module that raises a dependency's
// version out of another rule's range: with "raiser" loaded, the program's
// "dep" is at a version no rule targets, so "dephook" is needed only
// without it. Whatever the guess, the loads end at the set that the last
// load's matches need.
func TestHookLoadsShrink(t *testing.T) {
	base := pkgSet("hook")
	load := func(s map[string]bool) map[string]bool {
		need := pkgSet("hook raiser") // the program's main package: always
		if !s["raiser"] {
			need["dephook"] = true // dep at the version the rule targets
		}
		return need
	}
	// flip: the rule matches only while its own hook package is loaded.
	flip := func(s map[string]bool) map[string]bool {
		if s["fliphook"] {
			return pkgSet("hook")
		}
		return pkgSet("hook fliphook")
	}
	run := func(load func(map[string]bool) map[string]bool, guess map[string]bool) (map[string]bool, int) {
		cur, guessed, shrunk := base, false, false
		if guess != nil {
			cur, guessed = guess, true
		}
		for loads := 1; loads < 10; loads++ {
			need := load(cur)
			next := nextHooks(cur, need, guessed)
			if next == nil {
				if next = shrinkHooks(cur, need, shrunk); next == nil {
					return cur, loads
				}
				cur, guessed, shrunk = next, true, true
				continue
			}
			cur, guessed = next, false
		}
		return nil, 10
	}
	for _, c := range []struct {
		name      string
		load      func(map[string]bool) map[string]bool
		guess     map[string]bool
		want      string
		wantLoads int
	}{
		{"no guess", load, nil, "{hook raiser}", 3},
		{"exact guess", load, pkgSet("hook raiser"), "{hook raiser}", 1},
		{"last run's set", load, pkgSet("hook raiser dephook"), "{hook raiser}", 2},
		{"flip, no guess", flip, nil, "{fliphook hook}", 4},
		{"flip, guessed", flip, pkgSet("hook fliphook"), "{fliphook hook}", 5},
	} {
		got, loads := run(c.load, c.guess)
		if showSet(got) != c.want || loads != c.wantLoads {
			t.Errorf("%s: %s in %d loads, want %s in %d", c.name, showSet(got), loads, c.want, c.wantLoads)
		}
	}
}

// TestModuleImports reads what the packages that patterns name import from
// outside the module, following the module's own imports, tests and
// testdata left out.
func TestModuleImports(t *testing.T) {
	root := t.TempDir()
	for name, data := range map[string]string{
		"go.mod":                       "module example.com/m\n\ngo 1.26\n",
		"cmd/a/main.go":                "package main\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/m/internal/db\"\n)\n",
		"cmd/a/main_test.go":           "package main\n\nimport \"example.com/only/tests\"\n",
		"cmd/b/main.go":                "package main\n\nimport \"github.com/x/y\"\n",
		"internal/db/db.go":            "package db\n\nimport \"github.com/jackc/pgx/v5\"\n",
		"internal/db/testdata/x.go":    "package x\n\nimport \"example.com/only/testdata\"\n",
		"nested/go.mod":                "module example.com/nested\n",
		"nested/n.go":                  "package n\n\nimport \"example.com/only/nested\"\n",
		"internal/unused/unused.go":    "package unused\n\nimport \"example.com/only/unused\"\n",
		"internal/db/broken/broken.go": "package broken\n\nimport (",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		dir      string
		patterns []string
		want     string
	}{
		{".", []string{"./..."}, "example.com/only/unused github.com/jackc/pgx/v5 github.com/x/y net/http"},
		{".", []string{"./cmd/a"}, "github.com/jackc/pgx/v5 net/http"},
		{".", []string{"example.com/m/cmd/b"}, "github.com/x/y"},
		{".", []string{"./cmd/..."}, "github.com/jackc/pgx/v5 github.com/x/y net/http"},
		{"cmd", []string{"./a"}, "github.com/jackc/pgx/v5 net/http"},
		{"cmd", []string{"../internal/..."}, "example.com/only/unused github.com/jackc/pgx/v5"},
		{".", []string{"net/http", "../elsewhere"}, ""},
	} {
		got := strings.Join(moduleImports(root, filepath.Join(root, tc.dir), tc.patterns), " ")
		if got != tc.want {
			t.Errorf("in %s, %q: %q, want %q", tc.dir, tc.patterns, got, tc.want)
		}
	}
}

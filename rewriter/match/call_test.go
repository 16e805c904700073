package match

import (
	"testing"

	"github.com/otelgen/otelgen/rules"
	"golang.org/x/tools/go/packages"
)

// TestCallers checks that a call rule matches the packages of the main
// module that import the function's package, but for the wrapper's, and
// checks the version of the function's module.
func TestCallers(t *testing.T) {
	rule := func(t *testing.T, extra string) *rules.Rule {
		src := "rules:\n  - id: w\n    kind: call\n    package: example.com/db\n    function: Open\n    wrapper: example.com/app/wrap.Open\n" + extra
		rs, err := rules.ParseRules("r.yaml", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		return rs[0]
	}
	for _, c := range []struct {
		name, extra, matches, misses string
		lines                        []string
	}{
		{
			name:    "importers of the main module",
			lines:   []string{"example.com/app: example.com/app/store example.com/app/wrap example.com/lib@v1.0.0", "example.com/app/store: example.com/db@v1.2.0", "example.com/app/wrap: example.com/db@v1.2.0", "example.com/lib@v1.0.0: example.com/db@v1.2.0"},
			matches: "w@example.com/app/store",
		},
		{
			name:   "nobody imports it",
			lines:  []string{"example.com/app: example.com/app/wrap", "example.com/app/wrap: example.com/db@v1.2.0"},
			misses: "w: no package of the main module imports example.com/db",
		},
		{
			name:   "not in the build",
			lines:  []string{"example.com/app: example.com/app/store"},
			misses: "w: example.com/db is not in the build",
		},
		{
			name:   "the function's module out of range",
			extra:  "    version: \">=v2.0.0\"\n",
			lines:  []string{"example.com/app: example.com/app/store", "example.com/app/store: example.com/db@v1.2.0"},
			misses: `w: example.com/db v1.2.0 is outside ">=v2.0.0"`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			prog := graph(t, c.lines...)
			for _, p := range prog.All {
				if p.Module == nil {
					p.Module = &packages.Module{Path: "example.com/app", Main: true}
				}
			}
			res := Run(prog, &rules.Set{Rules: []*rules.Rule{rule(t, c.extra)}})
			if got := ids(res.Matches); got != c.matches {
				t.Errorf("matches %q, want %q", got, c.matches)
			}
			if got := misses(res.Misses); got != c.misses {
				t.Errorf("misses %q, want %q", got, c.misses)
			}
		})
	}
}

package rules

import (
	"strings"
	"testing"
)

// TestParseCall checks what a call rule parses to, and that each mistake in
// one is reported with the file, line and column of the value, the rule and
// the field.
func TestParseCall(t *testing.T) {
	const head = "rules:\n  - id: w\n    kind: call\n"
	for _, c := range []struct {
		name, yaml, want string
	}{
		{"ok", head + "    package: database/sql\n    function: Open\n    wrapper: example.com/app/otelsql.Open\n", ""},
		{"no function", head + "    package: database/sql\n    wrapper: example.com/w.Open\n", `r.yaml:2:5: rule "w": field "function": missing: the function whose calls are wrapped`},
		{"a method", head + "    package: database/sql\n    function: (*DB).Query\n    wrapper: example.com/w.Query\n", `r.yaml:5:15: rule "w": field "function": "(*DB).Query" is a method: a call rule wraps a function of the package, as in Open`},
		{"not a name", head + "    package: database/sql\n    function: Open(\n    wrapper: example.com/w.Open\n", `r.yaml:5:15: rule "w": field "function": "Open(" is not a function name`},
		{"no wrapper", head + "    package: database/sql\n    function: Open\n", `r.yaml:2:5: rule "w": field "wrapper": missing: the function to call instead, with the same parameters and results`},
		{"bad wrapper", head + "    package: database/sql\n    function: Open\n    wrapper: Open\n", `r.yaml:6:14: rule "w": field "wrapper": "Open" does not name a hook: want <import path>.<Func>`},
		{"unexported wrapper", head + "    package: database/sql\n    function: Open\n    wrapper: example.com/w.open\n", `r.yaml:6:14: rule "w": field "wrapper": "open" is not an exported function name`},
		{"wrapper in the package", head + "    package: database/sql\n    function: Open\n    wrapper: database/sql.OpenDB\n", `r.yaml:6:14: rule "w": field "wrapper": database/sql.OpenDB is in the package whose calls are wrapped`},
		{"main", head + "    package: main\n    function: Open\n    wrapper: example.com/w.Open\n", `r.yaml:4:14: rule "w": field "package": a call rule wraps a function of an importable package`},
		{"a hook's field", head + "    package: database/sql\n    function: Open\n    wrapper: example.com/w.Open\n    before: example.com/w.B\n", `r.yaml:7:5: rule "w": field "before": unknown field for kind "call" (allowed: id, kind, package, version, go, feature, needs, option, function, wrapper)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs, err := ParseRules("r.yaml", []byte(c.yaml), nil)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				r := rs[0]
				if r.Kind != KindCall || r.Package != "database/sql" || r.Function != "Open" || r.Wrapper != (HookRef{"example.com/app/otelsql", "Open"}) {
					t.Errorf("call rule: %+v", r)
				}
				if got := r.HookPackages(); len(got) != 1 || got[0] != "example.com/app/otelsql" {
					t.Errorf("HookPackages = %q", got)
				}
				if r.Scope() != ScopeCallers || r.Target("") != "calls of database/sql.Open" || r.Target("example.com/app") != "calls of database/sql.Open in example.com/app" {
					t.Errorf("scope %v, targets %q %q", r.Scope(), r.Target(""), r.Target("example.com/app"))
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error:\n\t%s\nwant prefix:\n\t%s", err, c.want)
			}
		})
	}
}

// TestDigestWrapper checks that the wrapper is part of the rules digest.
func TestDigestWrapper(t *testing.T) {
	digest := func(wrapper string) string {
		rs, err := ParseRules("r.yaml", []byte("rules:\n  - id: w\n    kind: call\n    package: database/sql\n    function: Open\n    wrapper: "+wrapper+"\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return (&Set{Rules: rs}).Digest()
	}
	if digest("example.com/a.Open") == digest("example.com/b.Open") {
		t.Error("two wrappers give one digest")
	}
}

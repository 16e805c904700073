package rules

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseErrors checks that each mistake in a rule file is reported with
// the file, line and column of the offending value, the rule and the field.
func TestParseErrors(t *testing.T) {
	const hook = "    kind: hook\n    package: example.com/a\n    function: F\n"
	for _, c := range []struct {
		name, yaml, want string
	}{
		{"not a mapping", "- a\n", `r.yaml:1:1: want a mapping with the key "rules"`},
		{"unknown top-level key", "rule: []\n", `r.yaml:1:1: field "rule": unknown field (known: "rules", "disable", "settings", "gls" and "link")`},
		{"rules not a list", "rules: x\n", `r.yaml:1:8: field "rules": want a list of rules`},
		{"no id", "rules:\n  - kind: hook\n", `r.yaml:2:5: field "id": missing (every rule needs an id)`},
		{"bad id", "rules:\n  - id: Bad_ID\n", `r.yaml:2:9: field "id": "Bad_ID" is not a valid id: use lower-case letters, digits and dashes`},
		{"no kind", "rules:\n  - id: a\n", `r.yaml:2:5: rule "a": field "kind": missing: want one of hook, field, file, insert`},
		{"unknown kind", "rules:\n  - id: a\n    kind: wrap\n", `r.yaml:3:11: rule "a": field "kind": unknown kind "wrap": want one of hook, field, file, insert`},
		{"field given twice", "rules:\n  - id: a\n    id: b\n", `r.yaml:3:5: field "id": field given twice`},
		{"no hooks", "rules:\n  - id: a\n" + hook, `r.yaml:2:5: rule "a": field "before": a hook rule needs "before", "after" or both`},
		{"bad hook", "rules:\n  - id: a\n" + hook + "    before: Before\n", `r.yaml:6:13: rule "a": field "before": "Before" does not name a hook: want <import path>.<Func>, as in example.com/app/hooks.Before`},
		{"unexported hook", "rules:\n  - id: a\n" + hook + "    before: example.com/h.before\n", `r.yaml:6:13: rule "a": field "before": "before" is not an exported function name`},
		{"bad version", "rules:\n  - id: a\n" + hook + "    before: example.com/h.B\n    version: latest\n", `r.yaml:7:14: rule "a": field "version": "latest" is not a semantic version (want e.g. v1.2.0)`},
		{"version on std", "rules:\n  - id: a\n    kind: hook\n    package: strings\n    function: F\n    before: example.com/h.B\n    version: \">=v1.0.0\"\n", `r.yaml:7:14: rule "a": field "version": strings is in the standard library: constrain it with "go" instead`},
		{"bad function", "rules:\n  - id: a\n    kind: hook\n    package: example.com/a\n    function: T.M.N\n    before: example.com/h.B\n", `r.yaml:5:15: rule "a": field "function": "T.M.N" is not a function name: want "Name", "T.Name" or "(*T).Name"`},
		{"unknown field for kind", "rules:\n  - id: a\n" + hook + "    struct: g\n", `r.yaml:6:5: rule "a": field "struct": unknown field for kind "hook"`},
		{"bad order", "rules:\n  - id: a\n" + hook + "    before: example.com/h.B\n    order: first\n", `r.yaml:7:12: rule "a": field "order": "first" is not an integer`},
		{"bad insert", "rules:\n  - id: a\n    kind: insert\n    package: example.com/a\n    function: F\n    at: \"x :=\"\n    code: y()\n", `r.yaml:6:9: rule "a": field "at": "x :=" is not a Go statement`},
		{"file outside", "rules:\n  - id: a\n    kind: file\n    package: example.com/a\n    file: ../x.go\n", `r.yaml:5:11: rule "a": field "file": "../x.go" must be relative to the rule file and below it`},
		{"duplicate id", "rules:\n  - id: a\n" + hook + "    before: example.com/h.B\n  - id: a\n" + hook + "    before: example.com/h.B\n", `r.yaml:7:9: rule "a": field "id": id "a" is already used by the rule at r.yaml:2:5`},
		{"gls not a bool", "gls: maybe\n", `r.yaml:1:6: field "gls": want true or false, got "maybe"`},
		{"unknown link option", "link: [otlp-http]\n", `r.yaml:1:8: field "link": unknown option "otlp-http" (known: logs, otlp-grpc, prometheus)`},
		{"link not a list", "link: logs\n", `r.yaml:1:7: field "link": want a list of options: logs, otlp-grpc, prometheus`},
		{"unknown rule option", "rules:\n  - id: a\n" + hook + "    before: example.com/h.B\n    option: kafka\n", `r.yaml:7:13: rule "a": field "option": unknown option "kafka" (known: logs, otlp-grpc, prometheus)`},
		{"disable not ids", "disable: [Bad]\n", `r.yaml:1:11: field "disable": want a rule id or an integration name, got "Bad"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseConfig("r.yaml", []byte(c.yaml), func(rel string) ([]byte, error) { return nil, fmt.Errorf("no file %s", rel) })
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error:\n\t%s\nwant prefix:\n\t%s", err, c.want)
			}
		})
	}
}

// TestParseRule checks what a valid rule of each kind parses to.
func TestParseRule(t *testing.T) {
	src := `rules:
  - id: h
    kind: hook
    package: example.com/a
    function: (*T).M
    before: example.com/h.B
    after: example.com/h.A
    order: -3
    version: ">=v1.0.0 <v2.0.0"
    go: ">=1.26"
    needs: gls
  - id: f
    kind: field
    package: runtime
    struct: g
    name: otelgen_x
    type: unsafe.Pointer
  - id: i
    kind: insert
    package: runtime
    function: newproc1
    at: newg.labels = mp.curg.labels
    code: newg.x = mp.curg.x
gls: false
disable: [nethttp-client]
`
	cfg, err := ParseConfig("r.yaml", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Rules) != 3 {
		t.Fatalf("%d rules, want 3", len(cfg.Rules))
	}
	h, f, i := cfg.Rules[0], cfg.Rules[1], cfg.Rules[2]
	if h.Kind != "hook" || h.Function != "(*T).M" || h.Before != (HookRef{"example.com/h", "B"}) || h.After != (HookRef{"example.com/h", "A"}) || h.Order != -3 {
		t.Errorf("hook rule: %+v", h)
	}
	if !h.Version.Match("v1.5.0") || h.Version.Match("v2.0.0") || !h.Go.Match("go1.26.8") || len(h.Needs) != 1 || h.Needs[0] != FeatureGLS {
		t.Errorf("hook rule's constraints: version %q go %q needs %q", h.Version, h.Go, h.Needs)
	}
	if h.Pos.String() != "r.yaml:2:5" || h.FieldPos("function").String() != "r.yaml:5:15" {
		t.Errorf("positions: rule %s, function %s", h.Pos, h.FieldPos("function"))
	}
	if f.Kind != "field" || f.Struct != "g" || f.FieldName != "otelgen_x" || f.FieldType != "unsafe.Pointer" {
		t.Errorf("field rule: %+v", f)
	}
	if i.Kind != "insert" || i.At != "newg.labels = mp.curg.labels" || i.Code != "newg.x = mp.curg.x" {
		t.Errorf("insert rule: %+v", i)
	}
	if cfg.GLS == nil || *cfg.GLS || len(cfg.Disable) != 1 || cfg.Disable[0] != "nethttp-client" || cfg.Pos["nethttp-client"].Line != 25 {
		t.Errorf("config: gls %v, disable %q at %v", cfg.GLS, cfg.Disable, cfg.Pos)
	}
}

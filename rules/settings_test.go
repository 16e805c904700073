package rules

import (
	"strings"
	"testing"
)

const declaring = `settings:
  - name: query_text
    env: OTEL_GO_DB_QUERY_TEXT
    values: [redacted, raw, "off"]
    default: redacted
    doc: What db.query.text holds.
  - name: headers
    env: OTEL_GO_DB_HEADERS
    type: list
    forbid: [authorization, cookie]
    doc: Headers to record.
rules: []
`

// TestDeclarationErrors checks that a bad declaration in an integration's
// rule file names the file, line and field.
func TestDeclarationErrors(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"not a list", "settings: x\n", `rules/db/db.yaml:1:11: field "settings": want a list of settings`},
		{"unknown field", "settings:\n  - nam: x\n", `rules/db/db.yaml:2:5: field "settings.nam": unknown field (known: name, env, type, values, default, forbid, doc)`},
		{"bad name", "settings:\n  - name: Query\n    env: OTEL_GO_X\n    values: [a]\n    default: a\n    doc: d\n", `rules/db/db.yaml:2:5: field "settings.name": "Query" is not a setting name`},
		{"bad env", "settings:\n  - name: q\n    env: DB_TEXT\n    values: [a]\n    default: a\n    doc: d\n", `rules/db/db.yaml:2:5: field "settings.env": "DB_TEXT" is not a variable name of the form OTEL_GO_*`},
		{"default not a value", "settings:\n  - name: q\n    env: OTEL_GO_X\n    values: [a, b]\n    default: c\n    doc: d\n", `rules/db/db.yaml:2:5: field "settings.default": "c" is not one of the values a, b`},
		{"bad type", "settings:\n  - {name: q, env: OTEL_GO_X, type: map, doc: d}\n", `rules/db/db.yaml:2:37: field "settings.type": unknown type "map"`},
		{"list with values", "settings:\n  - {name: q, env: OTEL_GO_X, type: list, values: [a], default: a, doc: d}\n", `rules/db/db.yaml:2:5: field "settings.values": a list takes no values and no default`},
		{"forbid on a value", "settings:\n  - {name: q, env: OTEL_GO_X, values: [a], default: a, forbid: [b], doc: d}\n", `rules/db/db.yaml:2:5: field "settings.forbid": only a list forbids names`},
		{"no doc", "settings:\n  - name: q\n    env: OTEL_GO_X\n    values: [a]\n    default: a\n", `rules/db/db.yaml:2:5: field "settings.doc": missing`},
		{"twice", "settings:\n  - {name: q, env: OTEL_GO_X, values: [a], default: a, doc: d}\n  - {name: q, env: OTEL_GO_Y, values: [a], default: a, doc: d}\n", `rules/db/db.yaml:3:5: field "settings.name": setting "q" is declared twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRules("rules/db/db.yaml", []byte(c.yaml), nil)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error:\n\t%v\nwant prefix:\n\t%s", err, c.want)
			}
		})
	}
}

// TestConfigure checks otelgen.yaml's settings against the declarations:
// the file rule that carries valid values, and an error naming the line and
// field for each kind of mistake.
func TestConfigure(t *testing.T) {
	doc, err := parseDoc("rules/db/db.yaml", []byte(declaring), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	declared := doc.Declared
	if len(declared) != 2 || declared[0].Integration != "db" || declared[0].Doc != "What db.query.text holds." || !declared[1].List {
		t.Fatalf("declared = %+v", declared)
	}
	// A second integration sharing the variable, as the Redis ones do.
	shared := *declared[0]
	shared.Integration = "db2"
	declared = append(declared, &shared)

	for _, c := range []struct{ name, yaml, want string }{
		{"ok", "settings:\n  db:\n    query_text: raw\n", ""},
		{"list", "settings:\n  db:\n    query_text: raw\n    headers: [x-id, x-tenant]\n", ""},
		{"shared, same value", "settings:\n  db:\n    query_text: raw\n  db2:\n    query_text: raw\n", ""},
		{"unknown integration", "settings:\n  nethttp:\n    x: y\n", `otelgen.yaml:3:5: field "settings.nethttp.x": integration "nethttp" has no settings`},
		{"unknown setting", "settings:\n  db:\n    query: raw\n", `otelgen.yaml:3:5: field "settings.db.query": db has no setting "query" (known: query_text, headers)`},
		{"bad value", "settings:\n  db:\n    query_text: full\n", `otelgen.yaml:3:5: field "settings.db.query_text": "full" is not one of redacted, raw, off`},
		{"shared, two values", "settings:\n  db:\n    query_text: raw\n  db2:\n    query_text: \"off\"\n", `otelgen.yaml:5:5: field "settings.db2.query_text": db.query_text sets OTEL_GO_DB_QUERY_TEXT too, to "raw", at otelgen.yaml:3:5: give both the same value`},
		{"not a mapping", "settings: [db]\n", `otelgen.yaml:1:11: field "settings": want a mapping`},
		{"list for a value", "settings:\n  db:\n    query_text: [raw]\n", `otelgen.yaml:3:5: field "settings.db.query_text": want one of redacted, raw, off, not a list`},
		{"value for a list", "settings:\n  db:\n    headers: x-id\n", `otelgen.yaml:3:5: field "settings.db.headers": want a list of names, as in headers: [a, b]`},
		{"forbidden name", "settings:\n  db:\n    headers: [x-id, COOKIE]\n", `otelgen.yaml:3:5: field "settings.db.headers": COOKIE is never recorded: it carries credentials (refused: authorization, cookie)`},
		{"mapping for a value", "settings:\n  db:\n    query_text: {a: b}\n", `otelgen.yaml:3:17: field "settings.db.query_text": want a value, or a list of names`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := ParseConfig("otelgen.yaml", []byte(c.yaml), nil)
			var set *Set
			if err == nil {
				set, err = (&Set{}).Configure(declared, cfg)
			}
			if c.want != "" {
				if err == nil || !strings.HasPrefix(err.Error(), c.want) {
					t.Errorf("error:\n\t%v\nwant prefix:\n\t%s", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Rules) != 1 || set.Rules[0].ID != SettingsRule || set.Rules[0].Package != SettingsPackage {
				t.Fatalf("rules = %+v", set.Rules)
			}
			want := "// Code generated by otelgen from otelgen.yaml's settings. DO NOT EDIT.\n\npackage hook\n\nfunc init() {\n"
			if c.name == "list" {
				want += "\tsettings[\"OTEL_GO_DB_HEADERS\"] = \"x-id,x-tenant\" // db.headers\n"
			}
			want += "\tsettings[\"OTEL_GO_DB_QUERY_TEXT\"] = \"raw\" // db.query_text\n}\n"
			if got := string(set.Rules[0].Content); got != want {
				t.Errorf("file:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	// No settings, no rule.
	if set, err := (&Set{}).Configure(declared, &Config{}); err != nil || len(set.Rules) != 0 {
		t.Errorf("Configure without settings = %v, %v", set, err)
	}
}

// TestBuiltinSettings checks the built-in declarations: each integration
// whose hooks read a variable declares it, so that otelgen.yaml can set it.
func TestBuiltinSettings(t *testing.T) {
	declared, err := BuiltinSettings()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range declared {
		got[s.Integration+"."+s.Name] = s.Env
	}
	for k, env := range map[string]string{
		"databasesql.query_text": "OTEL_GO_DATABASESQL_QUERY_TEXT",
		"pgx.query_text":         "OTEL_GO_PGX_QUERY_TEXT",
		"goredis.query_text":     "OTEL_GO_REDIS_QUERY_TEXT",
		"goredisv8.query_text":   "OTEL_GO_REDIS_QUERY_TEXT",
		"redigo.query_text":      "OTEL_GO_REDIS_QUERY_TEXT",
		"mongo.query_text":       "OTEL_GO_MONGO_QUERY_TEXT",
		"mongov2.query_text":     "OTEL_GO_MONGO_QUERY_TEXT",
	} {
		if got[k] != env {
			t.Errorf("%s reads %q, want %q", k, got[k], env)
		}
	}
}

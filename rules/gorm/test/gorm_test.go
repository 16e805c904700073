package test

import (
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	scope    = "github.com/otelgen/otelgen/rules/gorm"
	sqlScope = "github.com/otelgen/otelgen/rules/databasesql"
	pgxScope = "github.com/otelgen/otelgen/rules/pgx"
	table    = "gorm_greetings"
)

// run runs testdata/app (one build for the module's tests) against the
// kit's PostgreSQL, with extra environment, and returns the spans of the
// trace of its "run" span (want of them), that span, and the receiver.
func run(t *testing.T, want int, extra ...string) ([]testkit.Span, testkit.Span, *testkit.Receiver) {
	t.Helper()
	bin := testkit.Build(t, "testdata/app")
	pg := testkit.Postgres(t)
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r, extra...), pg)
	if code != 0 {
		t.Fatalf("app exited with %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	// The set-up before "run" (gorm.Open's ping, the table) is traces of
	// its own: 3 spans, or 5 with gorm's.
	all := r.WaitSpans(t, want)
	root := testkit.One(t, all, testkit.Name("run"))
	var spans []testkit.Span
	for _, s := range all {
		if s.TraceID() == root.TraceID() {
			spans = append(spans, s)
		}
		// database/sql over pgx's driver is traced once, by databasesql.
		if s.Scope == pgxScope {
			t.Errorf("span %q of the pgx integration: database/sql's calls are traced twice", s.GetName())
		}
		for k, v := range s.Attrs() {
			if str, ok := v.(string); ok && (strings.Contains(str, "secret") || strings.Contains(str, "grace") ||
				strings.Contains(str, "lovelace") || strings.Contains(str, "'")) {
				t.Errorf("span %q has %s = %q: a value was not redacted", s.GetName(), k, str)
			}
		}
	}
	return spans, root, r
}

// children returns the names of the spans whose parent is p, sorted as
// they started.
func children(spans []testkit.Span, p testkit.Span) []string {
	var kids []testkit.Span
	for _, s := range spans {
		if s.ParentID() == p.ID() {
			kids = append(kids, s)
		}
	}
	for i := range kids {
		for j := i + 1; j < len(kids); j++ {
			if kids[j].GetStartTimeUnixNano() < kids[i].GetStartTimeUnixNano() {
				kids[i], kids[j] = kids[j], kids[i]
			}
		}
	}
	var names []string
	for _, k := range kids {
		names = append(names, k.GetName())
	}
	return names
}

// TestGorm runs the app's operations and checks that each is one INTERNAL
// gorm span under "run", around the database/sql spans it caused.
func TestGorm(t *testing.T) {
	spans, root, r := run(t, 27+5)
	if len(spans) != 27 {
		t.Errorf("%d spans in the trace of %q, want 27:\n%s", len(spans), root.GetName(), testkit.Dump(spans))
	}
	gormSpans := map[string][]testkit.Span{}
	for _, s := range spans {
		if s.Scope == scope {
			gormSpans[s.GetName()] = append(gormSpans[s.GetName()], s)
			if s.GetKind() != testkit.Internal {
				t.Errorf("gorm span %q is %s, want INTERNAL", s.GetName(), s.GetKind())
			}
			testkit.WantChildOf(t, s, root)
			testkit.WantAttrs(t, s, map[string]any{"db.system.name": "postgresql"})
		} else if s.Scope == sqlScope {
			if p := parentOf(spans, s); p.Scope != scope {
				t.Errorf("database/sql span %q is not the child of a gorm span: parent %q", s.GetName(), p.GetName())
			}
		}
	}
	tx := []string{"BEGIN", "INSERT " + table, "COMMIT"}
	for name, want := range map[string][][]string{
		"gorm.create " + table:     {tx, tx}, // the second from the goroutine
		"gorm.query " + table:      {{"SELECT " + table}, {"SELECT " + table}},
		"gorm.update " + table:     {{"BEGIN", "UPDATE " + table, "COMMIT"}},
		"gorm.raw " + table:        {{"UPDATE " + table}},
		"gorm.row " + table:        {{"SELECT " + table}},
		"gorm.query no_such_table": {{"SELECT no_such_table"}},
		"gorm.delete " + table:     {{"BEGIN", "DELETE " + table, "COMMIT"}},
	} {
		got := gormSpans[name]
		if len(got) != len(want) {
			t.Errorf("%d spans named %q, want %d", len(got), name, len(want))
			continue
		}
		for i, s := range got {
			if kids := children(spans, s); strings.Join(kids, ", ") != strings.Join(want[i], ", ") {
				t.Errorf("span %q has children %q, want %q", name, kids, want[i])
			}
			if name != "gorm.query no_such_table" {
				testkit.WantStatus(t, s, testkit.Unset) // gorm.ErrRecordNotFound included
				testkit.WantAttrs(t, s, map[string]any{"db.collection.name": table, "error.type": nil})
			}
		}
	}

	// The raw statement's literals are redacted in its database/sql span.
	raw := gormSpans["gorm.raw "+table][0]
	testkit.WantAttrs(t, testkit.One(t, spans, testkit.ChildOf(raw)), map[string]any{
		"db.query.text": "UPDATE gorm_greetings SET name = ? WHERE id = ?",
	})

	bad := gormSpans["gorm.query no_such_table"][0]
	testkit.WantStatus(t, bad, testkit.Error)
	testkit.WantAttrs(t, bad, map[string]any{"db.collection.name": "no_such_table", "error.type": "42P01"})
	testkit.WantStatus(t, testkit.One(t, spans, testkit.ChildOf(bad)), testkit.Error)

	// The SQL calls' metric is database/sql's.
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "db.client.operation.duration"), map[string]any{
		"db.system.name":     "postgresql",
		"db.operation.name":  "INSERT",
		"db.collection.name": table,
	})
}

func parentOf(spans []testkit.Span, s testkit.Span) testkit.Span {
	for _, p := range spans {
		if p.ID() == s.ParentID() {
			return p
		}
	}
	return testkit.Span{}
}

// TestDisabled runs the app with OTEL_GO_DISABLED_INSTRUMENTATIONS=gorm:
// no gorm span, and the database/sql spans are the children of "run".
func TestDisabled(t *testing.T) {
	spans, root, _ := run(t, 18+3, "OTEL_GO_DISABLED_INSTRUMENTATIONS=gorm")
	if len(spans) != 18 {
		t.Errorf("%d spans in the trace of %q, want 18:\n%s", len(spans), root.GetName(), testkit.Dump(spans))
	}
	for _, s := range spans {
		if s.Scope == scope {
			t.Errorf("gorm span %q with gorm disabled", s.GetName())
		}
		if s.Scope == sqlScope {
			testkit.WantChildOf(t, s, root)
		}
	}
}

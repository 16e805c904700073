package test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	scope      = "github.com/otelgen/otelgen/rules/pgx"
	sqlScope   = "github.com/otelgen/otelgen/rules/databasesql"
	table      = "pgx_greetings"
	insertArgs = "INSERT INTO pgx_greetings (id, name) VALUES ($1, $2)"
	rename     = "UPDATE pgx_greetings SET name = $1 WHERE id = $2"
)

// run runs testdata/app (one build for the module's tests) against the
// kit's PostgreSQL, with extra environment, and returns its spans (want of
// them at least), the receiver and the app's output.
func run(t *testing.T, want int, extra ...string) ([]testkit.Span, *testkit.Receiver, string) {
	t.Helper()
	bin := testkit.Build(t, "testdata/app")
	pg := testkit.Postgres(t)
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r, extra...), pg)
	if code != 0 {
		t.Fatalf("app exited with %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r, out
}

func byScope(spans []testkit.Span, sc string) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.Scope == sc {
			out = append(out, s)
		}
	}
	return out
}

// appTracerLine is what the program's own tracer saw: every call of pgx's
// connection with the program's tracer reached it, whether otelgen's
// tracer is there or not.
var appTracerLine = regexp.MustCompile(`app tracer: queries 13/13 batches 2/4/2 copies 1/1 prepares (\d+)/(\d+) connects 1/1`)

func wantAppTracer(t *testing.T, out string) {
	t.Helper()
	m := appTracerLine.FindStringSubmatch(out)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Errorf("the program's tracer did not see every call once:\n%s", out)
	}
}

// TestPgx runs the app's session: a connection with a tracer of the
// program's, a pool (with a query from a goroutine with no span in its
// context), and database/sql over pgx's driver (opened by name, and from
// the pool); then checks every span and the duration metric.
func TestPgx(t *testing.T) {
	spans, r, out := run(t, 25)
	wantAppTracer(t, out)
	u, err := url.Parse(testkit.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	root := testkit.One(t, spans, testkit.Name("run"))
	under := testkit.ChildOf(root)

	pgxSpans := byScope(spans, scope)
	names := map[string]int{}
	for _, s := range pgxSpans {
		names[s.GetName()]++
		if s.GetKind() != testkit.Client {
			t.Errorf("span %q is %s, want CLIENT", s.GetName(), s.GetKind())
		}
		if s.TraceID() != root.TraceID() {
			t.Errorf("span %q is not in the trace of %q", s.GetName(), root.GetName())
		}
		testkit.WantAttrs(t, s, map[string]any{
			"db.system.name": "postgresql",
			"db.namespace":   "postgres",
			"server.address": u.Hostname(),
			"server.port":    int64(port),
		})
		// Neither the literals nor the arguments reach a span.
		for k, v := range s.Attrs() {
			if str, ok := v.(string); ok && (strings.Contains(str, "ada") || strings.Contains(str, "secret") ||
				strings.Contains(str, "grace") || strings.Contains(str, "lovelace") || strings.Contains(str, "'")) {
				t.Errorf("span %q has %s = %q: a value was not redacted", s.GetName(), k, str)
			}
		}
	}
	want := map[string]int{
		"DROP " + table: 1, "CREATE " + table: 1, "INSERT " + table: 2, "SELECT " + table: 5,
		"BATCH INSERT " + table: 1, "BATCH " + table: 1, "COPY " + table: 1, "SELECT no_such_table": 1,
		"PREPARE " + table: 1, "UPDATE " + table: 1, "BEGIN": 1, "DELETE " + table: 1, "COMMIT": 1,
		"SELECT": 1,
	}
	for name, n := range want {
		if names[name] != n {
			t.Errorf("%d pgx spans named %q, want %d", names[name], name, n)
		}
	}
	if len(pgxSpans) != 19 {
		t.Errorf("%d pgx spans, want 19:\n%s", len(pgxSpans), testkit.Dump(pgxSpans))
	}
	// Every pgx span is the child of "run", the one of the program's
	// tracer is the child of the query's span.
	for _, s := range pgxSpans {
		testkit.WantChildOf(t, s, root)
	}
	chained := testkit.One(t, pgxSpans, testkit.Name("SELECT"))
	testkit.WantAttrs(t, chained, map[string]any{"db.query.text": "SELECT ? AS chained", "db.collection.name": nil})
	testkit.WantChildOf(t, testkit.One(t, spans, testkit.Name("app tracer")), chained)

	testkit.One(t, pgxSpans, testkit.Attr("db.query.text", "INSERT INTO pgx_greetings (id, name) VALUES (?, ?)"))
	testkit.WantAttrs(t, testkit.One(t, pgxSpans, testkit.Attr("db.query.text", insertArgs)), map[string]any{
		"db.operation.name": "INSERT", "db.collection.name": table,
	})
	testkit.WantAttrs(t, testkit.One(t, pgxSpans, testkit.Name("BATCH INSERT "+table)), map[string]any{
		"db.operation.name":       "BATCH INSERT",
		"db.collection.name":      table,
		"db.operation.batch.size": int64(2),
		"db.query.text":           insertArgs + "; " + insertArgs,
	})
	testkit.WantAttrs(t, testkit.One(t, pgxSpans, testkit.Name("BATCH "+table)), map[string]any{
		"db.operation.name":       "BATCH",
		"db.collection.name":      table,
		"db.operation.batch.size": int64(2),
		"db.query.text":           "UPDATE pgx_greetings SET name = ? WHERE id = ?; SELECT count(*) FROM pgx_greetings",
	})
	testkit.WantAttrs(t, testkit.One(t, pgxSpans, testkit.Name("COPY "+table)), map[string]any{
		"db.operation.name": "COPY", "db.collection.name": table,
	})
	testkit.WantAttrs(t, testkit.One(t, pgxSpans, testkit.Name("PREPARE "+table)), map[string]any{
		"db.operation.name": "PREPARE", "db.query.text": rename,
	})
	// The statement run by its name is named after its SQL.
	testkit.WantAttrs(t, testkit.One(t, pgxSpans, testkit.Name("UPDATE "+table)), map[string]any{
		"db.operation.name": "UPDATE", "db.query.text": rename,
	})
	// The pool's queries: one with its context, one from a goroutine with
	// a bare context, whose parent came from the goroutine.
	testkit.One(t, pgxSpans, under, testkit.Attr("db.query.text", "SELECT count(*) FROM pgx_greetings WHERE name <> $1"))
	testkit.One(t, pgxSpans, under, testkit.Attr("db.query.text", "SELECT count(*) FROM pgx_greetings"))

	bad := testkit.One(t, pgxSpans, testkit.Name("SELECT no_such_table"))
	testkit.WantStatus(t, bad, testkit.Error)
	testkit.WantAttrs(t, bad, map[string]any{"error.type": "42P01", "db.response.status_code": "42P01"})
	for _, s := range pgxSpans {
		if s.ID() != bad.ID() {
			testkit.WantStatus(t, s, testkit.Unset) // pgx.ErrNoRows included
			testkit.WantAttrs(t, s, map[string]any{"error.type": nil})
		}
	}

	// database/sql over pgx: the database/sql integration's spans, once.
	sqlSpans := byScope(spans, sqlScope)
	sqlNames := map[string]int{}
	for _, s := range sqlSpans {
		sqlNames[s.GetName()]++
		testkit.WantChildOf(t, s, root)
	}
	for _, name := range []string{"SELECT", "BEGIN", "UPDATE " + table, "COMMIT"} {
		if sqlNames[name] != 1 {
			t.Errorf("%d database/sql spans named %q, want 1", sqlNames[name], name)
		}
	}
	if len(sqlSpans) != 4 {
		t.Errorf("%d database/sql spans, want 4:\n%s", len(sqlSpans), testkit.Dump(sqlSpans))
	}
	if len(spans) != 25 {
		t.Errorf("%d spans, want 25 (19 pgx, 4 database/sql, run, app tracer):\n%s", len(spans), testkit.Dump(spans))
	}

	var durations []testkit.Metric
	for _, m := range r.WaitMetric(t, "db.client.operation.duration") {
		if m.Scope == scope {
			durations = append(durations, m)
		}
	}
	testkit.WantHistogramPoint(t, durations, map[string]any{
		"db.system.name":     "postgresql",
		"db.namespace":       "postgres",
		"server.address":     u.Hostname(),
		"server.port":        int64(port),
		"db.operation.name":  "COPY",
		"db.collection.name": table,
	})
	testkit.WantHistogramPoint(t, durations, map[string]any{
		"db.system.name":          "postgresql",
		"db.operation.name":       "SELECT",
		"db.collection.name":      "no_such_table",
		"error.type":              "42P01",
		"db.response.status_code": "42P01",
	})
}

// TestSwitches runs the app with the integration turned off by
// OTEL_GO_DISABLED_INSTRUMENTATIONS (no pgx span, the program's tracer
// sees every call as before), and with OTEL_GO_PGX_QUERY_TEXT=raw (the
// literals are recorded, the arguments still not).
func TestSwitches(t *testing.T) {
	t.Run("disabled", func(t *testing.T) {
		spans, _, out := run(t, 6, "OTEL_GO_DISABLED_INSTRUMENTATIONS=pgx")
		wantAppTracer(t, out)
		if n := len(byScope(spans, scope)); n != 0 {
			t.Errorf("%d pgx spans with pgx disabled:\n%s", n, testkit.Dump(spans))
		}
		if n := len(byScope(spans, sqlScope)); n != 4 {
			t.Errorf("%d database/sql spans, want 4:\n%s", n, testkit.Dump(spans))
		}
		testkit.One(t, spans, testkit.Name("app tracer"))
	})
	t.Run("raw", func(t *testing.T) {
		spans, _, _ := run(t, 25, "OTEL_GO_PGX_QUERY_TEXT=raw")
		pgxSpans := byScope(spans, scope)
		testkit.One(t, pgxSpans, testkit.Attr("db.query.text", "INSERT INTO pgx_greetings (id, name) VALUES (1, 'ada')"))
		testkit.One(t, pgxSpans, testkit.Attr("db.query.text", insertArgs+"; "+insertArgs))
	})
}

// TestRace runs the session in a build with the race detector, which fails
// the app on a data race in the tracer (the pool's goroutine, the metric
// sets shared by connections).
func TestRace(t *testing.T) {
	bin := testkit.Build(t, "testdata/app", testkit.Race())
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r), testkit.Postgres(t))
	if code != 0 || strings.Contains(stderr, "DATA RACE") {
		t.Fatalf("app exited with %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	wantAppTracer(t, out)
	if n := len(byScope(r.WaitSpans(t, 25), scope)); n != 19 {
		t.Errorf("%d pgx spans, want 19", n)
	}
}

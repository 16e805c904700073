package test

import (
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const scope = "github.com/otelgen/otelgen/rules/databasesql"

// A database is one session of testdata/app: the argument that names it,
// and what its spans must say of the database.
type database struct {
	name      string // pq, pgx, mysql, sqlite; the app's span is "run NAME"
	dsn       string
	system    string
	namespace string
	host      string // "" for SQLite: no server
	port      int64
	missing   string // error.type of a statement on a missing table
}

func (d database) arg() string { return d.name + "=" + d.dsn }

func postgres(t *testing.T, name string) database {
	u, err := url.Parse(testkit.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	return database{name: name, dsn: u.String(), system: "postgresql", namespace: "postgres",
		host: u.Hostname(), port: int64(port), missing: "42P01"}
}

func mariadb(t *testing.T, name string) database {
	dsn := testkit.MariaDB(t)
	addr := dsn[strings.Index(dsn, "(")+1 : strings.Index(dsn, ")")]
	host, p, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(p)
	return database{name: name, dsn: dsn, system: "mysql", namespace: "test", host: host, port: int64(port), missing: "1146"}
}

func sqlite(t *testing.T) database {
	file := filepath.Join(t.TempDir(), "app.db")
	return database{name: "sqlite", dsn: file, system: "sqlite", namespace: file, missing: "1"}
}

// TestDrivers runs the app's session against PostgreSQL through lib/pq
// (sql.Open) and pgx's stdlib (sql.OpenDB with pgx's connector), MariaDB
// through go-sql-driver/mysql, and SQLite through modernc.org/sqlite, and a
// Ping through the lib/pq and mysql connectors; then checks every span of
// each session, and the metrics.
func TestDrivers(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	dbs := []database{postgres(t, "pq"), postgres(t, "pgx"), mariadb(t, "mysql"), sqlite(t)}
	connectors := []database{postgres(t, "pq-connector"), mariadb(t, "mysql-connector")}
	var args []string
	for _, d := range append(dbs, connectors...) {
		args = append(args, d.arg())
	}
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r), args...)
	if code != 0 {
		t.Fatalf("app exited with %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	spans := r.WaitSpans(t, 4*19+2*2)
	for _, d := range dbs {
		t.Run(d.name, func(t *testing.T) { checkSession(t, spans, d) })
	}
	for _, d := range connectors {
		t.Run(d.name, func(t *testing.T) {
			root := testkit.One(t, spans, testkit.Name("run "+d.name))
			ping := testkit.One(t, spans, testkit.ChildOf(root))
			checkCommon(t, ping, d)
			testkit.WantAttrs(t, ping, map[string]any{"db.operation.name": "PING"})
		})
	}

	pg := dbs[0]
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "db.client.operation.duration"), map[string]any{
		"db.system.name":     "postgresql",
		"db.namespace":       "postgres",
		"server.address":     pg.host,
		"server.port":        pg.port,
		"db.operation.name":  "SELECT",
		"db.collection.name": "greetings_pq",
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "db.client.operation.duration"), map[string]any{
		"db.system.name":          "mysql",
		"db.operation.name":       "SELECT",
		"db.collection.name":      "no_such_table",
		"error.type":              "1146",
		"db.response.status_code": "1146",
	})
	// The pools' state, observed when the app ends: the pq session's
	// database has its connections idle, none used.
	pool := pg.host + ":" + strconv.FormatInt(pg.port, 10) + "/postgres"
	counts := r.WaitMetric(t, "db.client.connection.count")
	for _, state := range []string{"idle", "used"} {
		if !hasSumPoint(counts, map[string]any{"db.client.connection.pool.name": pool, "db.client.connection.state": state}) {
			t.Errorf("no db.client.connection.count point of pool %s, state %s:\n%v", pool, state, sumPoints(counts))
		}
	}
	if !hasSumPoint(counts, map[string]any{"db.client.connection.pool.name": dbs[3].dsn, "db.client.connection.state": "idle"}) {
		t.Errorf("no db.client.connection.count point of the SQLite pool:\n%v", sumPoints(counts))
	}
}

// checkSession checks the spans of one session of the app (see its run
// function): one CLIENT span per call, under the session's span, and none
// for the Rollback after Commit or the rows.Next loop.
func checkSession(t *testing.T, spans []testkit.Span, d database) {
	root := testkit.One(t, spans, testkit.Name("run "+d.name))
	var children []testkit.Span
	for _, s := range spans {
		if s.ParentID() == root.ID() && s.TraceID() == root.TraceID() {
			children = append(children, s)
			checkCommon(t, s, d)
			if q, _ := s.Attr("db.query.text").(string); strings.Contains(q, "ada") || strings.Contains(q, "'") {
				t.Errorf("span %q has db.query.text %q: a literal was not redacted", s.GetName(), q)
			}
		}
	}
	table := "greetings_" + d.name
	names := map[string]int{}
	for _, s := range children {
		names[s.GetName()]++
	}
	want := map[string]int{
		"PING": 2, "DROP " + table: 1, "CREATE " + table: 1, "INSERT " + table: 2, "BEGIN": 2,
		"PREPARE " + table: 2, "SELECT " + table: 4, "COMMIT": 1, "ROLLBACK": 1, "UPDATE " + table: 1,
		"SELECT no_such_table": 1,
	}
	for name, n := range want {
		if names[name] != n {
			t.Errorf("%d spans named %q under %q, want %d", names[name], name, root.GetName(), n)
		}
	}
	if len(children) != 18 {
		t.Errorf("%d spans under %q, want 18:\n%s", len(children), root.GetName(), testkit.Dump(children))
	}

	under := testkit.ChildOf(root)
	ph1, ph2 := "?", "?"
	if d.system == "postgresql" {
		ph1, ph2 = "$1", "$2"
	}
	// The INSERT with literals is recorded with ? in their place; the one
	// with parameters as written.
	redacted := 0
	for _, s := range children {
		if s.Attr("db.query.text") == "INSERT INTO "+table+" (id, name) VALUES (?, ?)" {
			redacted++
		}
	}
	if want := map[bool]int{true: 1, false: 2}[d.system == "postgresql"]; redacted != want {
		t.Errorf("%d INSERT spans with the redacted text, want %d:\n%s", redacted, want, testkit.Dump(children))
	}
	if d.system == "postgresql" {
		testkit.One(t, children, testkit.Attr("db.query.text", "INSERT INTO "+table+" (id, name) VALUES ($1, $2)"))
	}
	testkit.WantAttrs(t, testkit.One(t, children, under, testkit.Name("UPDATE "+table)), map[string]any{
		"db.operation.name":  "UPDATE",
		"db.collection.name": table,
		"db.query.text":      "UPDATE " + table + " SET name = " + ph1 + " WHERE id = " + ph2,
	})
	// The goroutine's query had no context: its parent came from the
	// goroutine.
	testkit.One(t, children, testkit.Attr("db.query.text", "SELECT count(*) FROM "+table))

	bad := testkit.One(t, children, testkit.Name("SELECT no_such_table"))
	testkit.WantStatus(t, bad, testkit.Error)
	testkit.WantAttrs(t, bad, map[string]any{"error.type": d.missing, "db.response.status_code": d.missing})
	for _, s := range children {
		if s.GetName() != bad.GetName() {
			testkit.WantStatus(t, s, testkit.Unset) // sql.ErrNoRows included
			testkit.WantAttrs(t, s, map[string]any{"error.type": nil})
		}
	}
}

// checkCommon checks what every span of a database has.
func checkCommon(t *testing.T, s testkit.Span, d database) {
	t.Helper()
	if s.GetKind() != testkit.Client || s.Scope != scope {
		t.Errorf("span %q is %s of scope %q, want CLIENT of %s", s.GetName(), s.GetKind(), s.Scope, scope)
	}
	want := map[string]any{"db.system.name": d.system, "db.namespace": d.namespace}
	if d.host != "" {
		want["server.address"] = d.host
		want["server.port"] = d.port
	} else {
		want["server.address"] = nil
	}
	testkit.WantAttrs(t, s, want)
}

func sumPoints(ms []testkit.Metric) []map[string]any {
	var out []map[string]any
	for _, m := range ms {
		for _, dp := range m.GetSum().GetDataPoints() {
			out = append(out, testkit.Attrs(dp.GetAttributes()))
		}
	}
	return out
}

func hasSumPoint(ms []testkit.Metric, want map[string]any) bool {
	for _, p := range sumPoints(ms) {
		ok := true
		for k, v := range want {
			if p[k] != v {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// TestSwitches runs the SQLite session with the integration turned off by
// OTEL_GO_DISABLED_INSTRUMENTATIONS (only the app's own span remains), and
// with OTEL_GO_DATABASESQL_QUERY_TEXT=raw (the literals are recorded).
func TestSwitches(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	t.Run("disabled", func(t *testing.T) {
		r := testkit.StartReceiver(t)
		d := sqlite(t)
		if out, stderr, code := testkit.Run(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=nethttp,databasesql"), d.arg()); code != 0 {
			t.Fatalf("app exited with %d\n%s\n%s", code, out, stderr)
		}
		spans := r.WaitSpans(t, 1)
		testkit.One(t, spans, testkit.Name("run sqlite"))
		if len(spans) != 1 {
			t.Errorf("%d spans, want the app's own:\n%s", len(spans), testkit.Dump(spans))
		}
	})
	t.Run("raw", func(t *testing.T) {
		r := testkit.StartReceiver(t)
		d := sqlite(t)
		if out, stderr, code := testkit.Run(t, bin, testkit.Env(r, "OTEL_GO_DATABASESQL_QUERY_TEXT=raw"), d.arg()); code != 0 {
			t.Fatalf("app exited with %d\n%s\n%s", code, out, stderr)
		}
		spans := r.WaitSpans(t, 19)
		testkit.One(t, spans, testkit.Attr("db.query.text", "INSERT INTO greetings_sqlite (id, name) VALUES (1, 'ada')"))
	})
}

// TestRace runs the PostgreSQL (pgx) and SQLite sessions in a build with
// the race detector, which fails the app on a data race in the hooks or
// the pool metrics.
func TestRace(t *testing.T) {
	bin := testkit.Build(t, "testdata/app", testkit.Race())
	r := testkit.StartReceiver(t)
	dbs := []database{postgres(t, "pgx"), sqlite(t)}
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r), dbs[0].arg(), dbs[1].arg())
	if code != 0 || strings.Contains(stderr, "DATA RACE") {
		t.Fatalf("app exited with %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	spans := r.WaitSpans(t, 2*19)
	for _, d := range dbs {
		checkSession(t, spans, d)
	}
	r.WaitMetric(t, "db.client.connection.count")
}

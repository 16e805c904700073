package test

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const scope = "github.com/otelgen/otelgen/rules/mongo"

// secret is the value testdata/app plants in a document.
const secret = "planted-value-5d2e"

// run builds testdata/app once, with the race detector (the monitor runs
// on every goroutine that calls the driver), and runs it against FerretDB
// with extra environment; it returns the spans, the receiver and the app's
// line about its own monitor.
func run(t *testing.T, want int, extra ...string) ([]testkit.Span, *testkit.Receiver, string) {
	bin := testkit.Build(t, "testdata/app", testkit.Race())
	addr := testkit.FerretDB(t)
	r := testkit.StartReceiver(t)
	env := testkit.Env(r, append([]string{"MONGO_ADDR=" + addr}, extra...)...)
	out, stderr, code := testkit.Run(t, bin, env)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || lines[1] != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r, lines[0]
}

func ours(spans []testkit.Span) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.Scope == scope {
			out = append(out, s)
		}
	}
	return out
}

func children(spans []testkit.Span, parent testkit.Span) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.ParentID() == parent.ID() && s.TraceID() == parent.TraceID() {
			out = append(out, s)
		}
	}
	return out
}

func port(t *testing.T, addr string) int64 {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return int64(n)
}

// TestMongo runs every kind of call of testdata/app and checks its spans:
// names, kinds, attributes, statuses, parents and the absence of command
// bodies; that the program's own monitor got every event; then the
// duration histogram.
func TestMongo(t *testing.T) {
	// 5 spans of the program's own, 10 of the driver's commands.
	spans, r, monitor := run(t, 15)
	addr := testkit.FerretDB(t)
	conn := map[string]any{
		"db.system.name": "mongodb",
		"server.address": "127.0.0.1",
		"server.port":    port(t, addr),
		"db.query.text":  nil, // no body unless OTEL_GO_MONGO_QUERY_TEXT=raw
	}
	group := func(name string) []testkit.Span {
		t.Helper()
		parent := testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
		return children(spans, parent)
	}
	one := func(in []testkit.Span, name string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, in, testkit.Name(name), testkit.Kind(testkit.Client))
		if s.Scope != scope {
			t.Errorf("span %q has scope %q", name, s.Scope)
		}
		testkit.WantAttrs(t, s, conn)
		testkit.WantAttrs(t, s, attrs)
		return s
	}

	crud := group("crud")
	if len(crud) != 5 {
		t.Errorf("crud has %d children, want 5:\n%s", len(crud), testkit.Dump(crud))
	}
	for _, op := range []string{"insert", "find", "update", "aggregate", "delete"} {
		s := one(crud, op+" orders", map[string]any{
			"db.operation.name":  op,
			"db.collection.name": "orders",
			"db.namespace":       "shop",
			"error.type":         nil,
		})
		testkit.WantStatus(t, s, testkit.Unset)
	}

	// A command the server does not know: an error status, and the
	// server's error name as error.type.
	bad := one(group("failing"), "nosuchcommand shop", map[string]any{
		"db.operation.name":  "nosuchcommand",
		"db.namespace":       "shop",
		"db.collection.name": nil,
		"error.type":         "CommandNotFound",
	})
	testkit.WantStatus(t, bad, testkit.Error)

	// context.Background() on a goroutine started inside a span: the
	// parent comes from the goroutine.
	one(group("without-context"), "find orders", map[string]any{"db.collection.name": "orders"})

	// A client made with NewClient and Connect gets the monitor too.
	// FerretDB v1 has no endSessions: the driver's call at Disconnect fails.
	nc := group("new-client")
	one(nc, "ping inventory", map[string]any{"db.namespace": "inventory", "db.operation.name": "ping"})
	one(nc, "endSessions admin", map[string]any{"error.type": "CommandNotFound"})
	one(group("disconnect"), "endSessions admin", nil)

	db := ours(spans)
	if len(db) != 10 {
		t.Errorf("%d mongo spans, want 10:\n%s", len(db), testkit.Dump(db))
	}
	for _, s := range db {
		if s.ParentID() == "" {
			t.Errorf("span %q is a root: %s", s.GetName(), s)
		}
	}
	for _, s := range spans {
		if strings.Contains(fmt.Sprint(s.Span), secret) {
			t.Errorf("span %q holds the planted value: %s", s.GetName(), s.Span)
		}
	}

	// The program's own monitor saw every command of its client (all but
	// new-client's two), the failures among them.
	if want := "monitor started=8 succeeded=6 failed=2 [nosuchcommand endSessions]"; monitor != want {
		t.Errorf("the program's monitor: %q, want %q", monitor, want)
	}

	ms := r.WaitMetric(t, "db.client.operation.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{
		"db.system.name": "mongodb", "db.operation.name": "find", "db.collection.name": "orders",
		"db.namespace": "shop", "server.address": "127.0.0.1", "server.port": port(t, addr),
	})
	testkit.WantHistogramPoint(t, ms, map[string]any{"db.operation.name": "nosuchcommand", "error.type": "CommandNotFound"})
	for _, m := range ms {
		if m.GetUnit() != "s" {
			t.Errorf("db.client.operation.duration has unit %q, want s", m.GetUnit())
		}
	}
}

// TestQueryText runs testdata/app with OTEL_GO_MONGO_QUERY_TEXT=raw: the
// command bodies are in db.query.text.
func TestQueryText(t *testing.T) {
	spans, _, _ := run(t, 15, "OTEL_GO_MONGO_QUERY_TEXT=raw")
	insert := testkit.One(t, ours(spans), testkit.Name("insert orders"))
	text, _ := insert.Attr("db.query.text").(string)
	for _, want := range []string{`"insert": "orders"`, `"note": "` + secret + `"`, `"$db": "shop"`} {
		if !strings.Contains(text, want) {
			t.Errorf("insert's db.query.text %q lacks %q", text, want)
		}
	}
	find := testkit.One(t, ours(spans), testkit.Name("find orders"), testkit.Where("under crud", func(s testkit.Span) bool {
		return strings.Contains(fmt.Sprint(s.Attr("db.query.text")), `"tea"`)
	}))
	if text, _ := find.Attr("db.query.text").(string); !strings.Contains(text, `"filter": {"item": "tea"}`) {
		t.Errorf("find's db.query.text is %q", text)
	}
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming mongo: no span of otelgen's, and the program's monitor sees what
// it saw with otelgen.
func TestDisabled(t *testing.T) {
	spans, _, monitor := run(t, 5, "OTEL_GO_DISABLED_INSTRUMENTATIONS=mongo")
	if db := ours(spans); len(db) != 0 {
		t.Errorf("%d spans of mongo, want none:\n%s", len(db), testkit.Dump(db))
	}
	if want := "monitor started=8 succeeded=6 failed=2 [nosuchcommand endSessions]"; monitor != want {
		t.Errorf("the program's monitor: %q, want %q", monitor, want)
	}
}

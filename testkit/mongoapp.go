package testkit

import (
	"fmt"
	"maps"
	"strings"
	"testing"
)

// MongoApp is the test program that the MongoDB driver integrations (mongo
// for v1, mongov2) share in substance: each one's testdata/app makes the
// same commands through its major version of the driver against FerretDB,
// grouped under spans of its own, with a command monitor of the program's
// own on its first client; it prints that monitor's line, then "done". The
// kit checks the spans and knows nothing of the driver: the programs are
// modules of their own.
type MongoApp struct {
	// Name is the integration's name, as OTEL_GO_DISABLED_INSTRUMENTATIONS
	// takes it; its scope is github.com/otelgen/otelgen/rules/Name.
	Name string
	// Build is how testdata/app is built (Race, for one).
	Build []Option
	// Failed holds the attributes of a command the server refused with
	// CommandNotFound: how the driver reports the error differs between
	// majors.
	Failed map[string]any
}

// mongoSecret is the value the programs plant in a document.
const mongoSecret = "planted-value-5d2e"

// mongoMonitor is the line of the program's monitor: it saw every command
// of its client (all but new-client's two), the failures among them.
const mongoMonitor = "monitor started=8 succeeded=6 failed=2 [nosuchcommand endSessions]"

// Scope is the integration's instrumentation scope.
func (a MongoApp) Scope() string { return "github.com/otelgen/otelgen/rules/" + a.Name }

// Run builds testdata/app and runs it against FerretDB with extra
// environment; it returns want spans, the receiver and the line of the
// program's own monitor.
func (a MongoApp) Run(t *testing.T, want int, extra ...string) ([]Span, *Receiver, string) {
	t.Helper()
	bin := Build(t, "testdata/app", a.Build...)
	addr := FerretDB(t)
	r := StartReceiver(t)
	env := Env(r, append([]string{"MONGO_ADDR=" + addr}, extra...)...)
	out, stderr, code := Run(t, bin, env)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || lines[1] != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r, lines[0]
}

// Check runs testdata/app and checks its spans: names, kinds, attributes,
// statuses, parents and the absence of command bodies; that the program's
// own monitor got every event; then the duration histogram.
func (a MongoApp) Check(t *testing.T) {
	t.Helper()
	// 5 spans of the program's own, 10 of the driver's commands.
	spans, r, monitor := a.Run(t, 15)
	addr := FerretDB(t)
	c := Calls{T: t, Spans: spans, Scope: a.Scope(), Conn: map[string]any{
		"db.system.name": "mongodb",
		"server.address": "127.0.0.1",
		"server.port":    Port(t, addr),
		"db.query.text":  nil, // no body unless OTEL_GO_MONGO_QUERY_TEXT=raw
	}}
	failed := func(attrs map[string]any) map[string]any {
		all := maps.Clone(a.Failed)
		maps.Copy(all, attrs)
		return all
	}

	crud := c.Group("crud")
	if len(crud) != 5 {
		t.Errorf("crud has %d children, want 5:\n%s", len(crud), Dump(crud))
	}
	for _, op := range []string{"insert", "find", "update", "aggregate", "delete"} {
		s := c.One(crud, op+" orders", map[string]any{
			"db.operation.name":  op,
			"db.collection.name": "orders",
			"db.namespace":       "shop",
			"error.type":         nil,
		})
		WantStatus(t, s, Unset)
	}

	// A command the server does not know: an error status, and the
	// server's error as a.Failed says.
	bad := c.One(c.Group("failing"), "nosuchcommand shop", failed(map[string]any{
		"db.operation.name":  "nosuchcommand",
		"db.namespace":       "shop",
		"db.collection.name": nil,
	}))
	WantStatus(t, bad, Error)

	// context.Background() on a goroutine started inside a span: the
	// parent comes from the goroutine.
	c.One(c.Group("without-context"), "find orders", map[string]any{"db.collection.name": "orders"})

	// A second client, without a monitor of the program's, gets otelgen's.
	// FerretDB v1 has no endSessions: the driver's call at Disconnect fails.
	nc := c.Group("new-client")
	c.One(nc, "ping inventory", map[string]any{"db.namespace": "inventory", "db.operation.name": "ping"})
	c.One(nc, "endSessions admin", failed(nil))
	c.One(c.Group("disconnect"), "endSessions admin", nil)

	c.WantCalls(10)
	for _, s := range spans {
		if strings.Contains(fmt.Sprint(s.Span), mongoSecret) {
			t.Errorf("span %q holds the planted value: %s", s.GetName(), s.Span)
		}
	}
	if monitor != mongoMonitor {
		t.Errorf("the program's monitor: %q, want %q", monitor, mongoMonitor)
	}

	ms := r.WaitMetric(t, "db.client.operation.duration")
	WantHistogramPoint(t, ms, map[string]any{
		"db.system.name": "mongodb", "db.operation.name": "find", "db.collection.name": "orders",
		"db.namespace": "shop", "server.address": "127.0.0.1", "server.port": Port(t, addr),
	})
	WantHistogramPoint(t, ms, failed(map[string]any{"db.operation.name": "nosuchcommand"}))
	WantDurationUnit(t, ms)
}

// CheckQueryText runs testdata/app with OTEL_GO_MONGO_QUERY_TEXT=raw: the
// command bodies are in db.query.text.
func (a MongoApp) CheckQueryText(t *testing.T) {
	t.Helper()
	spans, _, _ := a.Run(t, 15, "OTEL_GO_MONGO_QUERY_TEXT=raw")
	ours := Scoped(spans, a.Scope())
	insert := One(t, ours, Name("insert orders"))
	text, _ := insert.Attr("db.query.text").(string)
	for _, want := range []string{`"insert": "orders"`, `"note": "` + mongoSecret + `"`, `"$db": "shop"`} {
		if !strings.Contains(text, want) {
			t.Errorf("insert's db.query.text %q lacks %q", text, want)
		}
	}
	find := One(t, ours, Name("find orders"), Where("under crud", func(s Span) bool {
		return strings.Contains(fmt.Sprint(s.Attr("db.query.text")), `"tea"`)
	}))
	if text, _ := find.Attr("db.query.text").(string); !strings.Contains(text, `"filter": {"item": "tea"}`) {
		t.Errorf("find's db.query.text is %q", text)
	}
}

// CheckDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming a.Name: no span of otelgen's, and the program's monitor sees what
// it saw with otelgen.
func (a MongoApp) CheckDisabled(t *testing.T) {
	t.Helper()
	spans, _, monitor := a.Run(t, 5, "OTEL_GO_DISABLED_INSTRUMENTATIONS="+a.Name)
	if db := Scoped(spans, a.Scope()); len(db) != 0 {
		t.Errorf("%d spans of %s, want none:\n%s", len(db), a.Name, Dump(db))
	}
	if monitor != mongoMonitor {
		t.Errorf("the program's monitor: %q, want %q", monitor, mongoMonitor)
	}
}

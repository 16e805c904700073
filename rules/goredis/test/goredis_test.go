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

const scope = "github.com/otelgen/otelgen/rules/goredis"

// The secrets testdata/app plants: a password in ACL SETUSER, AUTH and the
// HELLO of a client's connections, and a value in SET.
var secrets = []string{"planted-password-6f1c", "planted-value-93ab"}

// run builds testdata/app once, with the race detector, and runs it against
// a redis-server and the two shards of a ring, with extra environment; it
// returns the spans and the receiver.
func run(t *testing.T, want int, extra ...string) ([]testkit.Span, *testkit.Receiver) {
	bin := testkit.Build(t, "testdata/app", testkit.Race())
	addr := testkit.Redis(t)
	shards := testkit.RedisShard(t, 0) + "," + testkit.RedisShard(t, 1)
	r := testkit.StartReceiver(t)
	env := testkit.Env(r, append([]string{"REDIS_ADDR=" + addr, "REDIS_SHARDS=" + shards}, extra...)...)
	out, stderr, code := testkit.Run(t, bin, env)
	if code != 0 || strings.TrimSpace(out) != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r
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

// TestGoRedis runs every kind of call of testdata/app and checks its spans:
// names, kinds, attributes, redaction, statuses and parents, then the
// duration histogram.
func TestGoRedis(t *testing.T) {
	// 6 spans of the program's own, 22 of go-redis's commands.
	spans, r := run(t, 28)
	db := ours(spans)
	addr := testkit.Redis(t)
	conn := map[string]any{
		"db.system.name": "redis",
		"server.address": "127.0.0.1",
		"server.port":    port(t, addr),
	}
	group := func(name string) []testkit.Span {
		t.Helper()
		parent := testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
		return children(spans, parent)
	}
	one := func(in []testkit.Span, name string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, in, testkit.Name(name), testkit.Kind(testkit.Client))
		testkit.WantAttrs(t, s, conn)
		testkit.WantAttrs(t, s, attrs)
		return s
	}

	// Commands with the span in their context; the connections' handshakes
	// (HELLO, CLIENT SETINFO, SELECT 3) make none.
	wc := group("with-context")
	if len(wc) != 8 {
		t.Errorf("with-context has %d children, want 8:\n%s", len(wc), testkit.Dump(wc))
	}
	for _, s := range wc {
		if s.Scope != scope {
			t.Errorf("span %q has scope %q", s.GetName(), s.Scope)
		}
	}
	set := one(wc, "SET", map[string]any{"db.operation.name": "SET", "db.query.text": "SET ? ?", "db.namespace": "3", "db.operation.batch.size": nil})
	testkit.WantStatus(t, set, testkit.Unset)
	gets := 0
	for _, s := range wc {
		if s.GetName() == "GET" {
			gets++
			testkit.WantAttrs(t, s, map[string]any{"db.query.text": "GET ?", "error.type": nil})
			testkit.WantStatus(t, s, testkit.Unset) // the missing key (redis.Nil) too
		}
	}
	if gets != 2 {
		t.Errorf("%d GET spans under with-context, want 2", gets)
	}
	incr := one(wc, "INCR", map[string]any{"error.type": "ERR", "db.response.status_code": "ERR", "db.query.text": "INCR ?"})
	testkit.WantStatus(t, incr, testkit.Error)
	one(wc, "PIPELINE GET", map[string]any{"db.operation.name": "PIPELINE GET", "db.operation.batch.size": int64(2), "db.query.text": "GET ?", "error.type": nil})
	one(wc, "PIPELINE", map[string]any{"db.operation.batch.size": int64(2), "db.query.text": "SET ? ?; GET ?"})
	one(wc, "MULTI INCR", map[string]any{"db.operation.batch.size": int64(2), "db.query.text": "INCR ?"})
	one(wc, "ACL", map[string]any{"db.query.text": "ACL SETUSER ? ? ? ? ?"})

	// context.Background() on the goroutine of a current span, and on a
	// goroutine it started: the parent comes from the goroutine.
	nc := group("without-context")
	one(nc, "GET", nil)
	one(nc, "INCR", map[string]any{"error.type": nil})

	// A client with a password: its HELLO makes no span, AUTH's arguments
	// are redacted.
	auth := group("auth")
	if len(auth) != 2 {
		t.Errorf("auth has %d children, want PING and AUTH:\n%s", len(auth), testkit.Dump(auth))
	}
	one(auth, "PING", map[string]any{"db.namespace": "0"})
	one(auth, "AUTH", map[string]any{"db.query.text": "AUTH ? ?"})

	// A ring over two servers: a span per command, on the shard that ran it.
	ring := group("ring")
	ports := map[any]int{}
	for _, s := range ring {
		if s.GetName() != "SET" || s.Scope != scope {
			t.Errorf("ring has span %q of %q", s.GetName(), s.Scope)
		}
		ports[s.Attr("server.port")]++
	}
	want := map[any]bool{port(t, testkit.RedisShard(t, 0)): true, port(t, testkit.RedisShard(t, 1)): true}
	if len(ring) != 8 || len(ports) != 2 || !want[ring[0].Attr("server.port")] {
		t.Errorf("ring: %d spans on ports %v, want 8 on both shards %v", len(ring), ports, want)
	}

	one(group("universal"), "PING", nil)

	// A client the program instruments with redisotel too: one span.
	ro := group("redisotel")
	if len(ro) != 1 {
		t.Errorf("redisotel has %d children, want 1:\n%s", len(ro), testkit.Dump(ro))
	}
	one(ro, "ECHO", map[string]any{"db.query.text": "ECHO ?"})

	// Dials, handshakes and ring heartbeats start no trace of their own.
	for _, s := range db {
		if s.ParentID() == "" {
			t.Errorf("span %q is a root: %s", s.GetName(), s)
		}
	}
	if len(db) != 22 {
		t.Errorf("%d go-redis spans, want 22:\n%s", len(db), testkit.Dump(db))
	}
	for _, s := range spans {
		for _, secret := range secrets {
			if strings.Contains(fmt.Sprint(s.Span), secret) {
				t.Errorf("span %q holds the secret %q: %s", s.GetName(), secret, s.Span)
			}
		}
	}

	ms := r.WaitMetric(t, "db.client.operation.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{
		"db.system.name": "redis", "db.operation.name": "GET", "db.namespace": "3",
		"server.address": "127.0.0.1", "server.port": port(t, addr),
	})
	testkit.WantHistogramPoint(t, ms, map[string]any{"db.operation.name": "INCR", "error.type": "ERR"})
	testkit.WantHistogramPoint(t, ms, map[string]any{"db.operation.name": "MULTI INCR"})
	for _, m := range ms {
		if m.GetUnit() != "s" {
			t.Errorf("db.client.operation.duration has unit %q, want s", m.GetUnit())
		}
	}
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming goredis: no span of otelgen's, and redisotel traces its client
// as it would without otelgen.
func TestDisabled(t *testing.T) {
	spans, _ := run(t, 7, "OTEL_GO_DISABLED_INSTRUMENTATIONS=goredis")
	if db := ours(spans); len(db) != 0 {
		t.Errorf("%d spans of goredis, want none:\n%s", len(db), testkit.Dump(db))
	}
	testkit.One(t, spans, testkit.Where("scope redisotel", func(s testkit.Span) bool {
		return strings.Contains(s.Scope, "redisotel") && s.GetName() == "echo"
	}))
}

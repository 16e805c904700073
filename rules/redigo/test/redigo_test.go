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

const scope = "github.com/otelgen/otelgen/rules/redigo"

// The secrets testdata/app plants: a password in ACL SETUSER, AUTH and its
// dial's AUTH, and a value in SET.
var secrets = []string{"planted-password-6f1c", "planted-value-93ab"}

func run(t *testing.T, want int, extra ...string) ([]testkit.Span, *testkit.Receiver) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r, append([]string{"REDIS_ADDR=" + testkit.Redis(t)}, extra...)...))
	if code != 0 || strings.TrimSpace(out) != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r
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

// TestRedigo runs testdata/app and checks the spans of its Do, DoContext
// and Send calls: names, kinds, attributes, redaction, statuses and
// parents, then the duration histogram.
func TestRedigo(t *testing.T) {
	// 5 spans of the program's own, 17 of its commands.
	spans, r := run(t, 22)
	addr := testkit.Redis(t)
	_, p, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(p)
	conn := map[string]any{"db.system.name": "redis", "server.address": "127.0.0.1", "server.port": int64(port)}
	group := func(name string, n int) []testkit.Span {
		t.Helper()
		parent := testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
		cs := children(spans, parent)
		if len(cs) != n {
			t.Errorf("%s has %d children, want %d:\n%s", name, len(cs), n, testkit.Dump(cs))
		}
		for _, s := range cs {
			if s.Scope != scope || s.GetKind() != testkit.Client {
				t.Errorf("span %q is %s of %q", s.GetName(), s.GetKind(), s.Scope)
			}
			testkit.WantAttrs(t, s, conn)
		}
		return cs
	}
	one := func(in []testkit.Span, name string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, in, testkit.Name(name), testkit.Kind(testkit.Client))
		testkit.WantAttrs(t, s, attrs)
		return s
	}

	// The dial's AUTH and SELECT make no spans.
	do := group("do", 6)
	one(do, "ACL", map[string]any{"db.query.text": "ACL SETUSER ? ? ? ? ?", "db.namespace": "0"})
	one(do, "SET", map[string]any{"db.operation.name": "SET", "db.query.text": "SET ? ?", "db.namespace": "2"})
	for _, s := range do {
		if s.GetName() == "GET" {
			testkit.WantAttrs(t, s, map[string]any{"db.query.text": "GET ?", "error.type": nil})
			testkit.WantStatus(t, s, testkit.Unset)
		}
	}
	incr := one(do, "INCR", map[string]any{"error.type": "ERR", "db.response.status_code": "ERR"})
	testkit.WantStatus(t, incr, testkit.Error)
	one(do, "AUTH", map[string]any{"db.query.text": "AUTH ? ?"})

	one(group("ctx-parent", 1), "GET", map[string]any{"db.namespace": "2"})
	nc := group("no-context", 2)
	one(nc, "GET", nil)
	one(nc, "INCR", map[string]any{"error.type": nil})

	pipe := group("pipeline", 7)
	one(pipe, "PIPELINE", map[string]any{"db.operation.batch.size": int64(2), "db.query.text": nil})
	one(pipe, "SET", map[string]any{"db.query.text": "SET ? ?"})
	one(pipe, "MULTI", nil)
	one(pipe, "EXEC", nil)

	one(group("pool", 1), "PING", map[string]any{"db.query.text": "PING"})

	for _, s := range spans {
		if s.Scope == scope && s.ParentID() == "" {
			t.Errorf("span %q is a root: %s", s.GetName(), s)
		}
		for _, secret := range secrets {
			if strings.Contains(fmt.Sprint(s.Span), secret) {
				t.Errorf("span %q holds the secret %q: %s", s.GetName(), secret, s.Span)
			}
		}
	}

	ms := r.WaitMetric(t, "db.client.operation.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{
		"db.system.name": "redis", "db.operation.name": "GET", "db.namespace": "2",
		"server.address": "127.0.0.1", "server.port": int64(port),
	})
	testkit.WantHistogramPoint(t, ms, map[string]any{"db.operation.name": "INCR", "error.type": "ERR"})
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming redigo: only the program's own spans.
func TestDisabled(t *testing.T) {
	spans, _ := run(t, 5, "OTEL_GO_DISABLED_INSTRUMENTATIONS=redigo")
	for _, s := range spans {
		if s.Scope != "app" {
			t.Errorf("span %q of %q, want only the program's", s.GetName(), s.Scope)
		}
	}
}

package testkit

import (
	"fmt"
	"strings"
	"testing"
)

// RedisApp is the test program that the go-redis integrations (goredis for
// v9, goredisv8) share in substance: each one's testdata/app makes the same
// calls through its major version of go-redis, grouped under spans of its
// own, against Redis and a ring over RedisShard 0 and 1, and prints "done".
// The kit checks the spans and knows nothing of go-redis: the programs are
// modules of their own.
type RedisApp struct {
	// Scope is the integration's instrumentation scope.
	Scope string
	// Build is how testdata/app is built (Race, for one).
	Build []Option
}

// redisSecrets are what the programs plant: a password in ACL SETUSER,
// AUTH and the handshake of a client's connections, and a value in SET.
var redisSecrets = []string{"planted-password-6f1c", "planted-value-93ab"}

// Run builds testdata/app and runs it against Redis and the two shards of
// a ring, with extra environment; it returns want spans and the receiver.
func (a RedisApp) Run(t *testing.T, want int, extra ...string) ([]Span, *Receiver) {
	t.Helper()
	bin := Build(t, "testdata/app", a.Build...)
	addr := Redis(t)
	shards := RedisShard(t, 0) + "," + RedisShard(t, 1)
	r := StartReceiver(t)
	env := Env(r, append([]string{"REDIS_ADDR=" + addr, "REDIS_SHARDS=" + shards}, extra...)...)
	out, stderr, code := Run(t, bin, env)
	if code != 0 || strings.TrimSpace(out) != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r
}

// Check checks the spans of a run of Run without extra environment, the
// groups both programs have: names, kinds, attributes, redaction,
// statuses and parents of n spans of a.Scope, then the duration
// histogram. It returns the Calls, for the groups of one program only.
func (a RedisApp) Check(t *testing.T, spans []Span, r *Receiver, n int) Calls {
	t.Helper()
	addr := Redis(t)
	c := Calls{T: t, Spans: spans, Scope: a.Scope, Conn: map[string]any{
		"db.system.name": "redis",
		"server.address": "127.0.0.1",
		"server.port":    Port(t, addr),
	}}

	// Commands with the span in their context; the connections'
	// handshakes (HELLO or AUTH, CLIENT SETINFO, SELECT 3) make none.
	wc := c.Group("with-context")
	if len(wc) != 8 {
		t.Errorf("with-context has %d children, want 8:\n%s", len(wc), Dump(wc))
	}
	for _, s := range wc {
		if s.Scope != a.Scope {
			t.Errorf("span %q has scope %q", s.GetName(), s.Scope)
		}
	}
	set := c.One(wc, "SET", map[string]any{"db.operation.name": "SET", "db.query.text": "SET ? ?", "db.namespace": "3", "db.operation.batch.size": nil})
	WantStatus(t, set, Unset)
	gets := 0
	for _, s := range wc {
		if s.GetName() == "GET" {
			gets++
			WantAttrs(t, s, map[string]any{"db.query.text": "GET ?", "error.type": nil})
			WantStatus(t, s, Unset) // the missing key (redis.Nil) too
		}
	}
	if gets != 2 {
		t.Errorf("%d GET spans under with-context, want 2", gets)
	}
	incr := c.One(wc, "INCR", map[string]any{"error.type": "ERR", "db.response.status_code": "ERR", "db.query.text": "INCR ?"})
	WantStatus(t, incr, Error)
	c.One(wc, "PIPELINE GET", map[string]any{"db.operation.name": "PIPELINE GET", "db.operation.batch.size": int64(2), "db.query.text": "GET ?", "error.type": nil})
	c.One(wc, "PIPELINE", map[string]any{"db.operation.batch.size": int64(2), "db.query.text": "SET ? ?; GET ?"})
	c.One(wc, "MULTI INCR", map[string]any{"db.operation.batch.size": int64(2), "db.query.text": "INCR ?"})
	c.One(wc, "ACL", map[string]any{"db.query.text": "ACL SETUSER ? ? ? ? ?"})

	// context.Background() on the goroutine of a current span, and on a
	// goroutine it started: the parent comes from the goroutine.
	nc := c.Group("without-context")
	c.One(nc, "GET", nil)
	c.One(nc, "INCR", map[string]any{"error.type": nil})

	// A client with a password: its handshake makes no span, AUTH's
	// arguments are redacted.
	auth := c.Group("auth")
	if len(auth) != 2 {
		t.Errorf("auth has %d children, want PING and AUTH:\n%s", len(auth), Dump(auth))
	}
	c.One(auth, "PING", map[string]any{"db.namespace": "0"})
	c.One(auth, "AUTH", map[string]any{"db.query.text": "AUTH ? ?"})

	// A ring over two servers: a span per command, on the shard that ran it.
	ring := c.Group("ring")
	ports := map[any]int{}
	for _, s := range ring {
		if s.GetName() != "SET" || s.Scope != a.Scope {
			t.Errorf("ring has span %q of %q", s.GetName(), s.Scope)
		}
		ports[s.Attr("server.port")]++
	}
	want := map[any]bool{Port(t, RedisShard(t, 0)): true, Port(t, RedisShard(t, 1)): true}
	if len(ring) != 8 || len(ports) != 2 || !want[ring[0].Attr("server.port")] {
		t.Errorf("ring: %d spans on ports %v, want 8 on both shards %v", len(ring), ports, want)
	}

	c.One(c.Group("universal"), "PING", nil)

	c.WantCalls(n)
	for _, s := range spans {
		for _, secret := range redisSecrets {
			if strings.Contains(fmt.Sprint(s.Span), secret) {
				t.Errorf("span %q holds the secret %q: %s", s.GetName(), secret, s.Span)
			}
		}
	}

	ms := r.WaitMetric(t, "db.client.operation.duration")
	WantHistogramPoint(t, ms, map[string]any{
		"db.system.name": "redis", "db.operation.name": "GET", "db.namespace": "3",
		"server.address": "127.0.0.1", "server.port": Port(t, addr),
	})
	WantHistogramPoint(t, ms, map[string]any{"db.operation.name": "INCR", "error.type": "ERR"})
	WantHistogramPoint(t, ms, map[string]any{"db.operation.name": "MULTI INCR"})
	WantDurationUnit(t, ms)
	return c
}

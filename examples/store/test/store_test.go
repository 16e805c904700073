package test

import (
	"cmp"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// module copies the example's module (its Go files, go.mod and go.sum) to a
// directory named store, with go.mod replacing otelgen by OTELGEN_ROOT, as
// testkit.Build wants, rather than by the checkout's relative path.
func module(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "store")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum") {
			continue
		}
		data, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "go.mod" {
			const local = "github.com/otelgen/otelgen => ../.."
			if !strings.Contains(string(data), local) {
				t.Fatalf("../go.mod does not say %q", local)
			}
			data = []byte(strings.Replace(string(data), local, "github.com/otelgen/otelgen => OTELGEN_ROOT", 1))
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func port(t *testing.T, addr string) int64 {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return int64(n)
}

// TestStore builds the example with otelgen, runs it against a real
// PostgreSQL and redis-server, and checks that each of its three requests
// (ada: a cache miss, grace: a miss, ada again: a hit) is one trace: the
// self-call's CLIENT span, the SERVER span under it, and under that the
// Redis GET, on a miss the SQL query and the Redis SET, and the INSERT that
// a goroutine makes without a context; statements redacted.
func TestStore(t *testing.T) {
	bin := testkit.Build(t, module(t))
	dsn := testkit.Postgres(t)
	raddr := testkit.Redis(t)
	r := testkit.StartReceiver(t)
	stdout, stderr, code := testkit.Run(t, bin, testkit.Env(r, "DATABASE_URL="+dsn, "REDIS_ADDR="+raddr))
	if code != 0 {
		t.Fatalf("store exited %d:\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	wantOut := []string{
		"store: GET /greetings/ada -> 200 Hello, Ada! (database)",
		"store: GET /greetings/grace -> 200 Hello, Grace! (database)",
		"store: GET /greetings/ada -> 200 Hello, Ada! (cache)",
	}
	if got := strings.Split(strings.TrimSpace(stderr), "\n"); strings.Join(got, "\n") != strings.Join(wantOut, "\n") {
		t.Errorf("store printed:\n%s\nwant:\n%s", stderr, strings.Join(wantOut, "\n"))
	}

	// The schema's statement and the cache's DEL at start, then 6 spans for
	// each miss and 4 for the hit.
	spans := r.WaitSpans(t, 2+6+6+4)
	if len(spans) != 18 {
		t.Errorf("%d spans, want 18:\n%s", len(spans), testkit.Dump(spans))
	}
	_, pgAddr, _ := strings.Cut(strings.TrimPrefix(dsn, "postgres://"), "@")
	pgAddr, _, _ = strings.Cut(pgAddr, "/")
	pg := map[string]any{
		"db.system.name": "postgresql",
		"db.namespace":   "postgres",
		"server.address": "127.0.0.1",
		"server.port":    port(t, pgAddr),
	}
	redis := map[string]any{
		"db.system.name": "redis",
		"server.address": "127.0.0.1",
		"server.port":    port(t, raddr),
	}

	for _, c := range []struct {
		name string
		miss bool
		nth  int // which request for that name
	}{{"ada", true, 0}, {"grace", true, 0}, {"ada", false, 1}} {
		t.Run(c.name+map[bool]string{true: "/miss", false: "/hit"}[c.miss], func(t *testing.T) {
			// The self-call's CLIENT span, the root of the request's trace.
			var calls []testkit.Span
			for _, s := range spans {
				if s.GetKind() == testkit.Client && s.Attr("url.path") == nil && strings.HasSuffix(asString(s.Attr("url.full")), "/greetings/"+c.name) {
					calls = append(calls, s)
				}
			}
			want := 1 // grace
			if c.name == "ada" {
				want = 2
			}
			if len(calls) != want {
				t.Fatalf("%d client calls for %s, want %d:\n%s", len(calls), c.name, want, testkit.Dump(spans))
			}
			slices.SortFunc(calls, func(a, b testkit.Span) int {
				return cmp.Compare(a.GetStartTimeUnixNano(), b.GetStartTimeUnixNano())
			})
			call := calls[c.nth]
			testkit.WantRoot(t, call)
			var trace []testkit.Span
			for _, s := range spans {
				if s.TraceID() == call.TraceID() {
					trace = append(trace, s)
				}
			}
			want = 4
			if c.miss {
				want = 6
			}
			if len(trace) != want {
				t.Errorf("the trace of GET /greetings/%s has %d spans, want %d:\n%s", c.name, len(trace), want, testkit.Dump(trace))
			}

			srv := testkit.One(t, trace, testkit.Kind(testkit.Server), testkit.ChildOf(call))
			if srv.GetName() != "GET /greetings/{name}" {
				t.Errorf("server span is %q, want %q", srv.GetName(), "GET /greetings/{name}")
			}
			testkit.WantAttrs(t, srv, map[string]any{
				"http.route":                "/greetings/{name}",
				"url.path":                  "/greetings/" + c.name,
				"http.response.status_code": int64(200),
			})

			get := testkit.One(t, trace, testkit.Kind(testkit.Client), testkit.Name("GET"), testkit.ChildOf(srv))
			testkit.WantAttrs(t, get, redis)
			testkit.WantAttrs(t, get, map[string]any{"db.operation.name": "GET", "db.query.text": "GET ?"})

			// The goroutine's INSERT, made with no context, is in the trace.
			ins := testkit.One(t, trace, testkit.Kind(testkit.Client), testkit.Name("INSERT visits"), testkit.ChildOf(srv))
			testkit.WantAttrs(t, ins, pg)
			testkit.WantAttrs(t, ins, map[string]any{
				"db.operation.name":  "INSERT",
				"db.collection.name": "visits",
				"db.query.text":      "INSERT INTO visits (name) VALUES ($1)",
			})

			sel := testkit.Where("SELECT", func(s testkit.Span) bool { return s.GetName() == "SELECT greetings" })
			set := testkit.Where("SET", func(s testkit.Span) bool { return s.GetName() == "SET" })
			if !c.miss {
				for _, s := range trace {
					if s.GetName() == "SELECT greetings" || s.GetName() == "SET" {
						t.Errorf("a cache hit made span %q", s.GetName())
					}
				}
				return
			}
			q := testkit.One(t, trace, testkit.Kind(testkit.Client), sel, testkit.ChildOf(srv))
			testkit.WantAttrs(t, q, pg)
			testkit.WantAttrs(t, q, map[string]any{
				"db.operation.name":  "SELECT",
				"db.collection.name": "greetings",
				// The literal 'en' is redacted; the parameter stays $1.
				"db.query.text": "SELECT greeting FROM greetings WHERE name = $1 AND lang = ?",
			})
			s := testkit.One(t, trace, testkit.Kind(testkit.Client), set, testkit.ChildOf(srv))
			testkit.WantAttrs(t, s, redis)
			// The key, the greeting and the expiry are redacted.
			testkit.WantAttrs(t, s, map[string]any{"db.operation.name": "SET", "db.query.text": "SET ? ? ? ?"})
			if get.GetEndTimeUnixNano() > q.GetStartTimeUnixNano() || q.GetEndTimeUnixNano() > s.GetStartTimeUnixNano() {
				t.Errorf("not GET, then SELECT, then SET:\n%s", testkit.Dump(trace))
			}
		})
	}

	// No greeting, key or name reaches a span's query text.
	for _, s := range spans {
		text := asString(s.Attr("db.query.text"))
		for _, secret := range []string{"Hello", "greeting:", "ada", "grace", "'en'"} {
			if strings.Contains(text, secret) {
				t.Errorf("span %q has %q in db.query.text %q", s.GetName(), secret, text)
			}
		}
	}
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

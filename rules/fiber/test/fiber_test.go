package test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

type reply struct {
	status int
	body   string
}

// get requests each path from base and returns the replies.
func get(t *testing.T, base string, paths ...string) map[string]reply {
	t.Helper()
	out := map[string]reply{}
	for _, p := range paths {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out[p] = reply{resp.StatusCode, string(body)}
	}
	return out
}

// TestFiber builds testdata/app, a fiber v2 server, requests its routes,
// and checks that each request has one SERVER span, fasthttp's, named after
// fiber's route with http.route (a group's prefix included); that the
// handler's fasthttp.Get is a CLIENT span under it and the call a SERVER
// span under that; that a returned fiber.Error and a panic caught by the
// recover middleware are recorded on their spans, once each, while fiber's
// responses stay its own; that an unmatched path gets no route; and that
// the duration metric carries the routes, one count per request.
func TestFiber(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	base := p.WaitPrefix(t, "listening ")
	got := get(t, base, "/users/42", "/api/items/7", "/fail", "/panic", "/nope")
	want := map[string]reply{
		"/users/42":    {200, "user 42: pong"},
		"/api/items/7": {200, "item 7"},
		"/fail":        {503, "database down"},
		"/panic":       {500, "kaboom"}, // as without otelgen
		"/nope":        {404, "Cannot GET /nope"},
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("GET %s: %d %q, want %d %q", path, got[path].status, got[path].body, w.status, w.body)
		}
	}
	p.Stdin.Close() // main returns, and the SDK flushes
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}

	// Six requests reached the server (five from the test, one from the
	// handler), and one left it: seven spans, no more.
	spans := r.WaitSpans(t, 7)
	if len(spans) != 7 {
		t.Errorf("%d spans, want 7:\n%s", len(spans), testkit.Dump(spans))
	}
	server := testkit.Kind(testkit.Server)

	user := testkit.One(t, spans, server, testkit.Attr("url.path", "/users/42"))
	testkit.WantRoot(t, user)
	if user.GetName() != "GET /users/:id" {
		t.Errorf("server span named %q, want %q", user.GetName(), "GET /users/:id")
	}
	testkit.WantAttrs(t, user, map[string]any{
		"http.request.method":       "GET",
		"http.route":                "/users/:id",
		"http.response.status_code": int64(200),
	})
	testkit.WantStatus(t, user, testkit.Unset)
	testkit.WantNoException(t, user)
	cli := testkit.One(t, spans, testkit.Kind(testkit.Client))
	testkit.WantChildOf(t, cli, user)
	ping := testkit.One(t, spans, server, testkit.Name("GET /ping"))
	testkit.WantChildOf(t, ping, cli)
	testkit.WantAttrs(t, ping, map[string]any{"http.route": "/ping"})

	item := testkit.One(t, spans, server, testkit.Attr("url.path", "/api/items/7"))
	if item.GetName() != "GET /api/items/:id" {
		t.Errorf("server span named %q, want %q", item.GetName(), "GET /api/items/:id")
	}

	fail := testkit.One(t, spans, server, testkit.Name("GET /fail"))
	testkit.WantAttrs(t, fail, map[string]any{
		"http.route":                "/fail",
		"http.response.status_code": int64(503),
		"error.type":                "503",
	})
	testkit.WantStatus(t, fail, testkit.Error)
	testkit.WantException(t, fail, "*fiber.Error", "database down")

	pan := testkit.One(t, spans, server, testkit.Name("GET /panic"))
	testkit.WantAttrs(t, pan, map[string]any{
		"http.route":                "/panic",
		"http.response.status_code": int64(500),
		"error.type":                "500",
	})
	testkit.WantStatus(t, pan, testkit.Error)
	ev := testkit.WantException(t, pan, "string", "kaboom") // the panic, not the error recover made of it
	if st, _ := ev["exception.stacktrace"].(string); !strings.Contains(st, "main.main.func") {
		t.Errorf("the panic's stack does not show the handler:\n%s", st)
	}
	if !strings.Contains(pan.GetStatus().GetMessage(), "kaboom") {
		t.Errorf("GET /panic has status message %q, want the panic's", pan.GetStatus().GetMessage())
	}

	nope := testkit.One(t, spans, server, testkit.Attr("url.path", "/nope"))
	if nope.GetName() != "GET" || nope.Attr("http.route") != nil {
		t.Errorf("unmatched GET /nope: span %q with http.route %v, want GET and none", nope.GetName(), nope.Attr("http.route"))
	}
	testkit.WantStatus(t, nope, testkit.Unset)

	ms := r.WaitMetric(t, "http.server.request.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/users/:id", "http.response.status_code": int64(200)})
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/fail", "http.response.status_code": int64(503), "error.type": "503"})
	// One request, one count: the cumulative count of the route's point.
	var count uint64
	for _, m := range ms {
		for _, dp := range m.GetHistogram().GetDataPoints() {
			if testkit.Attrs(dp.GetAttributes())["http.route"] == "/users/:id" {
				count = max(count, dp.GetCount())
			}
		}
	}
	if count != 1 {
		t.Errorf("http.server.request.duration counts GET /users/:id %d times, want 1", count)
	}
}

// TestDisabled runs the same program with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming fiber: fasthttp's server span is still there, without fiber's
// route, and the recover middleware's response is as before.
func TestDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=fiber"))
	base := p.WaitPrefix(t, "listening ")
	got := get(t, base, "/api/items/7", "/panic")
	if got["/api/items/7"] != (reply{200, "item 7"}) || got["/panic"] != (reply{500, "kaboom"}) {
		t.Errorf("replies with fiber disabled: %v", got)
	}
	p.Stdin.Close()
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	spans := r.WaitSpans(t, 2)
	item := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/api/items/7"))
	if item.GetName() != "GET" || item.Attr("http.route") != nil {
		t.Errorf("with fiber disabled: span %q with http.route %v, want GET and none", item.GetName(), item.Attr("http.route"))
	}
	pan := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/panic"))
	testkit.WantNoException(t, pan)
	testkit.WantStatus(t, pan, testkit.Error) // fasthttp's own: the 500
}

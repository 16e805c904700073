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

// TestGin builds testdata/app, a gin server, requests its routes, and checks
// that each request has one SERVER span, net/http's, named after gin's route
// with http.route; that the handler's http.Get is a CLIENT span under it and
// the call a SERVER span under that; that a handler's error and a panic
// caught by gin.Recovery are recorded on the span while the responses stay
// gin's own; that a route behind otelgin's middleware still has one span;
// and that the duration metric carries the routes.
func TestGin(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	base := p.WaitPrefix(t, "listening ")
	got := get(t, base, "/users/42", "/fail", "/bad", "/panic", "/nowhere", "/traced")
	want := map[string]reply{
		"/users/42": {200, "user 42: pong"},
		"/fail":     {500, ""},
		"/bad":      {400, "bad request"},
		"/panic":    {500, ""}, // gin.Recovery's response, as without otelgen
		"/nowhere":  {404, "404 page not found"},
		"/traced":   {200, "traced"},
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
	if !strings.Contains(p.Stderr(), "kaboom") {
		t.Errorf("gin.Recovery did not log the panic; stderr:\n%s", p.Stderr())
	}

	// Seven requests reached the server (six from the test, one from the
	// handler), and one left it: eight spans, no more.
	spans := r.WaitSpans(t, 8)
	if len(spans) != 8 {
		t.Errorf("%d spans, want 8:\n%s", len(spans), testkit.Dump(spans))
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

	fail := testkit.One(t, spans, server, testkit.Name("GET /fail"))
	testkit.WantAttrs(t, fail, map[string]any{
		"http.route":                "/fail",
		"http.response.status_code": int64(500),
		"error.type":                "500",
	})
	testkit.WantStatus(t, fail, testkit.Error)
	if msg := fail.GetStatus().GetMessage(); msg != "database down" {
		t.Errorf("GET /fail has status message %q, want the handler's error", msg)
	}
	testkit.WantException(t, fail, "*errors.errorString", "database down")

	// A 4xx is the client's error: the status stays unset, but the handler's
	// error is there as an event.
	bad := testkit.One(t, spans, server, testkit.Name("GET /bad"))
	testkit.WantAttrs(t, bad, map[string]any{"http.route": "/bad", "http.response.status_code": int64(400), "error.type": nil})
	testkit.WantStatus(t, bad, testkit.Unset)
	testkit.WantException(t, bad, "*errors.errorString", "no such user")

	pan := testkit.One(t, spans, server, testkit.Name("GET /panic"))
	testkit.WantAttrs(t, pan, map[string]any{
		"http.route":                "/panic",
		"http.response.status_code": int64(500),
		"error.type":                "500",
	})
	testkit.WantStatus(t, pan, testkit.Error)
	ev := testkit.WantException(t, pan, "string", "kaboom")
	if st, _ := ev["exception.stacktrace"].(string); !strings.Contains(st, "main.main.func") {
		t.Errorf("the panic's stack trace does not show the handler:\n%s", st)
	}

	// No route matched: the span keeps the method alone.
	none := testkit.One(t, spans, server, testkit.Attr("url.path", "/nowhere"))
	testkit.WantAttrs(t, none, map[string]any{"http.route": nil, "http.response.status_code": int64(404)})
	if none.GetName() != "GET" {
		t.Errorf("unmatched request's span named %q, want GET", none.GetName())
	}

	// otelgin's middleware made no span of its own: the request has
	// net/http's, with gin's route.
	traced := testkit.One(t, spans, testkit.Attr("url.path", "/traced"))
	if traced.GetName() != "GET /traced" || traced.Scope != "github.com/otelgen/otelgen/rules/nethttp" {
		t.Errorf("GET /traced has the span %s", traced)
	}

	ms := r.WaitMetric(t, "http.server.request.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/users/:id", "http.response.status_code": int64(200)})
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/panic", "http.response.status_code": int64(500), "error.type": "500"})
}

// TestGinDisabled runs the same program with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming gin: net/http's span is there, without gin's route.
func TestGinDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=gin"))
	base := p.WaitPrefix(t, "listening ")
	get(t, base, "/fail")
	p.Stdin.Close()
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	s := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server))
	if s.GetName() != "GET" || s.Attr("http.route") != nil {
		t.Errorf("with gin disabled, the server span is %s", s)
	}
	testkit.WantNoException(t, s)
}

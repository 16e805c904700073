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

// TestHTTPRouter builds testdata/app, an httprouter server, requests its
// routes, and checks that each request has one SERVER span, net/http's,
// named after the route's path with http.route; that the handler's http.Get
// is a CLIENT span under it and the call a SERVER span under that; that a
// panic is recorded on its span while the router's PanicHandler still
// answers; and that the duration metric carries the routes.
func TestHTTPRouter(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	base := p.WaitPrefix(t, "listening ")
	got := get(t, base, "/users/42", "/panic", "/nowhere")
	want := map[string]reply{
		"/users/42": {200, "user 42: pong"},
		"/panic":    {500, "recovered\n"}, // the PanicHandler's response, as without otelgen
		"/nowhere":  {404, "404 page not found\n"},
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
		t.Errorf("the PanicHandler did not log the panic; stderr:\n%s", p.Stderr())
	}

	// Four requests reached the server (three from the test, one from the
	// handler), and one left it: five spans, no more.
	spans := r.WaitSpans(t, 5)
	if len(spans) != 5 {
		t.Errorf("%d spans, want 5:\n%s", len(spans), testkit.Dump(spans))
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

	none := testkit.One(t, spans, server, testkit.Attr("url.path", "/nowhere"))
	testkit.WantAttrs(t, none, map[string]any{"http.route": nil, "http.response.status_code": int64(404)})
	if none.GetName() != "GET" {
		t.Errorf("unmatched request's span named %q, want GET", none.GetName())
	}

	ms := r.WaitMetric(t, "http.server.request.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/users/:id", "http.response.status_code": int64(200)})
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/panic", "http.response.status_code": int64(500), "error.type": "500"})
}

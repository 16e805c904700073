package test

import (
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

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
	// Six requests reached the server (five from the test, one from the
	// handler), and one left it: seven spans, no more.
	run := testkit.CheckRouter(t, bin, testkit.Router{
		Requests: []testkit.Request{
			testkit.Req("/users/42", 200, "user 42: pong"),
			testkit.Req("/api/items/7", 200, "item 7"),
			testkit.Req("/fail", 503, "database down"),
			testkit.Req("/panic", 500, "kaboom"), // as without otelgen
			testkit.Req("/nope", 404, "Cannot GET /nope"),
		},
		Spans: 7,
		User:  "/users/:id",
		Ping:  "/ping",
	})
	spans, ms := run.Spans, run.Metrics
	server := testkit.Kind(testkit.Server)

	item := testkit.One(t, spans, server, testkit.Attr("url.path", "/api/items/7"))
	if item.GetName() != "GET /api/items/:id" {
		t.Errorf("server span named %q, want %q", item.GetName(), "GET /api/items/:id")
	}

	fail := testkit.WantRouteSpan(t, spans, "/fail", 503)
	testkit.WantException(t, fail, "*fiber.Error", "database down")

	pan := testkit.WantRouteSpan(t, spans, "/panic", 500)
	testkit.WantPanicEvent(t, pan, "string", "kaboom") // the panic, not the error recover made of it
	if !strings.Contains(pan.GetStatus().GetMessage(), "kaboom") {
		t.Errorf("GET /panic has status message %q, want the panic's", pan.GetStatus().GetMessage())
	}

	testkit.WantUnmatched(t, spans, "/nope", 404)

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
	r, got, _ := testkit.ServeRouter(t, bin, []string{"/api/items/7", "/panic"}, "OTEL_GO_DISABLED_INSTRUMENTATIONS=fiber")
	if got["/api/items/7"] != (testkit.Reply{Status: 200, Body: "item 7"}) || got["/panic"] != (testkit.Reply{Status: 500, Body: "kaboom"}) {
		t.Errorf("replies with fiber disabled: %v", got)
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

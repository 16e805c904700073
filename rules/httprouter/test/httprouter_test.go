package test

import (
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestHTTPRouter builds testdata/app, an httprouter server, requests its
// routes, and checks that each request has one SERVER span, net/http's,
// named after the route's path with http.route; that the handler's http.Get
// is a CLIENT span under it and the call a SERVER span under that; that a
// panic is recorded on its span while the router's PanicHandler still
// answers; and that the duration metric carries the routes.
func TestHTTPRouter(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	// Four requests reached the server (three from the test, one from the
	// handler), and one left it: five spans, no more.
	run := testkit.CheckRouter(t, bin, testkit.Router{
		Requests: []testkit.Request{
			testkit.Req("/users/42", 200, "user 42: pong"),
			testkit.Req("/panic", 500, "recovered\n"), // the PanicHandler's response, as without otelgen
			testkit.Req("/nowhere", 404, "404 page not found\n"),
		},
		Spans:  5,
		User:   "/users/:id",
		Ping:   "/ping",
		Logged: "kaboom",
		Logger: "the PanicHandler",
	})
	pan := testkit.WantRouteSpan(t, run.Spans, "/panic", 500)
	testkit.WantPanicEvent(t, pan, "string", "kaboom")
	testkit.WantUnmatched(t, run.Spans, "/nowhere", 404)
	testkit.WantHistogramPoint(t, run.Metrics, map[string]any{"http.route": "/panic", "http.response.status_code": int64(500), "error.type": "500"})
}

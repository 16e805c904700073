package test

import (
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestEcho builds testdata/app, an echo server, requests its routes, and
// checks that each request has one SERVER span, net/http's, named after
// echo's route with http.route; that the handler's http.Get is a CLIENT span
// under it and the call a SERVER span under that; that a returned
// echo.HTTPError and a panic caught by middleware.Recover are recorded on
// their spans while echo's responses stay its own; and that the duration
// metric carries the routes.
func TestEcho(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	// Four requests reached the server (three from the test, one from the
	// handler), and one left it: five spans, no more.
	run := testkit.CheckRouter(t, bin, testkit.Router{
		Requests: []testkit.Request{
			testkit.Req("/users/42", 200, "user 42: pong"),
			testkit.Req("/fail", 503, `{"message":"database down"}`+"\n"),
			testkit.Req("/panic", 500, `{"message":"Internal Server Error"}`+"\n"), // as without otelgen
		},
		Spans: 5,
		User:  "/users/:id",
		Ping:  "/ping",
	})
	fail := testkit.WantRouteSpan(t, run.Spans, "/fail", 503)
	testkit.WantException(t, fail, "*echo.HTTPError", "database down")

	pan := testkit.WantRouteSpan(t, run.Spans, "/panic", 500)
	testkit.WantException(t, pan, "*errors.errorString", "kaboom")
	if !strings.Contains(pan.GetStatus().GetMessage(), "kaboom") {
		t.Errorf("GET /panic has status message %q, want the panic's", pan.GetStatus().GetMessage())
	}

	testkit.WantHistogramPoint(t, run.Metrics, map[string]any{"http.route": "/fail", "http.response.status_code": int64(503), "error.type": "503"})
}

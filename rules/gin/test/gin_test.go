package test

import (
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestGin builds testdata/app, a gin server, requests its routes, and checks
// that each request has one SERVER span, net/http's, named after gin's route
// with http.route; that the handler's http.Get is a CLIENT span under it and
// the call a SERVER span under that; that a handler's error and a panic
// caught by gin.Recovery are recorded on the span while the responses stay
// gin's own; that a route behind otelgin's middleware still has one span;
// and that the duration metric carries the routes.
func TestGin(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	// Seven requests reached the server (six from the test, one from the
	// handler), and one left it: eight spans, no more.
	run := testkit.CheckRouter(t, bin, testkit.Router{
		Requests: []testkit.Request{
			testkit.Req("/users/42", 200, "user 42: pong"),
			testkit.Req("/fail", 500, ""),
			testkit.Req("/bad", 400, "bad request"),
			testkit.Req("/panic", 500, ""), // gin.Recovery's response, as without otelgen
			testkit.Req("/nowhere", 404, "404 page not found"),
			testkit.Req("/traced", 200, "traced"),
		},
		Spans:  8,
		User:   "/users/:id",
		Ping:   "/ping",
		Logged: "kaboom",
		Logger: "gin.Recovery",
	})
	spans := run.Spans

	fail := testkit.WantRouteSpan(t, spans, "/fail", 500)
	if msg := fail.GetStatus().GetMessage(); msg != "database down" {
		t.Errorf("GET /fail has status message %q, want the handler's error", msg)
	}
	testkit.WantException(t, fail, "*errors.errorString", "database down")

	// A 4xx is the client's error: the status stays unset, but the handler's
	// error is there as an event.
	bad := testkit.WantRouteSpan(t, spans, "/bad", 400)
	testkit.WantException(t, bad, "*errors.errorString", "no such user")

	pan := testkit.WantRouteSpan(t, spans, "/panic", 500)
	testkit.WantPanicEvent(t, pan, "string", "kaboom")

	// No route matched: the span keeps the method alone.
	testkit.WantUnmatched(t, spans, "/nowhere", 404)

	// otelgin's middleware made no span of its own: the request has
	// net/http's, with gin's route.
	traced := testkit.One(t, spans, testkit.Attr("url.path", "/traced"))
	if traced.GetName() != "GET /traced" || traced.Scope != "github.com/otelgen/otelgen/rules/nethttp" {
		t.Errorf("GET /traced has the span %s", traced)
	}

	testkit.WantHistogramPoint(t, run.Metrics, map[string]any{"http.route": "/panic", "http.response.status_code": int64(500), "error.type": "500"})
}

// TestGinDisabled runs the same program with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming gin: net/http's span is there, without gin's route.
func TestGinDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r, _, _ := testkit.ServeRouter(t, bin, []string{"/fail"}, "OTEL_GO_DISABLED_INSTRUMENTATIONS=gin")
	s := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server))
	if s.GetName() != "GET" || s.Attr("http.route") != nil {
		t.Errorf("with gin disabled, the server span is %s", s)
	}
	testkit.WantNoException(t, s)
}

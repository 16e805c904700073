package test

import (
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	sayHello  = "helloworld.v1.Greeter/SayHello"
	httpScope = "github.com/otelgen/otelgen/rules/nethttp"
	grpcScope = "github.com/otelgen/otelgen/rules/grpc"
)

// wantOut is what the app prints, with or without otelgen: the calls'
// outcomes, Kratos' errors and recoveries included.
var wantOut = []string{
	"GET /helloworld/ada: map[message:hello ada] ok",
	"GET /users/ghost: map[] 404 USER_NOT_FOUND",
	"GET /users/flaky: map[] 503 USERS_DOWN",
	"GET /panic: map[] 500 UNKNOWN",
	"GET /health: 200 ok",
	`SayHello(ghost): "" 404 USER_NOT_FOUND`,
	`SayHello(panic): "" 500 UNKNOWN`,
}

// nSpans is the spans of one run: five HTTP calls (a CLIENT and a SERVER
// span each) and three gRPC calls (the same), one span per side of a call.
const nSpans = 16

// calls returns the spans of the app's calls: all but the server span of
// the health check that every Kratos gRPC client conn keeps open
// (grpc.health.v1.Health/Watch, which gRPC makes without a client span, and
// which ends whenever the conn closes).
func calls(t *testing.T, r *testkit.Receiver) []testkit.Span {
	t.Helper()
	var out []testkit.Span
	for _, s := range r.WaitSpans(t, nSpans) {
		if s.Attr("rpc.method") != "grpc.health.v1.Health/Watch" {
			out = append(out, s)
		}
	}
	return out
}

// run builds testdata/app (with opts), runs it with env and args until it
// has made its calls and ended, checks what it printed, and returns its
// stdout and stderr.
func run(t *testing.T, env []string, args []string, opts ...testkit.Option) (string, string) {
	t.Helper()
	bin := testkit.Build(t, "testdata/app", opts...)
	p := testkit.Start(t, bin, env, args...)
	p.WaitLine(t, "done")
	p.Stdin.Close()
	out, state := p.Wait(t)
	if !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	for _, w := range wantOut {
		if !strings.Contains(out, w+"\n") {
			t.Errorf("the app did not print %q; it printed\n%s", w, out)
		}
	}
	// Kratos' recovery middleware logged both panics, as without otelgen.
	for _, w := range []string{"route kaboom", "greeter kaboom"} {
		if !strings.Contains(p.Stderr(), w) {
			t.Errorf("the recovery middleware did not log %q; stderr:\n%s", w, p.Stderr())
		}
	}
	return out, p.Stderr()
}

// checkSpans asserts the span tree of one run of the app: one SERVER span
// per request, net/http's or gRPC's, named after the Kratos route, with
// the Kratos operation; Kratos clients' CLIENT spans as the servers'
// parents; errors and panics on the spans of their requests.
func checkSpans(t *testing.T, spans []testkit.Span) {
	t.Helper()
	if len(spans) != nSpans {
		t.Errorf("%d spans, want %d:\n%s", len(spans), nSpans, testkit.Dump(spans))
	}
	for _, s := range spans {
		if s.Scope != httpScope && s.Scope != grpcScope {
			t.Errorf("span from scope %q: %s", s.Scope, s)
		}
	}
	server, client := testkit.Kind(testkit.Server), testkit.Kind(testkit.Client)
	hsrv := func(path string) testkit.Span {
		t.Helper()
		s := testkit.One(t, spans, server, testkit.Attr("url.path", path))
		c := testkit.One(t, spans, client, testkit.Attr("http.request.method", "GET"),
			testkit.Where("url.full ends with "+path, func(c testkit.Span) bool {
				u, _ := c.Attr("url.full").(string)
				return strings.HasSuffix(u, path)
			}))
		testkit.WantRoot(t, c)
		testkit.WantChildOf(t, s, c)
		return s
	}

	// The route whose handler calls SayHello: HTTP client -> server ->
	// gRPC client -> server, one trace.
	ada := hsrv("/helloworld/ada")
	if ada.GetName() != "GET /helloworld/{name}" {
		t.Errorf("server span named %q, want GET /helloworld/{name}", ada.GetName())
	}
	testkit.WantAttrs(t, ada, map[string]any{
		"http.route":                "/helloworld/{name}",
		"kratos.operation":          "/" + sayHello,
		"http.response.status_code": int64(200),
	})
	testkit.WantStatus(t, ada, testkit.Unset)
	testkit.WantNoException(t, ada)
	gcli := testkit.One(t, spans, client, testkit.Name(sayHello), testkit.ChildOf(ada))
	gsrv := testkit.One(t, spans, server, testkit.ChildOf(gcli))
	testkit.WantAttrs(t, gsrv, map[string]any{
		"rpc.method":               sayHello,
		"rpc.response.status_code": "OK",
		"kratos.operation":         "/" + sayHello,
	})
	if gsrv.GetName() != sayHello {
		t.Errorf("gRPC server span named %q", gsrv.GetName())
	}

	// A Kratos NotFound: 404, an exception event, the status left unset.
	ghost := hsrv("/users/ghost")
	testkit.WantAttrs(t, ghost, map[string]any{
		"http.route":                "/users/{name}",
		"kratos.operation":          "/helloworld.v1.Users/Get",
		"http.response.status_code": int64(404),
	})
	if ghost.GetName() != "GET /users/{name}" {
		t.Errorf("server span named %q", ghost.GetName())
	}
	testkit.WantStatus(t, ghost, testkit.Unset)
	testkit.WantException(t, ghost, "*errors.Error", "error: code = 404 reason = USER_NOT_FOUND message = no user ghost metadata = map[] cause = <nil>")

	// A Kratos ServiceUnavailable: 503, an error.
	flaky := hsrv("/users/flaky")
	testkit.WantAttrs(t, flaky, map[string]any{
		"http.route":                "/users/{name}",
		"http.response.status_code": int64(503),
		"error.type":                "503",
	})
	testkit.WantStatus(t, flaky, testkit.Error)
	testkit.WantException(t, flaky, "*errors.Error", "error: code = 503 reason = USERS_DOWN message = the user store is down metadata = map[] cause = <nil>")

	// A panic that Kratos' recovery middleware recovered: the panic, with
	// the handler's stack, and the 500 it answered.
	pan := hsrv("/panic")
	testkit.WantAttrs(t, pan, map[string]any{
		"http.route":                "/panic",
		"kratos.operation":          "/panic",
		"http.response.status_code": int64(500),
		"error.type":                "500",
	})
	testkit.WantStatus(t, pan, testkit.Error)
	ev := testkit.WantException(t, pan, "string", "route kaboom")
	if st, _ := ev["exception.stacktrace"].(string); !strings.Contains(st, "main.main.func") {
		t.Errorf("the panic's stack trace does not show the handler:\n%s", st)
	}

	// A plain net/http handler on the Kratos server: named by its path,
	// which is its operation too.
	health := hsrv("/health")
	if health.GetName() != "GET /health" {
		t.Errorf("server span named %q", health.GetName())
	}
	testkit.WantAttrs(t, health, map[string]any{"http.route": "/health", "kratos.operation": "/health"})

	// gRPC calls from main: the Kratos errors' codes, and the panic.
	gghost := testkit.One(t, spans, server, testkit.Name(sayHello), testkit.Attr("rpc.response.status_code", "NOT_FOUND"))
	testkit.WantStatus(t, gghost, testkit.Unset)
	testkit.WantRoot(t, testkit.One(t, spans, client, testkit.Name(sayHello), testkit.Attr("rpc.response.status_code", "NOT_FOUND")))
	gpanic := testkit.One(t, spans, server, testkit.Name(sayHello), testkit.Attr("rpc.response.status_code", "INTERNAL"))
	testkit.WantStatus(t, gpanic, testkit.Error)
	testkit.WantException(t, gpanic, "string", "greeter kaboom")
	testkit.WantAttrs(t, gpanic, map[string]any{"kratos.operation": "/" + sayHello, "error.type": "INTERNAL"})
}

// TestKratos runs the app without Kratos' tracing middleware: the spans
// are net/http's and gRPC's, with the Kratos route and operation, and the
// duration metric carries the route.
func TestKratos(t *testing.T) {
	r := testkit.StartReceiver(t)
	out, _ := run(t, testkit.Env(r), nil)
	spans := calls(t, r)
	checkSpans(t, spans)
	// The handler's context carries the request's span.
	gsrv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name(sayHello), testkit.Attr("rpc.response.status_code", "OK"))
	if !strings.Contains(out, "SayHello ada trace="+gsrv.TraceID()) {
		t.Errorf("the handler did not log trace %s:\n%s", gsrv.TraceID(), out)
	}
	ms := r.WaitMetric(t, "http.server.request.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/helloworld/{name}", "http.response.status_code": int64(200)})
	testkit.WantHistogramPoint(t, ms, map[string]any{"http.route": "/users/{name}", "http.response.status_code": int64(503)})
}

// TestTracingMiddleware runs the app with Kratos' tracing.Server and
// tracing.Client middleware on its servers and clients: still one span per
// side of each call, otelgen's (no span of Kratos' scope), and Kratos'
// tracing.TraceID log valuer gives the id of the trace otelgen exported.
func TestTracingMiddleware(t *testing.T) {
	r := testkit.StartReceiver(t)
	out, _ := run(t, testkit.Env(r), []string{"tracing"})
	spans := calls(t, r)
	checkSpans(t, spans)
	gsrv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name(sayHello), testkit.Attr("rpc.response.status_code", "OK"))
	if !strings.Contains(out, "SayHello ada trace="+gsrv.TraceID()) {
		t.Errorf("tracing.TraceID did not give trace %s:\n%s", gsrv.TraceID(), out)
	}
}

// TestDisabled turns the integration off with
// OTEL_GO_DISABLED_INSTRUMENTATIONS: net/http's and gRPC's spans stay,
// without the Kratos operation or the handler's error events, and Kratos'
// own tracing middleware makes its spans as it does without otelgen.
func TestDisabled(t *testing.T) {
	r := testkit.StartReceiver(t)
	run(t, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=kratos"), []string{"tracing"})
	spans := calls(t, r)
	kratos := 0
	for _, s := range spans {
		if s.Scope == "kratos" {
			kratos++
		}
		if _, ok := s.Attrs()["kratos.operation"]; ok {
			t.Errorf("span with kratos.operation: %s", s)
		}
	}
	if kratos == 0 {
		t.Errorf("Kratos' tracing middleware made no span:\n%s", testkit.Dump(spans))
	}
	flaky := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/users/flaky"))
	testkit.WantNoException(t, flaky)
}

// TestRace runs the app built with the race detector.
func TestRace(t *testing.T) {
	if !testkit.RaceSupported() {
		t.Skip("no race detector on this platform")
	}
	r := testkit.StartReceiver(t)
	run(t, testkit.Env(r), nil, testkit.Race())
	checkSpans(t, calls(t, r))
}

package test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	remoteTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	remoteSpan  = "00f067aa0ba902b7"
)

// get requests base+path with net/http, with headers, and returns the
// status and body.
func get(t *testing.T, base, path string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "hertz-test/1")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(body)
}

func TestServerAndClient(t *testing.T) { serverAndClient(t) }

// TestRace runs the same requests against the program built with -race.
func TestRace(t *testing.T) { serverAndClient(t, testkit.Race()) }

// serverAndClient builds testdata/app, whose front server calls its back
// server with a Hertz client, requests GET /users/ada with a traceparent,
// then /fail, /panic and /missing, and checks the trace: one SERVER span per
// request, named after its route with http.route and the stable
// attributes; the CLIENT span under the front's span and the back's SERVER
// span under it; a handler's error, a recovered panic (500, an exception
// event with the stack), a 404; both duration histograms.
func serverAndClient(t *testing.T, opts ...testkit.Option) {
	bin := testkit.Build(t, "testdata/app", opts...)
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	bare := p.WaitPrefix(t, "bare ")
	base := p.WaitPrefix(t, "listening ")
	if code, body := get(t, base, "/users/ada?token=s3cret&lang=en", map[string]string{
		"traceparent": "00-" + remoteTrace + "-" + remoteSpan + "-01",
	}); code != 200 || body != "hello, ada" {
		t.Fatalf("GET /users/ada: %d %q", code, body)
	}
	if code, body := get(t, base, "/fail", nil); code != 503 || body != "database down" {
		t.Errorf("GET /fail: %d %q", code, body)
	}
	if code, _ := get(t, base, "/panic", nil); code != 500 {
		t.Errorf("GET /panic: %d, want the recovery middleware's 500", code)
	}
	if code, _ := get(t, base, "/missing", nil); code != 404 {
		t.Errorf("GET /missing: %d", code)
	}
	// The server lived through the panic, as it did without otelgen.
	if code, body := get(t, base, "/users/bob", nil); code != 200 || body != "hello, bob" {
		t.Errorf("GET /users/bob after the panic: %d %q", code, body)
	}
	// No recovery middleware: nothing answers, the panic goes on to
	// netpoll's worker pool as before, and the server goes on serving.
	crashClient := &http.Client{Timeout: time.Second}
	if resp, err := crashClient.Get(bare + "/crash"); err == nil {
		resp.Body.Close()
		t.Errorf("GET /crash answered %d", resp.StatusCode)
	}
	// The worker pool logs the panic on a goroutine of its own, maybe after
	// the client saw the connection close: wait for it before main returns.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && !strings.Contains(p.Stderr(), "crash without recovery"); {
		time.Sleep(20 * time.Millisecond)
	}
	p.Stdin.Close() // main returns, and the SDK flushes
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	if !strings.Contains(p.Stderr(), "crash without recovery") {
		t.Errorf("netpoll did not log the unrecovered panic:\n%s", p.Stderr())
	}
	if !strings.Contains(p.Stderr(), "handler exploded") {
		t.Errorf("the recovery middleware did not log the panic:\n%s", p.Stderr())
	}

	// Five requests to front, two from front to back, one to bare: ten
	// spans, no more.
	spans := r.WaitSpans(t, 10)
	if len(spans) != 10 {
		t.Errorf("%d spans, want 10:\n%s", len(spans), testkit.Dump(spans))
	}
	server, client := testkit.Kind(testkit.Server), testkit.Kind(testkit.Client)

	user := testkit.One(t, spans, server, testkit.Attr("url.path", "/users/ada"))
	if user.TraceID() != remoteTrace || user.ParentID() != remoteSpan {
		t.Errorf("GET /users/ada has trace %s parent %s, want the traceparent's %s %s", user.TraceID(), user.ParentID(), remoteTrace, remoteSpan)
	}
	if user.GetName() != "GET /users/:id" {
		t.Errorf("server span named %q, want GET /users/:id", user.GetName())
	}
	testkit.WantAttrs(t, user, map[string]any{
		"http.request.method":       "GET",
		"http.route":                "/users/:id",
		"url.scheme":                "http",
		"url.query":                 "token=REDACTED&lang=en",
		"server.address":            "127.0.0.1",
		"network.protocol.version":  "1.1",
		"user_agent.original":       "hertz-test/1",
		"client.address":            "127.0.0.1",
		"http.response.status_code": int64(200),
	})
	if port, _ := user.Attr("server.port").(int64); port == 0 || !strings.HasSuffix(base, ":"+strconv.FormatInt(port, 10)) {
		t.Errorf("GET /users/ada has server.port %v; the server is %s", user.Attr("server.port"), base)
	}
	testkit.WantStatus(t, user, testkit.Unset)

	greetCli := testkit.One(t, spans, client, testkit.ChildOf(user))
	if greetCli.GetName() != "GET" {
		t.Errorf("client span named %q, want GET", greetCli.GetName())
	}
	if u, _ := greetCli.Attr("url.full").(string); !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasSuffix(u, "/greeting?name=ada&token=REDACTED") {
		t.Errorf("client span has url.full %q", u)
	}
	testkit.WantAttrs(t, greetCli, map[string]any{
		"http.request.method":       "GET",
		"server.address":            "127.0.0.1",
		"http.response.status_code": int64(200),
		"network.protocol.version":  "1.1",
	})
	greet := testkit.One(t, spans, server, testkit.ChildOf(greetCli))
	if greet.GetName() != "GET /greeting" {
		t.Errorf("back's server span named %q, want GET /greeting", greet.GetName())
	}
	testkit.WantAttrs(t, greet, map[string]any{"http.route": "/greeting", "url.path": "/greeting"})

	fail := testkit.One(t, spans, server, testkit.Attr("url.path", "/fail"))
	testkit.WantRoot(t, fail)
	testkit.WantAttrs(t, fail, map[string]any{"http.response.status_code": int64(503), "error.type": "503", "http.route": "/fail"})
	testkit.WantStatus(t, fail, testkit.Error)
	testkit.WantException(t, fail, "*errors.errorString", "database down")

	pan := testkit.One(t, spans, server, testkit.Attr("url.path", "/panic"))
	if pan.GetName() != "GET /panic" {
		t.Errorf("panicking request's span named %q", pan.GetName())
	}
	testkit.WantAttrs(t, pan, map[string]any{"http.response.status_code": int64(500), "error.type": "500"})
	testkit.WantStatus(t, pan, testkit.Error)
	ev := testkit.WantException(t, pan, "string", "handler exploded")
	if st, _ := ev["exception.stacktrace"].(string); !strings.Contains(st, "/main.go:") {
		t.Errorf("panic's stack does not reach the handler:\n%s", st)
	}

	crash := testkit.One(t, spans, server, testkit.Attr("url.path", "/crash"))
	testkit.WantRoot(t, crash)
	testkit.WantAttrs(t, crash, map[string]any{"http.route": "/crash", "http.response.status_code": int64(500), "error.type": "500"})
	testkit.WantStatus(t, crash, testkit.Error)
	testkit.WantException(t, crash, "string", "crash without recovery")

	missing := testkit.One(t, spans, server, testkit.Attr("url.path", "/missing"))
	if missing.GetName() != "GET" || missing.Attr("http.route") != nil {
		t.Errorf("404 span named %q with http.route %v, want GET and none", missing.GetName(), missing.Attr("http.route"))
	}
	testkit.WantAttrs(t, missing, map[string]any{"http.response.status_code": int64(404)})
	testkit.WantStatus(t, missing, testkit.Unset)

	for _, s := range spans {
		for k, v := range s.Attrs() {
			if str, _ := v.(string); strings.Contains(str, "s3cret") {
				t.Errorf("span %q exports the secret in %s=%q", s.GetName(), k, str)
			}
		}
		if s.Scope != "github.com/otelgen/otelgen/rules/hertz" || s.Resource["service.name"] != "app" {
			t.Errorf("span %q has scope %q and service.name %v", s.GetName(), s.Scope, s.Resource["service.name"])
		}
	}

	testkit.WantHistogramPoint(t, r.WaitMetric(t, "http.server.request.duration"), map[string]any{
		"http.request.method":       "GET",
		"url.scheme":                "http",
		"http.route":                "/users/:id",
		"http.response.status_code": int64(200),
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "http.server.request.duration"), map[string]any{
		"http.route":                "/panic",
		"http.response.status_code": int64(500),
		"error.type":                "500",
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "http.client.request.duration"), map[string]any{
		"http.request.method":       "GET",
		"server.address":            "127.0.0.1",
		"http.response.status_code": int64(200),
	})
}

// TestDisabled runs the same program with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming hertz: it serves and calls as before, and exports no span.
func TestDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=hertz"))
	base := p.WaitPrefix(t, "listening ")
	if code, body := get(t, base, "/users/ada", nil); code != 200 || body != "hello, ada" {
		t.Fatalf("GET /users/ada: %d %q", code, body)
	}
	if code, _ := get(t, base, "/panic", nil); code != 500 {
		t.Errorf("GET /panic: %d", code)
	}
	p.Stdin.Close()
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	time.Sleep(200 * time.Millisecond)
	if spans := r.Spans(); len(spans) != 0 {
		t.Errorf("%d spans with hertz disabled:\n%s", len(spans), testkit.Dump(spans))
	}
}

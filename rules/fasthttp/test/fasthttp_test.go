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
	req.Header.Set("User-Agent", "fasthttp-test/1")
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

// TestServerAndClient builds testdata/app, whose three fasthttp servers
// listen through Server.Serve, fasthttp.ServeConn and
// fasthttp.ListenAndServe, requests GET /hello with a traceparent, and
// checks the trace: the front's SERVER span under the remote parent, with
// the stable attributes and the secret query value redacted; under it the
// CLIENT spans of Client.Do and of fasthttp.Get (made on another goroutine,
// without a context), each with its server's SERVER span under it; then the
// spans of a 503, of TimeoutHandler's 408 and of a 404, and both duration
// histograms.
func TestServerAndClient(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	base := p.WaitPrefix(t, "listening ")
	if code, body := get(t, base, "/hello?token=s3cret&lang=en", map[string]string{
		"traceparent": "00-" + remoteTrace + "-" + remoteSpan + "-01",
	}); code != 200 || body != "hello, ada" {
		t.Fatalf("GET /hello: %d %q", code, body)
	}
	if code, body := get(t, base, "/fail", nil); code != 503 || body != "database down" {
		t.Errorf("GET /fail: %d %q", code, body)
	}
	if code, body := get(t, base, "/slow", nil); code != 408 || body != "too slow" {
		t.Errorf("GET /slow: %d %q", code, body)
	}
	if code, _ := get(t, base, "/missing", nil); code != 404 {
		t.Errorf("GET /missing: %d", code)
	}
	p.Stdin.Close() // main returns, and the SDK flushes
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}

	// Six requests reached a server, two left one: eight spans, no more.
	spans := r.WaitSpans(t, 8)
	if len(spans) != 8 {
		t.Errorf("%d spans, want 8:\n%s", len(spans), testkit.Dump(spans))
	}
	server, client := testkit.Kind(testkit.Server), testkit.Kind(testkit.Client)

	hello := testkit.One(t, spans, server, testkit.Attr("url.path", "/hello"))
	if hello.TraceID() != remoteTrace || hello.ParentID() != remoteSpan {
		t.Errorf("GET /hello has trace %s parent %s, want the traceparent's %s %s", hello.TraceID(), hello.ParentID(), remoteTrace, remoteSpan)
	}
	if hello.GetName() != "GET" {
		t.Errorf("server span named %q, want GET", hello.GetName())
	}
	testkit.WantAttrs(t, hello, map[string]any{
		"http.request.method":       "GET",
		"url.scheme":                "http",
		"url.query":                 "token=REDACTED&lang=en",
		"server.address":            "127.0.0.1",
		"network.protocol.version":  "1.1",
		"user_agent.original":       "fasthttp-test/1",
		"client.address":            "127.0.0.1",
		"http.response.status_code": int64(200),
	})
	if port, _ := hello.Attr("server.port").(int64); port == 0 || !strings.HasSuffix(base, ":"+strconv.FormatInt(port, 10)) {
		t.Errorf("GET /hello has server.port %v; the server is %s", hello.Attr("server.port"), base)
	}
	testkit.WantStatus(t, hello, testkit.Unset)

	greetCli := testkit.One(t, spans, client, testkit.Where("url.full ends in /greeting?...", func(s testkit.Span) bool {
		u, _ := s.Attr("url.full").(string)
		return strings.Contains(u, "/greeting?")
	}))
	testkit.WantChildOf(t, greetCli, hello)
	if u := greetCli.Attr("url.full").(string); !strings.HasSuffix(u, "/greeting?name=ada&token=REDACTED") || !strings.HasPrefix(u, "http://127.0.0.1:") {
		t.Errorf("client span has url.full %q", u)
	}
	testkit.WantAttrs(t, greetCli, map[string]any{
		"http.request.method":       "GET",
		"server.address":            "127.0.0.1",
		"http.response.status_code": int64(200),
		"network.protocol.version":  "1.1",
	})
	greet := testkit.One(t, spans, server, testkit.Attr("url.path", "/greeting"))
	testkit.WantChildOf(t, greet, greetCli) // ServeConn, and the context in the headers

	auditCli := testkit.One(t, spans, client, testkit.Where("url.full ends in /audit", func(s testkit.Span) bool {
		u, _ := s.Attr("url.full").(string)
		return strings.HasSuffix(u, "/audit")
	}))
	testkit.WantChildOf(t, auditCli, hello) // through the goroutine
	testkit.WantAttrs(t, auditCli, map[string]any{"http.response.status_code": int64(204)})
	audit := testkit.One(t, spans, server, testkit.Attr("url.path", "/audit"))
	testkit.WantChildOf(t, audit, auditCli) // ListenAndServe

	fail := testkit.One(t, spans, server, testkit.Attr("url.path", "/fail"))
	testkit.WantRoot(t, fail)
	testkit.WantAttrs(t, fail, map[string]any{"http.response.status_code": int64(503), "error.type": "503"})
	testkit.WantStatus(t, fail, testkit.Error)
	// The status of TimeoutHandler's response, which the client got.
	slow := testkit.One(t, spans, server, testkit.Attr("url.path", "/slow"))
	testkit.WantAttrs(t, slow, map[string]any{"http.response.status_code": int64(408)})
	missing := testkit.One(t, spans, server, testkit.Attr("url.path", "/missing"))
	testkit.WantAttrs(t, missing, map[string]any{"http.response.status_code": int64(404)})
	testkit.WantStatus(t, missing, testkit.Unset)

	for _, s := range spans {
		for k, v := range s.Attrs() {
			if str, _ := v.(string); strings.Contains(str, "s3cret") {
				t.Errorf("span %q exports the secret in %s=%q", s.GetName(), k, str)
			}
		}
		if s.Scope != "github.com/otelgen/otelgen/rules/fasthttp" || s.Resource["service.name"] != "app" {
			t.Errorf("span %q has scope %q and service.name %v", s.GetName(), s.Scope, s.Resource["service.name"])
		}
	}

	testkit.WantHistogramPoint(t, r.WaitMetric(t, "http.server.request.duration"), map[string]any{
		"http.request.method":       "GET",
		"url.scheme":                "http",
		"http.response.status_code": int64(503),
		"error.type":                "503",
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "http.client.request.duration"), map[string]any{
		"http.request.method":       "GET",
		"server.address":            "127.0.0.1",
		"http.response.status_code": int64(204),
	})
}

// TestDisabled runs the same program with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming fasthttp: it serves and calls as before, and exports no span.
func TestDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=fasthttp"))
	base := p.WaitPrefix(t, "listening ")
	if code, body := get(t, base, "/hello", nil); code != 200 || body != "hello, ada" {
		t.Fatalf("GET /hello: %d %q", code, body)
	}
	p.Stdin.Close()
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	time.Sleep(200 * time.Millisecond)
	if spans := r.Spans(); len(spans) != 0 {
		t.Errorf("%d spans with fasthttp disabled:\n%s", len(spans), testkit.Dump(spans))
	}
}

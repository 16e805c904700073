package test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestServerCallsClient builds testdata/app with the integration, requests
// GET /hello/ada from it, and checks the trace: the SERVER span of the route,
// the CLIENT span of the handler's http.Get under it (found through the
// goroutine, since http.Get has no context), and the SERVER span of the call
// under that; then the server's duration histogram. GET /panic, whose
// handler panics, has status 500, an error status and the panic as an
// exception event, while net/http recovers and logs it as before.
func TestServerCallsClient(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	base := p.WaitPrefix(t, "listening ")
	resp, err := http.Get(base + "/hello/ada?token=s3cret&lang=en")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello, ada" {
		t.Fatalf("GET /hello/ada: %s %q", resp.Status, body)
	}
	// net/http recovers the panic, logs it and closes the connection. (On a
	// new connection: the client would send a GET again on a reused one.)
	fresh := &http.Client{Transport: &http.Transport{}}
	if _, err := fresh.Get(base + "/panic"); err == nil {
		t.Errorf("GET /panic answered; want the connection closed")
	}
	p.Stdin.Close() // main returns, and the SDK flushes
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}

	if !strings.Contains(p.Stderr(), "http: panic serving") {
		t.Errorf("net/http did not log the panic; stderr:\n%s", p.Stderr())
	}

	spans := r.WaitSpans(t, 4)
	pan := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /panic"))
	testkit.WantAttrs(t, pan, map[string]any{
		"http.route":                "/panic",
		"http.response.status_code": int64(500),
		"error.type":                "500",
	})
	testkit.WantStatus(t, pan, testkit.Error)
	testkit.WantException(t, pan, "string", "kaboom")

	srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /hello/{name}"))
	testkit.WantRoot(t, srv) // the test's request carries no trace context
	testkit.WantAttrs(t, srv, map[string]any{
		"http.request.method":       "GET",
		"url.path":                  "/hello/ada",
		"url.query":                 "token=REDACTED&lang=en", // a secret's value never leaves
		"http.route":                "/hello/{name}",
		"http.response.status_code": int64(200),
	})
	testkit.WantStatus(t, srv, testkit.Unset)

	cli := testkit.One(t, spans, testkit.Kind(testkit.Client))
	testkit.WantChildOf(t, cli, srv)
	if u, _ := cli.Attr("url.full").(string); !strings.HasSuffix(u, "/greeting?name=ada") {
		t.Errorf("client span has url.full %q", u)
	}
	testkit.WantAttrs(t, cli, map[string]any{
		"http.request.method":       "GET",
		"server.address":            "127.0.0.1",
		"http.response.status_code": int64(200),
	})

	greet := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/greeting"))
	testkit.WantChildOf(t, greet, cli)
	for _, s := range spans {
		for k, v := range s.Attrs() {
			if str, _ := v.(string); strings.Contains(str, "s3cret") {
				t.Errorf("span %q exports the secret in %s=%q", s.GetName(), k, str)
			}
		}
		if s.Scope != "github.com/otelgen/otelgen/rules/nethttp" || s.Resource["service.name"] != "app" {
			t.Errorf("span %q has scope %q and service.name %v", s.GetName(), s.Scope, s.Resource["service.name"])
		}
	}

	testkit.WantHistogramPoint(t, r.WaitMetric(t, "http.server.request.duration"), map[string]any{
		"http.request.method":       "GET",
		"http.route":                "/hello/{name}",
		"http.response.status_code": int64(200),
	})
}

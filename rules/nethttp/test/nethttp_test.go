package test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
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
	req, _ := http.NewRequest("GET", base+"/hello/ada?token=s3cret&lang=en", nil)
	req.Header.Set("X-Request-Id", "r-1")
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
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
		// otelgen.yaml's request_headers, as a string slice.
		"http.request.header.x-request-id":  []any{"r-1"},
		"http.request.header.authorization": nil,
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
			if str := fmt.Sprint(v); strings.Contains(str, "s3cret") {
				t.Errorf("span %q exports the secret in %s=%q", s.GetName(), k, str)
			}
		}
		if s.Scope != "github.com/otelgen/otelgen/rules/nethttp" || s.Resource["service.name"] != "app" {
			t.Errorf("span %q has scope %q and service.name %v", s.GetName(), s.Scope, s.Resource["service.name"])
		}
	}

	// Each duration point has exactly the attributes the conventions give
	// it: the hooks make each set once and keep it, and a kept set must be
	// the whole set.
	host, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	var portN int64
	fmt.Sscan(port, &portN)
	wantPoint(t, r.WaitMetric(t, "http.server.request.duration"), map[string]any{
		"http.request.method":       "GET",
		"url.scheme":                "http",
		"network.protocol.version":  "1.1",
		"server.address":            host,
		"server.port":               portN,
		"http.route":                "/hello/{name}",
		"http.response.status_code": int64(200),
	})
	wantPoint(t, r.WaitMetric(t, "http.server.request.duration"), map[string]any{
		"http.request.method":       "GET",
		"url.scheme":                "http",
		"network.protocol.version":  "1.1",
		"server.address":            host,
		"server.port":               portN,
		"http.route":                "/panic",
		"http.response.status_code": int64(500),
		"error.type":                "500",
	})
	client := r.WaitMetric(t, "http.client.request.duration")
	for _, p := range testkit.HistogramPoints(client) {
		p["server.port"] = "any" // the greeter's port, which the test does not know
		want := map[string]any{
			"http.request.method":       "GET",
			"server.address":            "127.0.0.1",
			"server.port":               "any",
			"network.protocol.version":  "1.1",
			"http.response.status_code": int64(200),
		}
		if !reflect.DeepEqual(p, want) {
			t.Errorf("http.client.request.duration point %v, want %v", p, want)
		}
	}
}

// wantPoint fails the test unless one of the histograms' points has
// exactly the attributes want.
func wantPoint(t *testing.T, ms []testkit.Metric, want map[string]any) {
	t.Helper()
	points := testkit.HistogramPoints(ms)
	for _, p := range points {
		if reflect.DeepEqual(p, want) {
			return
		}
	}
	t.Errorf("no data point with exactly %v: %v", want, points)
}

// TestSettings runs the app with the settings' variables, which win over
// otelgen.yaml: other request headers (Authorization, named too, is never
// recorded), a response header, one more secret parameter and one fewer;
// a 512 KiB query is cut to urlredact's bound. Then with the SDK's
// attribute limits. Then with the query off:
// no url.query, and url.full without its query.
func TestSettings(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	get := func(t *testing.T, env []string, url string) []testkit.Span {
		t.Helper()
		r := testkit.StartReceiver(t)
		p := testkit.Start(t, bin, append(testkit.Env(r), env...))
		base := p.WaitPrefix(t, "listening ")
		req, _ := http.NewRequest("GET", base+url, nil)
		req.Header.Set("X-Request-Id", "r-2")
		req.Header.Set("X-Tenant", "t-1")
		req.Header.Set("Authorization", "Bearer s3cret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		p.Stdin.Close()
		if out, state := p.Wait(t); !state.Success() {
			t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
		}
		return r.WaitSpans(t, 3)
	}

	t.Run("variables", func(t *testing.T) {
		long := strings.Repeat("x", 512<<10)
		spans := get(t, []string{
			"OTEL_GO_HTTP_REQUEST_HEADERS=x-tenant,Authorization",
			"OTEL_GO_HTTP_RESPONSE_HEADERS=x-served-by,set-cookie",
			"OTEL_GO_HTTP_REDACT_PARAMS=lang",
			"OTEL_GO_HTTP_KEEP_PARAMS=token",
		}, "/hello/ada?token=t0k&lang=s3cret&pad="+long)
		srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /hello/{name}"))
		testkit.WantAttrs(t, srv, map[string]any{
			"http.request.header.x-tenant":      []any{"t-1"},
			"http.request.header.x-request-id":  nil, // the variable replaces otelgen.yaml's list
			"http.request.header.authorization": nil,
			"http.response.header.x-served-by":  []any{"hello"},
		})
		q, _ := srv.Attr("url.query").(string)
		if !strings.HasPrefix(q, "token=t0k&lang=REDACTED&pad=xxx") || len(q) != 4096 || !strings.HasSuffix(q, "...") {
			t.Errorf("url.query of %d bytes starts %.40q, ends %q; want the settings' redaction, cut to 4096 bytes", len(q), q, q[max(0, len(q)-5):])
		}
		cli := testkit.One(t, spans, testkit.Kind(testkit.Client))
		testkit.WantAttrs(t, cli, map[string]any{"http.request.header.x-tenant": nil}) // the handler's own request has none
	})

	// The SDK's limits apply to what the hooks record: a value cut to
	// OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT, at most
	// OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT attributes.
	t.Run("limits", func(t *testing.T) {
		spans := get(t, []string{"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=16"}, "/hello/ada?lang="+strings.Repeat("x", 100))
		srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /hello/{name}"))
		if q, _ := srv.Attr("url.query").(string); q != "lang=xxxxxxxxxxx" {
			t.Errorf("url.query = %q, want it cut to 16 bytes", q)
		}
		spans = get(t, []string{"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT=3"}, "/hello/ada")
		srv = testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /hello/{name}"))
		if n := len(srv.Attrs()); n != 3 {
			t.Errorf("server span has %d attributes, want the limit of 3: %v", n, srv.Attrs())
		}
	})

	t.Run("query off", func(t *testing.T) {
		spans := get(t, []string{"OTEL_GO_HTTP_URL_QUERY=off"}, "/hello/ada?lang=en")
		srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /hello/{name}"))
		testkit.WantAttrs(t, srv, map[string]any{"url.query": nil, "http.request.header.x-request-id": []any{"r-2"}})
		cli := testkit.One(t, spans, testkit.Kind(testkit.Client))
		if u, _ := cli.Attr("url.full").(string); !strings.HasSuffix(u, "/greeting") {
			t.Errorf("client span has url.full %q, want no query", u)
		}
	})
}

// TestUpgrade sends an upgrade request to GET /ws, whose handler hijacks the
// connection and answers 101 there: the SERVER span records 101 (not the
// 200 net/http would have sent), that the connection was hijacked and the
// protocol, and ends when the handler returns, before the client hangs up.
func TestUpgrade(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	base := p.WaitPrefix(t, "listening ")
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	fmt.Fprintf(conn, "hi\n")
	if line, _ := br.ReadString('\n'); line != "echo hi\n" {
		t.Errorf("echo: %q", line)
	}
	spans := r.WaitSpans(t, 1)
	ws := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /ws"))
	testkit.WantAttrs(t, ws, map[string]any{
		"http.response.status_code": int64(101),
		"otelgen.http.hijacked":     true,
		"otelgen.http.upgrade":      "websocket",
	})
	testkit.WantStatus(t, ws, testkit.Unset)
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "http.server.request.duration"), map[string]any{
		"http.route":                "/ws",
		"http.response.status_code": int64(101),
	})
	p.Stdin.Close()
	p.Wait(t)
}

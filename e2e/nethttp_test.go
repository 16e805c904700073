package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/otelgen/otelgen/testkit"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// The tests in this file build the programs of testdata/nethttp (which know
// nothing of OpenTelemetry) and testdata/otelaware (which use it themselves)
// with otelgen's built-in net/http and SDK rules, run them against an OTLP
// receiver on loopback, and check the spans and metrics that arrive.

const nethttpScope = "github.com/otelgen/otelgen/rules/nethttp"

// builtModule is a testdata module generated and built once per test binary.
type builtModule struct {
	once sync.Once
	dir  string // the module
	bin  string // its programs, one per main package
	err  error
}

var builtModules = map[string]*builtModule{"nethttp": {}, "otelaware": {}}

// buildPrograms generates _otel/ for testdata/<name> and builds every main
// package of it with the overlay, once for all the tests that need it, and
// returns the module's directory and the directory of the programs.
func buildPrograms(t *testing.T, name string) (dir, bin string) {
	t.Helper()
	m := builtModules[name]
	m.once.Do(func() {
		// Under the directory TestMain removes, since the programs
		// outlive the test that happens to build them.
		m.dir = filepath.Join(filepath.Dir(otelgen), "module-"+name)
		m.bin = filepath.Join(m.dir, "bin")
		if m.err = copyModuleTo(name, m.dir); m.err != nil {
			return
		}
		if _, m.err = command(m.dir, otelgen, "generate"); m.err != nil {
			return
		}
		_, m.err = command(m.dir, "go", "build", trimpath, overlayFlag(m.dir), "-o", m.bin+string(filepath.Separator), "./...")
	})
	if m.err != nil {
		t.Fatalf("building testdata/%s: %v", name, m.err)
	}
	return m.dir, m.bin
}

// copyModuleTo is copyModule for a directory that outlives the test.
func copyModuleTo(name, dst string) error {
	touchOnce.Do(func() { testkit.TouchSources(repoRoot) })
	return testkit.CopyModule(filepath.Join("testdata", name), dst, repoRoot)
}

// command is run for code that has no *testing.T to fail.
func command(dir, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// peer is an uninstrumented HTTP server run by the test: it records the
// headers of the requests it gets.
type peer struct {
	URL     string
	mu      sync.Mutex
	headers []http.Header
}

func startPeer(t *testing.T) *peer {
	t.Helper()
	p := &peer{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.headers = append(p.headers, r.Header.Clone())
		p.mu.Unlock()
		w.Write([]byte("peer here"))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	p.URL = "http://" + ln.Addr().String() + "/hello"
	return p
}

func (p *peer) Headers() []http.Header {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]http.Header(nil), p.headers...)
}

func isClient(suffix string) func(span) bool {
	return func(s span) bool {
		u, _ := s.Attr("url.full").(string)
		return s.GetKind() == tracepb.Span_SPAN_KIND_CLIENT && strings.HasSuffix(u, suffix)
	}
}

func childOf(parent span, kind tracepb.Span_SpanKind) func(span) bool {
	return func(s span) bool {
		return s.GetKind() == kind && s.ParentID() == parent.ID() && s.TraceID() == parent.TraceID()
	}
}

func wantStatus(t *testing.T, s span, want tracepb.Status_StatusCode) {
	t.Helper()
	if got := s.GetStatus().GetCode(); got != want {
		t.Errorf("span %s %q (url %v) has status %s, want %s", s.GetKind(), s.GetName(), s.Attr("url.full"), got, want)
	}
}

func portOf(t *testing.T, rawURL string) (string, int64) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.ParseInt(u.Port(), 10, 64)
	return u.Hostname(), port
}

// TestDemoRace builds the demo with -race and the overlay and runs it: the
// hooks, the SDK and the program's own goroutines must not race. It comes
// first so that its build, the longest, overlaps the other builds.
func TestDemoRace(t *testing.T) {
	t.Parallel()
	if !raceSupported() {
		t.Skipf("-race is not supported on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	dir := t.TempDir()
	src := filepath.Join(repoRoot, "examples", "demo")
	for _, f := range []string{"main.go", "go.mod"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "go.mod" {
			data = bytes.ReplaceAll(data, []byte("=> ../.."), []byte("=> "+repoRoot))
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, dir, 0, otelgen, "generate")
	run(t, dir, 0, "go", "build", "-race", overlayFlag(dir), "-o", exe("demo"), ".")
	r := startReceiver(t)
	// Traces go nowhere; metrics go to the receiver, so that their
	// export runs too.
	stdout, stderr, code := runProgram(t, filepath.Join(dir, exe("demo")), otelEnv(r, "OTEL_TRACES_EXPORTER=none"))
	out := stdout + stderr
	if strings.Contains(out, "DATA RACE") || code != 0 {
		t.Fatalf("demo built with -race: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "demo: GET /greet/ada -> 200 HELLO, ADA!") {
		t.Errorf("demo printed:\n%s", out)
	}
	r.WaitMetric(t, "http.server.request.duration")
	if n := len(r.Spans()); n != 0 {
		t.Errorf("%d spans arrived with OTEL_TRACES_EXPORTER=none", n)
	}
}

// TestNetHTTPTraces runs a program that makes requests hop client → server
// → client → server, gets a 404, a 500 and a transport error, and calls an
// uninstrumented peer; it returns from main without OTEL_SERVICE_NAME set.
// Every span must arrive (flushed on main's return) with its name, kind,
// attributes, status and parent, the peer must get the W3C trace context
// and the baggage, and the HTTP duration histograms must arrive.
func TestNetHTTPTraces(t *testing.T) {
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startReceiver(t)
	p := startPeer(t)
	stdout, stderr, code := runProgram(t, filepath.Join(bin, exe("hops")), otelEnv(r), p.URL)
	if code != 0 || !strings.Contains(stdout, `/route/abc: 200 "routed: 200 \"ok abc\""`) || !strings.Contains(stdout, "closed port: error") {
		t.Fatalf("hops: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// 4 spans for the route, 2 for the 404, 2 for the 500, 3 for the peer
	// and 1 for the closed port; the exporter's own requests are not traced.
	const want = 12
	spans := r.WaitSpans(t, want)
	if len(spans) != want {
		t.Fatalf("%d spans arrived, want %d:\n%s", len(spans), want, dumpSpans(spans))
	}
	for _, s := range spans {
		if s.Resource["service.name"] != "hops" {
			t.Errorf("span %q has service.name %v, want the program's name, hops", s.GetName(), s.Resource["service.name"])
		}
		if s.Scope != nethttpScope {
			t.Errorf("span %q has scope %q, want %q", s.GetName(), s.Scope, nethttpScope)
		}
	}

	t.Run("hops", func(t *testing.T) {
		c1 := one(t, spans, "the client span of GET /route/abc", isClient("/route/abc"))
		host, port := portOf(t, c1.Attr("url.full").(string))
		if c1.ParentID() != "" {
			t.Errorf("the first client span has a parent, %s", c1.ParentID())
		}
		s1 := one(t, spans, "the server span under the first client span", childOf(c1, tracepb.Span_SPAN_KIND_SERVER))
		c2 := one(t, spans, "the client span under the first server span", childOf(s1, tracepb.Span_SPAN_KIND_CLIENT))
		s2 := one(t, spans, "the server span under the second client span", childOf(c2, tracepb.Span_SPAN_KIND_SERVER))
		if c1.GetName() != "GET" || s1.GetName() != "GET /route/{x}" || c2.GetName() != "GET" || s2.GetName() != "GET" {
			t.Errorf("span names %q → %q → %q → %q, want GET → GET /route/{x} → GET → GET", c1.GetName(), s1.GetName(), c2.GetName(), s2.GetName())
		}
		wantAttrs(t, c1, map[string]any{
			"http.request.method":       "GET",
			"url.full":                  "http://" + host + ":" + strconv.FormatInt(port, 10) + "/route/abc",
			"server.address":            "127.0.0.1",
			"server.port":               port,
			"http.response.status_code": int64(200),
			"network.protocol.version":  "1.1",
			"error.type":                nil,
		})
		wantAttrs(t, s1, map[string]any{
			"http.request.method":       "GET",
			"url.path":                  "/route/abc",
			"url.scheme":                "http",
			"server.address":            "127.0.0.1",
			"server.port":               port,
			"http.route":                "/route/{x}",
			"http.response.status_code": int64(200),
			"network.protocol.version":  "1.1",
			"error.type":                nil,
		})
		u2, _ := c2.Attr("url.full").(string)
		_, port2 := portOf(t, u2)
		if !strings.HasSuffix(u2, "/ok?x=abc") || port2 == port {
			t.Errorf("second client span has url.full %q, want the backend's /ok?x=abc", u2)
		}
		wantAttrs(t, c2, map[string]any{"http.request.method": "GET", "server.port": port2, "http.response.status_code": int64(200)})
		wantAttrs(t, s2, map[string]any{
			"http.request.method":       "GET",
			"url.path":                  "/ok",
			"url.scheme":                "http",
			"server.port":               port2,
			"http.response.status_code": int64(200),
			"http.route":                nil, // no ServeMux
		})
		for _, s := range []span{c1, s1, c2, s2} {
			wantStatus(t, s, tracepb.Status_STATUS_CODE_UNSET)
		}
	})

	t.Run("404", func(t *testing.T) {
		c := one(t, spans, "the client span of GET /missing", isClient("/missing"))
		s := one(t, spans, "the server span of GET /missing", childOf(c, tracepb.Span_SPAN_KIND_SERVER))
		// A 4xx is the client's error, not the server's.
		wantStatus(t, c, tracepb.Status_STATUS_CODE_ERROR)
		wantStatus(t, s, tracepb.Status_STATUS_CODE_UNSET)
		wantAttrs(t, c, map[string]any{"http.response.status_code": int64(404), "error.type": "404"})
		wantAttrs(t, s, map[string]any{"http.response.status_code": int64(404), "error.type": nil, "url.path": "/missing"})
	})

	t.Run("500", func(t *testing.T) {
		c := one(t, spans, "the client span of GET /fail", isClient("/fail"))
		s := one(t, spans, "the server span of GET /fail", childOf(c, tracepb.Span_SPAN_KIND_SERVER))
		wantStatus(t, c, tracepb.Status_STATUS_CODE_ERROR)
		wantStatus(t, s, tracepb.Status_STATUS_CODE_ERROR)
		wantAttrs(t, c, map[string]any{"http.response.status_code": int64(500), "error.type": "500"})
		wantAttrs(t, s, map[string]any{"http.response.status_code": int64(500), "error.type": "500", "url.path": "/fail"})
	})

	t.Run("transport error", func(t *testing.T) {
		c := one(t, spans, "the client span of GET /closed", isClient("/closed"))
		wantStatus(t, c, tracepb.Status_STATUS_CODE_ERROR)
		wantAttrs(t, c, map[string]any{"http.request.method": "GET", "server.address": "127.0.0.1", "http.response.status_code": nil})
		if et, _ := c.Attr("error.type").(string); et == "" {
			t.Errorf("client span of a refused connection has no error.type: %s", c)
		}
		if c.GetStatus().GetMessage() == "" {
			t.Errorf("client span of a refused connection has no status message")
		}
	})

	t.Run("peer", func(t *testing.T) {
		c1 := one(t, spans, "the client span of GET /peer", isClient("/peer"))
		s1 := one(t, spans, "the server span of GET /peer", childOf(c1, tracepb.Span_SPAN_KIND_SERVER))
		c2 := one(t, spans, "the client span calling the peer", childOf(s1, tracepb.Span_SPAN_KIND_CLIENT))
		if s1.GetName() != "GET /peer" {
			t.Errorf("server span is named %q, want GET /peer", s1.GetName())
		}
		wantAttrs(t, c2, map[string]any{"url.full": p.URL, "http.response.status_code": int64(200)})
		hs := p.Headers()
		if len(hs) != 1 {
			t.Fatalf("the peer got %d requests, want 1", len(hs))
		}
		if got, want := hs[0].Get("Traceparent"), "00-"+c2.TraceID()+"-"+c2.ID()+"-01"; got != want {
			t.Errorf("the peer got traceparent %q, want %q", got, want)
		}
		if got := hs[0].Get("Baggage"); got != "tenant=acme" {
			t.Errorf("the peer got baggage %q, want tenant=acme (from the incoming request)", got)
		}
	})

	t.Run("metrics", func(t *testing.T) {
		for _, name := range []string{"http.server.request.duration", "http.client.request.duration"} {
			ms := r.WaitMetric(t, name)
			for _, m := range ms {
				if m.GetUnit() != "s" {
					t.Errorf("%s has unit %q, want s", name, m.GetUnit())
				}
				if m.GetHistogram() == nil {
					t.Errorf("%s is not a histogram", name)
				}
				if m.Resource["service.name"] != "hops" || m.Scope != nethttpScope {
					t.Errorf("%s has service.name %v and scope %q", name, m.Resource["service.name"], m.Scope)
				}
			}
			points := histogramPoints(ms)
			for _, status := range []int64{200, 404, 500} {
				found := false
				for _, a := range points {
					if a["http.request.method"] == "GET" && a["http.response.status_code"] == status {
						found = true
					}
				}
				if !found {
					t.Errorf("%s has no data point with http.request.method=GET http.response.status_code=%d: %v", name, status, points)
				}
			}
			if name == "http.server.request.duration" {
				found := false
				for _, a := range points {
					found = found || a["http.route"] == "/route/{x}"
				}
				if !found {
					t.Errorf("%s has no data point with http.route=/route/{x}: %v", name, points)
				}
			} else {
				found := false
				for _, a := range points {
					_, hasStatus := a["http.response.status_code"]
					found = found || (a["error.type"] != nil && !hasStatus)
				}
				if !found {
					t.Errorf("%s has no data point for the transport error: %v", name, points)
				}
			}
		}
	})
}

// TestSDKDisabled runs the same program with OTEL_SDK_DISABLED=true: it
// works as before and nothing reaches the receiver or the peer.
func TestSDKDisabled(t *testing.T) {
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startReceiver(t)
	p := startPeer(t)
	stdout, stderr, code := runProgram(t, filepath.Join(bin, exe("hops")), otelEnv(r, "OTEL_SDK_DISABLED=true"), p.URL)
	if code != 0 || !strings.Contains(stdout, `/route/abc: 200 "routed: 200 \"ok abc\""`) || !strings.Contains(stdout, `/peer: 200 "peer: 200 \"peer here\""`) {
		t.Fatalf("hops: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	time.Sleep(200 * time.Millisecond)
	if n := r.Requests(); n != 0 {
		t.Errorf("the receiver got %d requests, want none; spans:\n%s", n, dumpSpans(r.Spans()))
	}
	for _, h := range p.Headers() {
		if tp := h.Get("Traceparent"); tp != "" {
			t.Errorf("the peer got traceparent %q from a disabled SDK", tp)
		}
	}
}

// wantClientServer checks that spans are one CLIENT span and its SERVER
// child, of service.name service.
func wantClientServer(t *testing.T, spans []span, service string) {
	t.Helper()
	if len(spans) != 2 {
		t.Fatalf("%d spans arrived, want 2:\n%s", len(spans), dumpSpans(spans))
	}
	c := one(t, spans, "the client span", func(s span) bool { return s.GetKind() == tracepb.Span_SPAN_KIND_CLIENT })
	s := one(t, spans, "the server span", childOf(c, tracepb.Span_SPAN_KIND_SERVER))
	if c.GetName() != "GET" || s.GetName() != "GET" {
		t.Errorf("spans are named %q and %q, want GET", c.GetName(), s.GetName())
	}
	for _, s := range spans {
		if s.Resource["service.name"] != service {
			t.Errorf("span %s has service.name %v, want %s", s.GetKind(), s.Resource["service.name"], service)
		}
	}
}

// TestFlushOnExit runs a program that makes a request and calls os.Exit(3),
// with OTEL_SERVICE_NAME set and gzip compression: it exits with 3 and its
// spans arrive.
func TestFlushOnExit(t *testing.T) {
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startReceiver(t)
	_, stderr, code := runProgram(t, filepath.Join(bin, exe("exit")), otelEnv(r, "OTEL_SERVICE_NAME=exit-svc", "OTEL_EXPORTER_OTLP_COMPRESSION=gzip"))
	if code != 3 || !strings.Contains(stderr, "exit: 200 bye") {
		t.Fatalf("exit: exit %d, want 3\n%s", code, stderr)
	}
	spans := r.WaitSpans(t, 2)
	wantClientServer(t, spans, "exit-svc")
	if !r.Gzipped() {
		t.Errorf("OTEL_EXPORTER_OTLP_COMPRESSION=gzip, but no request came gzip-compressed")
	}
}

// TestOTLPgRPC exports over OTLP/gRPC.
func TestOTLPgRPC(t *testing.T) {
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startGRPCReceiver(t)
	env := otelEnv(nil, "OTEL_EXPORTER_OTLP_ENDPOINT="+r.Endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc")
	_, stderr, code := runProgram(t, filepath.Join(bin, exe("exit")), env)
	if code != 3 {
		t.Fatalf("exit: exit %d, want 3\n%s", code, stderr)
	}
	wantClientServer(t, r.WaitSpans(t, 2), "exit")
	r.WaitMetric(t, "http.client.request.duration")
}

// TestConsoleExporter prints the spans to stdout as JSON with
// OTEL_TRACES_EXPORTER=console, and sends none to the endpoint.
func TestConsoleExporter(t *testing.T) {
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startReceiver(t)
	stdout, stderr, code := runProgram(t, filepath.Join(bin, exe("exit")), otelEnv(r, "OTEL_TRACES_EXPORTER=console"))
	if code != 3 {
		t.Fatalf("exit: exit %d, want 3\n%s", code, stderr)
	}
	type jsonSpan struct {
		Name        string
		SpanKind    int
		SpanContext struct{ TraceID, SpanID string }
		Parent      struct{ TraceID, SpanID string }
		Attributes  []struct {
			Key   string
			Value struct{ Value any }
		}
		Resource []struct {
			Key   string
			Value struct{ Value any }
		}
	}
	var spans []jsonSpan
	dec := json.NewDecoder(strings.NewReader(stdout))
	for dec.More() {
		var s jsonSpan
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("stdout is not a stream of JSON spans: %v\n%s", err, stdout)
		}
		spans = append(spans, s)
	}
	if len(spans) != 2 {
		t.Fatalf("%d spans on stdout, want 2:\n%s", len(spans), stdout)
	}
	var client, server jsonSpan
	for _, s := range spans {
		switch s.SpanKind {
		case 3: // trace.SpanKindClient
			client = s
		case 2: // trace.SpanKindServer
			server = s
		}
	}
	if client.Name != "GET" || server.Name != "GET" {
		t.Fatalf("want a CLIENT and a SERVER span named GET:\n%s", stdout)
	}
	if server.Parent.SpanID != client.SpanContext.SpanID || server.SpanContext.TraceID != client.SpanContext.TraceID {
		t.Errorf("the server span is not the client span's child:\n%s", stdout)
	}
	for _, kv := range client.Resource {
		if kv.Key == "service.name" && kv.Value.Value != "exit" {
			t.Errorf("service.name is %v, want exit", kv.Value.Value)
		}
	}
	if n := len(r.Spans()); n != 0 {
		t.Errorf("%d spans reached the OTLP receiver with OTEL_TRACES_EXPORTER=console", n)
	}
}

// TestFlushOnSIGTERM sends SIGTERM to a program that does not handle
// signals: it dies by the signal, as it would uninstrumented, and its spans
// arrive.
func TestFlushOnSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startReceiver(t)
	p := startProgram(t, filepath.Join(bin, exe("sigterm")), otelEnv(r))
	p.WaitLine(t, "ready")
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wantKilledBy(t, p, syscall.SIGTERM)
	wantClientServer(t, r.WaitSpans(t, 2), "sigterm")
}

// wantKilledBy waits for p and fails unless a signal killed it, as it would
// have killed the program uninstrumented.
func wantKilledBy(t *testing.T, p *started, sig syscall.Signal) {
	t.Helper()
	out, state := p.Wait(t)
	ws, ok := state.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != sig {
		t.Fatalf("program ended with %v, want killed by %v\nstdout:\n%s\nstderr:\n%s", state, sig, out, p.Stderr())
	}
}

// TestIgnoredSIGINT starts a program with SIGINT ignored, as nohup and
// shells starting background jobs do: SIGINT must stay ignored, by the
// program and by the SDK, which goes on exporting.
func TestIgnoredSIGINT(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no signals on Windows")
	}
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startReceiver(t)
	p := startProgram(t, "/bin/sh", otelEnv(r), "-c", `trap "" INT; exec "$0"`, filepath.Join(bin, "sigterm"))
	p.WaitLine(t, "ready")
	if err := p.Cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // for the signal to be handled, if it were
	io.WriteString(p.Stdin, "after-sigint\n")
	p.WaitLine(t, "got after-sigint")
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wantKilledBy(t, p, syscall.SIGTERM)
	spans := r.WaitSpans(t, 4)
	if len(spans) != 4 {
		t.Fatalf("%d spans arrived, want 4:\n%s", len(spans), dumpSpans(spans))
	}
	c := one(t, spans, "the client span of the request after SIGINT", isClient("/after-sigint"))
	one(t, spans, "the server span of the request after SIGINT", childOf(c, tracepb.Span_SPAN_KIND_SERVER))
}

// TestProgramHandlesSIGTERM sends SIGTERM to a program that asked for it
// with signal.Notify: its own handler runs, the SDK still works after the
// signal, and the program exits the way it chooses (status 7).
func TestProgramHandlesSIGTERM(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	t.Parallel()
	_, bin := buildPrograms(t, "nethttp")
	r := startReceiver(t)
	p := startProgram(t, filepath.Join(bin, exe("notify")), otelEnv(r))
	p.WaitLine(t, "ready")
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, state := p.Wait(t)
	if state.ExitCode() != 7 || !strings.Contains(out, "handler ran: terminated") {
		t.Fatalf("notify ended with %v, want exit status 7 after its handler ran\nstdout:\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	spans := r.WaitSpans(t, 4)
	if len(spans) != 4 {
		t.Fatalf("%d spans arrived, want 4:\n%s", len(spans), dumpSpans(spans))
	}
	for _, path := range []string{"/before-signal", "/after-signal"} {
		c := one(t, spans, "the client span of "+path, isClient(path))
		s := one(t, spans, "the server span of "+path, childOf(c, tracepb.Span_SPAN_KIND_SERVER))
		wantAttrs(t, s, map[string]any{"url.path": path})
	}
}

// TestCustomTracerProvider runs a program that installs its own global
// TracerProvider (service.name "custom") and makes a span of its own: the
// automatic spans go to its provider and join its trace.
func TestCustomTracerProvider(t *testing.T) {
	t.Parallel()
	_, bin := buildPrograms(t, "otelaware")
	r := startReceiver(t)
	stdout, stderr, code := runProgram(t, filepath.Join(bin, exe("customtp")), otelEnv(r))
	if code != 0 || stdout != "200 custom\n" {
		t.Fatalf("customtp: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	spans := r.WaitSpans(t, 3)
	if len(spans) != 3 {
		t.Fatalf("%d spans arrived, want 3:\n%s", len(spans), dumpSpans(spans))
	}
	for _, s := range spans {
		if s.Resource["service.name"] != "custom" {
			t.Errorf("span %s %q has service.name %v, want custom (the program's provider)", s.GetKind(), s.GetName(), s.Resource["service.name"])
		}
	}
	work := one(t, spans, "the program's own span", func(s span) bool { return s.GetName() == "work" })
	c := one(t, spans, "the client span under the program's span", childOf(work, tracepb.Span_SPAN_KIND_CLIENT))
	one(t, spans, "the server span under the client span", childOf(c, tracepb.Span_SPAN_KIND_SERVER))
}

// TestOtelhttpNotTracedTwice runs a program instrumented by hand with
// otelhttp: its handler is wrapped with otelhttp.NewHandler, and one of its
// three requests goes through otelhttp.NewTransport. Each request gets one
// SERVER span, otelgen's, and one CLIENT span (otelhttp's when its transport
// made one).
func TestOtelhttpNotTracedTwice(t *testing.T) {
	t.Parallel()
	_, bin := buildPrograms(t, "otelaware")
	r := startReceiver(t)
	stdout, stderr, code := runProgram(t, filepath.Join(bin, exe("wrapped")), otelEnv(r))
	if code != 0 || stdout != "200 item 0\n200 item 1\n200 item 2\n" {
		t.Fatalf("wrapped: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	spans := r.WaitSpans(t, 6)
	if len(spans) != 6 {
		t.Fatalf("%d spans arrived, want 6 (3 CLIENT, 3 SERVER):\n%s", len(spans), dumpSpans(spans))
	}
	const otelhttpScope = "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	for i := range 3 {
		path := fmt.Sprintf("/items/%d", i)
		c := one(t, spans, "the client span of "+path, isClient(path))
		if want := map[bool]string{false: nethttpScope, true: otelhttpScope}[i == 2]; c.Scope != want {
			t.Errorf("client span of %s is of scope %q, want %s", path, c.Scope, want)
		}
		s := one(t, spans, "the server span of "+path, childOf(c, tracepb.Span_SPAN_KIND_SERVER))
		if s.GetName() != "GET /items/{id}" || s.Scope != nethttpScope {
			t.Errorf("server span of %s is %q of scope %q, want GET /items/{id} of %s", path, s.GetName(), s.Scope, nethttpScope)
		}
	}
}

// TestUserModuleUntouched checks what generate left in the user's module:
// its go.mod as it was and no go.sum, although the build needs the SDK; the
// requirements are in _otel/go.mod and _otel/go.sum.
func TestUserModuleUntouched(t *testing.T) {
	t.Parallel()
	dir, _ := buildPrograms(t, "nethttp")
	in, err := os.ReadFile(filepath.Join("testdata", "nethttp", "go.mod.in"))
	if err != nil {
		t.Fatal(err)
	}
	if mod, err := os.ReadFile(filepath.Join(dir, "go.mod")); err != nil || string(mod) != strings.ReplaceAll(string(in), "OTELGEN_ROOT", repoRoot) {
		t.Errorf("generate changed the user's go.mod (err %v):\n%s", err, mod)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.sum")); err == nil {
		t.Errorf("generate wrote a go.sum in the user's module")
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(dir, "_otel", f))
		if err != nil || !strings.Contains(string(data), "go.opentelemetry.io/otel/sdk ") {
			t.Errorf("_otel/%s does not name the SDK (err %v)", f, err)
		}
	}
}

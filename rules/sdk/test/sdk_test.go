package test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/otelgen/otelgen/testkit"
	metricpb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// headerServer is a loopback HTTP server of the test's own that records the
// headers of the requests it gets.
type headerServer struct {
	*httptest.Server
	mu  sync.Mutex
	got []http.Header
}

func startHeaderServer(t *testing.T) *headerServer {
	s := &headerServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.got = append(s.got, r.Header.Clone())
		s.mu.Unlock()
	}))
	t.Cleanup(s.Close)
	return s
}

// only returns the headers of the one request the server got.
func (s *headerServer) only(t *testing.T) http.Header {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.got) != 1 {
		t.Fatalf("the server got %d requests, want 1", len(s.got))
	}
	return s.got[0]
}

// run runs the app to its end against the test's server and fails the test
// unless it succeeds; it returns its stdout and stderr.
func run(t *testing.T, env []string, args ...string) (stdout, stderr string) {
	t.Helper()
	bin := testkit.Build(t, "testdata/app")
	stdout, stderr, code := testkit.Run(t, bin, env, args...)
	if code != 0 || !strings.Contains(stdout, "status 200") {
		t.Fatalf("app: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	return stdout, stderr
}

// propagation headers of every format, lower-cased, that OTEL_PROPAGATORS
// can name.
var formats = map[string][]string{
	"tracecontext": {"traceparent"},
	"baggage":      {"baggage"},
	"b3":           {"b3"},
	"b3multi":      {"x-b3-traceid", "x-b3-spanid", "x-b3-sampled"},
	"jaeger":       {"uber-trace-id"},
	"xray":         {"x-amzn-trace-id"},
	"ottrace":      {"ot-tracer-traceid", "ot-tracer-spanid", "ot-tracer-sampled"},
}

// TestPropagators runs the app with OTEL_PROPAGATORS set to each format the
// specification names, and checks that its request carried that format's
// headers and no other's, with the trace ID of the CLIENT span the receiver
// got. Unset, the default is tracecontext,baggage (baggage is empty here,
// so no header); none sends no header at all.
func TestPropagators(t *testing.T) {
	for _, tc := range []struct {
		env  string // OTEL_PROPAGATORS; "-" for unset
		want []string
	}{
		{"-", formats["tracecontext"]},
		{"b3", formats["b3"]},
		{"b3multi", formats["b3multi"]},
		{"jaeger", formats["jaeger"]},
		{"xray", formats["xray"]},
		{"ottrace", formats["ottrace"]},
		{"b3,tracecontext", append(formats["b3"], formats["tracecontext"]...)},
		{"none", nil},
	} {
		t.Run(tc.env, func(t *testing.T) {
			srv := startHeaderServer(t)
			r := testkit.StartReceiver(t)
			var extra []string
			if tc.env != "-" {
				extra = append(extra, "OTEL_PROPAGATORS="+tc.env)
			}
			_, stderr := run(t, testkit.Env(r, extra...), srv.URL)
			if stderr != "" {
				t.Errorf("stderr:\n%s", stderr)
			}
			h := srv.only(t)
			cli := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Client))
			want := map[string]bool{}
			for _, k := range tc.want {
				want[k] = true
				if h.Get(k) == "" {
					t.Errorf("no %s header; headers: %v", k, h)
				}
			}
			for _, keys := range formats {
				for _, k := range keys {
					if !want[k] && h.Get(k) != "" {
						t.Errorf("header %s: %q, want none with OTEL_PROPAGATORS=%s", k, h.Get(k), tc.env)
					}
				}
			}
			// Each format carries the trace ID, whole or in part.
			id := cli.TraceID()
			for _, k := range tc.want {
				v := strings.ToLower(h.Get(k))
				if k == "baggage" || strings.Contains(k, "spanid") || strings.Contains(k, "sampled") {
					continue
				}
				if !strings.Contains(v, id[16:]) && !strings.Contains(v, id[:8]) {
					t.Errorf("header %s: %q does not carry the client span's trace ID %s", k, v, id)
				}
			}
		})
	}
}

// TestSampler runs the app with samplers that drop every trace: no span
// reaches the receiver, though the request still carries the (unsampled)
// trace context.
func TestSampler(t *testing.T) {
	for _, env := range [][]string{
		{"OTEL_TRACES_SAMPLER=always_off"},
		{"OTEL_TRACES_SAMPLER=traceidratio", "OTEL_TRACES_SAMPLER_ARG=0"},
	} {
		t.Run(strings.Join(env, ","), func(t *testing.T) {
			srv := startHeaderServer(t)
			r := testkit.StartReceiver(t)
			run(t, testkit.Env(r, env...), srv.URL)
			// The app has ended and flushed: what it exported has arrived.
			if spans := r.Spans(); len(spans) != 0 {
				t.Errorf("%d spans arrived with %v:\n%s", len(spans), env, testkit.Dump(spans))
			}
			if tp := srv.only(t).Get("traceparent"); !strings.HasSuffix(tp, "-00") {
				t.Errorf("traceparent %q, want one flagged not sampled", tp)
			}
		})
	}
	t.Run("default", func(t *testing.T) {
		srv := startHeaderServer(t)
		r := testkit.StartReceiver(t)
		run(t, testkit.Env(r), srv.URL)
		testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Client))
		if tp := srv.only(t).Get("traceparent"); !strings.HasSuffix(tp, "-01") {
			t.Errorf("traceparent %q, want one flagged sampled", tp)
		}
	})
}

// TestAttributeLimit checks that OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT cuts the
// CLIENT span's url.full.
func TestAttributeLimit(t *testing.T) {
	srv := startHeaderServer(t)
	r := testkit.StartReceiver(t)
	run(t, testkit.Env(r, "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT=12"), srv.URL+"/a/long/path")
	cli := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Client))
	if u, _ := cli.Attr("url.full").(string); u != "http://127.0" {
		t.Errorf("url.full %q, want it cut to 12 bytes", u)
	}
}

// TestUnreachableCollector runs the app, for half a second of periodic
// exports, with the collector's endpoint on a closed port: stderr has one
// line, which names the endpoint and the variable that sets it, and nothing
// else.
func TestUnreachableCollector(t *testing.T) {
	addr := closedPort(t)
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"http", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=http://" + addr},
			"otelgen: cannot reach the OpenTelemetry collector at http://" + addr + " (set OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_TRACES_EXPORTER=none and OTEL_METRICS_EXPORTER=none): connection refused"},
		{"grpc", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=http://" + addr, "OTEL_EXPORTER_OTLP_PROTOCOL=grpc"},
			"otelgen: cannot reach the OpenTelemetry collector at http://" + addr + " (set OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_TRACES_EXPORTER=none and OTEL_METRICS_EXPORTER=none): connection refused"},
		{"traces endpoint", []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://" + addr + "/v1/traces", "OTEL_METRICS_EXPORTER=none"},
			"otelgen: cannot reach the OpenTelemetry collector at http://" + addr + " (set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_TRACES_EXPORTER=none): connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startHeaderServer(t)
			env := testkit.Env(nil, append(tc.env, "OTEL_BSP_SCHEDULE_DELAY=100", "OTEL_METRIC_EXPORT_INTERVAL=100")...)
			_, stderr := run(t, env, srv.URL, "500ms")
			if stderr != tc.want+"\n" {
				t.Errorf("stderr:\n%s\nwant the one line:\n%s", stderr, tc.want)
			}
		})
	}
}

// TestNoEnvironment runs the app with no OTEL_ variable at all and no
// collector: the one line names the specification's default endpoint,
// plain-text http://localhost:4318, not the https the Go exporters default
// to.
func TestNoEnvironment(t *testing.T) {
	if c, err := net.Dial("tcp", "localhost:4318"); err == nil {
		c.Close()
		t.Skip("something listens on localhost:4318")
	}
	srv := startHeaderServer(t)
	_, stderr := run(t, testkit.Env(nil), srv.URL)
	want := "otelgen: cannot reach the OpenTelemetry collector at http://localhost:4318 (set OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_TRACES_EXPORTER=none and OTEL_METRICS_EXPORTER=none): connection refused\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
}

// TestQuietExporters runs the app with the exporters set to none, and to
// console, and no collector anywhere: nothing is printed to stderr.
func TestQuietExporters(t *testing.T) {
	for _, exp := range []string{"none", "console"} {
		t.Run(exp, func(t *testing.T) {
			srv := startHeaderServer(t)
			env := testkit.Env(nil, "OTEL_TRACES_EXPORTER="+exp, "OTEL_METRICS_EXPORTER="+exp,
				"OTEL_EXPORTER_OTLP_ENDPOINT=http://"+closedPort(t))
			stdout, stderr := run(t, env, srv.URL)
			if stderr != "" {
				t.Errorf("stderr:\n%s", stderr)
			}
			if exp == "console" && !strings.Contains(stdout, `"SpanKind":3`) {
				t.Errorf("no CLIENT span on stdout:\n%s", stdout)
			}
		})
	}
}

// TestNotLinked asks the app, whose otelgen.yaml links the OTLP gRPC
// exporters but neither Prometheus nor the logs SDK, for both: each signal
// says once, on stderr, that it is not exported and how to link what it
// needs; the rest still works.
func TestNotLinked(t *testing.T) {
	r := testkit.StartReceiver(t)
	srv := startHeaderServer(t)
	env := testkit.Env(r, "OTEL_METRICS_EXPORTER=otlp,prometheus", "OTEL_LOGS_EXPORTER=otlp")
	_, stderr := run(t, env, srv.URL)
	want := `otelgen: OTEL_METRICS_EXPORTER=prometheus: metrics are not exported: this program was generated without that exporter; add "prometheus" to the link list in otelgen.yaml (link: [prometheus]) and run go generate
otelgen: OTEL_LOGS_EXPORTER=otlp: logs are not exported: this program was generated without the logs SDK; add "logs" to the link list in otelgen.yaml (link: [logs]) and run go generate
`
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	// Traces and metrics still go over OTLP/HTTP.
	r.WaitSpans(t, 1)
	r.WaitMetric(t, "http.client.request.duration")
}

// TestOtherErrorsOnce runs the app, for half a second of periodic exports,
// against a "collector" that answers every export with 404: the error of
// each signal is printed, once.
func TestOtherErrorsOnce(t *testing.T) {
	var mu sync.Mutex
	paths := map[string]int{}
	col := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths[r.URL.Path]++
		mu.Unlock()
		http.Error(w, "no such collector", http.StatusNotFound)
	}))
	defer col.Close()
	srv := startHeaderServer(t)
	env := testkit.Env(nil, "OTEL_EXPORTER_OTLP_ENDPOINT="+col.URL, "OTEL_BSP_SCHEDULE_DELAY=100", "OTEL_METRIC_EXPORT_INTERVAL=100")
	_, stderr := run(t, env, srv.URL, "500ms")
	mu.Lock()
	if paths["/v1/metrics"] < 2 {
		t.Errorf("the collector got %v, want several metric exports", paths)
	}
	mu.Unlock()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	want := []string{
		fmt.Sprintf("otelgen: traces export: failed to send to %s/v1/traces: 404 Not Found (body: no such collector)", col.URL),
		fmt.Sprintf("otelgen: failed to upload metrics: failed to send to %s/v1/metrics: 404 Not Found (body: no such collector)", col.URL),
	}
	for _, w := range want {
		n := 0
		for _, l := range lines {
			if l == w {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d lines %q, want 1; stderr:\n%s", n, w, stderr)
		}
	}
	if len(lines) != len(want) {
		t.Errorf("stderr has %d lines, want %d:\n%s", len(lines), len(want), stderr)
	}
}

// TestDisabledInstrumentations turns the net/http integration off at run
// time: the app's request gets no CLIENT span and carries no trace context,
// while the SDK still starts (the same binary traces it without the switch,
// in TestSampler's default case).
func TestDisabledInstrumentations(t *testing.T) {
	for _, v := range []string{"nethttp", "otelsdk, NetHTTP", "all"} {
		t.Run(v, func(t *testing.T) {
			srv := startHeaderServer(t)
			r := testkit.StartReceiver(t)
			run(t, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS="+v), srv.URL)
			if spans := r.Spans(); len(spans) != 0 {
				t.Errorf("%d spans arrived:\n%s", len(spans), testkit.Dump(spans))
			}
			if tp := srv.only(t).Get("traceparent"); tp != "" {
				t.Errorf("the request carried traceparent %q", tp)
			}
		})
	}
}

// TestSDKDisabled runs the app with OTEL_SDK_DISABLED=true, for half a
// second of what would be periodic exports, against a collector that counts
// every request it gets: the app works, nothing is exported or even tried,
// its request carries no trace context, and nothing is printed to stderr.
func TestSDKDisabled(t *testing.T) {
	var mu sync.Mutex
	var exports []string
	col := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		exports = append(exports, r.URL.Path)
		mu.Unlock()
	}))
	defer col.Close()
	srv := startHeaderServer(t)
	env := testkit.Env(nil, "OTEL_SDK_DISABLED=true", "OTEL_EXPORTER_OTLP_ENDPOINT="+col.URL,
		"OTEL_BSP_SCHEDULE_DELAY=100", "OTEL_METRIC_EXPORT_INTERVAL=100", "OTEL_LOGS_EXPORTER=otlp")
	_, stderr := run(t, env, srv.URL, "500ms")
	if stderr != "" {
		t.Errorf("stderr:\n%s", stderr)
	}
	mu.Lock()
	if len(exports) != 0 {
		t.Errorf("the collector got %v, want nothing", exports)
	}
	mu.Unlock()
	for k := range srv.only(t) {
		for _, hs := range formats {
			for _, h := range hs {
				if strings.EqualFold(k, h) {
					t.Errorf("the request carried %s", k)
				}
			}
		}
	}
}

// TestEditWithoutGenerate is the user who edits main.go and builds with the
// committed overlay without running generate again: the SDK rules copy no
// file of the program into _otel/, so the build runs the edited main.go,
// and its spans are still exported when main returns.
func TestEditWithoutGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no build of an instrumented program")
	}
	dir := t.TempDir()
	if err := testkit.CopyModule("testdata/app", dir, testkit.Root(t)); err != nil {
		t.Fatal(err)
	}
	gen := exec.Command(testkit.Otelgen(t), "generate")
	gen.Dir = dir
	gen.Env = append(os.Environ(), "OTELGEN_PROGRESS_AFTER=off")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("otelgen generate: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "_otel", "main", "main.go")); err == nil {
		t.Errorf("_otel/ holds a copy of main.go: an edit to main.go would not be built")
	}
	main := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), `fmt.Println("status", resp.StatusCode)`, `fmt.Println("status", resp.StatusCode, "(edited)")`, 1)
	if edited == string(src) {
		t.Fatal("the test app changed: no line to edit")
	}
	if err := os.WriteFile(main, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "app.bin")
	build := exec.Command("go", "build", "-overlay="+filepath.Join(dir, "_otel", "overlay.json"), "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -overlay: %v\n%s", err, out)
	}
	srv := startHeaderServer(t)
	r := testkit.StartReceiver(t)
	stdout, stderr, code := testkit.Run(t, bin, testkit.Env(r), srv.URL)
	if code != 0 || !strings.Contains(stdout, "status 200 (edited)") {
		t.Fatalf("app: exit %d, want the edited line\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Client))
}

// TestOTLPHTTP runs the app against the test kit's OTLP/HTTP receiver, with
// gzip and the delta temporality asked for: the CLIENT span and the
// request-duration histogram arrive, compressed, through the SDK's own
// encoder (internal/otlp), with the resource; the exporter's own POSTs are
// not traced, so the app's request is the only span.
func TestOTLPHTTP(t *testing.T) {
	for _, pref := range []string{"", "delta"} {
		t.Run("temporality="+pref, func(t *testing.T) {
			r := testkit.StartReceiver(t)
			srv := startHeaderServer(t)
			env := testkit.Env(r, "OTEL_EXPORTER_OTLP_COMPRESSION=gzip", "OTEL_SERVICE_NAME=otlp-app",
				"OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE="+pref)
			_, stderr := run(t, env, srv.URL, "700ms")
			if stderr != "" {
				t.Errorf("stderr:\n%s", stderr)
			}
			spans := r.WaitSpans(t, 1)
			if len(spans) != 1 {
				t.Fatalf("%d spans, want the app's one:\n%s", len(spans), testkit.Dump(spans))
			}
			s := spans[0]
			if s.GetKind() != tracepb.Span_SPAN_KIND_CLIENT || s.GetName() != "GET" || s.Attr("url.full") != srv.URL {
				t.Errorf("span: %s %v %v", s.GetName(), s.GetKind(), s.Attrs())
			}
			if s.Resource["service.name"] != "otlp-app" || s.Resource["telemetry.sdk.language"] != "go" {
				t.Errorf("resource %v", s.Resource)
			}
			if tp := srv.only(t).Get("traceparent"); !strings.Contains(tp, s.TraceID()+"-"+s.ID()) {
				t.Errorf("traceparent %q, span %s-%s", tp, s.TraceID(), s.ID())
			}
			ms := r.WaitMetric(t, "http.client.request.duration")
			h := ms[0].GetHistogram()
			want := metricpb.AggregationTemporality_AGGREGATION_TEMPORALITY_CUMULATIVE
			if pref == "delta" {
				want = metricpb.AggregationTemporality_AGGREGATION_TEMPORALITY_DELTA
			}
			if h == nil || h.GetAggregationTemporality() != want || len(h.GetDataPoints()) == 0 || h.GetDataPoints()[0].GetCount() != 1 {
				t.Errorf("http.client.request.duration: %v", ms[0].Metric)
			}
			if ms[0].Resource["service.name"] != "otlp-app" {
				t.Errorf("metric resource %v", ms[0].Resource)
			}
			if !r.Gzipped() {
				t.Error("no request came gzip-compressed")
			}
		})
	}
}

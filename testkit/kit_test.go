package testkit_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/otelgen/otelgen/testkit"
	collmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	colltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricpb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func TestRoot(t *testing.T) {
	root := testkit.Root(t)
	if _, err := os.Stat(filepath.Join(root, "cmd", "otelgen")); err != nil {
		t.Errorf("Root is %s, which has no cmd/otelgen: %v", root, err)
	}
}

func str(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}

func num(k string, v int64) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}}
}

var (
	traceID = bytes.Repeat([]byte{1}, 16)
	other   = bytes.Repeat([]byte{2}, 16)
)

// traces is a server span, its client child, and a consumer span of another
// trace linked to the client span.
func traces() *colltracepb.ExportTraceServiceRequest {
	return &colltracepb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource: nil,
		ScopeSpans: []*tracepb.ScopeSpans{{
			Spans: []*tracepb.Span{
				{TraceId: traceID, SpanId: []byte("server01"), Name: "GET /x", Kind: tracepb.Span_SPAN_KIND_SERVER,
					Attributes: []*commonpb.KeyValue{str("http.route", "/x"), num("http.response.status_code", 200)}},
				{TraceId: traceID, SpanId: []byte("client01"), ParentSpanId: []byte("server01"), Name: "GET", Kind: tracepb.Span_SPAN_KIND_CLIENT,
					Status: &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR}},
				{TraceId: other, SpanId: []byte("consume1"), Name: "receive", Kind: tracepb.Span_SPAN_KIND_CONSUMER,
					Links: []*tracepb.Span_Link{{TraceId: traceID, SpanId: []byte("client01")}}},
			},
		}},
	}}}
}

func metrics() *collmetricpb.ExportMetricsServiceRequest {
	return &collmetricpb.ExportMetricsServiceRequest{ResourceMetrics: []*metricpb.ResourceMetrics{{
		ScopeMetrics: []*metricpb.ScopeMetrics{{
			Metrics: []*metricpb.Metric{{Name: "d", Data: &metricpb.Metric_Histogram{Histogram: &metricpb.Histogram{
				DataPoints: []*metricpb.HistogramDataPoint{{Attributes: []*commonpb.KeyValue{str("a", "b"), num("n", 1)}}},
			}}}},
		}},
	}}}
}

// check runs the assertions of the kit on what traces and metrics sent.
func check(t *testing.T, r *testkit.Receiver) {
	spans := r.WaitSpans(t, 3)
	srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /x"))
	cli := testkit.One(t, spans, testkit.ChildOf(srv))
	testkit.WantRoot(t, srv)
	testkit.WantChildOf(t, cli, srv)
	testkit.WantAttrs(t, srv, map[string]any{"http.route": "/x", "http.response.status_code": int64(200), "error.type": nil})
	testkit.WantStatus(t, cli, testkit.Error)
	testkit.WantStatus(t, srv, testkit.Unset)
	c := testkit.One(t, spans, testkit.Kind(testkit.Consumer))
	testkit.WantLinks(t, c, cli)
	testkit.WantLinks(t, srv)
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "d"), map[string]any{"a": "b"})
}

func TestReceiverHTTP(t *testing.T) {
	r := testkit.StartReceiver(t)
	for path, m := range map[string]proto.Message{"/v1/traces": traces(), "/v1/metrics": metrics()} {
		body, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(r.Endpoint+path, "application/x-protobuf", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %s", path, resp.Status)
		}
	}
	check(t, r)
	if r.Requests() != 2 || r.Gzipped() {
		t.Errorf("%d requests, gzipped %v; want 2, not gzipped", r.Requests(), r.Gzipped())
	}
}

func TestReceiverGRPC(t *testing.T) {
	r := testkit.StartGRPCReceiver(t)
	conn, err := grpc.NewClient(strings.TrimPrefix(r.Endpoint, "http://"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	if _, err := colltracepb.NewTraceServiceClient(conn).Export(ctx, traces()); err != nil {
		t.Fatal(err)
	}
	if _, err := collmetricpb.NewMetricsServiceClient(conn).Export(ctx, metrics()); err != nil {
		t.Fatal(err)
	}
	check(t, r)
}

func TestEnv(t *testing.T) {
	t.Setenv("OTEL_SERVICE_NAME", "from-the-test")
	r := testkit.StartGRPCReceiver(t)
	env := strings.Join(testkit.Env(r, "OTEL_SERVICE_NAME=x"), "\n") + "\n"
	for _, want := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + r.Endpoint + "\n", "OTEL_EXPORTER_OTLP_PROTOCOL=grpc\n", "OTEL_SERVICE_NAME=x\n"} {
		if !strings.Contains(env, want) {
			t.Errorf("Env has no %q", want)
		}
	}
	if strings.Contains(env, "from-the-test") {
		t.Errorf("Env keeps the test's OTEL_ variables")
	}
}

// recorder is a testing.TB that records failures; Fatal ends the goroutine.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// fails runs f with a recorder and returns its failures.
func fails(t *testing.T, f func(testing.TB)) string {
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); f(rec) }()
	<-done
	return strings.Join(rec.failed, "\n")
}

func TestFailures(t *testing.T) {
	r := testkit.StartReceiver(t)
	body, _ := proto.Marshal(traces())
	resp, err := http.Post(r.Endpoint+"/v1/traces", "application/x-protobuf", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	spans := r.WaitSpans(t, 3)
	srv := spans[0]
	cli := spans[1]
	for _, tc := range []struct {
		f    func(testing.TB)
		want string
	}{
		{func(t testing.TB) { testkit.One(t, spans, testkit.Kind(testkit.Client), testkit.Name("POST")) }, `0 spans are kind SPAN_KIND_CLIENT, name "POST", want 1:`},
		{func(t testing.TB) {
			testkit.One(t, spans, testkit.Attr("http.route", "/x"), testkit.Kind(testkit.Server))
		}, ""},
		{func(t testing.TB) { testkit.WantAttrs(t, srv, map[string]any{"http.response.status_code": 200}) }, "has http.response.status_code=200 (int64), want 200 (int)"},
		{func(t testing.TB) { testkit.WantAttrs(t, srv, map[string]any{"http.route": nil}) }, "has http.route=/x, want none"},
		{func(t testing.TB) { testkit.WantChildOf(t, srv, cli) }, `span SPAN_KIND_SERVER "GET /x" is not a child of span SPAN_KIND_CLIENT "GET"`},
		{func(t testing.TB) { testkit.WantRoot(t, cli) }, "has parent"},
		{func(t testing.TB) { testkit.WantStatus(t, srv, testkit.OK) }, "has status STATUS_CODE_UNSET"},
		{func(t testing.TB) { testkit.WantLinks(t, cli, srv) }, "links to [], want"},
		{func(t testing.TB) { testkit.WantHistogramPoint(t, nil, map[string]any{"a": "b"}) }, "no histogram to find a data point with map[a:b] in"},
	} {
		got := fails(t, tc.f)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("failure %q, want one with %q", got, tc.want)
		}
	}
}

// TestRedis checks the server starter: one server for the test binary, on
// loopback, that answers.
func TestRedis(t *testing.T) {
	addr := testkit.Redis(t)
	if again := testkit.Redis(t); again != addr {
		t.Errorf("second Redis is %s, want the first, %s", again, addr)
	}
	if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" {
		t.Errorf("Redis listens on %s, want loopback", addr)
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "SET testkit ok\r\nGET testkit\r\n")
	rd := bufio.NewReader(c)
	var got []string
	for range 3 {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.TrimSpace(line))
	}
	if strings.Join(got, " ") != "+OK $2 ok" {
		t.Errorf("SET then GET answered %q", got)
	}
}

func TestCopyModuleRefusesLocalReplace(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	gomod := "module example.com/app\n\nreplace github.com/otelgen/otelgen => /home/dev/otelgen\n"
	if err := os.WriteFile(filepath.Join(src, "go.mod.in"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	err := testkit.CopyModule(src, dst, "/checkout")
	if err == nil || !strings.Contains(err.Error(), "write OTELGEN_ROOT") {
		t.Fatalf("CopyModule of a go.mod.in replacing otelgen with a local path: %v", err)
	}
	gomod = "module example.com/app\n\nreplace (\n\tgithub.com/otelgen/otelgen => OTELGEN_ROOT\n\tgithub.com/otelgen/otelgen/rules/sdk => OTELGEN_ROOT/rules/sdk\n)\n"
	os.WriteFile(filepath.Join(src, "go.mod.in"), []byte(gomod), 0o644)
	if err := testkit.CopyModule(src, dst, "/checkout"); err != nil {
		t.Fatal(err)
	}
}

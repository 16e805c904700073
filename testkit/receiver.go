package testkit

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	colllogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	collmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	colltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricpb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// A Receiver is an OTLP receiver run by a test on loopback: it collects the
// spans, metrics and log records that instrumented programs export to it,
// over OTLP/HTTP with protobuf bodies (StartReceiver) or over OTLP/gRPC
// (StartGRPCReceiver).
type Receiver struct {
	// Endpoint is the value for OTEL_EXPORTER_OTLP_ENDPOINT.
	Endpoint string
	// Protocol is the value for OTEL_EXPORTER_OTLP_PROTOCOL.
	Protocol string

	mu       sync.Mutex
	spans    []Span
	metrics  []Metric
	requests int  // every request, whatever its path
	gzipped  bool // a request came with Content-Encoding: gzip

	logs []LogRecord // see logs.go
}

// A Span is one received span with the attributes of the resource and the
// name of the scope it came with.
type Span struct {
	*tracepb.Span
	Resource map[string]any
	Scope    string
}

// A Metric is one received metric with the attributes of the resource and
// the name of the scope it came with.
type Metric struct {
	*metricpb.Metric
	Resource map[string]any
	Scope    string
}

// StartReceiver starts an OTLP/HTTP receiver on 127.0.0.1:0, stopped when
// the test ends.
func StartReceiver(t testing.TB) *Receiver {
	t.Helper()
	r := &Receiver{Protocol: "http/protobuf"}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.requests++
		r.mu.Unlock()
		http.NotFound(w, req)
	})
	mux.HandleFunc("/v1/traces", func(w http.ResponseWriter, req *http.Request) {
		in := &colltracepb.ExportTraceServiceRequest{}
		if !r.decode(w, req, in) {
			return
		}
		r.addTraces(in)
		r.respond(w, &colltracepb.ExportTraceServiceResponse{})
	})
	mux.HandleFunc("/v1/metrics", func(w http.ResponseWriter, req *http.Request) {
		in := &collmetricpb.ExportMetricsServiceRequest{}
		if !r.decode(w, req, in) {
			return
		}
		r.addMetrics(in)
		r.respond(w, &collmetricpb.ExportMetricsServiceResponse{})
	})
	mux.HandleFunc("/v1/logs", r.handleLogs)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	r.Endpoint = "http://" + ln.Addr().String()
	return r
}

// decode reads a protobuf request body into m, or answers with an error.
func (r *Receiver) decode(w http.ResponseWriter, req *http.Request, m proto.Message) bool {
	r.mu.Lock()
	r.requests++
	r.mu.Unlock()
	if req.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return false
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		http.Error(w, "unsupported content type "+ct, http.StatusUnsupportedMediaType)
		return false
	}
	var body io.Reader = req.Body
	switch enc := req.Header.Get("Content-Encoding"); enc {
	case "":
	case "gzip":
		zr, err := gzip.NewReader(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return false
		}
		defer zr.Close()
		body = zr
		r.mu.Lock()
		r.gzipped = true
		r.mu.Unlock()
	default:
		http.Error(w, "unsupported content encoding "+enc, http.StatusUnsupportedMediaType)
		return false
	}
	data, err := io.ReadAll(body)
	if err == nil {
		err = proto.Unmarshal(data, m)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func (r *Receiver) respond(w http.ResponseWriter, m proto.Message) {
	data, err := proto.Marshal(m)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(data)
}

func (r *Receiver) addTraces(in *colltracepb.ExportTraceServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rs := range in.GetResourceSpans() {
		res := Attrs(rs.GetResource().GetAttributes())
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				r.spans = append(r.spans, Span{Span: s, Resource: res, Scope: ss.GetScope().GetName()})
			}
		}
	}
}

func (r *Receiver) addMetrics(in *collmetricpb.ExportMetricsServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rm := range in.GetResourceMetrics() {
		res := Attrs(rm.GetResource().GetAttributes())
		for _, sm := range rm.GetScopeMetrics() {
			for _, m := range sm.GetMetrics() {
				r.metrics = append(r.metrics, Metric{Metric: m, Resource: res, Scope: sm.GetScope().GetName()})
			}
		}
	}
}

// StartGRPCReceiver starts an OTLP/gRPC receiver on 127.0.0.1:0, stopped
// when the test ends.
func StartGRPCReceiver(t testing.TB) *Receiver {
	t.Helper()
	r := &Receiver{Protocol: "grpc"}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	colltracepb.RegisterTraceServiceServer(srv, grpcTraces{r: r})
	collmetricpb.RegisterMetricsServiceServer(srv, grpcMetrics{r: r})
	colllogspb.RegisterLogsServiceServer(srv, grpcLogs{r: r})
	go srv.Serve(ln)
	t.Cleanup(srv.Stop)
	r.Endpoint = "http://" + ln.Addr().String()
	return r
}

type grpcTraces struct {
	colltracepb.UnimplementedTraceServiceServer
	r *Receiver
}

func (g grpcTraces) Export(_ context.Context, in *colltracepb.ExportTraceServiceRequest) (*colltracepb.ExportTraceServiceResponse, error) {
	g.r.mu.Lock()
	g.r.requests++
	g.r.mu.Unlock()
	g.r.addTraces(in)
	return &colltracepb.ExportTraceServiceResponse{}, nil
}

type grpcMetrics struct {
	collmetricpb.UnimplementedMetricsServiceServer
	r *Receiver
}

func (g grpcMetrics) Export(_ context.Context, in *collmetricpb.ExportMetricsServiceRequest) (*collmetricpb.ExportMetricsServiceResponse, error) {
	g.r.mu.Lock()
	g.r.requests++
	g.r.mu.Unlock()
	g.r.addMetrics(in)
	return &collmetricpb.ExportMetricsServiceResponse{}, nil
}

// Spans returns the spans received so far.
func (r *Receiver) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Span(nil), r.spans...)
}

// Metrics returns the metrics received so far.
func (r *Receiver) Metrics() []Metric {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Metric(nil), r.metrics...)
}

// Requests is the number of requests received so far, on any path.
func (r *Receiver) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// Gzipped reports whether a request came gzip-compressed.
func (r *Receiver) Gzipped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gzipped
}

// WaitTimeout bounds how long WaitSpans and WaitMetric wait.
const WaitTimeout = 10 * time.Second

// WaitSpans waits until at least n spans have arrived, at most WaitTimeout, and
// returns them; it fails the test when they do not come.
func (r *Receiver) WaitSpans(t testing.TB, n int) []Span {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		spans := r.Spans()
		if len(spans) >= n {
			return spans
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d spans arrived in %v, want %d:\n%s", len(spans), WaitTimeout, n, Dump(spans))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitMetric waits, at most WaitTimeout, for a metric of that name, and returns
// every one of that name received.
func (r *Receiver) WaitMetric(t testing.TB, name string) []Metric {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		var found []Metric
		for _, m := range r.Metrics() {
			if m.GetName() == name {
				found = append(found, m)
			}
		}
		if len(found) > 0 {
			return found
		}
		if time.Now().After(deadline) {
			t.Fatalf("no metric %s arrived in %v", name, WaitTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Attrs turns OTLP attributes into Go values: string, int64, float64, bool,
// []byte, []any or map[string]any.
func Attrs(kvs []*commonpb.KeyValue) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, kv := range kvs {
		m[kv.GetKey()] = anyValue(kv.GetValue())
	}
	return m
}

func anyValue(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return x.IntValue
	case *commonpb.AnyValue_DoubleValue:
		return x.DoubleValue
	case *commonpb.AnyValue_BoolValue:
		return x.BoolValue
	case *commonpb.AnyValue_BytesValue:
		return x.BytesValue
	case *commonpb.AnyValue_ArrayValue:
		var out []any
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, anyValue(e))
		}
		return out
	case *commonpb.AnyValue_KvlistValue:
		return Attrs(x.KvlistValue.GetValues())
	}
	return nil
}

// Attrs are the span's attributes, as Go values (see Attrs).
func (s Span) Attrs() map[string]any { return Attrs(s.GetAttributes()) }

// Attr is one attribute of the span, nil when it has none of that name.
func (s Span) Attr(key string) any { return s.Attrs()[key] }

// TraceID is the span's trace ID in hex.
func (s Span) TraceID() string { return hex.EncodeToString(s.GetTraceId()) }

// ID is the span's ID in hex.
func (s Span) ID() string { return hex.EncodeToString(s.GetSpanId()) }

// ParentID is the ID of the span's parent in hex, "" for a root span.
func (s Span) ParentID() string { return hex.EncodeToString(s.GetParentSpanId()) }

// String describes the span on one line, for failure messages.
func (s Span) String() string {
	return fmt.Sprintf("%s %q trace %s span %s parent %s status %s scope %s %v resource %v",
		s.GetKind(), s.GetName(), s.TraceID(), s.ID(), s.ParentID(), s.GetStatus().GetCode(), s.Scope, s.Attrs(), s.Resource)
}

// Dump describes spans, one a line, for failure messages.
func Dump(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	return b.String()
}

// HistogramPoints are the attributes of every data point of histogram
// metrics.
func HistogramPoints(ms []Metric) []map[string]any {
	var out []map[string]any
	for _, m := range ms {
		for _, dp := range m.GetHistogram().GetDataPoints() {
			out = append(out, Attrs(dp.GetAttributes()))
		}
	}
	return out
}

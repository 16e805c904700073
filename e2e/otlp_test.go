package e2e

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

	collmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	colltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	metricpb "go.opentelemetry.io/proto/otlp/metrics/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// receiver is an OTLP receiver run by a test on loopback: it collects the
// spans and metrics that instrumented programs export to it, over
// OTLP/HTTP with protobuf bodies (startReceiver) or over OTLP/gRPC
// (startGRPCReceiver).
type receiver struct {
	// Endpoint is the value for OTEL_EXPORTER_OTLP_ENDPOINT.
	Endpoint string

	mu       sync.Mutex
	spans    []span
	metrics  []metric
	requests int  // every request, whatever its path
	gzipped  bool // a request came with Content-Encoding: gzip
}

// span is one received span with the resource and scope it came with.
type span struct {
	*tracepb.Span
	Resource map[string]any
	Scope    string
}

// metric is one received metric with the resource and scope it came with.
type metric struct {
	*metricpb.Metric
	Resource map[string]any
	Scope    string
}

// startReceiver starts an OTLP/HTTP receiver on 127.0.0.1:0, stopped when
// the test ends.
func startReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
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
func (r *receiver) decode(w http.ResponseWriter, req *http.Request, m proto.Message) bool {
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

func (r *receiver) respond(w http.ResponseWriter, m proto.Message) {
	data, err := proto.Marshal(m)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(data)
}

func (r *receiver) addTraces(in *colltracepb.ExportTraceServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rs := range in.GetResourceSpans() {
		res := attrMap(rs.GetResource().GetAttributes())
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				r.spans = append(r.spans, span{Span: s, Resource: res, Scope: ss.GetScope().GetName()})
			}
		}
	}
}

func (r *receiver) addMetrics(in *collmetricpb.ExportMetricsServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rm := range in.GetResourceMetrics() {
		res := attrMap(rm.GetResource().GetAttributes())
		for _, sm := range rm.GetScopeMetrics() {
			for _, m := range sm.GetMetrics() {
				r.metrics = append(r.metrics, metric{Metric: m, Resource: res, Scope: sm.GetScope().GetName()})
			}
		}
	}
}

// startGRPCReceiver starts an OTLP/gRPC receiver on 127.0.0.1:0, stopped
// when the test ends.
func startGRPCReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	colltracepb.RegisterTraceServiceServer(srv, grpcTraces{r: r})
	collmetricpb.RegisterMetricsServiceServer(srv, grpcMetrics{r: r})
	go srv.Serve(ln)
	t.Cleanup(srv.Stop)
	r.Endpoint = "http://" + ln.Addr().String()
	return r
}

type grpcTraces struct {
	colltracepb.UnimplementedTraceServiceServer
	r *receiver
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
	r *receiver
}

func (g grpcMetrics) Export(_ context.Context, in *collmetricpb.ExportMetricsServiceRequest) (*collmetricpb.ExportMetricsServiceResponse, error) {
	g.r.mu.Lock()
	g.r.requests++
	g.r.mu.Unlock()
	g.r.addMetrics(in)
	return &collmetricpb.ExportMetricsServiceResponse{}, nil
}

// Spans returns the spans received so far.
func (r *receiver) Spans() []span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]span(nil), r.spans...)
}

// Metrics returns the metrics received so far.
func (r *receiver) Metrics() []metric {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]metric(nil), r.metrics...)
}

// Requests is the number of requests received so far, on any path.
func (r *receiver) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

// Gzipped reports whether a request came gzip-compressed.
func (r *receiver) Gzipped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.gzipped
}

// spanWait bounds how long waitSpans waits.
const spanWait = 10 * time.Second

// waitSpans waits until at least n spans have arrived, at most spanWait, and
// returns them; it fails the test when they do not come.
func (r *receiver) waitSpans(t *testing.T, n int) []span {
	t.Helper()
	deadline := time.Now().Add(spanWait)
	for {
		spans := r.Spans()
		if len(spans) >= n {
			return spans
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d spans arrived in %v, want %d:\n%s", len(spans), spanWait, n, dumpSpans(spans))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitMetric waits, at most spanWait, for a metric of that name, and
// returns every one of that name received.
func (r *receiver) waitMetric(t *testing.T, name string) []metric {
	t.Helper()
	deadline := time.Now().Add(spanWait)
	for {
		var found []metric
		for _, m := range r.Metrics() {
			if m.GetName() == name {
				found = append(found, m)
			}
		}
		if len(found) > 0 {
			return found
		}
		if time.Now().After(deadline) {
			t.Fatalf("no metric %s arrived in %v", name, spanWait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// attrMap turns OTLP attributes into Go values: string, int64, float64,
// bool, []any or map[string]any.
func attrMap(kvs []*commonpb.KeyValue) map[string]any {
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
		return attrMap(x.KvlistValue.GetValues())
	}
	return nil
}

// Attrs are the span's attributes.
func (s span) Attrs() map[string]any { return attrMap(s.GetAttributes()) }

// Attr is one attribute of the span, nil when it has none of that name.
func (s span) Attr(key string) any { return s.Attrs()[key] }

func (s span) TraceID() string  { return hex.EncodeToString(s.GetTraceId()) }
func (s span) ID() string       { return hex.EncodeToString(s.GetSpanId()) }
func (s span) ParentID() string { return hex.EncodeToString(s.GetParentSpanId()) }

func (s span) String() string {
	return fmt.Sprintf("%s %q trace %s span %s parent %s status %s scope %s %v resource %v",
		s.GetKind(), s.GetName(), s.TraceID(), s.ID(), s.ParentID(), s.GetStatus().GetCode(), s.Scope, s.Attrs(), s.Resource)
}

func dumpSpans(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	return b.String()
}

// histogramPoints are the attributes of every data point of histogram
// metrics.
func histogramPoints(ms []metric) []map[string]any {
	var out []map[string]any
	for _, m := range ms {
		for _, dp := range m.GetHistogram().GetDataPoints() {
			out = append(out, attrMap(dp.GetAttributes()))
		}
	}
	return out
}

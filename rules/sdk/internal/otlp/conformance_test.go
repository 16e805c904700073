package otlp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	colmetricpb "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

// The conformance tests send the same spans and metrics through the
// upstream exporters and through this package's encoder, decode both with
// the generated OTLP types, and compare them message by message.

// capture is a collector that keeps the bodies it is sent.
type capture struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
}

func startCapture(t *testing.T) *capture {
	c := &capture{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.bodies = append(c.bodies, b)
		c.mu.Unlock()
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *capture) only(t *testing.T) []byte {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.bodies) != 1 {
		t.Fatalf("the collector got %d requests, want 1", len(c.bodies))
	}
	return c.bodies[0]
}

// every kind of attribute value the API has.
var allValues = []attribute.KeyValue{
	attribute.Bool("bool", true),
	attribute.Bool("false", false),
	attribute.Int64("int", -42),
	attribute.Int64("zero", 0),
	attribute.Float64("float", 3.25),
	attribute.String("string", "héllo"),
	attribute.String("empty", ""),
	attribute.BoolSlice("bools", []bool{true, false}),
	attribute.Int64Slice("ints", []int64{1, -2, 1 << 40}),
	attribute.Float64Slice("floats", []float64{0.5, -1e300}),
	attribute.StringSlice("strings", []string{"a", "", "c"}),
	attribute.ByteSlice("bytes", []byte{0, 1, 255}),
	attribute.Slice("slice", attribute.StringValue("x"), attribute.IntValue(7), attribute.SliceValue(attribute.BoolValue(true))),
	attribute.Map("map", attribute.String("k", "v"), attribute.Map("inner", attribute.Int("n", 1))),
	{Key: "empty-value"},
	attribute.String("long", strings.Repeat("x", 300)), // a length of two varint bytes
}

func testSpans() []sdktrace.ReadOnlySpan {
	res1 := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0", attribute.String("service.name", "one"), attribute.Int("n", 1))
	res2 := resource.NewSchemaless(allValues...)
	ts, _ := trace.ParseTraceState("vendor=value,other=x")
	tid := trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	sc := func(sid byte, remote bool, flags trace.TraceFlags) trace.SpanContext {
		return trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: trace.SpanID{sid, 2, 3, 4, 5, 6, 7, 8}, TraceFlags: flags, TraceState: ts, Remote: remote})
	}
	start := time.Unix(1700000000, 123456789)
	scopeA := instrumentation.Scope{Name: "a", Version: "1.0", SchemaURL: "https://opentelemetry.io/schemas/1.30.0", Attributes: attribute.NewSet(attribute.String("scope.attr", "v"))}
	scopeB := instrumentation.Scope{Name: "b"}
	stubs := tracetest.SpanStubs{
		{
			Name: "server", SpanContext: sc(1, false, trace.FlagsSampled), Parent: sc(9, true, trace.FlagsSampled),
			SpanKind: trace.SpanKindServer, StartTime: start, EndTime: start.Add(time.Second),
			Attributes: allValues, DroppedAttributes: 3,
			Events: []sdktrace.Event{
				{Name: "exception", Time: start.Add(time.Millisecond), Attributes: []attribute.KeyValue{attribute.String("exception.message", "boom")}, DroppedAttributeCount: 2},
				{Name: "bare", Time: start},
			},
			DroppedEvents: 4,
			Links: []sdktrace.Link{
				{SpanContext: sc(7, true, 0), Attributes: []attribute.KeyValue{attribute.Int("l", 1)}, DroppedAttributeCount: 1},
				{SpanContext: sc(8, false, trace.FlagsSampled)},
			},
			DroppedLinks:         5,
			Status:               sdktrace.Status{Code: codes.Error, Description: "it failed"},
			Resource:             res1,
			InstrumentationScope: scopeA,
		},
		{Name: "ok", SpanContext: sc(2, false, trace.FlagsSampled), Parent: sc(1, false, trace.FlagsSampled), SpanKind: trace.SpanKindClient, StartTime: start, EndTime: start, Status: sdktrace.Status{Code: codes.Ok}, Resource: res1, InstrumentationScope: scopeA},
		{Name: "other scope", SpanContext: sc(3, false, 0), SpanKind: trace.SpanKindProducer, StartTime: start, Resource: res1, InstrumentationScope: scopeB},
		{Name: "no scope", SpanContext: sc(4, false, 0), SpanKind: trace.SpanKindConsumer, Resource: res1},
		{Name: "other resource", SpanContext: sc(5, false, 0), SpanKind: trace.SpanKindInternal, StartTime: time.Unix(-5, 0), Resource: res2, InstrumentationScope: scopeB},
		{Name: "empty resource", SpanContext: sc(6, false, 0), Resource: resource.Empty(), InstrumentationScope: scopeA},
		{Name: "same scope again", SpanContext: sc(10, false, 0), Resource: res1, InstrumentationScope: scopeA},
	}
	return stubs.Snapshots()
}

func TestTracesConformance(t *testing.T) {
	spans := testSpans()

	col := startCapture(t)
	up, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(col.URL+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	if err := up.ExportSpans(context.Background(), spans); err != nil {
		t.Fatal(err)
	}
	var want coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(col.only(t), &want); err != nil {
		t.Fatal(err)
	}

	var got coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(EncodeTraces(spans), &got); err != nil {
		t.Fatalf("our encoding does not decode: %v", err)
	}
	// Upstream leaves out a link's trace state, which the specification
	// asks for: check ours, then compare the rest.
	for _, rs := range got.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				for _, l := range s.Links {
					if l.TraceState != "vendor=value,other=x" {
						t.Errorf("span %s: link trace state %q", s.Name, l.TraceState)
					}
					l.TraceState = ""
				}
			}
		}
	}
	// Upstream groups resources through a map: sort them as ours are, by
	// first appearance.
	order := func(rs *tracepb.ResourceSpans) int {
		return slices.IndexFunc(spans, func(s sdktrace.ReadOnlySpan) bool {
			return string(s.SpanContext().SpanID().String()) == hexID(rs.ScopeSpans[0].Spans[0].SpanId)
		})
	}
	slices.SortFunc(want.ResourceSpans, func(a, b *tracepb.ResourceSpans) int { return order(a) - order(b) })
	if len(got.ResourceSpans) != 3 {
		t.Errorf("%d resource spans, want 3", len(got.ResourceSpans))
	}
	if !proto.Equal(&got, &want) {
		t.Errorf("ours:\n%s\nupstream:\n%s", prototext.Format(&got), prototext.Format(&want))
	}
}

func hexID(b []byte) string {
	var sid trace.SpanID
	copy(sid[:], b)
	return sid.String()
}

func testMetrics() *metricdata.ResourceMetrics {
	now := time.Unix(1700000000, 5)
	start := now.Add(-time.Minute)
	set := attribute.NewSet(allValues...)
	small := attribute.NewSet(attribute.String("http.route", "/x"))
	exI := []metricdata.Exemplar[int64]{{FilteredAttributes: []attribute.KeyValue{attribute.String("f", "v")}, Time: now, Value: 3, SpanID: []byte{1, 2, 3, 4, 5, 6, 7, 8}, TraceID: []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}, {Time: now, Value: 0}}
	exF := []metricdata.Exemplar[float64]{{Time: now, Value: 2.5}, {Value: 0}}
	return &metricdata.ResourceMetrics{
		Resource: resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0", attribute.String("service.name", "m")),
		ScopeMetrics: []metricdata.ScopeMetrics{
			{
				Scope: instrumentation.Scope{Name: "meter", Version: "v1", SchemaURL: "https://example.com/s", Attributes: attribute.NewSet(attribute.Bool("x", true))},
				Metrics: []metricdata.Metrics{
					{Name: "sum.int", Description: "d", Unit: "{request}", Data: metricdata.Sum[int64]{Temporality: metricdata.CumulativeTemporality, IsMonotonic: true, DataPoints: []metricdata.DataPoint[int64]{
						{Attributes: set, StartTime: start, Time: now, Value: 42, Exemplars: exI},
						{Attributes: small, StartTime: start, Time: now, Value: 0},
						{Time: now, Value: -7},
					}}},
					{Name: "sum.float", Data: metricdata.Sum[float64]{Temporality: metricdata.DeltaTemporality, DataPoints: []metricdata.DataPoint[float64]{
						{Attributes: small, StartTime: start, Time: now, Value: 1.5, Exemplars: exF},
						{Time: now, Value: 0},
					}}},
					{Name: "gauge.int", Data: metricdata.Gauge[int64]{DataPoints: []metricdata.DataPoint[int64]{{Time: now, Value: 9}}}},
					{Name: "gauge.float", Unit: "s", Data: metricdata.Gauge[float64]{DataPoints: []metricdata.DataPoint[float64]{{Attributes: small, Time: now, Value: -0.25}}}},
					{Name: "hist.float", Unit: "s", Data: metricdata.Histogram[float64]{Temporality: metricdata.CumulativeTemporality, DataPoints: []metricdata.HistogramDataPoint[float64]{
						{Attributes: small, StartTime: start, Time: now, Count: 6, Bounds: []float64{0, 0.005, 0.5, 10}, BucketCounts: []uint64{0, 1, 2, 3, 0}, Min: metricdata.NewExtrema(0.001), Max: metricdata.NewExtrema(7.5), Sum: 12.5, Exemplars: exF},
						{Time: now, Count: 0, Sum: 0},
					}}},
					{Name: "hist.int", Data: metricdata.Histogram[int64]{Temporality: metricdata.DeltaTemporality, DataPoints: []metricdata.HistogramDataPoint[int64]{
						{StartTime: start, Time: now, Count: 2, Bounds: []float64{10}, BucketCounts: []uint64{1, 1}, Min: metricdata.NewExtrema[int64](-3), Sum: 20, Exemplars: exI},
					}}},
					{Name: "exphist.float", Data: metricdata.ExponentialHistogram[float64]{Temporality: metricdata.DeltaTemporality, DataPoints: []metricdata.ExponentialHistogramDataPoint[float64]{
						{Attributes: small, StartTime: start, Time: now, Count: 1000, Min: metricdata.NewExtrema(-2.0), Max: metricdata.NewExtrema(300.0), Sum: 5000, Scale: -3, ZeroCount: 4, ZeroThreshold: 1e-9,
							PositiveBucket: metricdata.ExponentialBucket{Offset: -2, Counts: []uint64{1, 0, 300, 1 << 35}}, NegativeBucket: metricdata.ExponentialBucket{Offset: 5, Counts: []uint64{2}}, Exemplars: exF},
						{Time: now, Scale: 20},
					}}},
					{Name: "exphist.int", Data: metricdata.ExponentialHistogram[int64]{Temporality: metricdata.CumulativeTemporality, DataPoints: []metricdata.ExponentialHistogramDataPoint[int64]{
						{StartTime: start, Time: now, Count: 3, Sum: 9, Scale: 2, PositiveBucket: metricdata.ExponentialBucket{Counts: make([]uint64, 200)}, Exemplars: exI},
					}}},
					{Name: "summary", Data: metricdata.Summary{DataPoints: []metricdata.SummaryDataPoint{
						{Attributes: small, StartTime: start, Time: now, Count: 10, Sum: 55.5, QuantileValues: []metricdata.QuantileValue{{Quantile: 0, Value: 1}, {Quantile: 0.5, Value: 5}, {Quantile: 1, Value: 0}}},
					}}},
				},
			},
			{Scope: instrumentation.Scope{Name: "empty"}},
		},
	}
}

func TestMetricsConformance(t *testing.T) {
	rm := testMetrics()

	col := startCapture(t)
	up, err := otlpmetrichttp.New(context.Background(), otlpmetrichttp.WithEndpointURL(col.URL+"/v1/metrics"))
	if err != nil {
		t.Fatal(err)
	}
	if err := up.Export(context.Background(), rm); err != nil {
		t.Fatal(err)
	}
	var want colmetricpb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(col.only(t), &want); err != nil {
		t.Fatal(err)
	}

	body, err := EncodeMetrics(rm)
	if err != nil {
		t.Fatal(err)
	}
	var got colmetricpb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(body, &got); err != nil {
		t.Fatalf("our encoding does not decode: %v", err)
	}
	if !proto.Equal(&got, &want) {
		t.Errorf("ours:\n%s\nupstream:\n%s", prototext.Format(&got), prototext.Format(&want))
	}
}

// A metric of unknown temporality is left out and named; the rest is sent.
func TestMetricsUnknownTemporality(t *testing.T) {
	rm := testMetrics()
	ms := rm.ScopeMetrics[0].Metrics
	ms[1].Data = metricdata.Sum[float64]{DataPoints: []metricdata.DataPoint[float64]{{Value: 1}}}
	body, err := EncodeMetrics(rm)
	if err == nil || !strings.Contains(err.Error(), "sum.float") {
		t.Errorf("error %v, want one that names sum.float", err)
	}
	var got colmetricpb.ExportMetricsServiceRequest
	if err := proto.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range got.ResourceMetrics[0].ScopeMetrics[0].Metrics {
		names = append(names, m.Name)
	}
	if len(names) != len(ms)-1 || slices.Contains(names, "sum.float") {
		t.Errorf("metrics sent: %v", names)
	}
}

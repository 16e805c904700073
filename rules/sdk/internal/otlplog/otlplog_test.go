package otlplog

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
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/log/logtest"
	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/trace"
	collogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/otelgen/otelgen/rules/sdk/internal/otlp"
)

func testRecords() []sdklog.Record {
	now := time.Unix(1700000000, 99)
	res := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0", attribute.String("service.name", "l"))
	scopeA := &instrumentation.Scope{Name: "a", Version: "2", SchemaURL: "https://example.com/a", Attributes: attribute.NewSet(attribute.Int("x", 1))}
	scopeB := &instrumentation.Scope{Name: "b"}
	attrs := []attribute.KeyValue{
		attribute.String("s", "v"), attribute.Int("i", -1), attribute.Bool("b", false), attribute.Float64("f", 0),
		attribute.StringSlice("ss", []string{"a", "b"}), attribute.ByteSlice("bytes", []byte{1}),
		attribute.Map("m", attribute.String("k", strings.Repeat("v", 200))), {Key: "empty"},
	}
	fs := []logtest.RecordFactory{
		{EventName: "ev", Timestamp: now, ObservedTimestamp: now.Add(time.Second), Severity: log.SeverityWarn2, SeverityText: "WARN",
			Body: attribute.StringValue("hello"), Attributes: attrs, DroppedAttributes: 3,
			TraceID: trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, SpanID: trace.SpanID{1, 2, 3, 4, 5, 6, 7, 8}, TraceFlags: trace.FlagsSampled,
			Resource: res, InstrumentationScope: scopeA},
		{Severity: log.SeverityFatal4, Body: attribute.MapValue(attribute.String("k", "v")), Resource: res, InstrumentationScope: scopeB},
		{Severity: 30, Body: attribute.SliceValue(attribute.IntValue(1)), Resource: res, InstrumentationScope: scopeA},
		{ObservedTimestamp: now, Resource: res},
		{Body: attribute.BoolValue(true), Resource: resource.Empty(), InstrumentationScope: scopeA},
	}
	var out []sdklog.Record
	for _, f := range fs {
		out = append(out, f.NewRecord())
	}
	return out
}

// TestConformance sends the same records through upstream's otlploghttp
// and through Encode, decodes both with the generated types and compares.
func TestConformance(t *testing.T) {
	records := testRecords()
	var mu sync.Mutex
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
	}))
	defer srv.Close()
	up, err := otlploghttp.New(context.Background(), otlploghttp.WithEndpointURL(srv.URL+"/v1/logs"))
	if err != nil {
		t.Fatal(err)
	}
	if err := up.Export(context.Background(), records); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 1 {
		t.Fatalf("%d requests", len(bodies))
	}
	var want, got collogspb.ExportLogsServiceRequest
	if err := proto.Unmarshal(bodies[0], &want); err != nil {
		t.Fatal(err)
	}
	if err := proto.Unmarshal(Encode(records), &got); err != nil {
		t.Fatalf("our encoding does not decode: %v", err)
	}
	// Upstream groups resources through a map: put the empty one last, as
	// ours is.
	slices.SortFunc(want.ResourceLogs, func(a, b *logspb.ResourceLogs) int {
		return len(b.GetResource().GetAttributes()) - len(a.GetResource().GetAttributes())
	})
	if len(got.ResourceLogs) != 2 {
		t.Errorf("%d resource logs, want 2", len(got.ResourceLogs))
	}
	if !proto.Equal(&got, &want) {
		t.Errorf("ours:\n%s\nupstream:\n%s", prototext.Format(&got), prototext.Format(&want))
	}
}

// TestExport sends records to a real server with gzip and headers.
func TestExport(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Clone(context.Background()) }))
	defer srv.Close()
	x := NewWith(&otlp.Client{URL: srv.URL + "/v1/logs", Timeout: time.Second, Gzip: true, Headers: map[string]string{"X-Key": "v"}})
	if err := x.Export(context.Background(), testRecords()); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.URL.Path != "/v1/logs" || got.Header.Get("Content-Encoding") != "gzip" || got.Header.Get("X-Key") != "v" {
		t.Errorf("request %+v", got)
	}
}

package elasticsearch

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// call drives the instrumentation as esapi does for one call.
func call(in elastictransport.Instrumentation, endpoint string, parts map[string]string, rawURL string, status int, err error) {
	ctx := in.Start(context.Background(), endpoint)
	defer in.Close(ctx)
	for k, v := range parts {
		in.RecordPathPart(ctx, k, v)
	}
	u, _ := url.Parse(rawURL)
	req := (&http.Request{Method: "GET", URL: u, Header: http.Header{}}).WithContext(ctx)
	in.BeforeRequest(req, endpoint)
	if status > 0 {
		in.AfterResponse(ctx, &http.Response{StatusCode: status, Header: http.Header{"X-Found-Handling-Cluster": {"c1"}}})
	}
	in.AfterRequest(req, "elasticsearch", endpoint)
	if err != nil {
		in.RecordError(ctx, err)
	}
}

func TestInstrumentation(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	t.Cleanup(func() { otel.SetTracerProvider(trace.NewNoopTracerProvider()) })
	var cfg elastictransport.Config
	NewTransportBefore(nil, &cfg)
	in := cfg.Instrumentation
	if in == nil {
		t.Fatal("no Instrumentation set")
	}

	call(in, "search", map[string]string{"index": "books"}, "http://u:secret@es.local:9200/books/_search?token=t0k", 200, nil)
	call(in, "indices.exists", map[string]string{"index": "gone"}, "http://es.local:9200/gone", 404, nil)
	call(in, "get", map[string]string{"index": "books", "id": "9"}, "http://es.local:9200/books/_doc/9", 404, nil)
	call(in, "info", nil, "https://es.local/", 0, errors.New("refused"))

	spans := rec.Ended()
	if len(spans) != 4 {
		t.Fatalf("%d spans, want 4", len(spans))
	}
	for i, want := range []struct {
		name   string
		status codes.Code
		attrs  map[attribute.Key]any
	}{
		{"search books", codes.Unset, map[attribute.Key]any{
			"db.system.name": "elasticsearch", "db.operation.name": "search", "db.collection.name": "books",
			"db.operation.parameter.index": "books", "http.request.method": "GET",
			"url.full":       "http://REDACTED:REDACTED@es.local:9200/books/_search?token=REDACTED",
			"server.address": "es.local", "server.port": int64(9200), "db.response.status_code": "200",
			"db.namespace": "c1", "error.type": nil,
		}},
		{"indices.exists gone", codes.Unset, map[attribute.Key]any{"db.response.status_code": "404", "error.type": nil}},
		{"get books", codes.Error, map[attribute.Key]any{"db.operation.parameter.id": "9", "db.response.status_code": "404", "error.type": "404"}},
		{"info", codes.Error, map[attribute.Key]any{"server.port": int64(443), "error.type": "*errors.errorString", "db.response.status_code": nil}},
	} {
		s := spans[i]
		if s.Name() != want.name || s.SpanKind() != trace.SpanKindClient || s.Status().Code != want.status {
			t.Errorf("span %d: %q %v %v, want %q CLIENT %v", i, s.Name(), s.SpanKind(), s.Status().Code, want.name, want.status)
		}
		got := map[attribute.Key]any{}
		for _, kv := range s.Attributes() {
			got[kv.Key] = kv.Value.AsInterface()
		}
		for k, v := range want.attrs {
			if g, ok := got[k]; (v == nil && ok) || (v != nil && g != v) {
				t.Errorf("%s: %s = %v, want %v", want.name, k, g, v)
			}
		}
	}

	// Calls the client never makes do no harm.
	in.Close(nil)
	in.AfterRequest(nil, "", "")
	in.RecordPathPart(context.Background(), "index", "x")

	// The program's own Instrumentation stays.
	own := elastictransport.Config{Instrumentation: elastictransport.NewOtelInstrumentation(nil, false, "x")}
	NewTransportBefore(nil, &own)
	if _, ok := own.Instrumentation.(*elastictransport.ElasticsearchOpenTelemetry); !ok {
		t.Errorf("the program's Instrumentation was replaced by %T", own.Instrumentation)
	}
}

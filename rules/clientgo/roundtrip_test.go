package clientgo

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func TestRoundTrip(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() { otel.SetTracerProvider(trace.NewNoopTracerProvider()) })
	var traceparent string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		traceparent = r.Header.Get("Traceparent")
		if strings.HasSuffix(r.URL.Path, "/missing") {
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()

	var rt http.RoundTripper = http.DefaultTransport
	var err error
	NewTransportAfter(nil, &rt, &err)
	NewTransportAfter(nil, &rt, &err) // once only
	if w, ok := rt.(*roundTripper); !ok || w.WrappedRoundTripper() != http.DefaultTransport {
		t.Fatalf("round tripper %T, want otelgen's once around the transport", rt)
	}
	c := &http.Client{Transport: rt}
	for _, path := range []string{"/api/v1/namespaces/ns1/configmaps/cm", "/apis/apps/v1/namespaces/ns1/deployments/missing"} {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	spans := rec.Ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2", len(spans))
	}
	if s := spans[1].SpanContext(); !strings.Contains(traceparent, s.TraceID().String()+"-"+s.SpanID().String()) {
		t.Errorf("traceparent %q is not the span's", traceparent)
	}
	for i, want := range []struct {
		name   string
		status codes.Code
		attrs  map[attribute.Key]any
	}{
		{"get configmaps", codes.Unset, map[attribute.Key]any{"k8s.api.verb": "get", "k8s.api.resource": "configmaps", "k8s.namespace.name": "ns1", "k8s.api.name": "cm", "http.response.status_code": int64(200), "error.type": nil}},
		{"get deployments", codes.Error, map[attribute.Key]any{"k8s.api.group": "apps", "http.response.status_code": int64(404), "error.type": "404"}},
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
}

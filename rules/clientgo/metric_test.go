package clientgo

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/otelgen/otelgen/rules/sdk/sdktest"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
)

// answer is a round tripper that answers each request with its status, or
// fails it with its error.
type answer struct {
	status int
	err    error
}

func (a answer) RoundTrip(req *http.Request) (*http.Response, error) {
	if a.err != nil {
		return nil, a.err
	}
	return &http.Response{StatusCode: a.status, Request: req, Body: http.NoBody}, nil
}

// TestMetricPoints sends requests through otelgen's round tripper and
// checks the attribute sets of the http.client.request.duration points it
// records: method, server address and port, status code and error.type,
// made once and kept, the same on the second round of requests as on the
// first.
func TestMetricPoints(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	otel.SetMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader)))
	t.Cleanup(func() { otel.SetMeterProvider(noop.NewMeterProvider()) })
	send := func(method, rawURL string, a answer) {
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		rt := &roundTripper{next: a}
		if resp, _ := rt.RoundTrip(&http.Request{Method: method, URL: u, Header: http.Header{}}); resp != nil {
			resp.Body.Close()
		}
	}
	for range 2 {
		send("GET", "https://10.0.0.1:6443/api/v1/namespaces/ns1/pods/p", answer{status: 200})
		send("GET", "https://10.0.0.1:6443/api/v1/namespaces/ns1/pods/gone", answer{status: 404})
		send("PATCH", "https://10.0.0.1:6443/apis/apps/v1/namespaces/ns1/deployments/d", answer{status: 200})
		send("BREW", "http://k8s.local/api/v1/pods", answer{status: 405})
		send("GET", "https://10.0.0.1:6443/api/v1/pods", answer{err: context.DeadlineExceeded})
		send("DELETE", "https://10.0.0.1:6443/api/v1/namespaces/ns1/pods/p", answer{err: errors.New("refused")})
	}
	point := func(method, host string, port int, kvs ...attribute.KeyValue) attribute.Set {
		return attribute.NewSet(append([]attribute.KeyValue{semconv.HTTPRequestMethodKey.String(method),
			semconv.ServerAddress(host), semconv.ServerPort(port)}, kvs...)...)
	}
	status := func(code int) []attribute.KeyValue {
		kvs := []attribute.KeyValue{semconv.HTTPResponseStatusCode(code)}
		if code >= 400 {
			kvs = append(kvs, semconv.ErrorTypeKey.String(strconv.Itoa(code)))
		}
		return kvs
	}
	want := []attribute.Set{
		point("GET", "10.0.0.1", 6443, status(200)...),
		point("GET", "10.0.0.1", 6443, status(404)...),
		point("PATCH", "10.0.0.1", 6443, status(200)...),
		point("_OTHER", "k8s.local", 80, status(405)...),
		point("GET", "10.0.0.1", 6443, semconv.ErrorTypeKey.String("timeout")),
		point("DELETE", "10.0.0.1", 6443, semconv.ErrorTypeKey.String("*errors.errorString")),
	}

	sdktest.WantHistogramPoints(t, reader, 2, map[string][]attribute.Set{"http.client.request.duration": want})
}

// BenchmarkRecord records a request's duration as the round tripper did
// before it kept sets (Record with the attributes, a new set per request)
// and as it does now (RecordSet with the kept set); run with -benchmem.
func BenchmarkRecord(b *testing.B) {
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer mp.Shutdown(context.Background())
	h, err := httpconv.NewClientRequestDuration(mp.Meter(ScopeName))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	k := metricKey{method: "GET", address: "10.0.0.1", port: 6443, answered: true, status: 200}
	b.Run("attrs", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var extra []attribute.KeyValue
			extra = append(extra, semconv.HTTPResponseStatusCode(k.status))
			h.Record(ctx, 0.001, httpconv.RequestMethodAttr(k.method), k.address, k.port, extra...)
		}
	})
	b.Run("set", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.RecordSet(ctx, 0.001, k.set())
		}
	})
}

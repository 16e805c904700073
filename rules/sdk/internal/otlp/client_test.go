package otlp

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// request is what the test collector got.
type request struct {
	at     time.Time
	path   string
	header http.Header
	body   []byte // decompressed
}

// collector is a real HTTP server that answers each request with the next
// of its answers (the last one over and over) and records what it got.
type collector struct {
	*httptest.Server
	mu      sync.Mutex
	got     []request
	answers []func(w http.ResponseWriter)
}

func startCollector(t *testing.T, answers ...func(w http.ResponseWriter)) *collector {
	c := &collector{answers: answers}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, _ := io.ReadAll(body)
		c.mu.Lock()
		n := len(c.got)
		c.got = append(c.got, request{time.Now(), r.URL.Path, r.Header.Clone(), b})
		c.mu.Unlock()
		if len(c.answers) > 0 {
			c.answers[min(n, len(c.answers)-1)](w)
		}
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *collector) requests() []request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slicesClone(c.got)
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }

func status(code int, header ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, http.StatusText(code))
	}
}

// clearEnv unsets every OTLP exporter variable for the test.
func clearEnv(t *testing.T) {
	for _, k := range []string{"ENDPOINT", "HEADERS", "TIMEOUT", "COMPRESSION", "CERTIFICATE", "CLIENT_KEY", "CLIENT_CERTIFICATE", "INSECURE", "METRICS_TEMPORALITY_PREFERENCE", "METRICS_DEFAULT_HISTOGRAM_AGGREGATION"} {
		for _, p := range []string{"OTEL_EXPORTER_OTLP_", "OTEL_EXPORTER_OTLP_TRACES_", "OTEL_EXPORTER_OTLP_METRICS_"} {
			t.Setenv(p+k, "")
		}
	}
}

func TestEndpoints(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{nil, "http://localhost:4318/v1/traces"},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://col:4318"}, "http://col:4318/v1/traces"},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://col:4318/base/"}, "https://col:4318/base/v1/traces"},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://col:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://other:1234/custom"}, "http://other:1234/custom"},
		{[]string{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://m:1/v1/metrics"}, "http://localhost:4318/v1/traces"},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "col:4318"}, "https://col:4318/v1/traces"},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT", "col:4318", "OTEL_EXPORTER_OTLP_INSECURE", "true"}, "http://col:4318/v1/traces"},
	} {
		clearEnv(t)
		for i := 0; i < len(tc.env); i += 2 {
			t.Setenv(tc.env[i], tc.env[i+1])
		}
		c, err := NewClient("TRACES", "/v1/traces")
		if err != nil {
			t.Errorf("%v: %v", tc.env, err)
			continue
		}
		if c.URL != tc.want {
			t.Errorf("%v: URL %s, want %s", tc.env, c.URL, tc.want)
		}
	}
}

// TestHeadersGzipTimeout sets headers (percent-encoded), gzip and the
// timeout through the environment, the signal's own variables before the
// generic ones, and sends spans to a real server.
func TestHeadersGzipTimeout(t *testing.T) {
	col := startCollector(t)
	clearEnv(t)
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", col.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_HEADERS", "ignored=1")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "Authorization=Basic%20dXNlcjpwYXNz, x-tenant = a%2Cb%3Dc ")
	t.Setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")
	t.Setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "1500")
	x, err := NewTraceExporter()
	if err != nil {
		t.Fatal(err)
	}
	if x.client.Timeout != 1500*time.Millisecond {
		t.Errorf("timeout %v", x.client.Timeout)
	}
	spans := testSpans()
	if err := x.ExportSpans(context.Background(), spans); err != nil {
		t.Fatal(err)
	}
	got := col.requests()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	r := got[0]
	for k, want := range map[string]string{
		"Authorization":    "Basic dXNlcjpwYXNz",
		"X-Tenant":         "a,b=c",
		"Ignored":          "",
		"Content-Encoding": "gzip",
		"Content-Type":     "application/x-protobuf",
		"User-Agent":       UserAgent,
	} {
		if v := r.header.Get(k); v != want {
			t.Errorf("header %s: %q, want %q", k, v, want)
		}
	}
	if r.path != "/v1/traces" {
		t.Errorf("path %s", r.path)
	}
	if !bytes.Equal(r.body, EncodeTraces(spans)) {
		t.Error("the body, gunzipped, is not the encoded spans")
	}
	var req coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(r.body, &req); err != nil || len(req.ResourceSpans) != 3 {
		t.Errorf("decoded %d resource spans, %v", len(req.ResourceSpans), err)
	}
}

// TestRetry answers 503 with Retry-After: 1, then 429, then 200: the
// exporter waits the second the collector asked for, then its own backoff,
// and succeeds on the third request.
func TestRetry(t *testing.T) {
	col := startCollector(t, status(503, "Retry-After", "1"), status(429), status(200))
	c := &Client{URL: col.URL + "/v1/traces", Timeout: 5 * time.Second, Backoff: 50 * time.Millisecond, MaxBackoff: time.Second}
	if _, err := c.Post(context.Background(), []byte("x")); err != nil {
		t.Fatal(err)
	}
	got := col.requests()
	if len(got) != 3 {
		t.Fatalf("%d requests, want 3", len(got))
	}
	if d := got[1].at.Sub(got[0].at); d < time.Second {
		t.Errorf("retried after %v, before the Retry-After of 1s", d)
	}
	if d := got[2].at.Sub(got[1].at); d < 25*time.Millisecond || d > time.Second {
		t.Errorf("retried after %v, want the backoff of 50ms ±50%%", d)
	}
}

// TestRetryBoundedByTimeout: a collector that keeps answering 502 is tried
// until the timeout leaves no time for the next wait, and the error says
// what it answered.
func TestRetryBoundedByTimeout(t *testing.T) {
	col := startCollector(t, status(502))
	c := &Client{URL: col.URL + "/v1/metrics", Timeout: time.Second, Backoff: 50 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}
	start := time.Now()
	_, err := c.Post(context.Background(), []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "502 Bad Gateway") {
		t.Errorf("error %v", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("took %v, past the 1s timeout", d)
	}
	if n := len(col.requests()); n < 3 {
		t.Errorf("%d requests, want several", n)
	}
	// A Retry-After longer than the time left ends it at once.
	col2 := startCollector(t, status(429, "Retry-After", "60"))
	c.URL = col2.URL
	start = time.Now()
	if _, err := c.Post(context.Background(), []byte("x")); err == nil || !strings.Contains(err.Error(), "429 Too Many Requests") {
		t.Errorf("error %v", err)
	}
	if d := time.Since(start); d > 200*time.Millisecond || len(col2.requests()) != 1 {
		t.Errorf("took %v and %d requests, want 1 at once", d, len(col2.requests()))
	}
}

// TestNoRetry: other errors are not retried, and say what the collector
// answered.
func TestNoRetry(t *testing.T) {
	col := startCollector(t, status(400))
	c := &Client{URL: col.URL + "/v1/traces", Timeout: time.Second, Backoff: time.Millisecond}
	_, err := c.Post(context.Background(), []byte("x"))
	want := "failed to send to " + col.URL + "/v1/traces: 400 Bad Request (body: Bad Request)"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if n := len(col.requests()); n != 1 {
		t.Errorf("%d requests", n)
	}
}

// TestPartialSuccess: a collector's partial_success goes to otel.Handle,
// and the export succeeds.
func TestPartialSuccess(t *testing.T) {
	var mu sync.Mutex
	var handled []error
	handle = func(err error) { mu.Lock(); handled = append(handled, err); mu.Unlock() }
	t.Cleanup(func() { handle = otelHandle })
	resp, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 2, ErrorMessage: "too old"}})
	col := startCollector(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.Write(resp)
	})
	x := NewTraceExporterWith(&Client{URL: col.URL, Timeout: time.Second})
	if err := x.ExportSpans(context.Background(), testSpans()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(handled) != 1 || handled[0].Error() != "OTLP partial success: too old (2 spans rejected)" {
		t.Errorf("handled %v", handled)
	}
}

func TestTemporalityPreference(t *testing.T) {
	for _, tc := range []struct {
		pref                                   string
		counter, histogram, updown, obsCounter metricdata.Temporality
	}{
		{"", metricdata.CumulativeTemporality, metricdata.CumulativeTemporality, metricdata.CumulativeTemporality, metricdata.CumulativeTemporality},
		{"delta", metricdata.DeltaTemporality, metricdata.DeltaTemporality, metricdata.CumulativeTemporality, metricdata.DeltaTemporality},
		{"LowMemory", metricdata.DeltaTemporality, metricdata.DeltaTemporality, metricdata.CumulativeTemporality, metricdata.CumulativeTemporality},
	} {
		clearEnv(t)
		t.Setenv("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", tc.pref)
		x, err := NewMetricExporter()
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range map[metric.InstrumentKind]metricdata.Temporality{
			metric.InstrumentKindCounter:           tc.counter,
			metric.InstrumentKindHistogram:         tc.histogram,
			metric.InstrumentKindUpDownCounter:     tc.updown,
			metric.InstrumentKindObservableCounter: tc.obsCounter,
		} {
			if got := x.Temporality(k); got != want {
				t.Errorf("%q: %v: %v, want %v", tc.pref, k, got, want)
			}
		}
	}
	t.Setenv("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION", "base2_exponential_bucket_histogram")
	x, _ := NewMetricExporter()
	if _, ok := x.Aggregation(metric.InstrumentKindHistogram).(metric.AggregationBase2ExponentialHistogram); !ok {
		t.Errorf("histogram aggregation %T", x.Aggregation(metric.InstrumentKindHistogram))
	}
	if _, ok := x.Aggregation(metric.InstrumentKindCounter).(metric.AggregationSum); !ok {
		t.Errorf("counter aggregation %T", x.Aggregation(metric.InstrumentKindCounter))
	}
}

// TestMetricsEndToEnd runs a MeterProvider with this exporter against a
// real server, which gets the counter.
func TestMetricsEndToEnd(t *testing.T) {
	col := startCollector(t)
	clearEnv(t)
	t.Setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", col.URL+"/m")
	x, err := NewMetricExporter()
	if err != nil {
		t.Fatal(err)
	}
	mp := metric.NewMeterProvider(metric.WithReader(metric.NewPeriodicReader(x)))
	c, _ := mp.Meter("m").Int64Counter("requests")
	c.Add(context.Background(), 3)
	if err := mp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := col.requests()
	if len(got) != 1 || got[0].path != "/m" || !bytes.Contains(got[0].body, []byte("requests")) {
		t.Errorf("requests %+v", got)
	}
	if err := x.Export(context.Background(), &metricdata.ResourceMetrics{}); err != nil || len(col.requests()) != 1 {
		t.Errorf("an export after shutdown: %v, %d requests", err, len(col.requests()))
	}
}

var otelHandle = handle

package test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// runtimeMetrics are the semantic conventions' Go runtime metrics that every
// program has (go.memory.limit is there only with a limit set).
var runtimeMetrics = []string{
	"go.memory.used", "go.memory.allocated", "go.memory.allocations", "go.memory.gc.goal",
	"go.goroutine.count", "go.processor.limit", "go.config.gogc", "go.schedule.duration",
}

func run(t *testing.T, extra ...string) *testkit.Receiver {
	t.Helper()
	bin := testkit.Build(t, "testdata/app")
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	r := testkit.StartReceiver(t)
	stdout, stderr, code := testkit.Run(t, bin, testkit.Env(r, extra...), srv.URL)
	if code != 0 || !strings.Contains(stdout, "status 200") {
		t.Fatalf("app: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr:\n%s", stderr)
	}
	return r
}

// TestRuntimeMetrics runs the app, which exits at once: the flush on the
// way out exports each runtime metric, with the program's service name.
func TestRuntimeMetrics(t *testing.T) {
	r := run(t)
	r.WaitMetric(t, "http.client.request.duration")
	for _, name := range runtimeMetrics {
		ms := r.WaitMetric(t, name)
		if got := ms[0].Resource["service.name"]; got != "app" {
			t.Errorf("%s: service.name %v, want app", name, got)
		}
	}
}

// TestDisabledAtRunTime turns the integration off with
// OTEL_GO_DISABLED_INSTRUMENTATIONS: the HTTP metrics are exported, no
// runtime metric is.
func TestDisabledAtRunTime(t *testing.T) {
	r := run(t, "OTEL_GO_DISABLED_INSTRUMENTATIONS=runtimemetrics")
	r.WaitMetric(t, "http.client.request.duration")
	for _, m := range r.Metrics() {
		if strings.HasPrefix(m.GetName(), "go.") {
			t.Errorf("exported %s", m.GetName())
		}
	}
}

package test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func run(t *testing.T, extra ...string) (*testkit.Receiver, string) {
	t.Helper()
	bin := testkit.Build(t, "testdata/app")
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(srv.Close)
	r := testkit.StartReceiver(t)
	stdout, stderr, code := testkit.Run(t, bin, testkit.Env(r, extra...), srv.URL)
	if code != 0 {
		t.Fatalf("app: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if want := "A1 x2 <nil>\n no quantity\nx\n"; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	return r, stdout
}

// TestDirectiveSpans checks the spans of the //otel:span functions: named as
// the directive says (or after the function), with the listed parameters as
// attributes, the context-less function and its HTTP call nested by the
// goroutine's current span, a returned error recorded, a generic function
// spanned, and the duration metric of the function that asks for one.
func TestDirectiveSpans(t *testing.T) {
	r, _ := run(t)
	spans := r.WaitSpans(t, 5)
	internal := testkit.Kind(tracepb.Span_SPAN_KIND_INTERNAL)
	ok := testkit.One(t, spans, internal, testkit.Name("checkout"), testkit.Attr("o", "order A1"))
	testkit.WantAttrs(t, ok, map[string]any{"qty": int64(2), "code.function.name": "example.com/app.checkout"})
	testkit.WantRoot(t, ok)
	reserve := testkit.One(t, spans, internal, testkit.Name("main.reserve"))
	testkit.WantAttrs(t, reserve, map[string]any{"id": "A1"})
	testkit.WantChildOf(t, reserve, ok)
	get := testkit.One(t, spans, testkit.Kind(tracepb.Span_SPAN_KIND_CLIENT))
	testkit.WantChildOf(t, get, reserve)

	failed := testkit.One(t, spans, internal, testkit.Name("checkout"), testkit.Attr("o", "order B2"))
	testkit.WantStatus(t, failed, tracepb.Status_STATUS_CODE_ERROR)
	testkit.WantAttrs(t, failed, map[string]any{"error.type": "*errors.errorString"})
	if !strings.Contains(failed.GetStatus().GetMessage(), "no quantity") {
		t.Errorf("status message %q", failed.GetStatus().GetMessage())
	}
	testkit.One(t, spans, internal, testkit.Name("main.first"))

	ms := r.WaitMetric(t, "otelgen.function.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{"code.function.name": "example.com/app.checkout"})
	testkit.WantHistogramPoint(t, ms, map[string]any{"code.function.name": "example.com/app.checkout", "error.type": "*errors.errorString"})
}

// TestDisabledAtRunTime turns the directives' spans off with
// OTEL_GO_DISABLED_INSTRUMENTATIONS: the program works as before and only
// the HTTP client span is exported.
func TestDisabledAtRunTime(t *testing.T) {
	r, _ := run(t, "OTEL_GO_DISABLED_INSTRUMENTATIONS=otelspan")
	spans := r.WaitSpans(t, 1)
	for _, s := range spans {
		if s.GetKind() == tracepb.Span_SPAN_KIND_INTERNAL {
			t.Errorf("exported %s", s)
		}
	}
}

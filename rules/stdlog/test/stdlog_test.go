package test

import (
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestLogLinesNameTheirSpan builds testdata/app, requests GET /log from it,
// and reads what it printed: each line written inside the request (by the
// standard logger through Printf, Println and Output, by a Logger made
// before the SDK started, by one with a date and file prefix, from a
// goroutine) ends with the ids of the request's SERVER span, once, as
// key=value; a line that names its own trace_id, and the lines written
// outside any span, are as they were.
func TestLogLinesNameTheirSpan(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))

	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	ids := " trace_id=" + span.TraceID() + " span_id=" + span.ID() + " trace_flags=01"
	for _, c := range []string{"std-printf", "std-println", "std-output", "early", "dated", "std-goroutine"} {
		l := find(t, out, c)
		if !strings.HasSuffix(l, c+ids) || strings.Count(l, "trace_id") != 1 {
			t.Errorf("%q: want it to end with %q", l, c+ids)
		}
	}
	if l := find(t, out, "early"); !strings.HasPrefix(l, "app: early ") {
		t.Errorf("the Logger's prefix moved: %q", l)
	}
	if l := find(t, out, "dated"); !strings.Contains(l, "main.go:") {
		t.Errorf("the Logger's file prefix is lost: %q", l)
	}
	if l := find(t, out, "std-mine"); l != "std-mine trace_id=mine" {
		t.Errorf("a line with its own trace_id was changed: %q", l)
	}
	for _, c := range []string{"std-outside", "early-outside", "std-after"} {
		if l := find(t, out, c); strings.Contains(l, "trace_id") || strings.Contains(l, "span_id") {
			t.Errorf("written outside any span, yet: %q", l)
		}
	}
}

// find returns the one line of out with the word c, failing unless there is
// exactly one.
func find(t *testing.T, out, c string) string {
	t.Helper()
	var found []string
	for l := range strings.Lines(out) {
		l = strings.TrimSuffix(l, "\n")
		for _, w := range strings.Fields(l) {
			if w == c {
				found = append(found, l)
				break
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d lines with %q, want 1:\n%s", len(found), c, out)
	}
	return found[0]
}

// TestLogDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming stdlog: the request still has its SERVER span, but no line
// written in it names the span.
func TestLogDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=stdlog"), "/log")
	testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	if strings.Contains(out, "span_id") {
		t.Errorf("stdlog is disabled, yet the app printed span ids:\n%s", out)
	}
}

// TestLogWithoutLogsSDK builds testdata/app without its otelgen.yaml, so
// without the logs SDK: the stdlog-otlp rule does not apply, and the program
// links neither its hook package nor the logs SDK, but still the
// integration's own; lines written in the request still name its SERVER
// span, and with OTEL_LOGS_EXPORTER=otlp nothing is exported.
func TestLogWithoutLogsSDK(t *testing.T) {
	bin := testkit.BuildVariant(t, "testdata/app", "nologs", map[string]string{"otelgen.yaml": ""})
	testkit.WantNotLinked(t, bin, "github.com/otelgen/otelgen/rules/stdlog/stdlogotlp", "go.opentelemetry.io/otel/sdk/log")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/stdlog")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	ids := " trace_id=" + span.TraceID() + " span_id=" + span.ID() + " trace_flags=01"
	for _, c := range []string{"std-printf", "std-println", "std-output", "early", "dated", "std-goroutine"} {
		if l := find(t, out, c); !strings.HasSuffix(l, c+ids) || strings.Count(l, "trace_id") != 1 {
			t.Errorf("%q: want it to end with %q", l, c+ids)
		}
	}
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without the logs SDK, log records were exported:\n%s", testkit.DumpLogs(logs))
	}
}

// TestLogOTLP runs testdata/app with OTEL_LOGS_EXPORTER=otlp: each line is
// also exported, once, as an OTLP log record whose body is the message
// (without the Logger's prefix, date and file, and without the ids) and,
// inside the request, with the trace context of the request's SERVER span;
// the program's output still names the span.
func TestLogOTLP(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/stdlog/stdlogotlp")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	if l := find(t, out, "dated"); !strings.HasSuffix(l, " trace_id="+span.TraceID()+" span_id="+span.ID()+" trace_flags=01") {
		t.Errorf("the line lost its ids: %q", l)
	}

	logs := r.WaitLogs(t, 10)
	byBody := map[string][]testkit.LogRecord{}
	for _, l := range logs {
		body, _ := l.Body().(string)
		byBody[body] = append(byBody[body], l)
	}
	one := func(body string) testkit.LogRecord {
		t.Helper()
		if n := len(byBody[body]); n != 1 {
			t.Fatalf("%d log records %q exported, want 1:\n%s", n, body, testkit.DumpLogs(logs))
		}
		return byBody[body][0]
	}
	for _, body := range []string{"std-printf", "std-println", "std-output", "early", "dated", "std-mine trace_id=mine", "std-goroutine"} {
		if l := one(body); l.TraceID() != span.TraceID() || l.SpanID() != span.ID() || l.Scope != "github.com/otelgen/otelgen/rules/stdlog" {
			t.Errorf("want trace %s span %s: %s", span.TraceID(), span.ID(), l)
		}
	}
	for _, body := range []string{"std-outside", "early-outside", "std-after"} {
		if l := one(body); l.TraceID() != "" || l.SpanID() != "" {
			t.Errorf("written outside any span, yet: %s", l)
		}
	}
	if len(logs) != 10 {
		t.Errorf("%d log records exported, want 10:\n%s", len(logs), testkit.DumpLogs(logs))
	}
}

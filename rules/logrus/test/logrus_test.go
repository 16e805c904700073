package test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestLogrusEntriesNameTheirSpan builds testdata/app, requests GET /log from
// it, and reads what it printed: each entry written inside the request (by
// the package-level functions in text, by a Logger made before the SDK
// started in JSON, with and without the request's context, by an entry the
// program reuses, from a goroutine) carries the ids of the request's SERVER
// span once, as fields of the formatter's format, and the program's hook
// sees them; a worker goroutine started outside any span names the span
// only when it logs with the request's context; the program's own trace_id
// is left alone; entries outside any span, and the reused entry after the
// request, are as they were.
func TestLogrusEntriesNameTheirSpan(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))

	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	lines := parse(out)
	for _, msg := range []string{"text", "text-field", "json-ctx", "json-reused", "json-goroutine", "worker-ctx"} {
		wantIDs(t, find(t, lines, msg, 1)[0], span)
	}
	if l := find(t, lines, "json-ctx", 1)[0]; l.f["hook_saw_trace_id"] != "true" {
		t.Errorf("the program's hook did not see the trace_id: %s", l.raw)
	}
	if l := find(t, lines, "text-field", 1)[0]; l.f["k"] != "2" || l.f["level"] != "warning" {
		t.Errorf("text-field lost its field or level: %s", l.raw)
	}
	mine := find(t, lines, "json-mine", 1)[0]
	if mine.f["trace_id"] != "mine" || keyCount(mine.raw, "trace_id") != 1 || mine.f["span_id"] != "" {
		t.Errorf("the program's own trace_id was changed: %s", mine.raw)
	}
	find(t, lines, "json-debug", 0)
	for _, msg := range []string{"text-outside", "json-outside", "worker-noctx", "json-after"} {
		if l := find(t, lines, msg, 1)[0]; l.f["trace_id"] != "" || l.f["span_id"] != "" {
			t.Errorf("written outside any span, yet: %s", l.raw)
		}
	}
	if l := find(t, lines, "json-after", 1)[0]; l.f["k"] != "1" {
		t.Errorf("the reused entry lost its field: %s", l.raw)
	}
}

// A line is one line of the program's output, with its fields.
type line struct {
	raw string
	msg string
	f   map[string]string
}

// parse reads logrus's JSON lines and its text lines (key=value).
func parse(out string) []line {
	var lines []line
	for raw := range strings.Lines(out) {
		raw = strings.TrimSpace(raw)
		l := line{raw: raw, f: map[string]string{}}
		var m map[string]any
		if json.Unmarshal([]byte(raw), &m) == nil {
			for k, v := range m {
				l.f[k] = fmt.Sprint(v)
			}
		} else {
			for _, tok := range strings.Fields(raw) {
				if k, v, ok := strings.Cut(tok, "="); ok {
					l.f[k] = strings.Trim(v, `"`)
				}
			}
		}
		l.msg = l.f["msg"]
		lines = append(lines, l)
	}
	return lines
}

// find returns the lines whose message is msg, failing unless there are n.
func find(t *testing.T, lines []line, msg string, n int) []line {
	t.Helper()
	var found []line
	for _, l := range lines {
		if l.msg == msg {
			found = append(found, l)
		}
	}
	if len(found) != n {
		var all []string
		for _, l := range lines {
			all = append(all, l.raw)
		}
		t.Fatalf("%d lines with message %q, want %d:\n%s", len(found), msg, n, strings.Join(all, "\n"))
	}
	return found
}

// wantIDs checks that the line names span, each id once.
func wantIDs(t *testing.T, l line, span testkit.Span) {
	t.Helper()
	if l.f["trace_id"] != span.TraceID() || l.f["span_id"] != span.ID() || l.f["trace_flags"] != "01" {
		t.Errorf("%s: want trace_id %s span_id %s trace_flags 01", l.raw, span.TraceID(), span.ID())
	}
	for _, k := range []string{"trace_id", "span_id", "trace_flags"} {
		if n := keyCount(l.raw, k); n != 1 {
			t.Errorf("%s: %s %d times", l.raw, k, n)
		}
	}
}

// keyCount counts the fields named k in a JSON or key=value line.
func keyCount(raw, k string) int {
	n := strings.Count(raw, `"`+k+`":`) + strings.Count(raw, " "+k+"=")
	if strings.HasPrefix(raw, k+"=") {
		n++
	}
	return n
}

// TestLogrusDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming logrus: the request still has its SERVER span, but no line
// written in it names the span.
func TestLogrusDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=logrus"), "/log")
	testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	if strings.Contains(out, "span_id") {
		t.Errorf("logrus is disabled, yet the app printed span ids:\n%s", out)
	}
}

// TestLogrusWithoutLogsSDK builds testdata/app without its otelgen.yaml, so
// without the logs SDK: the logrus-otlp rules do not apply, and the program
// links neither their hook package nor the logs SDK, but still the
// integration's own; entries written in the request still name its SERVER
// span, and with OTEL_LOGS_EXPORTER=otlp nothing is exported.
func TestLogrusWithoutLogsSDK(t *testing.T) {
	bin := testkit.BuildVariant(t, "testdata/app", "nologs", map[string]string{"otelgen.yaml": ""})
	testkit.WantNotLinked(t, bin, "github.com/otelgen/otelgen/rules/logrus/logrusotlp", "go.opentelemetry.io/otel/sdk/log")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/logrus")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	lines := parse(out)
	for _, msg := range []string{"text", "text-field", "json-ctx", "json-reused", "json-goroutine", "worker-ctx"} {
		wantIDs(t, find(t, lines, msg, 1)[0], span)
	}
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without the logs SDK, log records were exported:\n%s", testkit.DumpLogs(logs))
	}
}

// TestLogrusOTLP runs testdata/app with OTEL_LOGS_EXPORTER=otlp: each entry
// is also exported, once, as an OTLP log record with its message, level,
// fields and, when written in the request (with its context, else on its
// goroutine), the trace context of the request's SERVER span; the
// program's output still names the span.
func TestLogrusOTLP(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/logrus/logrusotlp")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	wantIDs(t, find(t, parse(out), "json-ctx", 1)[0], span)

	logs := r.WaitLogs(t, 11)
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
	for _, body := range []string{"text", "text-field", "json-ctx", "json-reused", "json-mine", "json-goroutine", "worker-ctx"} {
		l := one(body)
		if l.TraceID() != span.TraceID() || l.SpanID() != span.ID() || l.Scope != "github.com/otelgen/otelgen/rules/logrus" {
			t.Errorf("want trace %s span %s: %s", span.TraceID(), span.ID(), l)
		}
		if _, ok := l.Attrs()["span_id"]; ok {
			t.Errorf("the ids are attributes too: %s", l)
		}
	}
	for _, body := range []string{"text-outside", "json-outside", "worker-noctx", "json-after"} {
		if l := one(body); l.TraceID() != "" || l.SpanID() != "" {
			t.Errorf("written outside any span, yet: %s", l)
		}
	}
	if l := one("text-field"); l.Attrs()["k"] != int64(2) || l.GetSeverityText() != "warning" || l.GetSeverityNumber() != 13 {
		t.Errorf("text-field: want attribute k=2, severity warning (13): %s", l)
	}
	if l := one("json-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("json-mine lost its field: %s", l)
	}
	if len(logs) != 11 {
		t.Errorf("%d log records exported, want 11:\n%s", len(logs), testkit.DumpLogs(logs))
	}
}

// TestLogrusFieldNames runs testdata/app with the variables that rename
// the fields (OTEL_GO_LOG_TRACE_ID_KEY and its two siblings): every entry
// written in a span carries the ids under those names and none under the
// default ones; the program's own trace_id, no longer a field of the name
// in force, is kept and the ids are added beside it.
func TestLogrusFieldNames(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_LOG_TRACE_ID_KEY=dd.trace_id",
		"OTEL_GO_LOG_SPAN_ID_KEY=dd.span_id", "OTEL_GO_LOG_TRACE_FLAGS_KEY=dd.trace_flags"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	lines := parse(out)
	mine := map[string]bool{}
	for _, msg := range []string{"json-mine"} {
		mine[msg] = true
		if l := find(t, lines, msg, 1)[0]; l.f["trace_id"] != "mine" {
			t.Errorf("the program's own trace_id was changed: %s", l.raw)
		}
	}
	for _, msg := range []string{"text", "text-field", "json-ctx", "json-reused", "json-goroutine", "worker-ctx", "json-mine"} {
		l := find(t, lines, msg, 1)[0]
		if l.f["dd.trace_id"] != span.TraceID() || l.f["dd.span_id"] != span.ID() || l.f["dd.trace_flags"] != "01" {
			t.Errorf("%s: want dd.trace_id %s dd.span_id %s dd.trace_flags 01", l.raw, span.TraceID(), span.ID())
		}
		if l.f["span_id"] != "" || l.f["trace_flags"] != "" || (!mine[msg] && l.f["trace_id"] != "") {
			t.Errorf("%s: has a field of a default name", l.raw)
		}
	}
}

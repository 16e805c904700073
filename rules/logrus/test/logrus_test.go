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
	out, span, r := testkit.LogApp(t)
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	lines := parse(out)
	for _, msg := range []string{"text", "text-field", "json-ctx", "json-reused", "json-goroutine", "worker-ctx"} {
		wantIDs(t, testkit.FindLine(t, lines, msg), span)
	}
	if l := testkit.FindLine(t, lines, "json-ctx"); l.F["hook_saw_trace_id"] != "true" {
		t.Errorf("the program's hook did not see the trace_id: %s", l.Raw)
	}
	if l := testkit.FindLine(t, lines, "text-field"); l.F["k"] != "2" || l.F["level"] != "warning" {
		t.Errorf("text-field lost its field or level: %s", l.Raw)
	}
	mine := testkit.FindLine(t, lines, "json-mine")
	if mine.F["trace_id"] != "mine" || keyCount(mine.Raw, "trace_id") != 1 || mine.F["span_id"] != "" {
		t.Errorf("the program's own trace_id was changed: %s", mine.Raw)
	}
	testkit.FindLines(t, lines, "json-debug", 0)
	for _, msg := range []string{"text-outside", "json-outside", "worker-noctx", "json-after"} {
		if l := testkit.FindLine(t, lines, msg); l.F["trace_id"] != "" || l.F["span_id"] != "" {
			t.Errorf("written outside any span, yet: %s", l.Raw)
		}
	}
	if l := testkit.FindLine(t, lines, "json-after"); l.F["k"] != "1" {
		t.Errorf("the reused entry lost its field: %s", l.Raw)
	}
}

// parse reads logrus's JSON lines and its text lines (key=value).
func parse(out string) []testkit.LogLine {
	var lines []testkit.LogLine
	for raw := range strings.Lines(out) {
		raw = strings.TrimSpace(raw)
		l := testkit.LogLine{Raw: raw, F: map[string]string{}}
		var m map[string]any
		if json.Unmarshal([]byte(raw), &m) == nil {
			for k, v := range m {
				l.F[k] = fmt.Sprint(v)
			}
		} else {
			for _, tok := range strings.Fields(raw) {
				if k, v, ok := strings.Cut(tok, "="); ok {
					l.F[k] = strings.Trim(v, `"`)
				}
			}
		}
		l.Msg = l.F["msg"]
		lines = append(lines, l)
	}
	return lines
}

// wantIDs checks that the line names span, each id once.
func wantIDs(t *testing.T, l testkit.LogLine, span testkit.Span) {
	t.Helper()
	if l.F["trace_id"] != span.TraceID() || l.F["span_id"] != span.ID() || l.F["trace_flags"] != "01" {
		t.Errorf("%s: want trace_id %s span_id %s trace_flags 01", l.Raw, span.TraceID(), span.ID())
	}
	for _, k := range []string{"trace_id", "span_id", "trace_flags"} {
		if n := keyCount(l.Raw, k); n != 1 {
			t.Errorf("%s: %s %d times", l.Raw, k, n)
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
func TestLogrusDisabled(t *testing.T) { testkit.CheckLogDisabled(t, "logrus") }

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
		wantIDs(t, testkit.FindLine(t, lines, msg), span)
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
	testkit.WantLinked(t, testkit.Build(t, "testdata/app"), "github.com/otelgen/otelgen/rules/logrus/logrusotlp")
	out, span, r := testkit.LogApp(t, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100")
	wantIDs(t, testkit.FindLine(t, parse(out), "json-ctx"), span)

	all := r.WaitLogs(t, 11)
	logs := testkit.ByBody(t, all)
	logs.WantInSpan(span, "github.com/otelgen/otelgen/rules/logrus",
		"text", "text-field", "json-ctx", "json-reused", "json-mine", "json-goroutine", "worker-ctx")
	logs.WantOutside("text-outside", "json-outside", "worker-noctx", "json-after")
	if l := logs.One("text-field"); l.Attrs()["k"] != int64(2) || l.GetSeverityText() != "warning" || l.GetSeverityNumber() != 13 {
		t.Errorf("text-field: want attribute k=2, severity warning (13): %s", l)
	}
	if l := logs.One("json-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("json-mine lost its field: %s", l)
	}
	if len(all) != 11 {
		t.Errorf("%d log records exported, want 11:\n%s", len(all), testkit.DumpLogs(all))
	}
}

// TestLogrusFieldNames runs testdata/app with the variables that rename
// the fields (OTEL_GO_LOG_TRACE_ID_KEY and its two siblings): every entry
// written in a span carries the ids under those names and none under the
// default ones; the program's own trace_id, no longer a field of the name
// in force, is kept and the ids are added beside it.
func TestLogrusFieldNames(t *testing.T) {
	out, span, _ := testkit.LogApp(t, "OTEL_GO_LOG_TRACE_ID_KEY=dd.trace_id",
		"OTEL_GO_LOG_SPAN_ID_KEY=dd.span_id", "OTEL_GO_LOG_TRACE_FLAGS_KEY=dd.trace_flags")
	lines := parse(out)
	mine := map[string]bool{}
	for _, msg := range []string{"json-mine"} {
		mine[msg] = true
		if l := testkit.FindLine(t, lines, msg); l.F["trace_id"] != "mine" {
			t.Errorf("the program's own trace_id was changed: %s", l.Raw)
		}
	}
	for _, msg := range []string{"text", "text-field", "json-ctx", "json-reused", "json-goroutine", "worker-ctx", "json-mine"} {
		l := testkit.FindLine(t, lines, msg)
		if l.F["dd.trace_id"] != span.TraceID() || l.F["dd.span_id"] != span.ID() || l.F["dd.trace_flags"] != "01" {
			t.Errorf("%s: want dd.trace_id %s dd.span_id %s dd.trace_flags 01", l.Raw, span.TraceID(), span.ID())
		}
		if l.F["span_id"] != "" || l.F["trace_flags"] != "" || (!mine[msg] && l.F["trace_id"] != "") {
			t.Errorf("%s: has a field of a default name", l.Raw)
		}
	}
}

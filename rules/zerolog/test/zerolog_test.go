package test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestZerologEventsNameTheirSpan builds testdata/app, requests GET /log from
// it, and reads what it printed: each event written inside the request (by
// a Logger made before the SDK started, through Msg, Msgf and Send, by the
// global Logger of zerolog/log, by a ConsoleWriter, from a goroutine)
// carries the ids of the request's SERVER span once, in zerolog's encoding;
// a worker goroutine started outside any span names the span only when its
// event has the request's context; a trace_id of the program's own (from a
// hook, or its Logger's context) is left alone; events outside any span are
// as they were.
func TestZerologEventsNameTheirSpan(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))

	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	lines := parse(out)
	for _, msg := range []string{"json", "json-msgf", "json-send", "console", "global", "json-goroutine", "worker-ctx"} {
		wantIDs(t, find(t, lines, msg, 1)[0], span)
	}
	if l := find(t, lines, "json", 1)[0]; l.f["k"] != "1" || !strings.HasSuffix(l.raw, `"message":"json","trace_id":"`+span.TraceID()+`","span_id":"`+span.ID()+`","trace_flags":"01"}`) {
		t.Errorf("json lost its field, or the ids are not zerolog's fields after the message: %s", l.raw)
	}
	if l := find(t, lines, "global", 1)[0]; l.f["logger"] != "global" {
		t.Errorf("global lost its Logger's field: %s", l.raw)
	}
	for _, msg := range []string{"hook-mine", "context-mine"} {
		if l := find(t, lines, msg, 1)[0]; l.f["trace_id"] != "mine" || strings.Count(l.raw, "trace_id") != 1 || l.f["span_id"] != "" {
			t.Errorf("the program's own trace_id was changed: %s", l.raw)
		}
	}
	find(t, lines, "json-debug", 0)
	for _, msg := range []string{"json-outside", "console-outside", "worker-noctx", "json-after"} {
		if l := find(t, lines, msg, 1)[0]; strings.Contains(l.raw, "trace_id") || strings.Contains(l.raw, "span_id") {
			t.Errorf("written outside any span, yet: %s", l.raw)
		}
	}
}

// A line is one line of the program's output, with its fields.
type line struct {
	raw string
	msg string
	f   map[string]string
}

// parse reads zerolog's JSON lines and a ConsoleWriter's ("LVL message
// key=value...").
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
			l.msg = l.f["message"]
		} else {
			var words []string
			for _, tok := range strings.Fields(raw) {
				if k, v, ok := strings.Cut(tok, "="); ok {
					l.f[k] = v
				} else {
					words = append(words, tok)
				}
			}
			if len(words) == 2 {
				l.msg = words[1]
			}
		}
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
		if n := strings.Count(l.raw, k); n != 1 {
			t.Errorf("%s: %s %d times", l.raw, k, n)
		}
	}
}

// TestZerologDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming zerolog: the request still has its SERVER span, but no line
// written in it names the span.
func TestZerologDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=zerolog"), "/log")
	testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	if strings.Contains(out, "span_id") {
		t.Errorf("zerolog is disabled, yet the app printed span ids:\n%s", out)
	}
}

// TestZerologWithoutLogsSDK builds testdata/app without its otelgen.yaml, so
// without the logs SDK: the zerolog-otlp rule does not apply, and the
// program links neither its hook package nor the logs SDK, but still the
// integration's own; events written in the request still name its SERVER
// span, and with OTEL_LOGS_EXPORTER=otlp nothing is exported.
func TestZerologWithoutLogsSDK(t *testing.T) {
	bin := testkit.BuildVariant(t, "testdata/app", "nologs", map[string]string{"otelgen.yaml": ""})
	testkit.WantNotLinked(t, bin, "github.com/otelgen/otelgen/rules/zerolog/zerologotlp", "go.opentelemetry.io/otel/sdk/log")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/zerolog")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	lines := parse(out)
	for _, msg := range []string{"json", "json-msgf", "json-send", "console", "global", "json-goroutine", "worker-ctx"} {
		wantIDs(t, find(t, lines, msg, 1)[0], span)
	}
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without the logs SDK, log records were exported:\n%s", testkit.DumpLogs(logs))
	}
}

// TestZerologOTLP runs testdata/app with OTEL_LOGS_EXPORTER=otlp: each event
// is also exported, once, as an OTLP log record with its message, level,
// fields and, inside the request (from the event's context, else from the
// goroutine), the trace context of the request's SERVER span, without the
// ids as attributes; the program's output still names the span.
func TestZerologOTLP(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/zerolog/zerologotlp")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	wantIDs(t, find(t, parse(out), "json", 1)[0], span)

	logs := r.WaitLogs(t, 13)
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
	for _, body := range []string{"json", "json-msgf", "json-send", "console", "global", "hook-mine", "context-mine", "json-goroutine", "worker-ctx"} {
		l := one(body)
		if l.TraceID() != span.TraceID() || l.SpanID() != span.ID() || l.Scope != "github.com/otelgen/otelgen/rules/zerolog" {
			t.Errorf("want trace %s span %s: %s", span.TraceID(), span.ID(), l)
		}
		if _, ok := l.Attrs()["span_id"]; ok {
			t.Errorf("the ids are attributes too: %s", l)
		}
	}
	for _, body := range []string{"json-outside", "console-outside", "worker-noctx", "json-after"} {
		if l := one(body); l.TraceID() != "" || l.SpanID() != "" {
			t.Errorf("written outside any span, yet: %s", l)
		}
	}
	if l := one("json"); l.Attrs()["k"] != int64(1) || l.GetSeverityText() != "info" || l.GetSeverityNumber() != 9 {
		t.Errorf("json: want attribute k=1, severity info (9): %s", l)
	}
	if l := one("json-msgf"); l.GetSeverityText() != "warn" || l.GetSeverityNumber() != 13 {
		t.Errorf("json-msgf: want severity warn (13): %s", l)
	}
	if l := one("global"); l.Attrs()["logger"] != "global" {
		t.Errorf("global: want its Logger's field logger=global: %s", l)
	}
	if l := one("hook-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("hook-mine lost its field: %s", l)
	}
	if len(logs) != 13 {
		t.Errorf("%d log records exported, want 13:\n%s", len(logs), testkit.DumpLogs(logs))
	}
}

// TestZerologFieldNames runs testdata/app with the variables that rename
// the fields (OTEL_GO_LOG_TRACE_ID_KEY and its two siblings): every event
// written in a span carries the ids under those names and none under the
// default ones; the program's own trace_id, no longer a field of the name
// in force, is kept and the ids are added beside it.
func TestZerologFieldNames(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_LOG_TRACE_ID_KEY=dd.trace_id",
		"OTEL_GO_LOG_SPAN_ID_KEY=dd.span_id", "OTEL_GO_LOG_TRACE_FLAGS_KEY=dd.trace_flags"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	lines := parse(out)
	mine := map[string]bool{}
	for _, msg := range []string{"hook-mine", "context-mine"} {
		mine[msg] = true
		if l := find(t, lines, msg, 1)[0]; l.f["trace_id"] != "mine" {
			t.Errorf("the program's own trace_id was changed: %s", l.raw)
		}
	}
	for _, msg := range []string{"json", "json-msgf", "json-send", "console", "global", "json-goroutine", "worker-ctx", "hook-mine", "context-mine"} {
		l := find(t, lines, msg, 1)[0]
		if l.f["dd.trace_id"] != span.TraceID() || l.f["dd.span_id"] != span.ID() || l.f["dd.trace_flags"] != "01" {
			t.Errorf("%s: want dd.trace_id %s dd.span_id %s dd.trace_flags 01", l.raw, span.TraceID(), span.ID())
		}
		if l.f["span_id"] != "" || l.f["trace_flags"] != "" || (!mine[msg] && l.f["trace_id"] != "") {
			t.Errorf("%s: has a field of a default name", l.raw)
		}
	}
}

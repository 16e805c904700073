package test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestZapEntriesNameTheirSpan builds testdata/app, requests GET /log from
// it, and reads what it printed: each entry written inside the request (by
// a Logger made before the SDK started, its SugaredLogger, the global
// zap.L and zap.S, a child Logger, a console core, both cores of a tee, a
// goroutine) carries the ids of the request's SERVER span once, as fields
// of the encoder's format; the program's own trace_id is left alone;
// entries outside any span are as they were.
func TestZapEntriesNameTheirSpan(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))

	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	lines := parse(out)
	for _, msg := range []string{"json", "text", "sugar", "global", "global-sugar", "child", "json-goroutine"} {
		wantIDs(t, find(t, lines, msg, 1)[0], span)
	}
	tee := find(t, lines, "tee", 2)
	for _, l := range tee {
		wantIDs(t, l, span)
	}
	if tee[0].f["core"]+tee[1].f["core"] != "second" {
		t.Errorf("the tee's lines are not one per core: %s\n%s", tee[0].raw, tee[1].raw)
	}
	if l := find(t, lines, "json", 1)[0]; l.f["k"] != "1" {
		t.Errorf("json lost its field: %s", l.raw)
	}
	if l := find(t, lines, "sugar", 1)[0]; l.f["k"] != "2" {
		t.Errorf("sugar lost its field: %s", l.raw)
	}
	if l := find(t, lines, "child", 1)[0]; l.f["scope"] != "child" {
		t.Errorf("child lost its Logger's field: %s", l.raw)
	}
	mine := find(t, lines, "json-mine", 1)[0]
	if mine.f["trace_id"] != "mine" || strings.Count(mine.raw, "trace_id") != 1 || mine.f["span_id"] != "" {
		t.Errorf("the program's own trace_id was changed: %s", mine.raw)
	}
	find(t, lines, "json-debug", 0)
	for _, msg := range []string{"json-outside", "text-outside", "sugar-outside", "json-after"} {
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

// parse reads zap's JSON lines and its console lines (time, level, message
// and the fields as JSON, separated by tabs).
func parse(out string) []line {
	var lines []line
	for raw := range strings.Lines(out) {
		raw = strings.TrimSpace(raw)
		l := line{raw: raw, f: map[string]string{}}
		obj := raw
		if parts := strings.Split(raw, "\t"); len(parts) >= 3 {
			l.msg = parts[2]
			obj = ""
			if len(parts) > 3 {
				obj = parts[3]
			}
		}
		var m map[string]any
		if json.Unmarshal([]byte(obj), &m) == nil {
			for k, v := range m {
				l.f[k] = fmt.Sprint(v)
			}
		}
		if msg, ok := l.f["msg"]; ok {
			l.msg = msg
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

// TestZapDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming zap: the request still has its SERVER span, but no line
// written in it names the span.
func TestZapDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=zap"), "/log")
	testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	if strings.Contains(out, "span_id") {
		t.Errorf("zap is disabled, yet the app printed span ids:\n%s", out)
	}
}

// TestZapWithoutLogsSDK builds testdata/app without its otelgen.yaml, so
// without the logs SDK: the zap-otlp rule does not apply, and the program
// links neither its hook package nor the logs SDK, but still the
// integration's own; entries written in the request still name its SERVER
// span, and with OTEL_LOGS_EXPORTER=otlp nothing is exported.
func TestZapWithoutLogsSDK(t *testing.T) {
	bin := testkit.BuildVariant(t, "testdata/app", "nologs", map[string]string{"otelgen.yaml": ""})
	testkit.WantNotLinked(t, bin, "github.com/otelgen/otelgen/rules/zap/zapotlp", "go.opentelemetry.io/otel/sdk/log")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/zap")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	lines := parse(out)
	for _, msg := range []string{"json", "text", "sugar", "global", "child", "json-goroutine"} {
		wantIDs(t, find(t, lines, msg, 1)[0], span)
	}
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without the logs SDK, log records were exported:\n%s", testkit.DumpLogs(logs))
	}
}

// TestZapOTLP runs testdata/app with OTEL_LOGS_EXPORTER=otlp: each entry of
// a Logger that zap.New made is also exported, once (a tee of two cores
// included), as an OTLP log record with its message, level, fields (its
// Logger's With fields included) and, inside the request, the trace context
// of the request's SERVER span, without the ids as attributes; the
// program's output still names the span.
func TestZapOTLP(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/zap/zapotlp")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	for _, l := range find(t, parse(out), "tee", 2) {
		wantIDs(t, l, span)
	}

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
	for _, body := range []string{"json", "text", "sugar", "global", "global-sugar", "child", "tee", "json-mine", "json-goroutine"} {
		l := one(body)
		if l.TraceID() != span.TraceID() || l.SpanID() != span.ID() || l.Scope != "github.com/otelgen/otelgen/rules/zap" {
			t.Errorf("want trace %s span %s: %s", span.TraceID(), span.ID(), l)
		}
		if _, ok := l.Attrs()["span_id"]; ok {
			t.Errorf("the ids are attributes too: %s", l)
		}
	}
	for _, body := range []string{"json-outside", "text-outside", "sugar-outside", "json-after"} {
		if l := one(body); l.TraceID() != "" || l.SpanID() != "" {
			t.Errorf("written outside any span, yet: %s", l)
		}
	}
	if l := one("json"); l.Attrs()["k"] != int64(1) || l.GetSeverityText() != "info" || l.GetSeverityNumber() != 9 {
		t.Errorf("json: want attribute k=1, severity info (9): %s", l)
	}
	if l := one("sugar"); l.Attrs()["k"] != int64(2) {
		t.Errorf("sugar: want attribute k=2: %s", l)
	}
	if l := one("child"); l.Attrs()["scope"] != "child" {
		t.Errorf("child: want its Logger's field scope=child: %s", l)
	}
	if l := one("json-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("json-mine lost its field: %s", l)
	}
	if len(logs) != 13 {
		t.Errorf("%d log records exported, want 13:\n%s", len(logs), testkit.DumpLogs(logs))
	}
}

// TestZapFieldNames runs testdata/app with the variables that rename the
// fields (OTEL_GO_LOG_TRACE_ID_KEY and its two siblings): every entry
// written in the request carries the ids under those names and none under
// the default ones; the program's own trace_id, no longer a field of the
// name in force, is kept and the ids are added beside it.
func TestZapFieldNames(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_LOG_TRACE_ID_KEY=dd.trace_id",
		"OTEL_GO_LOG_SPAN_ID_KEY=dd.span_id", "OTEL_GO_LOG_TRACE_FLAGS_KEY=dd.trace_flags"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	lines := parse(out)
	var named []line
	for _, msg := range []string{"json", "text", "sugar", "global", "global-sugar", "child", "json-goroutine", "json-mine"} {
		named = append(named, find(t, lines, msg, 1)[0])
	}
	named = append(named, find(t, lines, "tee", 2)...)
	for _, l := range named {
		if l.f["dd.trace_id"] != span.TraceID() || l.f["dd.span_id"] != span.ID() || l.f["dd.trace_flags"] != "01" {
			t.Errorf("%s: want dd.trace_id %s dd.span_id %s dd.trace_flags 01", l.raw, span.TraceID(), span.ID())
		}
		if l.f["span_id"] != "" || l.f["trace_flags"] != "" || (l.msg != "json-mine" && l.f["trace_id"] != "") {
			t.Errorf("%s: has a field of a default name", l.raw)
		}
	}
	if l := find(t, lines, "json-mine", 1)[0]; l.f["trace_id"] != "mine" {
		t.Errorf("the program's own trace_id was changed: %s", l.raw)
	}
}

package test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// TestSlogRecordsNameTheirSpan builds testdata/app, requests GET /log and
// GET /bridge from it, and reads what it printed: each record written inside
// a request, with or without the request's context, from a goroutine, by a
// logger made before the SDK started, through the program's own handlers
// or slog's default handler, carries the ids of the request's SERVER span
// once, as JSON keys or key=value in the handler's format; the program's own
// trace_id is left alone; records outside any span are as they were.
func TestSlogRecordsNameTheirSpan(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r), "/log", "/bridge")
	spans := r.WaitSpans(t, 2)
	logSpan := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	bridgeSpan := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/bridge"))

	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	lines := parse(out)
	for _, msg := range []string{"json-ctx", "json-noctx", "text-ctx", "text-noctx", "own-ctx", "early", "default", "json-goroutine"} {
		wantIDs(t, find(t, lines, msg), logSpan)
	}
	for _, msg := range []string{"std-bridge", "default-json"} {
		wantIDs(t, find(t, lines, msg), bridgeSpan)
	}
	for _, msg := range []string{"json-outside", "text-outside", "default-outside", "json-after"} {
		wantNoIDs(t, find(t, lines, msg))
	}
	mine := find(t, lines, "json-mine")
	if mine.f["trace_id"] != "mine" || strings.Count(mine.raw, "trace_id") != 1 || mine.f["span_id"] != "" {
		t.Errorf("the program's own trace_id was changed: %s", mine.raw)
	}
	if l := find(t, lines, "json-ctx"); l.f["k"] != "1" || !strings.HasPrefix(l.raw, "{") {
		t.Errorf("json-ctx lost its attribute or its format: %s", l.raw)
	}
	if l := find(t, lines, "own-ctx"); l.f["wrapped"] != "true" || strings.Count(l.raw, "wrapped") != 2 {
		t.Errorf("own-ctx did not go through both wrappers: %s", l.raw)
	}
	if l := find(t, lines, "text-ctx"); !strings.Contains(l.raw, " trace_id="+logSpan.TraceID()+" ") {
		t.Errorf("text-ctx has no trace_id=... of its own format: %s", l.raw)
	}
}

// A line is one line of the program's output, with its fields.
type line struct {
	raw string
	msg string
	f   map[string]string
}

// parse reads JSON lines and key=value lines (slog's text handler's, or the
// default handler's "LEVEL message key=value...").
func parse(out string) []line {
	var lines []line
	for raw := range strings.Lines(out) {
		raw = strings.TrimSpace(raw)
		l := line{raw: raw, f: map[string]string{}}
		if strings.HasPrefix(raw, "{") {
			var m map[string]any
			if json.Unmarshal([]byte(raw), &m) != nil {
				continue
			}
			for k, v := range m {
				l.f[k] = fmt.Sprint(v)
			}
		} else {
			var words []string
			for _, tok := range strings.Fields(raw) {
				if k, v, ok := strings.Cut(tok, "="); ok {
					l.f[k] = v
				} else {
					words = append(words, tok)
				}
			}
			if len(words) == 2 { // LEVEL message
				l.msg = words[1]
			}
		}
		if m, ok := l.f["msg"]; ok {
			l.msg = m
		}
		lines = append(lines, l)
	}
	return lines
}

// find returns the one line whose message is msg.
func find(t *testing.T, lines []line, msg string) line {
	t.Helper()
	var found []line
	for _, l := range lines {
		if l.msg == msg {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		var all []string
		for _, l := range lines {
			all = append(all, l.raw)
		}
		t.Fatalf("%d lines with message %q, want 1:\n%s", len(found), msg, strings.Join(all, "\n"))
	}
	return found[0]
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

// wantNoIDs checks that the line names no span.
func wantNoIDs(t *testing.T, l line) {
	t.Helper()
	if strings.Contains(l.raw, "trace_id") || strings.Contains(l.raw, "span_id") {
		t.Errorf("written outside any span, yet: %s", l.raw)
	}
}

// TestSlogDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming slog and stdlog (slog's default handler writes through the
// standard logger): the request still has its SERVER span, but no line
// written in it names the span.
func TestSlogDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=slog,stdlog"), "/log")
	testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	if strings.Contains(out, "span_id") {
		t.Errorf("slog is disabled, yet the app printed span ids:\n%s", out)
	}
}

// TestSlogWithoutLogsSDK builds testdata/app without its otelgen.yaml, so
// without the logs SDK: the slog-otlp rule does not apply, and the program
// links neither its hook package, contrib's otelslog bridge nor the logs
// SDK, but still the integration's own; records written in the request
// still name its SERVER span, and with OTEL_LOGS_EXPORTER=otlp nothing is
// exported.
func TestSlogWithoutLogsSDK(t *testing.T) {
	bin := testkit.BuildVariant(t, "testdata/app", "nologs", map[string]string{"otelgen.yaml": ""})
	testkit.WantNotLinked(t, bin, "github.com/otelgen/otelgen/rules/slog/slogotlp", "go.opentelemetry.io/contrib/bridges/otelslog", "go.opentelemetry.io/otel/sdk/log")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/slog")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log")
	span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	lines := parse(out)
	for _, msg := range []string{"json-ctx", "json-noctx", "text-ctx", "text-noctx", "early", "default", "json-goroutine"} {
		wantIDs(t, find(t, lines, msg), span)
	}
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without the logs SDK, log records were exported:\n%s", testkit.DumpLogs(logs))
	}
}

// TestSlogOTLP runs testdata/app with OTEL_LOGS_EXPORTER=otlp: each record
// of a Logger that slog.New made is also exported, once, as an OTLP log
// record with its message, severity, attributes and, inside a request, the
// trace context of the request's SERVER span (from the context, else from
// the goroutine); the default handler's records are exported once too, by
// the stdlog integration, as the lines they are; the program's output still
// names its spans.
func TestSlogOTLP(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	testkit.WantLinked(t, bin, "github.com/otelgen/otelgen/rules/slog/slogotlp", "github.com/otelgen/otelgen/rules/stdlog/stdlogotlp")
	r := testkit.StartReceiver(t)
	out := testkit.GetAndExit(t, bin, testkit.Env(r, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100"), "/log", "/bridge")
	spans := r.WaitSpans(t, 2)
	logSpan := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
	bridgeSpan := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/bridge"))
	lines := parse(out)
	wantIDs(t, find(t, lines, "json-ctx"), logSpan)
	wantIDs(t, find(t, lines, "default"), logSpan)

	logs := r.WaitLogs(t, 15)
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
	for _, body := range []string{"json-ctx", "json-noctx", "text-ctx", "text-noctx", "own-ctx", "early", "json-mine", "json-goroutine"} {
		if l := one(body); l.TraceID() != logSpan.TraceID() || l.SpanID() != logSpan.ID() || l.Scope != "github.com/otelgen/otelgen/rules/slog" {
			t.Errorf("want trace %s span %s: %s", logSpan.TraceID(), logSpan.ID(), l)
		}
	}
	for _, body := range []string{"std-bridge", "default-json"} {
		if l := one(body); l.TraceID() != bridgeSpan.TraceID() || l.SpanID() != bridgeSpan.ID() {
			t.Errorf("want trace %s span %s: %s", bridgeSpan.TraceID(), bridgeSpan.ID(), l)
		}
	}
	for _, body := range []string{"json-outside", "text-outside", "json-after"} {
		if l := one(body); l.TraceID() != "" || l.SpanID() != "" {
			t.Errorf("written outside any span, yet: %s", l)
		}
	}
	ids := " trace_id=" + logSpan.TraceID() + " span_id=" + logSpan.ID() + " trace_flags=01"
	if l := one("INFO default" + ids); l.TraceID() != logSpan.TraceID() || l.SpanID() != logSpan.ID() || l.Scope != "github.com/otelgen/otelgen/rules/stdlog" {
		t.Errorf("want trace %s span %s from stdlog: %s", logSpan.TraceID(), logSpan.ID(), l)
	}
	if l := one("INFO default-outside"); l.TraceID() != "" || l.Scope != "github.com/otelgen/otelgen/rules/stdlog" {
		t.Errorf("want no trace, from stdlog: %s", l)
	}
	if l := one("json-ctx"); l.Attrs()["k"] != int64(1) || l.GetSeverityText() != "INFO" || l.GetSeverityNumber() != 9 {
		t.Errorf("json-ctx: want attribute k=1, severity INFO (9): %s", l)
	}
	if l := one("text-noctx"); l.GetSeverityText() != "WARN" || l.GetSeverityNumber() != 13 {
		t.Errorf("text-noctx: want severity WARN (13): %s", l)
	}
	if l := one("json-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("json-mine lost its attribute: %s", l)
	}
	if len(logs) != 15 {
		t.Errorf("%d log records exported, want 15:\n%s", len(logs), testkit.DumpLogs(logs))
	}
}

// TestSlogFieldNames builds testdata/names, whose otelgen.yaml names the
// fields trace.id, span.id and trace.flags (under two of the log
// integrations, which share the setting), and runs it twice: as built, and
// with OTEL_GO_LOG_TRACE_ID_KEY=traceId, which wins over otelgen.yaml. Each
// time, the lines of slog's JSON, text and default handlers and of log
// itself written in the request carry the ids under the names in force,
// once (the default handler's lines pass through both slog and log), and
// none under the default names; a line with a field of the trace id's name
// in force is left as it is, one with the other name is not.
func TestSlogFieldNames(t *testing.T) {
	bin := testkit.Build(t, "testdata/names")
	for _, c := range []struct {
		name    string
		env     []string
		keys    [3]string
		mine    string // the line that names its own trace
		notMine string
	}{
		{"otelgen.yaml", nil, [3]string{"trace.id", "span.id", "trace.flags"}, "mine-yaml", "mine-env"},
		{"variable", []string{"OTEL_GO_LOG_TRACE_ID_KEY=traceId"}, [3]string{"traceId", "span.id", "trace.flags"}, "mine-env", "mine-yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := testkit.StartReceiver(t)
			out := testkit.GetAndExit(t, bin, testkit.Env(r, c.env...), "/log")
			span := testkit.One(t, r.WaitSpans(t, 1), testkit.Kind(testkit.Server), testkit.Attr("url.path", "/log"))
			lines := parse(out)
			for _, msg := range []string{"json-ctx", "text-noctx", "default", "std-line", "json-" + c.notMine, "std-" + c.notMine} {
				l := find(t, lines, msg)
				if l.f[c.keys[0]] != span.TraceID() || l.f[c.keys[1]] != span.ID() || l.f[c.keys[2]] != "01" {
					t.Errorf("%s: want %s %s, %s %s, %s 01", l.raw, c.keys[0], span.TraceID(), c.keys[1], span.ID(), c.keys[2])
				}
				for _, k := range c.keys {
					if n := strings.Count(l.raw, k+`"`) + strings.Count(l.raw, k+"="); n != 1 {
						t.Errorf("%s: %s %d times", l.raw, k, n)
					}
				}
				for _, k := range []string{"trace_id", "span_id", "trace_flags"} {
					if strings.Contains(l.raw, k) {
						t.Errorf("%s: has the default name %s", l.raw, k)
					}
				}
			}
			for _, msg := range []string{"json-" + c.mine, "std-" + c.mine} {
				l := find(t, lines, msg)
				if l.f[c.keys[0]] != "mine" || strings.Contains(l.raw, span.ID()) {
					t.Errorf("the program's own %s was changed, or ids added: %s", c.keys[0], l.raw)
				}
			}
		})
	}
}

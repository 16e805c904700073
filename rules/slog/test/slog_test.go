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
		testkit.WantLineIDs(t, testkit.FindLine(t, lines, msg), logSpan)
	}
	for _, msg := range []string{"std-bridge", "default-json"} {
		testkit.WantLineIDs(t, testkit.FindLine(t, lines, msg), bridgeSpan)
	}
	for _, msg := range []string{"json-outside", "text-outside", "default-outside", "json-after"} {
		wantNoIDs(t, testkit.FindLine(t, lines, msg))
	}
	mine := testkit.FindLine(t, lines, "json-mine")
	if mine.F["trace_id"] != "mine" || strings.Count(mine.Raw, "trace_id") != 1 || mine.F["span_id"] != "" {
		t.Errorf("the program's own trace_id was changed: %s", mine.Raw)
	}
	if l := testkit.FindLine(t, lines, "json-ctx"); l.F["k"] != "1" || !strings.HasPrefix(l.Raw, "{") {
		t.Errorf("json-ctx lost its attribute or its format: %s", l.Raw)
	}
	if l := testkit.FindLine(t, lines, "own-ctx"); l.F["wrapped"] != "true" || strings.Count(l.Raw, "wrapped") != 2 {
		t.Errorf("own-ctx did not go through both wrappers: %s", l.Raw)
	}
	if l := testkit.FindLine(t, lines, "text-ctx"); !strings.Contains(l.Raw, " trace_id="+logSpan.TraceID()+" ") {
		t.Errorf("text-ctx has no trace_id=... of its own format: %s", l.Raw)
	}
}

// parse reads JSON lines and key=value lines (slog's text handler's, or the
// default handler's "LEVEL message key=value...").
func parse(out string) []testkit.LogLine {
	var lines []testkit.LogLine
	for raw := range strings.Lines(out) {
		raw = strings.TrimSpace(raw)
		l := testkit.LogLine{Raw: raw, F: map[string]string{}}
		if strings.HasPrefix(raw, "{") {
			var m map[string]any
			if json.Unmarshal([]byte(raw), &m) != nil {
				continue
			}
			for k, v := range m {
				l.F[k] = fmt.Sprint(v)
			}
		} else {
			var words []string
			for _, tok := range strings.Fields(raw) {
				if k, v, ok := strings.Cut(tok, "="); ok {
					l.F[k] = v
				} else {
					words = append(words, tok)
				}
			}
			if len(words) == 2 { // LEVEL message
				l.Msg = words[1]
			}
		}
		if m, ok := l.F["msg"]; ok {
			l.Msg = m
		}
		lines = append(lines, l)
	}
	return lines
}

// wantNoIDs checks that the line names no span.
func wantNoIDs(t *testing.T, l testkit.LogLine) {
	t.Helper()
	if strings.Contains(l.Raw, "trace_id") || strings.Contains(l.Raw, "span_id") {
		t.Errorf("written outside any span, yet: %s", l.Raw)
	}
}

// TestSlogDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming slog and stdlog (slog's default handler writes through the
// standard logger): the request still has its SERVER span, but no line
// written in it names the span.
func TestSlogDisabled(t *testing.T) { testkit.CheckLogDisabled(t, "slog,stdlog") }

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
		testkit.WantLineIDs(t, testkit.FindLine(t, lines, msg), span)
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
	testkit.WantLineIDs(t, testkit.FindLine(t, lines, "json-ctx"), logSpan)
	testkit.WantLineIDs(t, testkit.FindLine(t, lines, "default"), logSpan)

	all := r.WaitLogs(t, 15)
	logs := testkit.ByBody(t, all)
	logs.WantInSpan(logSpan, "github.com/otelgen/otelgen/rules/slog",
		"json-ctx", "json-noctx", "text-ctx", "text-noctx", "own-ctx", "early", "json-mine", "json-goroutine")
	for _, body := range []string{"std-bridge", "default-json"} {
		if l := logs.One(body); l.TraceID() != bridgeSpan.TraceID() || l.SpanID() != bridgeSpan.ID() {
			t.Errorf("want trace %s span %s: %s", bridgeSpan.TraceID(), bridgeSpan.ID(), l)
		}
	}
	logs.WantOutside("json-outside", "text-outside", "json-after")
	ids := " trace_id=" + logSpan.TraceID() + " span_id=" + logSpan.ID() + " trace_flags=01"
	if l := logs.One("INFO default" + ids); l.TraceID() != logSpan.TraceID() || l.SpanID() != logSpan.ID() || l.Scope != "github.com/otelgen/otelgen/rules/stdlog" {
		t.Errorf("want trace %s span %s from stdlog: %s", logSpan.TraceID(), logSpan.ID(), l)
	}
	if l := logs.One("INFO default-outside"); l.TraceID() != "" || l.Scope != "github.com/otelgen/otelgen/rules/stdlog" {
		t.Errorf("want no trace, from stdlog: %s", l)
	}
	if l := logs.One("json-ctx"); l.Attrs()["k"] != int64(1) || l.GetSeverityText() != "INFO" || l.GetSeverityNumber() != 9 {
		t.Errorf("json-ctx: want attribute k=1, severity INFO (9): %s", l)
	}
	if l := logs.One("text-noctx"); l.GetSeverityText() != "WARN" || l.GetSeverityNumber() != 13 {
		t.Errorf("text-noctx: want severity WARN (13): %s", l)
	}
	if l := logs.One("json-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("json-mine lost its attribute: %s", l)
	}
	if len(all) != 15 {
		t.Errorf("%d log records exported, want 15:\n%s", len(all), testkit.DumpLogs(all))
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
				l := testkit.FindLine(t, lines, msg)
				if l.F[c.keys[0]] != span.TraceID() || l.F[c.keys[1]] != span.ID() || l.F[c.keys[2]] != "01" {
					t.Errorf("%s: want %s %s, %s %s, %s 01", l.Raw, c.keys[0], span.TraceID(), c.keys[1], span.ID(), c.keys[2])
				}
				for _, k := range c.keys {
					if n := strings.Count(l.Raw, k+`"`) + strings.Count(l.Raw, k+"="); n != 1 {
						t.Errorf("%s: %s %d times", l.Raw, k, n)
					}
				}
				for _, k := range []string{"trace_id", "span_id", "trace_flags"} {
					if strings.Contains(l.Raw, k) {
						t.Errorf("%s: has the default name %s", l.Raw, k)
					}
				}
			}
			for _, msg := range []string{"json-" + c.mine, "std-" + c.mine} {
				l := testkit.FindLine(t, lines, msg)
				if l.F[c.keys[0]] != "mine" || strings.Contains(l.Raw, span.ID()) {
					t.Errorf("the program's own %s was changed, or ids added: %s", c.keys[0], l.Raw)
				}
			}
		})
	}
}

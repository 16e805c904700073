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
	out, span, r := testkit.LogApp(t)
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	lines := parse(out)
	for _, msg := range []string{"json", "json-msgf", "json-send", "console", "global", "json-goroutine", "worker-ctx"} {
		testkit.WantLineIDs(t, testkit.FindLine(t, lines, msg), span)
	}
	if l := testkit.FindLine(t, lines, "json"); l.F["k"] != "1" || !strings.HasSuffix(l.Raw, `"message":"json","trace_id":"`+span.TraceID()+`","span_id":"`+span.ID()+`","trace_flags":"01"}`) {
		t.Errorf("json lost its field, or the ids are not zerolog's fields after the message: %s", l.Raw)
	}
	if l := testkit.FindLine(t, lines, "global"); l.F["logger"] != "global" {
		t.Errorf("global lost its Logger's field: %s", l.Raw)
	}
	for _, msg := range []string{"hook-mine", "context-mine"} {
		if l := testkit.FindLine(t, lines, msg); l.F["trace_id"] != "mine" || strings.Count(l.Raw, "trace_id") != 1 || l.F["span_id"] != "" {
			t.Errorf("the program's own trace_id was changed: %s", l.Raw)
		}
	}
	testkit.FindLines(t, lines, "json-debug", 0)
	for _, msg := range []string{"json-outside", "console-outside", "worker-noctx", "json-after"} {
		if l := testkit.FindLine(t, lines, msg); strings.Contains(l.Raw, "trace_id") || strings.Contains(l.Raw, "span_id") {
			t.Errorf("written outside any span, yet: %s", l.Raw)
		}
	}
}

// parse reads zerolog's JSON lines and a ConsoleWriter's ("LVL message
// key=value...").
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
			l.Msg = l.F["message"]
		} else {
			var words []string
			for _, tok := range strings.Fields(raw) {
				if k, v, ok := strings.Cut(tok, "="); ok {
					l.F[k] = v
				} else {
					words = append(words, tok)
				}
			}
			if len(words) == 2 {
				l.Msg = words[1]
			}
		}
		lines = append(lines, l)
	}
	return lines
}

// TestZerologDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming zerolog: the request still has its SERVER span, but no line
// written in it names the span.
func TestZerologDisabled(t *testing.T) { testkit.CheckLogDisabled(t, "zerolog") }

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
		testkit.WantLineIDs(t, testkit.FindLine(t, lines, msg), span)
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
	testkit.WantLinked(t, testkit.Build(t, "testdata/app"), "github.com/otelgen/otelgen/rules/zerolog/zerologotlp")
	out, span, r := testkit.LogApp(t, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100")
	testkit.WantLineIDs(t, testkit.FindLine(t, parse(out), "json"), span)

	all := r.WaitLogs(t, 13)
	logs := testkit.ByBody(t, all)
	logs.WantInSpan(span, "github.com/otelgen/otelgen/rules/zerolog",
		"json", "json-msgf", "json-send", "console", "global", "hook-mine", "context-mine", "json-goroutine", "worker-ctx")
	logs.WantOutside("json-outside", "console-outside", "worker-noctx", "json-after")
	if l := logs.One("json"); l.Attrs()["k"] != int64(1) || l.GetSeverityText() != "info" || l.GetSeverityNumber() != 9 {
		t.Errorf("json: want attribute k=1, severity info (9): %s", l)
	}
	if l := logs.One("json-msgf"); l.GetSeverityText() != "warn" || l.GetSeverityNumber() != 13 {
		t.Errorf("json-msgf: want severity warn (13): %s", l)
	}
	if l := logs.One("global"); l.Attrs()["logger"] != "global" {
		t.Errorf("global: want its Logger's field logger=global: %s", l)
	}
	if l := logs.One("hook-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("hook-mine lost its field: %s", l)
	}
	if len(all) != 13 {
		t.Errorf("%d log records exported, want 13:\n%s", len(all), testkit.DumpLogs(all))
	}
}

// TestZerologFieldNames runs testdata/app with the variables that rename
// the fields (OTEL_GO_LOG_TRACE_ID_KEY and its two siblings): every event
// written in a span carries the ids under those names and none under the
// default ones; the program's own trace_id, no longer a field of the name
// in force, is kept and the ids are added beside it.
func TestZerologFieldNames(t *testing.T) {
	out, span, _ := testkit.LogApp(t, "OTEL_GO_LOG_TRACE_ID_KEY=dd.trace_id",
		"OTEL_GO_LOG_SPAN_ID_KEY=dd.span_id", "OTEL_GO_LOG_TRACE_FLAGS_KEY=dd.trace_flags")
	lines := parse(out)
	mine := map[string]bool{}
	for _, msg := range []string{"hook-mine", "context-mine"} {
		mine[msg] = true
		if l := testkit.FindLine(t, lines, msg); l.F["trace_id"] != "mine" {
			t.Errorf("the program's own trace_id was changed: %s", l.Raw)
		}
	}
	for _, msg := range []string{"json", "json-msgf", "json-send", "console", "global", "json-goroutine", "worker-ctx", "hook-mine", "context-mine"} {
		l := testkit.FindLine(t, lines, msg)
		if l.F["dd.trace_id"] != span.TraceID() || l.F["dd.span_id"] != span.ID() || l.F["dd.trace_flags"] != "01" {
			t.Errorf("%s: want dd.trace_id %s dd.span_id %s dd.trace_flags 01", l.Raw, span.TraceID(), span.ID())
		}
		if l.F["span_id"] != "" || l.F["trace_flags"] != "" || (!mine[msg] && l.F["trace_id"] != "") {
			t.Errorf("%s: has a field of a default name", l.Raw)
		}
	}
}

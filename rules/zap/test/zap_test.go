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
	out, span, r := testkit.LogApp(t)
	if logs := r.Logs(); len(logs) != 0 {
		t.Errorf("without OTEL_LOGS_EXPORTER, log records were exported:\n%s", testkit.DumpLogs(logs))
	}

	lines := parse(out)
	for _, msg := range []string{"json", "text", "sugar", "global", "global-sugar", "child", "json-goroutine"} {
		testkit.WantLineIDs(t, testkit.FindLine(t, lines, msg), span)
	}
	tee := testkit.FindLines(t, lines, "tee", 2)
	for _, l := range tee {
		testkit.WantLineIDs(t, l, span)
	}
	if tee[0].F["core"]+tee[1].F["core"] != "second" {
		t.Errorf("the tee's lines are not one per core: %s\n%s", tee[0].Raw, tee[1].Raw)
	}
	if l := testkit.FindLine(t, lines, "json"); l.F["k"] != "1" {
		t.Errorf("json lost its field: %s", l.Raw)
	}
	if l := testkit.FindLine(t, lines, "sugar"); l.F["k"] != "2" {
		t.Errorf("sugar lost its field: %s", l.Raw)
	}
	if l := testkit.FindLine(t, lines, "child"); l.F["scope"] != "child" {
		t.Errorf("child lost its Logger's field: %s", l.Raw)
	}
	mine := testkit.FindLine(t, lines, "json-mine")
	if mine.F["trace_id"] != "mine" || strings.Count(mine.Raw, "trace_id") != 1 || mine.F["span_id"] != "" {
		t.Errorf("the program's own trace_id was changed: %s", mine.Raw)
	}
	testkit.FindLines(t, lines, "json-debug", 0)
	for _, msg := range []string{"json-outside", "text-outside", "sugar-outside", "json-after"} {
		if l := testkit.FindLine(t, lines, msg); strings.Contains(l.Raw, "trace_id") || strings.Contains(l.Raw, "span_id") {
			t.Errorf("written outside any span, yet: %s", l.Raw)
		}
	}
}

// parse reads zap's JSON lines and its console lines (time, level, message
// and the fields as JSON, separated by tabs).
func parse(out string) []testkit.LogLine {
	var lines []testkit.LogLine
	for raw := range strings.Lines(out) {
		raw = strings.TrimSpace(raw)
		l := testkit.LogLine{Raw: raw, F: map[string]string{}}
		obj := raw
		if parts := strings.Split(raw, "\t"); len(parts) >= 3 {
			l.Msg = parts[2]
			obj = ""
			if len(parts) > 3 {
				obj = parts[3]
			}
		}
		var m map[string]any
		if json.Unmarshal([]byte(obj), &m) == nil {
			for k, v := range m {
				l.F[k] = fmt.Sprint(v)
			}
		}
		if msg, ok := l.F["msg"]; ok {
			l.Msg = msg
		}
		lines = append(lines, l)
	}
	return lines
}

// TestZapDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming zap: the request still has its SERVER span, but no line
// written in it names the span.
func TestZapDisabled(t *testing.T) { testkit.CheckLogDisabled(t, "zap") }

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
		testkit.WantLineIDs(t, testkit.FindLine(t, lines, msg), span)
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
	testkit.WantLinked(t, testkit.Build(t, "testdata/app"), "github.com/otelgen/otelgen/rules/zap/zapotlp")
	out, span, r := testkit.LogApp(t, "OTEL_LOGS_EXPORTER=otlp", "OTEL_BLRP_SCHEDULE_DELAY=100")
	for _, l := range testkit.FindLines(t, parse(out), "tee", 2) {
		testkit.WantLineIDs(t, l, span)
	}

	all := r.WaitLogs(t, 13)
	logs := testkit.ByBody(t, all)
	logs.WantInSpan(span, "github.com/otelgen/otelgen/rules/zap",
		"json", "text", "sugar", "global", "global-sugar", "child", "tee", "json-mine", "json-goroutine")
	logs.WantOutside("json-outside", "text-outside", "sugar-outside", "json-after")
	if l := logs.One("json"); l.Attrs()["k"] != int64(1) || l.GetSeverityText() != "info" || l.GetSeverityNumber() != 9 {
		t.Errorf("json: want attribute k=1, severity info (9): %s", l)
	}
	if l := logs.One("sugar"); l.Attrs()["k"] != int64(2) {
		t.Errorf("sugar: want attribute k=2: %s", l)
	}
	if l := logs.One("child"); l.Attrs()["scope"] != "child" {
		t.Errorf("child: want its Logger's field scope=child: %s", l)
	}
	if l := logs.One("json-mine"); l.Attrs()["trace_id"] != "mine" {
		t.Errorf("json-mine lost its field: %s", l)
	}
	if len(all) != 13 {
		t.Errorf("%d log records exported, want 13:\n%s", len(all), testkit.DumpLogs(all))
	}
}

// TestZapFieldNames runs testdata/app with the variables that rename the
// fields (OTEL_GO_LOG_TRACE_ID_KEY and its two siblings): every entry
// written in the request carries the ids under those names and none under
// the default ones; the program's own trace_id, no longer a field of the
// name in force, is kept and the ids are added beside it.
func TestZapFieldNames(t *testing.T) {
	out, span, _ := testkit.LogApp(t, "OTEL_GO_LOG_TRACE_ID_KEY=dd.trace_id",
		"OTEL_GO_LOG_SPAN_ID_KEY=dd.span_id", "OTEL_GO_LOG_TRACE_FLAGS_KEY=dd.trace_flags")
	lines := parse(out)
	var named []testkit.LogLine
	for _, msg := range []string{"json", "text", "sugar", "global", "global-sugar", "child", "json-goroutine", "json-mine"} {
		named = append(named, testkit.FindLine(t, lines, msg))
	}
	named = append(named, testkit.FindLines(t, lines, "tee", 2)...)
	for _, l := range named {
		if l.F["dd.trace_id"] != span.TraceID() || l.F["dd.span_id"] != span.ID() || l.F["dd.trace_flags"] != "01" {
			t.Errorf("%s: want dd.trace_id %s dd.span_id %s dd.trace_flags 01", l.Raw, span.TraceID(), span.ID())
		}
		if l.F["span_id"] != "" || l.F["trace_flags"] != "" || (l.Msg != "json-mine" && l.F["trace_id"] != "") {
			t.Errorf("%s: has a field of a default name", l.Raw)
		}
	}
	if l := testkit.FindLine(t, lines, "json-mine"); l.F["trace_id"] != "mine" {
		t.Errorf("the program's own trace_id was changed: %s", l.Raw)
	}
}

package testkit_test

import (
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/otelgen/otelgen/testkit"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// reports records what a check reports, and fails the test on Fatal.
type reports struct {
	testing.TB
	got []string
}

func (e *reports) Helper() {}
func (e *reports) Errorf(format string, args ...any) {
	e.got = append(e.got, fmt.Sprintf(format, args...))
}

func span(trace []byte, id, parent, scope string) testkit.Span {
	return testkit.Span{Span: &tracepb.Span{TraceId: trace, SpanId: []byte(id), ParentSpanId: []byte(parent), Name: id}, Scope: scope}
}

func TestCallsHelpers(t *testing.T) {
	app := span(traceID, "app00001", "", "app")
	call := span(traceID, "call0001", "app00001", "db")
	spans := []testkit.Span{
		app, call,
		span(traceID, "call0002", "call0001", "db"), // a grandchild
		span(other, "call0003", "app00001", "db"),   // another trace
	}
	if got := testkit.Children(spans, app); len(got) != 1 || got[0].ID() != call.ID() {
		t.Errorf("Children: %s", testkit.Dump(got))
	}
	if got := testkit.Scoped(spans, "db"); len(got) != 3 {
		t.Errorf("Scoped: %s", testkit.Dump(got))
	}
	if p := testkit.Port(t, "127.0.0.1:6379"); p != 6379 {
		t.Errorf("Port: %d", p)
	}

	e := &reports{TB: t}
	c := testkit.Calls{T: e, Spans: spans, Scope: "db"}
	c.WantCalls(3)
	if len(e.got) != 0 {
		t.Errorf("WantCalls(3) reported %q", e.got)
	}
	c.Spans = append(c.Spans, span(traceID, "root0001", "", "db"))
	c.WantCalls(3)
	if len(e.got) != 2 {
		t.Errorf("WantCalls(3) of 4 spans, one a root, reported %q", e.got)
	}
}

func TestLogHelpers(t *testing.T) {
	s := span(traceID, "server01", "", "app")
	id := hex.EncodeToString([]byte("server01"))
	good := testkit.LogLine{Raw: "trace_id span_id trace_flags", Msg: "in", F: map[string]string{
		"trace_id": s.TraceID(), "span_id": id, "trace_flags": "01",
	}}
	twice := good
	twice.Raw = "trace_id trace_id span_id trace_flags"
	lines := []testkit.LogLine{good, {Msg: "out"}, twice}
	if got := testkit.FindLines(t, lines, "in", 2); len(got) != 2 {
		t.Errorf("FindLines: %v", got)
	}
	e := &reports{TB: t}
	testkit.WantLineIDs(e, good, s)
	if len(e.got) != 0 {
		t.Errorf("WantLineIDs of a good line reported %q", e.got)
	}
	testkit.WantLineIDs(e, twice, s)
	if len(e.got) != 1 {
		t.Errorf("WantLineIDs of a line naming trace_id twice reported %q", e.got)
	}
	e.got = nil
	testkit.WantLineIDs(e, lines[1], s)
	if len(e.got) != 4 {
		t.Errorf("WantLineIDs of a line without ids reported %q", e.got)
	}

	body := func(b string) *commonpb.AnyValue {
		return &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: b}}
	}
	logs := []testkit.LogRecord{
		{LogRecord: &logspb.LogRecord{Body: body("in"), TraceId: traceID, SpanId: []byte("server01")}, Scope: "log"},
		{LogRecord: &logspb.LogRecord{Body: body("out")}, Scope: "log"},
	}
	e = &reports{TB: t}
	b := testkit.ByBody(e, logs)
	b.WantInSpan(s, "log", "in")
	b.WantOutside("out")
	if len(e.got) != 0 {
		t.Errorf("good records reported %q", e.got)
	}
	b.WantInSpan(s, "other", "in")
	b.WantOutside("in")
	b.WantInSpan(s, "log", "out")
	if len(e.got) != 3 {
		t.Errorf("records in the wrong scope, inside and outside a span reported %q", e.got)
	}
}

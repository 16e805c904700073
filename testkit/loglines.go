package testkit

import (
	"strings"
	"testing"
)

// LogApp builds testdata/app, a logging integration's test program that
// serves GET /log and logs inside and outside the request, runs it with
// the extra environment, requests GET /log and returns what the program
// printed, the request's SERVER span and the receiver.
func LogApp(t *testing.T, extra ...string) (out string, span Span, r *Receiver) {
	t.Helper()
	bin := Build(t, "testdata/app")
	r = StartReceiver(t)
	out = GetAndExit(t, bin, Env(r, extra...), "/log")
	span = One(t, r.WaitSpans(t, 1), Kind(Server), Attr("url.path", "/log"))
	return out, span, r
}

// CheckLogDisabled runs LogApp with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming the integration name: the request still has its SERVER span, but
// no line the program printed names a span.
func CheckLogDisabled(t *testing.T, name string) {
	t.Helper()
	out, _, _ := LogApp(t, "OTEL_GO_DISABLED_INSTRUMENTATIONS="+name)
	if strings.Contains(out, "span_id") {
		t.Errorf("%s is disabled, yet the app printed span ids:\n%s", name, out)
	}
}

// A LogLine is one line a test program printed, with its message and its
// fields as the test's parser of the logger's formats read them.
type LogLine struct {
	Raw string
	Msg string
	F   map[string]string
}

// FindLines returns the lines whose message is msg, failing unless there
// are n.
func FindLines(t testing.TB, lines []LogLine, msg string, n int) []LogLine {
	t.Helper()
	var found []LogLine
	for _, l := range lines {
		if l.Msg == msg {
			found = append(found, l)
		}
	}
	if len(found) != n {
		var all []string
		for _, l := range lines {
			all = append(all, l.Raw)
		}
		t.Fatalf("%d lines with message %q, want %d:\n%s", len(found), msg, n, strings.Join(all, "\n"))
	}
	return found
}

// FindLine returns the one line whose message is msg, failing unless there
// is exactly one.
func FindLine(t testing.TB, lines []LogLine, msg string) LogLine {
	t.Helper()
	return FindLines(t, lines, msg, 1)[0]
}

// WantLineIDs checks that the line names span in the fields trace_id,
// span_id and trace_flags (01), each of them once in the line.
func WantLineIDs(t testing.TB, l LogLine, span Span) {
	t.Helper()
	if l.F["trace_id"] != span.TraceID() || l.F["span_id"] != span.ID() || l.F["trace_flags"] != "01" {
		t.Errorf("%s: want trace_id %s span_id %s trace_flags 01", l.Raw, span.TraceID(), span.ID())
	}
	for _, k := range []string{"trace_id", "span_id", "trace_flags"} {
		if n := strings.Count(l.Raw, k); n != 1 {
			t.Errorf("%s: %s %d times", l.Raw, k, n)
		}
	}
}

// LogBodies indexes log records by their body: its One returns the one
// record with a body and fails the test (Fatal) unless there is exactly
// one.
type LogBodies struct {
	t      testing.TB
	logs   []LogRecord
	byBody map[string][]LogRecord
}

// ByBody indexes logs by their body.
func ByBody(t testing.TB, logs []LogRecord) LogBodies {
	b := LogBodies{t: t, logs: logs, byBody: map[string][]LogRecord{}}
	for _, l := range logs {
		body, _ := l.Body().(string)
		b.byBody[body] = append(b.byBody[body], l)
	}
	return b
}

// One returns the one record whose body is body.
func (b LogBodies) One(body string) LogRecord {
	b.t.Helper()
	if n := len(b.byBody[body]); n != 1 {
		b.t.Fatalf("%d log records %q exported, want 1:\n%s", n, body, DumpLogs(b.logs))
	}
	return b.byBody[body][0]
}

// WantInSpan checks that the one record of each body has the trace
// context of span and the scope scope, and not the ids as attributes too.
func (b LogBodies) WantInSpan(span Span, scope string, bodies ...string) {
	b.t.Helper()
	for _, body := range bodies {
		l := b.One(body)
		if l.TraceID() != span.TraceID() || l.SpanID() != span.ID() || l.Scope != scope {
			b.t.Errorf("want trace %s span %s scope %s: %s", span.TraceID(), span.ID(), scope, l)
		}
		if _, ok := l.Attrs()["span_id"]; ok {
			b.t.Errorf("the ids are attributes too: %s", l)
		}
	}
}

// WantOutside checks that the one record of each body has no trace
// context.
func (b LogBodies) WantOutside(bodies ...string) {
	b.t.Helper()
	for _, body := range bodies {
		if l := b.One(body); l.TraceID() != "" || l.SpanID() != "" {
			b.t.Errorf("written outside any span, yet: %s", l)
		}
	}
}

// Package stdlog holds the hook of the standard log package's rule: a line
// written while a span is current ends with the span's trace_id, span_id and
// trace_flags, as key=value pairs, so that the line names the trace it was
// written in.
//
// log takes no context, so the span is the goroutine's current one (the
// SERVER span of the request a handler serves, and the spans current where
// the goroutine was started). A line that already names a trace_id (the
// program's own, or slog's default handler, whose records the slog
// integration has given the ids) is left as it is; so are the lines of the
// standard logger while slog.SetDefault sends them to a slog.Handler, which
// the slog integration gives the ids as attributes of its own format. With
// the logs SDK linked and OTEL_LOGS_EXPORTER=otlp (or console), lines are
// also exported as OpenTelemetry log records (package stdlogotlp, rule
// stdlog-otlp).
//
// The names of the fields are settings (read by rules/sdk/logfields): otelgen.yaml's
// trace_id_key, span_id_key and trace_flags_key, or the variables
// OTEL_GO_LOG_TRACE_ID_KEY, OTEL_GO_LOG_SPAN_ID_KEY and
// OTEL_GO_LOG_TRACE_FLAGS_KEY; a record that already has a field of the
// trace id's name in force is left as it is.
package stdlog

import (
	"bytes"
	"log"
	"reflect"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk/logfields"
	"go.opentelemetry.io/otel/trace"
)

// keys are the field names in force (settings trace_id_key, span_id_key and
// trace_flags_key).
var keys = logfields.InForce

// The key=value prefixes of the fields in force.
var (
	traceIDEq    = []byte(keys.TraceID + "=")
	spanIDEq     = " " + keys.SpanID + "="
	traceFlagsEq = " " + keys.TraceFlags + "="
)

// OutputBefore wraps the function that appends the message of one line, so
// that, inside a span, the line ends with the span's ids, before its final
// newline.
func OutputBefore(_ *hook.Call, l *log.Logger, _ *uintptr, _ *int, appendOutput *func([]byte) []byte) {
	inner := *appendOutput
	if l == nil || inner == nil {
		return
	}
	var sc trace.SpanContext
	if s := gls.Span(); s != nil {
		sc = s.SpanContext()
	}
	if !sc.IsValid() || ToSlog(l) {
		return
	}
	*appendOutput = func(b []byte) []byte {
		start := len(b)
		b = inner(b)
		nl := len(b) > start && b[len(b)-1] == '\n'
		if hasKey(b[start:], traceIDEq) {
			return b
		}
		if nl {
			b = b[:len(b)-1]
		}
		b = appendIDs(b, sc)
		if nl {
			b = append(b, '\n')
		}
		return b
	}
}

// appendIDs appends " trace_id=... span_id=... trace_flags=..." to b.
func appendIDs(b []byte, sc trace.SpanContext) []byte {
	if len(b) > 0 && b[len(b)-1] != ' ' {
		b = append(b, ' ')
	}
	tid, sid := sc.TraceID(), sc.SpanID()
	b = append(b, traceIDEq...)
	b = appendHex(b, tid[:])
	b = append(b, spanIDEq...)
	b = appendHex(b, sid[:])
	b = append(b, traceFlagsEq...)
	return appendHex(b, []byte{byte(sc.TraceFlags())})
}

// hasKey reports whether the message msg has a field keyEq ("trace_id="): at
// its start or after a space, so that trace_id= is not found in
// my_trace_id=.
func hasKey(msg, keyEq []byte) bool {
	for i := 0; ; {
		j := bytes.Index(msg[i:], keyEq)
		if j < 0 {
			return false
		}
		if i+j == 0 || msg[i+j-1] == ' ' || msg[i+j-1] == '\t' {
			return true
		}
		i += j + 1
	}
}

func appendHex(b, src []byte) []byte {
	const digits = "0123456789abcdef"
	for _, c := range src {
		b = append(b, digits[c>>4], digits[c&0xf])
	}
	return b
}

// ToSlog reports whether l writes to a slog.Handler (the standard logger
// after slog.SetDefault), whose records the slog integration gives the ids
// (and exports).
func ToSlog(l *log.Logger) bool {
	if hook.Disabled("slog") {
		return false
	}
	w := l.Writer()
	return w != nil && reflect.TypeOf(w).String() == "*slog.handlerWriter"
}

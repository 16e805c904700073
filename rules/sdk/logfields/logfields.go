// Package logfields names the fields that the logger integrations add to a
// record written in a span: the trace id, the span id and the trace flags.
//
// Every logger integration reads the same three settings, trace_id_key,
// span_id_key and trace_flags_key, so that a record one logger hands to
// another (slog's default handler writing through log, the standard logger
// sent to a slog.Handler) is known by the name the first gave its trace id,
// and gets the ids once.
package logfields

import "github.com/otelgen/otelgen/hook"

// The default names, as the OpenTelemetry specification names the fields for
// logs in formats other than OTLP.
const (
	TraceIDKey    = "trace_id"
	SpanIDKey     = "span_id"
	TraceFlagsKey = "trace_flags"
)

// The variables of the settings, which rename the fields.
const (
	TraceIDKeyEnv    = "OTEL_GO_LOG_TRACE_ID_KEY"
	SpanIDKeyEnv     = "OTEL_GO_LOG_SPAN_ID_KEY"
	TraceFlagsKeyEnv = "OTEL_GO_LOG_TRACE_FLAGS_KEY"
)

// Names are field names.
type Names struct{ TraceID, SpanID, TraceFlags string }

// InForce are the names in force, read once, when the package is initialised:
// after the hook package, which holds otelgen.yaml's values.
var InForce = read()

// read returns the names the settings give, or the defaults when two of them
// are the same (a record would get two fields of one name).
func read() Names {
	n := Names{
		hook.NameSetting(TraceIDKeyEnv, TraceIDKey),
		hook.NameSetting(SpanIDKeyEnv, SpanIDKey),
		hook.NameSetting(TraceFlagsKeyEnv, TraceFlagsKey),
	}
	if n.TraceID == n.SpanID || n.SpanID == n.TraceFlags || n.TraceID == n.TraceFlags {
		return Names{TraceIDKey, SpanIDKey, TraceFlagsKey}
	}
	return n
}

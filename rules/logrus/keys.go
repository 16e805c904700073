package logrus

import "github.com/otelgen/otelgen/hook"

// The default names of the fields, as the OpenTelemetry specification names
// them for logs in formats other than OTLP.
const (
	TraceIDKey    = "trace_id"
	SpanIDKey     = "span_id"
	TraceFlagsKey = "trace_flags"
)

// The variables of the settings trace_id_key, span_id_key and
// trace_flags_key (logrus.yaml), which rename the fields. Every log integration
// reads the same three, so that a record one logger hands to another (slog's
// default handler writing through log, the standard logger sent to a
// slog.Handler) is known by the name the first gave its trace id, and gets
// the ids once.
const (
	TraceIDKeyEnv    = "OTEL_GO_LOG_TRACE_ID_KEY"
	SpanIDKeyEnv     = "OTEL_GO_LOG_SPAN_ID_KEY"
	TraceFlagsKeyEnv = "OTEL_GO_LOG_TRACE_FLAGS_KEY"
)

// keys are the names in force, read once, when the package is initialised:
// after the hook package, which holds otelgen.yaml's values.
var keys = readKeys()

type names struct{ traceID, spanID, traceFlags string }

// readKeys returns the names the settings give, or the defaults when two of
// them are the same (a record would get two fields of one name).
func readKeys() names {
	k := names{
		hook.NameSetting(TraceIDKeyEnv, TraceIDKey),
		hook.NameSetting(SpanIDKeyEnv, SpanIDKey),
		hook.NameSetting(TraceFlagsKeyEnv, TraceFlagsKey),
	}
	if k.traceID == k.spanID || k.spanID == k.traceFlags || k.traceID == k.traceFlags {
		return names{TraceIDKey, SpanIDKey, TraceFlagsKey}
	}
	return k
}

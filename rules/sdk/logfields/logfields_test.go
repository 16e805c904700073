package logfields

import "testing"

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		name                string
		traceID, spanID, fl string
		want                Names
	}{
		{"defaults", "", "", "", Names{"trace_id", "span_id", "trace_flags"}},
		{"renamed", "tid", "sid", "tf", Names{"tid", "sid", "tf"}},
		{"one renamed", "traceId", "", "", Names{"traceId", "span_id", "trace_flags"}},
		{"two the same", "id", "id", "", Names{"trace_id", "span_id", "trace_flags"}},
		{"a renamed one takes a default", "span_id", "", "", Names{"trace_id", "span_id", "trace_flags"}},
		{"a bad name is ignored", "trace id", "", "", Names{"trace_id", "span_id", "trace_flags"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(TraceIDKeyEnv, tc.traceID)
			t.Setenv(SpanIDKeyEnv, tc.spanID)
			t.Setenv(TraceFlagsKeyEnv, tc.fl)
			if got := read(); got != tc.want {
				t.Errorf("read() = %+v, want %+v", got, tc.want)
			}
		})
	}
}

package sdk

import (
	"errors"
	"slices"
	"testing"
)

// TestTextMapPropagator checks OTEL_PROPAGATORS as autoprop reads it: the
// fields each value injects, the default when it is empty or names nothing
// known, none over anything else, and unknown names reported.
func TestTextMapPropagator(t *testing.T) {
	for _, tc := range []struct {
		env     string
		fields  []string
		unknown bool
	}{
		{"", []string{"baggage", "traceparent", "tracestate"}, false},
		{"tracecontext", []string{"traceparent", "tracestate"}, false},
		{"baggage", []string{"baggage"}, false},
		{"b3", []string{"b3"}, false},
		{"b3multi", []string{"x-b3-flags", "x-b3-sampled", "x-b3-spanid", "x-b3-traceid"}, false},
		{"jaeger", []string{"uber-trace-id"}, false},
		{"xray", []string{"X-Amzn-Trace-Id"}, false},
		{"ottrace", []string{"ot-tracer-sampled", "ot-tracer-spanid", "ot-tracer-traceid"}, false},
		{"b3,tracecontext", []string{"b3", "traceparent", "tracestate"}, false},
		{"none", nil, false},
		{"b3,none,bogus", nil, false},
		{"bogus", []string{"baggage", "traceparent", "tracestate"}, true},
		{"b3,bogus", []string{"b3"}, true},
		{"tracecontext, baggage", []string{"traceparent", "tracestate"}, true}, // not trimmed
	} {
		t.Setenv("OTEL_PROPAGATORS", tc.env)
		p, err := textMapPropagator()
		fields := slices.Sorted(slices.Values(p.Fields()))
		if !slices.Equal(fields, tc.fields) {
			t.Errorf("OTEL_PROPAGATORS=%q: fields %q, want %q", tc.env, fields, tc.fields)
		}
		if got := errors.Is(err, errUnknownPropagator); got != tc.unknown {
			t.Errorf("OTEL_PROPAGATORS=%q: error %v, want unknown: %v", tc.env, err, tc.unknown)
		}
	}
}

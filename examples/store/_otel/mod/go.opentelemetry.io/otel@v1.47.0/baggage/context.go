// Copyright The OpenTelemetry Authors
// SPDX-License-Identifier: Apache-2.0

package baggage

import (
	"context"

	"go.opentelemetry.io/otel/internal/baggage"
)

// ContextWithBaggage returns a copy of parent with baggage.
func ContextWithBaggage(parent context.Context, b Baggage) context.Context {
	// Delegate so any hooks for the OpenTracing bridge are handled.
	return baggage.ContextWithList(parent, b.list)
}

// ContextWithoutBaggage returns a copy of parent with no baggage.
func ContextWithoutBaggage(parent context.Context) context.Context {
	// Delegate so any hooks for the OpenTracing bridge are handled.
	return baggage.ContextWithList(parent, nil)
}

// FromContext returns the baggage contained in ctx.
func FromContext(ctx context.Context) (otelgen_r0 Baggage) { if otelgen_otelsdk_baggage_after != nil { otelgen_c := otelgen_otelsdk_baggage_enter(); defer func() { otelgen_r0 = otelgen_otelsdk_baggage_exit(otelgen_c, otelgen_r0) }(); };
	// Delegate so any hooks for the OpenTracing bridge are handled.
	return Baggage{list: baggage.ListFromContext(ctx)}
}

// Trampolines of rule otelsdk-baggage on go.opentelemetry.io/otel/baggage.FromContext, added by otelgen.

type otelgen_otelsdk_baggage_after_func func(*otelgen_call, *Baggage)

func otelgen_otelsdk_baggage_enter() *otelgen_call {
	return &otelgen_call{fn: "go.opentelemetry.io/otel/baggage.FromContext"}
}

func otelgen_otelsdk_baggage_exit(otelgen_c *otelgen_call, otelgen_r0 Baggage) (otelgen_o0 Baggage) {
	otelgen_o0 = otelgen_r0
	defer func() {
		if recover() != nil {
			otelgen_o0 = otelgen_r0
		}
	}()
	otelgen_otelsdk_baggage_after(otelgen_c, &otelgen_o0)
	return
}

func otelgen_otelsdk_baggage_skipped(otelgen_c *otelgen_call) (otelgen_o0 Baggage) {
	if len(otelgen_c.results) > 0 {
		otelgen_o0, _ = otelgen_c.results[0].(Baggage)
	}
	return
}

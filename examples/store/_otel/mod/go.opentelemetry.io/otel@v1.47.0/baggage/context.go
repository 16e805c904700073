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
func FromContext(ctx context.Context) (otelgen_r0 Baggage) { if otelgen_otelsdk_baggage_after != nil { return otelgen_otelsdk_baggage_hooked(ctx) };
	// Delegate so any hooks for the OpenTracing bridge are handled.
	return Baggage{list: baggage.ListFromContext(ctx)}
}

// Trampolines of rule otelsdk-baggage on go.opentelemetry.io/otel/baggage.FromContext, added by otelgen.

type otelgen_otelsdk_baggage_after_func func(*otelgen_call, *Baggage)

// otelgen_otelsdk_baggage_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_otelsdk_baggage_pool, and goes back there cleared when the call ends.
type otelgen_otelsdk_baggage_rec struct {
	c  otelgen_call
	r0 Baggage
}

func otelgen_otelsdk_baggage_exit(otelgen_r0 *Baggage) {
	otelgen_c := otelgen_otelsdk_baggage_get()
	otelgen_c.c.fn = "go.opentelemetry.io/otel/baggage.FromContext"
	otelgen_c.r0 = *otelgen_r0
	defer func() {
		if recover() == nil {
			*otelgen_r0 = otelgen_c.r0
		}
		*otelgen_c = otelgen_otelsdk_baggage_rec{}
		otelgen_otelsdk_baggage_pool.Put(otelgen_c)
	}()
	otelgen_otelsdk_baggage_after(&otelgen_c.c, &otelgen_c.r0)
}

// otelgen_otelsdk_baggage_hooked is FromContext with its hooks, which it calls when one is bound.
//line go.opentelemetry.io/otel/baggage/context.go:25
func otelgen_otelsdk_baggage_hooked(ctx context.Context) (otelgen_r0 Baggage) { if otelgen_otelsdk_baggage_after != nil { defer otelgen_otelsdk_baggage_exit(&otelgen_r0); };
	// Delegate so any hooks for the OpenTracing bridge are handled.
	return Baggage{list: baggage.ListFromContext(ctx)}
}

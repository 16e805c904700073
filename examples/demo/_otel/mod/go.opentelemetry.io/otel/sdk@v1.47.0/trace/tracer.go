// Copyright The OpenTelemetry Authors
// SPDX-License-Identifier: Apache-2.0

package trace

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/trace/internal/observ"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

type tracer struct {
	embedded.Tracer

	provider             *TracerProvider
	instrumentationScope instrumentation.Scope

	inst observ.Tracer
}

var _ trace.Tracer = &tracer{}

// Start starts a Span and returns it along with a context containing it.
//
// The Span is created with the provided name and as a child of any existing
// span context found in the passed context. The created Span will be
// configured appropriately by any SpanOption passed.
func (tr *tracer) Start(
	ctx context.Context,
	name string,
	options ...trace.SpanStartOption,
) (otelgen_r0 context.Context, otelgen_r1 trace.Span) { if otelgen_otelsdk_tracer_start_before != nil { var otelgen_c *otelgen_otelsdk_tracer_start_rec; otelgen_c, ctx, name, options = otelgen_otelsdk_tracer_start_enter(tr, ctx, name, options); defer otelgen_otelsdk_tracer_start_exit(otelgen_c, &otelgen_r0, &otelgen_r1); if otelgen_c.c.skip { return otelgen_otelsdk_tracer_start_skipped(otelgen_c.c.results) } };
	config := trace.NewSpanStartConfig(options...)

	if ctx == nil {
		// Prevent trace.ContextWithSpan from panicking.
		ctx = context.Background()
	}

	// For local spans created by this SDK, track child span count.
	if p := trace.SpanFromContext(ctx); p != nil {
		if sdkSpan, ok := p.(*recordingSpan); ok {
			sdkSpan.addChild()
		}
	}

	s := tr.newSpan(ctx, name, &config)
	newCtx := trace.ContextWithSpan(ctx, s)
	if tr.inst.Enabled() {
		if o, ok := s.(interface{ setOrigCtx(context.Context) }); ok {
			// If this is a recording span, store the original context.
			// This allows later retrieval of baggage and other information
			// that may have been stored in the context at span start time and
			// to avoid the allocation of repeatedly calling
			// trace.ContextWithSpan.
			o.setOrigCtx(newCtx)
		}
		psc := trace.SpanContextFromContext(ctx)
		tr.inst.SpanStarted(newCtx, psc, s)
	}

	if rw, ok := s.(ReadWriteSpan); ok && s.IsRecording() {
		sps := tr.provider.getSpanProcessors()
		for _, sp := range sps {
			// Use original context.
			sp.sp.OnStart(ctx, rw)
		}
	}
	if rtt, ok := s.(runtimeTracer); ok {
		newCtx = rtt.runtimeTrace(newCtx)
	}

	return newCtx, s
}

type runtimeTracer interface {
	// runtimeTrace starts a "runtime/trace".Task for the span and
	// returns a context containing the task.
	runtimeTrace(ctx context.Context) context.Context
}

// newSpan returns a new configured span.
func (tr *tracer) newSpan(ctx context.Context, name string, config *trace.SpanConfig) trace.Span {
	// If told explicitly to make this a new root use a zero value SpanContext
	// as a parent which contains an invalid trace ID and is not remote.
	var psc trace.SpanContext
	if config.NewRoot() {
		ctx = trace.ContextWithSpanContext(ctx, psc)
	} else {
		psc = trace.SpanContextFromContext(ctx)
	}

	// If there is a valid parent trace ID, use it to ensure the continuity of
	// the trace. Always generate a new span ID so other components can rely
	// on a unique span ID, even if the Span is non-recording.
	var tid trace.TraceID
	var sid trace.SpanID
	if !psc.TraceID().IsValid() {
		tid, sid = tr.provider.idGenerator.NewIDs(ctx)
	} else {
		tid = psc.TraceID()
		sid = tr.provider.idGenerator.NewSpanID(ctx, tid)
	}

	samplingResult := tr.provider.sampler.ShouldSample(SamplingParameters{
		ParentContext: ctx,
		TraceID:       tid,
		Name:          name,
		Kind:          config.SpanKind(),
		Attributes:    config.Attributes(),
		Links:         config.Links(),
	})

	scc := trace.SpanContextConfig{
		TraceID:    tid,
		SpanID:     sid,
		TraceState: samplingResult.Tracestate,
	}
	if isSampled(samplingResult) {
		scc.TraceFlags = psc.TraceFlags() | trace.FlagsSampled
	} else {
		scc.TraceFlags = psc.TraceFlags() &^ trace.FlagsSampled
	}
	sc := trace.NewSpanContext(scc)

	if !isRecording(samplingResult) {
		return tr.newNonRecordingSpan(sc)
	}
	return tr.newRecordingSpan(ctx, psc, sc, name, samplingResult, config)
}

// newRecordingSpan returns a new configured recordingSpan.
func (tr *tracer) newRecordingSpan(
	ctx context.Context,
	psc, sc trace.SpanContext,
	name string,
	sr SamplingResult,
	config *trace.SpanConfig,
) *recordingSpan {
	startTime := config.Timestamp()
	if startTime.IsZero() {
		startTime = time.Now()
	}

	s := &recordingSpan{
		// Do not pre-allocate the attributes slice here! Doing so will
		// allocate memory that is likely never going to be used, or if used,
		// will be over-sized. The default Go compiler has been tested to
		// dynamically allocate needed space very well. Benchmarking has shown
		// it to be more performant than what we can predetermine here,
		// especially for the common use case of few to no added
		// attributes.

		parent:      psc,
		spanContext: sc,
		spanKind:    trace.ValidateSpanKind(config.SpanKind()),
		name:        name,
		startTime:   startTime,
		events:      newEvictedQueueEvent(tr.provider.spanLimits.EventCountLimit),
		links:       newEvictedQueueLink(tr.provider.spanLimits.LinkCountLimit),
		tracer:      tr,
	}

	for _, l := range config.Links() {
		s.AddLink(l)
	}

	s.SetAttributes(sr.Attributes...)
	s.SetAttributes(config.Attributes()...)

	if tr.inst.Enabled() {
		// Propagate any existing values from the context with the new span to
		// the measurement context.
		ctx = trace.ContextWithSpan(ctx, s)
		tr.inst.SpanLive(ctx, s)
	}

	return s
}

// newNonRecordingSpan returns a new configured nonRecordingSpan.
func (tr *tracer) newNonRecordingSpan(sc trace.SpanContext) nonRecordingSpan {
	return nonRecordingSpan{tracer: tr, sc: sc}
}

// Trampolines of rule otelsdk-tracer-start on go.opentelemetry.io/otel/sdk/trace.(*tracer).Start, added by otelgen.

type otelgen_otelsdk_tracer_start_before_func func(*otelgen_call, interface{}, *context.Context, *string, *[]trace.SpanStartOption)

type otelgen_otelsdk_tracer_start_after_func func(*otelgen_call, *context.Context, *trace.Span)

// otelgen_otelsdk_tracer_start_rec is one call: the call record, and the copies of
// the parameters and results whose addresses the hooks get. It comes from
// otelgen_otelsdk_tracer_start_pool, and goes back there cleared when the call ends.
type otelgen_otelsdk_tracer_start_rec struct {
	c  otelgen_call
	p0 context.Context
	p1 string
	p2 []trace.SpanStartOption
	r0 context.Context
	r1 trace.Span
}

func otelgen_otelsdk_tracer_start_enter(otelgen_recv *tracer, otelgen_p0 context.Context, otelgen_p1 string, otelgen_p2 []trace.SpanStartOption) (otelgen_c *otelgen_otelsdk_tracer_start_rec, otelgen_o0 context.Context, otelgen_o1 string, otelgen_o2 []trace.SpanStartOption) {
	otelgen_c = otelgen_otelsdk_tracer_start_get()
	otelgen_c.c.fn = "go.opentelemetry.io/otel/sdk/trace.(*tracer).Start"
	otelgen_c.p0, otelgen_c.p1, otelgen_c.p2 = otelgen_p0, otelgen_p1, otelgen_p2
	defer func() {
		if recover() != nil {
			otelgen_c.c.skip, otelgen_c.c.results = false, nil
			otelgen_c.p0, otelgen_c.p1, otelgen_c.p2 = otelgen_p0, otelgen_p1, otelgen_p2
		}
		otelgen_o0, otelgen_o1, otelgen_o2 = otelgen_c.p0, otelgen_c.p1, otelgen_c.p2
	}()
	otelgen_otelsdk_tracer_start_before(&otelgen_c.c, interface{}(otelgen_recv), &otelgen_c.p0, &otelgen_c.p1, &otelgen_c.p2)
	return
}

func otelgen_otelsdk_tracer_start_exit(otelgen_c *otelgen_otelsdk_tracer_start_rec, otelgen_r0 *context.Context, otelgen_r1 *trace.Span) {
	otelgen_c.r0, otelgen_c.r1 = *otelgen_r0, *otelgen_r1
	defer func() {
		if recover() == nil {
			*otelgen_r0, *otelgen_r1 = otelgen_c.r0, otelgen_c.r1
		}
		*otelgen_c = otelgen_otelsdk_tracer_start_rec{}
		otelgen_otelsdk_tracer_start_pool.Put(otelgen_c)
	}()
	otelgen_otelsdk_tracer_start_after(&otelgen_c.c, &otelgen_c.r0, &otelgen_c.r1)
}

func otelgen_otelsdk_tracer_start_skipped(otelgen_results []interface{}) (otelgen_o0 context.Context, otelgen_o1 trace.Span) {
	if len(otelgen_results) > 0 {
		otelgen_o0, _ = otelgen_results[0].(context.Context)
	}
	if len(otelgen_results) > 1 {
		otelgen_o1, _ = otelgen_results[1].(trace.Span)
	}
	return
}

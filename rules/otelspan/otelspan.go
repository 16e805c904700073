// Package otelspan is what a //otel:span directive calls: the code otelgen
// puts at the top of such a function starts an INTERNAL span (in the
// function's context parameter, if it has one, and on the goroutine, so that
// calls made inside are its children) and ends it when the function
// returns, recording a returned non-nil error. With "metric", the function's
// duration goes into the histogram otelgen.function.duration too.
//
// OTEL_GO_DISABLED_INSTRUMENTATIONS=otelspan (or OTEL_SDK_DISABLED) turns
// the spans off at run time; the functions then cost a call each.
package otelspan

import (
	"context"
	"fmt"
	"reflect"
	"sync/atomic"
	"time"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// Name is this integration's name in OTEL_GO_DISABLED_INSTRUMENTATIONS.
const Name = "otelspan"

// ScopeName is the instrumentation scope of the spans and the metric.
const ScopeName = "github.com/otelgen/otelgen/rules/otelspan"

// MetricName is the duration histogram of functions whose directive says
// "metric", in seconds, by code.function.name (and error.type).
const MetricName = "otelgen.function.duration"

var off = sdk.Disabled() || hook.Disabled(Name)

// Func describes the span of one function; the generated code declares one
// per directive.
type Func struct {
	name   string
	fn     attribute.KeyValue
	keys   []string
	metric bool
	inst   atomic.Pointer[instruments]
}

// New describes the span of a function: its name, the function's full name
// (code.function.name), the names of the parameters recorded as attributes,
// and whether its duration is recorded as a metric.
func New(name, function string, keys []string, metric bool) *Func {
	return &Func{name: name, fn: semconv.CodeFunctionName(function), keys: keys, metric: metric}
}

// instruments are the tracer and histogram of one pair of global providers.
type instruments struct {
	tp       trace.TracerProvider
	mp       metric.MeterProvider
	tracer   trace.Tracer
	duration metric.Float64Histogram
}

func (f *Func) instruments() *instruments {
	tp, mp := otel.GetTracerProvider(), otel.GetMeterProvider()
	if in := f.inst.Load(); in != nil && in.tp == tp && in.mp == mp {
		return in
	}
	in := &instruments{tp: tp, mp: mp, tracer: tp.Tracer(ScopeName)}
	if f.metric {
		in.duration, _ = mp.Meter(ScopeName).Float64Histogram(MetricName, metric.WithUnit("s"),
			metric.WithDescription("Duration of functions marked //otel:span metric."))
	}
	f.inst.Store(in)
	return in
}

// On reports whether the spans are on: the generated code starts one only
// then, so that a function whose spans are off boxes no attribute values.
func (f *Func) On() bool { return !off }

// Active is a started span, ended by End; its zero value ends nothing.
type Active struct {
	f     *Func
	in    *instruments
	span  trace.Span
	token gls.Token
	start time.Time
}

// Start starts the span as a child of ctx's span (or, when ctx has none, of
// the goroutine's) and returns ctx with it. vals are the values of the
// attributes, in the order of the directive's attrs.
func (f *Func) Start(ctx context.Context, vals ...any) (context.Context, Active) {
	if off {
		return ctx, Active{}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	a := f.begin(gls.Fill(ctx), vals)
	return trace.ContextWithSpan(ctx, a.span), a
}

// Begin is Start for a function without a context parameter: the parent is
// the goroutine's current span.
func (f *Func) Begin(vals ...any) Active {
	if off {
		return Active{}
	}
	return f.begin(gls.Fill(context.Background()), vals)
}

func (f *Func) begin(parent context.Context, vals []any) Active {
	in := f.instruments()
	attrs := make([]attribute.KeyValue, 0, 1+len(vals))
	attrs = append(attrs, f.fn)
	for i, v := range vals {
		if i < len(f.keys) {
			attrs = append(attrs, value(f.keys[i], v))
		}
	}
	// Restored by End: the SDK's Start may make the span current too (rules/otelsdk).
	saved := gls.Save()
	ctx, span := in.tracer.Start(parent, f.name, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	gls.Push(ctx)
	return Active{f: f, in: in, span: span, token: saved, start: time.Now()}
}

// End ends the span; err points at the function's error result, or is nil.
func (a Active) End(err *error) {
	if a.span == nil {
		return
	}
	gls.Restore(a.token)
	var errType string
	if err != nil && *err != nil {
		errType = fmt.Sprintf("%T", *err)
		a.span.RecordError(*err)
		a.span.SetStatus(codes.Error, (*err).Error())
		a.span.SetAttributes(semconv.ErrorTypeKey.String(errType))
	}
	a.span.End()
	if a.in.duration != nil {
		attrs := []attribute.KeyValue{a.f.fn}
		if errType != "" {
			attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
		}
		a.in.duration.Record(context.Background(), time.Since(a.start).Seconds(), metric.WithAttributes(attrs...))
	}
}

// value turns a parameter into an attribute: strings, booleans, integers
// and floats as themselves, anything else (a fmt.Stringer, a struct) as
// fmt.Sprint prints it.
func value(key string, v any) attribute.KeyValue {
	switch x := v.(type) {
	case string:
		return attribute.String(key, x)
	case bool:
		return attribute.Bool(key, x)
	case int:
		return attribute.Int(key, x)
	case int64:
		return attribute.Int64(key, x)
	case float64:
		return attribute.Float64(key, x)
	case fmt.Stringer:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return attribute.String(key, "<nil>")
		}
		return attribute.String(key, x.String())
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return attribute.Int64(key, rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return attribute.Int64(key, int64(rv.Uint()))
	case reflect.Float32:
		return attribute.Float64(key, rv.Float())
	}
	return attribute.String(key, fmt.Sprint(v))
}

package sdk

import (
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Instruments keeps a hook package's tracer and its metric instruments (a
// T, made by a function of the package's meter), made from the global
// providers on first use and made again when the program installs other
// ones, so that automatic spans and metrics follow the global providers.
// Errors in making the instruments go to otel.Handle. Declare one as a
// package variable with NewInstruments; Get is safe for concurrent use.
type Instruments[T any] struct {
	scope string
	build func(metric.Meter) (T, error)
	cur   atomic.Pointer[Made[T]]
}

// Made is what Instruments made from one pair of providers.
type Made[T any] struct {
	tp     trace.TracerProvider
	mp     metric.MeterProvider
	Tracer trace.Tracer
	M      T
}

// NewInstruments returns the instruments of scope (the instrumentation
// scope's name), made by build. Nothing is made before the first Get, so a
// disabled program makes nothing.
func NewInstruments[T any](scope string, build func(metric.Meter) (T, error)) *Instruments[T] {
	return &Instruments[T]{scope: scope, build: build}
}

// Get returns the tracer and instruments of the current global providers.
func (i *Instruments[T]) Get() *Made[T] {
	tp, mp := otel.GetTracerProvider(), otel.GetMeterProvider()
	if m := i.cur.Load(); m != nil && m.tp == tp && m.mp == mp {
		return m
	}
	m := &Made[T]{tp: tp, mp: mp, Tracer: tp.Tracer(i.scope)}
	var err error
	if m.M, err = i.build(mp.Meter(i.scope)); err != nil {
		otel.Handle(err)
	}
	i.cur.Store(m)
	return m
}

// Tracer keeps a hook package's tracer, for a package that records no
// metrics: made from the global provider on first use and made again when
// the program installs another one.
type Tracer struct {
	scope string
	cur   atomic.Pointer[tracerOf]
}

type tracerOf struct {
	tp     trace.TracerProvider
	tracer trace.Tracer
}

// NewTracer returns the tracer of scope (the instrumentation scope's name).
func NewTracer(scope string) *Tracer { return &Tracer{scope: scope} }

// Get returns the tracer of the current global provider.
func (t *Tracer) Get() trace.Tracer {
	tp := otel.GetTracerProvider()
	if c := t.cur.Load(); c != nil && c.tp == tp {
		return c.tracer
	}
	c := &tracerOf{tp: tp, tracer: tp.Tracer(t.scope)}
	t.cur.Store(c)
	return c.tracer
}

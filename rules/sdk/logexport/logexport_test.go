package logexport

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/log/embedded"
	"go.opentelemetry.io/otel/log/global"
	"go.opentelemetry.io/otel/log/noop"
)

func TestRequested(t *testing.T) {
	for _, c := range []struct {
		value string
		want  bool
	}{
		{"", false}, {"none", false}, {"otlp", true}, {"console", true}, {" none , otlp ", true}, {"prometheus", false},
	} {
		mode.Store(0)
		t.Setenv("OTEL_LOGS_EXPORTER", c.value)
		if got := Requested(); got != c.want {
			t.Errorf("OTEL_LOGS_EXPORTER=%q: Requested() = %t, want %t", c.value, got, c.want)
		}
		// Read once: a later change of the variable is not seen.
		t.Setenv("OTEL_LOGS_EXPORTER", "otlp")
		if got := Requested(); got != c.want {
			t.Errorf("OTEL_LOGS_EXPORTER=%q, then otlp: Requested() = %t, want %t still", c.value, got, c.want)
		}
	}
	mode.Store(0)
}

type provider struct {
	embedded.LoggerProvider
	scopes []string
}

func (p *provider) Logger(name string, _ ...otellog.LoggerOption) otellog.Logger {
	p.scopes = append(p.scopes, name)
	return noop.NewLoggerProvider().Logger(name)
}

func TestEmitter(t *testing.T) {
	defer global.SetLoggerProvider(global.GetLoggerProvider())
	p := &provider{}
	global.SetLoggerProvider(p)
	e := &Emitter{Scope: "example.com/scope"}
	e.Logger().Emit(context.Background(), otellog.Record{})
	e.Logger()
	if len(p.scopes) != 1 || p.scopes[0] != "example.com/scope" {
		t.Errorf("loggers made: %q, want one of example.com/scope", p.scopes)
	}
	q := &provider{}
	global.SetLoggerProvider(q)
	e.Logger()
	if len(q.scopes) != 1 {
		t.Errorf("after a new provider, loggers made of it: %q, want one", q.scopes)
	}
}

func TestScalar(t *testing.T) {
	for _, c := range []struct {
		v    any
		want attribute.Value
		ok   bool
	}{
		{"s", attribute.StringValue("s"), true},
		{true, attribute.BoolValue(true), true},
		{7, attribute.IntValue(7), true},
		{int8(-8), attribute.Int64Value(-8), true},
		{uint32(9), attribute.Int64Value(9), true},
		{float32(0.5), attribute.Float64Value(0.5), true},
		{[]byte("b"), attribute.ByteSliceValue([]byte("b")), true},
		{uint64(1), attribute.Value{}, false}, // may not fit an int64
		{struct{}{}, attribute.Value{}, false},
	} {
		got, ok := Scalar(c.v)
		if ok != c.ok || got.Emit() != c.want.Emit() || got.Type() != c.want.Type() {
			t.Errorf("Scalar(%#v) = %v (%v), %t; want %v (%v), %t", c.v, got.Emit(), got.Type(), ok, c.want.Emit(), c.want.Type(), c.ok)
		}
	}
}

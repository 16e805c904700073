// Package handsdk sets up the OpenTelemetry SDK by hand for the load
// benchmark's hand-instrumented servers (cmd/otelhttp, cmd/otelgin,
// cmd/otelfiber, cmd/otelhertz), the way otelgen's rules/sdk sets it up: the
// same resource, the W3C trace context and baggage propagators,
// autoexport's span exporter behind the default batch span processor and
// autoexport's metric reader. Each peer then differs from the otelgen build
// by its instrumentation only.
package handsdk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// Start is rules/sdk's start, with its flush on SIGINT and SIGTERM (after
// which the process exits 0) but without its exit hook. With
// OTEL_SDK_DISABLED=true it sets nothing up. name prefixes the error a
// failed shutdown prints.
func Start(name string) {
	shutdown := setup(name)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		shutdown()
		os.Exit(0)
	}()
}

func setup(name string) (shutdown func()) {
	if v, _ := strconv.ParseBool(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED"))); v {
		return func() {}
	}
	ctx := context.Background()
	res, err := resource.Merge(
		resource.NewSchemaless(semconv.ServiceName(serviceName())),
		resource.Environment(),
	)
	if err != nil {
		otel.Handle(err)
		res = resource.Environment()
	}
	res, _ = resource.Merge(resource.Default(), res)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	var tp *sdktrace.TracerProvider
	var mp *sdkmetric.MeterProvider
	if exp, err := autoexport.NewSpanExporter(ctx); err != nil {
		otel.Handle(err)
	} else {
		tp = sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
		otel.SetTracerProvider(tp)
	}
	if reader, err := autoexport.NewMetricReader(ctx); err != nil {
		otel.Handle(err)
	} else {
		mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(res))
		otel.SetMeterProvider(mp)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		var errs []error
		if tp != nil {
			errs = append(errs, tp.Shutdown(ctx))
		}
		if mp != nil {
			errs = append(errs, mp.Shutdown(ctx))
		}
		if err := errors.Join(errs...); err != nil {
			fmt.Fprintf(os.Stderr, "%s: shutdown: %v\n", name, err)
		}
	}
}

func serviceName() string {
	if os.Getenv("OTEL_SERVICE_NAME") != "" || strings.Contains(os.Getenv("OTEL_RESOURCE_ATTRIBUTES"), string(semconv.ServiceNameKey)+"=") {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
}

// Command kratostrace is the Kratos benchmark's program instrumented by
// hand, the way Kratos' documentation shows: Kratos' own tracing middleware
// (middleware/tracing: spans only, no metrics) on the servers and the
// clients, and the SDK set up as otelgen's rules/sdk sets it up (as
// bench/grpcload's cmd/otelgrpc does), flushed when the load ends.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-kratos/kratos/v2/middleware"
	"github.com/go-kratos/kratos/v2/middleware/tracing"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"example.com/kratosload/load"
)

func main() {
	shutdown := setup()
	defer shutdown()
	// The middleware takes the global provider when it is made: after setup.
	load.Run(
		[]middleware.Middleware{tracing.Server()},
		[]middleware.Middleware{tracing.Client()})
}

// setup is rules/sdk's start, without its signal and exit hooks.
func setup() (shutdown func()) {
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
			fmt.Fprintln(os.Stderr, "kratostrace: shutdown:", err)
		}
	}
}

func serviceName() string {
	if os.Getenv("OTEL_SERVICE_NAME") != "" || strings.Contains(os.Getenv("OTEL_RESOURCE_ATTRIBUTES"), string(semconv.ServiceNameKey)+"=") {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
}

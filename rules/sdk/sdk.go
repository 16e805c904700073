// Package sdk starts the OpenTelemetry SDK in an instrumented program and
// flushes it on every way out: main returning, os.Exit, and SIGINT or SIGTERM.
//
// It reads the standard environment: OTEL_SDK_DISABLED, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER
// (otlp, the default; console; none), OTEL_EXPORTER_OTLP_ENDPOINT and
// OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, the default; grpc) and the
// other OTEL_EXPORTER_OTLP_* variables, through autoexport. The service name
// defaults to the program's name.
//
// A program that installs its own global TracerProvider keeps it: the
// automatic spans go to whatever provider is global when they start.
package sdk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/otelgen/otelgen/hook"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// ShutdownTimeout bounds the flush on the way out.
const ShutdownTimeout = 5 * time.Second

var (
	disabled atomic.Bool
	started  sync.Once
	stopOnce sync.Once

	tp *sdktrace.TracerProvider
	mp *sdkmetric.MeterProvider
)

// Disabled reports whether OTEL_SDK_DISABLED turned the SDK off. Hooks check
// it first, so that a disabled program pays almost nothing.
func Disabled() bool { return disabled.Load() }

// Start sets up the SDK once. The sdk-main-return rule calls it as main.main
// begins; importing this package has no effect of its own, so that the
// otelgen command can import every hook package without starting anything.
func Start() {
	started.Do(start)
}

// init reads OTEL_SDK_DISABLED early, so that hook packages can unbind
// their hooks in their own init functions. It starts nothing.
func init() {
	if v, _ := strconv.ParseBool(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED"))); v {
		disabled.Store(true)
	}
}

func start() {
	if disabled.Load() {
		return
	}
	ctx := context.Background()
	res, err := resource.Merge(
		resource.NewSchemaless(semconv.ServiceName(defaultServiceName())),
		resource.Environment(),
	)
	if err != nil {
		otel.Handle(err)
		res = resource.Environment()
	}
	res, _ = resource.Merge(resource.Default(), res)

	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	// A provider the program installed already (in an init function) stays.
	if isDefault(otel.GetTracerProvider()) {
		if exp, err := autoexport.NewSpanExporter(ctx); err != nil {
			otel.Handle(err)
		} else {
			tp = sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
			otel.SetTracerProvider(tp)
		}
	}
	if isDefault(otel.GetMeterProvider()) {
		if reader, err := autoexport.NewMetricReader(ctx); err != nil {
			otel.Handle(err)
		} else {
			mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(res))
			otel.SetMeterProvider(mp)
		}
	}
	watchSignals()
}

// isDefault reports whether p is the OpenTelemetry API's global default,
// which forwards to whatever provider is set later.
func isDefault(p any) bool {
	return strings.HasPrefix(fmt.Sprintf("%T", p), "*global.")
}

// defaultServiceName is the program's name, unless the environment names
// the service.
func defaultServiceName() string {
	if os.Getenv("OTEL_SERVICE_NAME") != "" || strings.Contains(os.Getenv("OTEL_RESOURCE_ATTRIBUTES"), string(semconv.ServiceNameKey)+"=") {
		return "" // resource.Environment sets it
	}
	name := filepath.Base(os.Args[0])
	return strings.TrimSuffix(name, ".exe")
}

// Shutdown flushes and stops the SDK that Start set up. Later calls do
// nothing. Spans that start afterwards are dropped.
func Shutdown() {
	stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
		defer cancel()
		var errs []error
		if tp != nil {
			errs = append(errs, tp.Shutdown(ctx))
		}
		if mp != nil {
			errs = append(errs, mp.Shutdown(ctx))
		}
		if err := errors.Join(errs...); err != nil {
			otel.Handle(err)
		}
	})
}

// Flush exports what the SDK holds, without stopping it.
func Flush() {
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if tp != nil {
		tp.ForceFlush(ctx)
	}
	if mp != nil {
		mp.ForceFlush(ctx)
	}
}

// MainBefore runs as main.main starts, and starts the SDK.
func MainBefore(c *hook.Call) { Start() }

// MainAfter runs when main.main returns, and flushes.
func MainAfter(c *hook.Call) { Shutdown() }

// ExitBefore runs at os.Exit, and flushes before the process ends.
func ExitBefore(c *hook.Call, code *int) { Shutdown() }

// Package sdk starts the OpenTelemetry SDK in an instrumented program and
// flushes it on every way out: main returning, os.Exit, and SIGINT or SIGTERM.
//
// It reads the standard environment: OTEL_SDK_DISABLED, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_PROPAGATORS (as contrib's autoprop reads it),
// OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER (otlp,
// the default; console; none), OTEL_EXPORTER_OTLP_ENDPOINT and
// OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf, the default; grpc) and the
// other OTEL_EXPORTER_OTLP_* variables, and the batch settings (OTEL_BSP_*,
// batcher.go); the SDK itself reads the sampler, export interval and limit
// variables. OTLP over HTTP goes through
// this module's own encoder and client (internal/otlp: the wire format
// written by hand, and net/http; no gRPC and no protobuf module, which would
// double the size of a small program); OTLP over gRPC through the upstream exporters, in
// package otlpgrpc, linked on request. The README's
// "The OTel environment" lists each variable. The service name defaults to
// the program's name; the OTLP endpoint to plain-text http://localhost:4318
// (4317 for gRPC), as the specification says, where the Go exporters would
// use TLS.
//
// Errors of the SDK go to stderr, each once, and an unreachable collector
// is one line that names the endpoint and the variable that sets it (see
// errors.go).
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

	"go.opentelemetry.io/otel"
	logglobal "go.opentelemetry.io/otel/log/global"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// ShutdownTimeout bounds the flush on the way out.
const ShutdownTimeout = 5 * time.Second

var (
	disabled atomic.Bool
	stopping atomic.Bool // Shutdown has begun
	started  sync.Once
	stopOnce sync.Once

	tp *sdktrace.TracerProvider
	mp *sdkmetric.MeterProvider
	lp Provider // nil unless the logs package is linked
)

// Disabled reports whether OTEL_SDK_DISABLED turned the SDK off. Hooks check
// it first, so that a disabled program pays almost nothing.
func Disabled() bool { return disabled.Load() }

// Start sets up the SDK once. The file of the sdk-start rule calls it from
// an init function of the program's main package; importing this package
// has no effect of its own.
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
	// Before anything can fail: errors go to stderr once each, and an
	// unreachable collector is one line. A handler the program set stays.
	if isDefault(otel.GetErrorHandler()) {
		otel.SetErrorHandler(newErrorHandler())
	}
	res, err := resource.Merge(
		resource.NewSchemaless(semconv.ServiceName(defaultServiceName())),
		resource.Environment(),
	)
	if err != nil {
		otel.Handle(err)
		res = resource.Environment()
	}
	res, _ = resource.Merge(resource.Default(), res)

	// OTEL_PROPAGATORS: tracecontext,baggage by default; b3, b3multi,
	// jaeger, xray, ottrace, none (propagators.go).
	prop, err := textMapPropagator()
	if err != nil {
		otel.Handle(err)
	}
	otel.SetTextMapPropagator(prop)

	// The exporters read their environment when they are made; with no
	// endpoint set, they talk plain text to localhost, as the specification
	// says (the Go exporters would use TLS).
	restore := defaultInsecure()
	defer restore()

	// A provider the program installed already (in an init function) stays.
	// The SDK reads the sampler (OTEL_TRACES_SAMPLER, _ARG) and the span
	// limits (OTEL_SPAN_*_LIMIT, OTEL_ATTRIBUTE_*_LIMIT) by itself; the
	// batcher reads the batch settings (OTEL_BSP_*).
	if isDefault(otel.GetTracerProvider()) {
		exps, err := Spans.New(ctx, "TRACES")
		if err != nil {
			otel.Handle(err)
		}
		if len(exps) > 0 {
			opts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
			for _, e := range exps {
				opts = append(opts, sdktrace.WithSpanProcessor(newBatcher(e)))
			}
			tp = sdktrace.NewTracerProvider(opts...)
			otel.SetTracerProvider(tp)
		}
	}
	// The periodic reader reads OTEL_METRIC_EXPORT_INTERVAL and _TIMEOUT.
	if isDefault(otel.GetMeterProvider()) {
		readers, err := Metrics.New(ctx, "METRICS")
		if err != nil {
			otel.Handle(err)
		}
		if len(readers) > 0 {
			opts := []sdkmetric.Option{sdkmetric.WithResource(res)}
			for _, r := range readers {
				opts = append(opts, sdkmetric.WithReader(r))
			}
			mp = sdkmetric.NewMeterProvider(opts...)
			otel.SetMeterProvider(mp)
		}
	}
	// Logs, for records written through the OpenTelemetry logs API (the
	// logger integrations with OTEL_LOGS_EXPORTER set, or a program's own
	// bridge). The logs SDK is linked only on request; a program without it
	// that is asked for logs says so once.
	if startLogs != nil {
		if isDefault(logglobal.GetLoggerProvider()) {
			p, err := startLogs(ctx, res)
			if err != nil {
				otel.Handle(err)
			}
			lp = p
		}
	} else if v := strings.TrimSpace(os.Getenv("OTEL_LOGS_EXPORTER")); v != "" && v != "none" {
		otel.Handle(fmt.Errorf("OTEL_LOGS_EXPORTER=%s: logs are not exported: this program was generated without the logs SDK; add \"logs\" to the link list in otelgen.yaml (link: [logs]) and run go generate", v))
	}
	for _, f := range startedFuncs {
		f()
	}
	watchSignals()
}

// isDefault reports whether p is the OpenTelemetry API's global default,
// which forwards to whatever provider is set later.
func isDefault(p any) bool {
	t := fmt.Sprintf("%T", p)
	return strings.HasPrefix(t, "*global.") || t == "*errorhandler.ErrDelegator"
}

// signals are the OTLP exporters' names in their environment variables.
var signals = []string{"TRACES", "METRICS", "LOGS"}

// defaultInsecure makes the OTLP exporters of the signals that have no
// endpoint set talk plain text to their default, localhost:4318 (4317 for
// gRPC): the specification's default endpoint is http://localhost:4318, the
// Go exporters' https://localhost:4318, which no local collector serves by
// default. It sets OTEL_EXPORTER_OTLP_<SIGNAL>_INSECURE=true while the
// exporters are made, where neither an endpoint nor INSECURE is set, and
// returns the function that unsets it again, so that the program and its
// children see the environment they were given.
func defaultInsecure() (restore func()) {
	const p = "OTEL_EXPORTER_OTLP_"
	var set []string
	if os.Getenv(p+"ENDPOINT") == "" && os.Getenv(p+"INSECURE") == "" {
		for _, s := range signals {
			key := p + s + "_INSECURE"
			if _, ok := os.LookupEnv(key); ok || os.Getenv(p+s+"_ENDPOINT") != "" {
				continue
			}
			os.Setenv(key, "true")
			set = append(set, key)
		}
	}
	return func() {
		for _, key := range set {
			os.Unsetenv(key)
		}
	}
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
		stopping.Store(true)
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
		defer cancel()
		var errs []error
		if tp != nil {
			errs = append(errs, tp.Shutdown(ctx))
		}
		if mp != nil {
			errs = append(errs, mp.Shutdown(ctx))
		}
		if lp != nil {
			errs = append(errs, lp.Shutdown(ctx))
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
	if lp != nil {
		lp.ForceFlush(ctx)
	}
}

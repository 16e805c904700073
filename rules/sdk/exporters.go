package sdk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/otelgen/otelgen/rules/sdk/internal/otlp"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// This package links only what every program can use: OTLP over HTTP (our
// own encoder, internal/otlp, which links neither gRPC nor the protobuf
// runtime) and the console, for traces and metrics. The rest is linked when otelgen.yaml
// asks for it ("link: [otlp-grpc, prometheus, logs]") or when the program
// already links what it needs: each of those packages (otlpgrpc, prometheus,
// logs) registers itself here from its init function, which runs before the
// main package's init function calls Start.

// A Factory makes one exporter (or metric reader) of a signal.
type Factory[T any] func(context.Context) (T, error)

// Exporters maps exporter names to factories. OTLP is registered as
// "otlp/" and its protocol, as in "otlp/grpc".
type Exporters[T any] struct {
	mu sync.Mutex
	m  map[string]Factory[T]
}

// Register adds a factory; a second registration of a name replaces the first.
func (e *Exporters[T]) Register(name string, f Factory[T]) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string]Factory[T]{}
	}
	e.m[name] = f
}

// optionFor says which link option provides an exporter that is not linked.
var optionFor = map[string]string{
	"otlp/grpc":  "otlp-grpc",
	"prometheus": "prometheus",
}

// New makes the exporters that the environment names for signal ("TRACES",
// "METRICS" or "LOGS"): OTEL_<signal>_EXPORTER, a comma-separated list whose
// default is otlp, and for otlp the protocol from
// OTEL_EXPORTER_OTLP_<signal>_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL,
// http/protobuf by default. "none" makes nothing. A name that is known but
// not linked into this program is an error that says how to link it; the
// other exporters are still made.
func (e *Exporters[T]) New(ctx context.Context, signal string) ([]T, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key := "OTEL_" + signal + "_EXPORTER"
	names := strings.Split(os.Getenv(key), ",")
	var out []T
	var errs []error
	seen := map[string]bool{}
	for _, name := range names {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			name = "otlp"
		}
		setting := key + "=" + name
		if name == "otlp" {
			proto, from := protocol(signal)
			name += "/" + proto
			if from != "" {
				setting = from + "=" + proto
			}
		}
		if name == "none" || seen[name] {
			continue
		}
		seen[name] = true
		f, ok := e.m[name]
		if !ok {
			errs = append(errs, notLinked(signal, setting, name, e.names()))
			continue
		}
		x, err := f(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", setting, err))
			continue
		}
		out = append(out, x)
	}
	return out, errors.Join(errs...)
}

func (e *Exporters[T]) names() []string {
	var ns []string
	for n := range e.m {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// protocol is the OTLP protocol for signal, and the variable that set it
// ("" for the default).
func protocol(signal string) (proto, from string) {
	for _, key := range []string{"OTEL_EXPORTER_OTLP_" + signal + "_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if v := strings.TrimSpace(os.Getenv(key)); v != "" {
			return strings.ToLower(v), key
		}
	}
	return "http/protobuf", ""
}

// notLinked explains an exporter the environment asks for that this program
// does not have, in one line the user can act on.
func notLinked(signal, setting, name string, have []string) error {
	what := strings.ToLower(signal)
	if opt, ok := optionFor[name]; ok {
		return fmt.Errorf("%s: %s are not exported: this program was generated without that exporter; add %q to the link list in otelgen.yaml (link: [%s]) and run go generate", setting, what, opt, opt)
	}
	return fmt.Errorf("%s: %s are not exported: no such exporter here (known: %s, none)", setting, what, strings.Join(have, ", "))
}

// Spans and Metrics are the exporters this program links. Packages that
// otelgen links on request add to them.
var (
	Spans   Exporters[sdktrace.SpanExporter]
	Metrics Exporters[sdkmetric.Reader]
)

// A Provider is a signal's SDK provider as Shutdown and Flush see it.
type Provider interface {
	Shutdown(context.Context) error
	ForceFlush(context.Context) error
}

// startLogs sets up the logs SDK; it is nil unless the logs package is
// linked.
var startLogs func(context.Context, *resource.Resource) (Provider, error)

// RegisterLogs is called by the logs package, linked on request, with the
// function that sets up the logs SDK.
func RegisterLogs(start func(context.Context, *resource.Resource) (Provider, error)) {
	startLogs = start
}

// producers feed metrics that are not recorded through the API (the Go
// scheduler's latency histogram) to every reader.
var producers []sdkmetric.Producer

// AddProducer adds a metric producer to every reader Start makes. Call it
// from an init function.
func AddProducer(p sdkmetric.Producer) { producers = append(producers, p) }

// Producers returns the producers added so far, for readers made outside
// this package (Prometheus).
func Producers() []sdkmetric.Producer { return producers }

// PeriodicReader is how metrics are pushed: every OTEL_METRIC_EXPORT_INTERVAL,
// which the SDK reads.
func PeriodicReader(e sdkmetric.Exporter) sdkmetric.Reader {
	var opts []sdkmetric.PeriodicReaderOption
	for _, p := range producers {
		opts = append(opts, sdkmetric.WithProducer(p))
	}
	return sdkmetric.NewPeriodicReader(e, opts...)
}

// startedFuncs are the functions OnStart registered.
var startedFuncs []func()

// OnStart registers f to run once Start has set the global providers, as
// integrations that record on their own (runtime metrics) need. Call it from
// an init function; f does not run when the SDK is disabled.
func OnStart(f func()) { startedFuncs = append(startedFuncs, f) }

func init() {
	Spans.Register("otlp/http/protobuf", func(ctx context.Context) (sdktrace.SpanExporter, error) {
		return otlp.NewTraceExporter()
	})
	Spans.Register("console", func(context.Context) (sdktrace.SpanExporter, error) {
		return stdouttrace.New()
	})
	Metrics.Register("otlp/http/protobuf", func(ctx context.Context) (sdkmetric.Reader, error) {
		e, err := otlp.NewMetricExporter()
		if err != nil {
			return nil, err
		}
		return PeriodicReader(e), nil
	})
	Metrics.Register("console", func(context.Context) (sdkmetric.Reader, error) {
		e, err := stdoutmetric.New()
		if err != nil {
			return nil, err
		}
		return PeriodicReader(e), nil
	})
}

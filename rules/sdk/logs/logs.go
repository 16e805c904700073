// Package logs links the OpenTelemetry logs SDK into an instrumented
// program, with the OTLP over HTTP (our own encoder, internal/otlplog,
// without gRPC) and console exporters. otelgen links it when otelgen.yaml
// asks for it ("link: [logs]") or when the program links the logs SDK
// already; the logger integrations then export their records when
// OTEL_LOGS_EXPORTER says so.
package logs

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/internal/otlplog"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutlog"
	logglobal "go.opentelemetry.io/otel/log/global"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
)

// Exporters are the log exporters this program links.
var Exporters sdk.Exporters[sdklog.Exporter]

func init() {
	Exporters.Register("otlp/http/protobuf", func(context.Context) (sdklog.Exporter, error) {
		return otlplog.New()
	})
	Exporters.Register("console", func(context.Context) (sdklog.Exporter, error) {
		return stdoutlog.New()
	})
	sdk.RegisterLogs(start)
}

// start makes the logger provider from OTEL_LOGS_EXPORTER (otlp by
// default), with a batch processor (which reads OTEL_BLRP_*) per exporter,
// and makes it global. Nothing is exported, nor printed, while no record is
// emitted.
func start(ctx context.Context, res *resource.Resource) (sdk.Provider, error) {
	exps, err := Exporters.New(ctx, "LOGS")
	if len(exps) == 0 {
		return nil, err
	}
	opts := append(limits(), sdklog.WithResource(res))
	for _, e := range exps {
		opts = append(opts, sdklog.WithProcessor(sdklog.NewBatchProcessor(e)))
	}
	lp := sdklog.NewLoggerProvider(opts...)
	logglobal.SetLoggerProvider(lp)
	return lp, err
}

// limits applies OTEL_ATTRIBUTE_COUNT_LIMIT and
// OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT to log records, as the specification
// says and as the trace SDK does for spans: the log SDK reads only its own
// OTEL_LOGRECORD_ATTRIBUTE_* variables, which take precedence.
func limits() []sdklog.LoggerProviderOption {
	var opts []sdklog.LoggerProviderOption
	if n, ok := envInt("OTEL_ATTRIBUTE_COUNT_LIMIT"); ok && os.Getenv("OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT") == "" {
		opts = append(opts, sdklog.WithAttributeCountLimit(n))
	}
	if n, ok := envInt("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"); ok && os.Getenv("OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT") == "" {
		opts = append(opts, sdklog.WithAttributeValueLengthLimit(n))
	}
	return opts
}

func envInt(key string) (int, bool) {
	v := strings.TrimSpace(os.Getenv(key))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		otel.Handle(fmt.Errorf("%s=%q is not a number; ignored", key, v))
		return 0, false
	}
	return n, true
}

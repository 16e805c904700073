// Command otelelastic is search instrumented by hand with the client's own
// OpenTelemetry instrumentation: the transport's Instrumentation set to
// elastictransport.NewOtelInstrumentation, which is what
// elasticsearch.NewOpenTelemetryInstrumentation returns for
// elasticsearch.Config's Instrumentation (the loop builds its transport
// itself, as otelgen's test program does, to leave out the typed API that
// the elasticsearch package pulls in). The SDK is set up as rules/sdk sets
// it up: exporters from the OTEL_* environment, a batch span processor, a
// periodic metric reader. The instrumentation makes spans only, no
// metrics.
package main

import (
	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"go.opentelemetry.io/otel"

	"example.com/esload/loop"
	"example.com/loadkit/handsdk"
)

// clientVersion is go-elasticsearch's, which the instrumentation records
// as its scope's version.
const clientVersion = "8.19.7"

func main() {
	defer handsdk.Start()()

	loop.Run(elastictransport.NewOtelInstrumentation(otel.GetTracerProvider(), false, clientVersion))
}

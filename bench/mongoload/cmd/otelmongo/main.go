// Command otelmongo is find instrumented by hand with OTel contrib's
// otelmongo (its command monitor on the client's options, as its
// documentation shows), with the SDK set up as rules/sdk sets it up:
// exporters from the OTEL_* environment, a batch span processor, a
// periodic metric reader. otelmongo makes spans only, no metrics.
package main

import (
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.opentelemetry.io/contrib/instrumentation/go.mongodb.org/mongo-driver/mongo/otelmongo"

	"example.com/loadkit/handsdk"
	"example.com/mongoload/loop"
)

func main() {
	defer handsdk.Start()()

	loop.Run(options.Client().SetMonitor(otelmongo.NewMonitor()))
}

// Command otelaws is s3 instrumented by hand with OTel contrib's otelaws:
// its middlewares appended to the client's APIOptions, as its
// documentation shows for an aws.Config (otelaws.AppendMiddlewares), with
// the SDK set up as rules/sdk sets it up: exporters from the OTEL_*
// environment, a batch span processor, a periodic metric reader. otelaws
// makes a span per call and no metrics.
package main

import (
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.opentelemetry.io/contrib/instrumentation/github.com/aws/aws-sdk-go-v2/otelaws"

	"example.com/loadkit/handsdk"
	"example.com/s3load/loop"
)

func main() {
	defer handsdk.Start()()

	loop.Run(func(o *s3.Options) { otelaws.AppendMiddlewares(&o.APIOptions) })
}

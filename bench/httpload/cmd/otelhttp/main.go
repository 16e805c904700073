// Command otelhttp is the load benchmark's server program instrumented by
// hand, the usual way: the handler wrapped with otelhttp.NewHandler, and the
// SDK set up as otelgen's rules/sdk sets it up (package handsdk), flushed on
// SIGINT and SIGTERM.
package main

import (
	"log"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"example.com/httpload/app"
	"example.com/httpload/handsdk"
)

func main() {
	handsdk.Start("otelhttp")
	log.Fatal(app.Serve(otelhttp.NewHandler(app.Handler(), "hello")))
}

// Command otelgin is the gin benchmark's server program instrumented by
// hand, the usual way: otelgin.Middleware first in the engine, and the SDK
// set up as otelgen's rules/sdk sets it up (package handsdk), flushed on
// SIGINT and SIGTERM.
package main

import (
	"log"

	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"

	"example.com/httpload/app"
	"example.com/httpload/ginapp"
	"example.com/httpload/handsdk"
)

func main() {
	handsdk.Start("otelgin")
	log.Fatal(app.Serve(ginapp.Engine(otelgin.Middleware("hello"))))
}

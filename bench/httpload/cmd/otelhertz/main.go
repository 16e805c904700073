// Command otelhertz is the Hertz benchmark's server program instrumented by
// hand, the usual way (hertz-contrib/obs-opentelemetry's tracing module):
// its server tracer as a server option and its ServerMiddleware first, and
// the SDK set up as otelgen's rules/sdk sets it up (package handsdk, in
// place of obs-opentelemetry's provider module, which the module proxy
// here does not serve), flushed on SIGINT and SIGTERM.
package main

import (
	"log"

	hzapp "github.com/cloudwego/hertz/pkg/app"
	"github.com/hertz-contrib/obs-opentelemetry/tracing"

	"example.com/httpload/handsdk"
	"example.com/httpload/hertzapp"
)

func main() {
	// Before NewServerTracer, which takes the global providers.
	handsdk.Start("otelhertz")
	tracer, cfg := tracing.NewServerTracer()
	log.Fatal(hertzapp.Serve([]hzapp.HandlerFunc{tracing.ServerMiddleware(cfg)}, tracer))
}

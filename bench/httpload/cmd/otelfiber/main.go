// Command otelfiber is the fiber benchmark's server program instrumented by
// hand, the usual way: otelfiber.Middleware first in the app, and the SDK
// set up as otelgen's rules/sdk sets it up (package handsdk), flushed on
// SIGINT and SIGTERM.
package main

import (
	"log"

	"github.com/gofiber/contrib/otelfiber/v2"

	"example.com/httpload/fiberapp"
	"example.com/httpload/handsdk"
)

func main() {
	handsdk.Start("otelfiber")
	log.Fatal(fiberapp.Serve(fiberapp.App(otelfiber.Middleware())))
}

// Command fiber is the fiber benchmark's server program, which knows
// nothing of OpenTelemetry: bench/fiber.sh builds it plain, and with
// otelgen's overlay.
package main

import (
	"log"

	"example.com/httpload/fiberapp"
)

func main() {
	log.Fatal(fiberapp.Serve(fiberapp.App()))
}

// Command hertz is the Hertz benchmark's server program, which knows
// nothing of OpenTelemetry: bench/hertz.sh builds it plain, and with
// otelgen's overlay.
package main

import (
	"log"

	"example.com/httpload/hertzapp"
)

func main() {
	log.Fatal(hertzapp.Serve(nil))
}

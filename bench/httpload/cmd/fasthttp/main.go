// Command fasthttp is the fasthttp benchmark's server program, which knows
// nothing of OpenTelemetry: bench/fasthttp.sh builds it plain, and with
// otelgen's overlay.
package main

import (
	"log"

	"example.com/httpload/fasthttpapp"
)

func main() {
	log.Fatal(fasthttpapp.Serve(fasthttpapp.Handle))
}

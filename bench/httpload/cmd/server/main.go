// Command server is the load benchmark's server program, which knows nothing
// of OpenTelemetry: bench/http.sh builds it plain, and with otelgen's overlay.
package main

import (
	"log"

	"example.com/httpload/app"
)

func main() {
	log.Fatal(app.Serve(app.Handler()))
}

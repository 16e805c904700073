// Command gin is the gin benchmark's server program, which knows nothing of
// OpenTelemetry: bench/gin.sh builds it plain, and with otelgen's overlay.
package main

import (
	"log"

	"example.com/httpload/app"
	"example.com/httpload/ginapp"
)

func main() {
	log.Fatal(app.Serve(ginapp.Engine()))
}

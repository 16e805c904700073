// Command server is cmd/server of example.com/peers in a module of its own,
// whose orchestrion.tool.go makes `orchestrion go build` add Datadog's
// tracer and net/http integration; the parent module stays free of
// dd-trace-go.
package main

import (
	"log"

	"example.com/peers/app"
)

func main() {
	log.Fatal(app.Serve(app.Handler(app.Client())))
}

// Command server is the peers benchmark's server, which knows nothing of
// tracing: bench/peers.sh builds it plain and with otelgen's overlay
// (orch/cmd/server is the same program in the module orchestrion builds).
package main

import (
	"log"

	"example.com/peers/app"
)

func main() {
	log.Fatal(app.Serve(app.Handler(app.Client())))
}

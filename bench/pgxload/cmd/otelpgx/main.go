// Command otelpgx is select instrumented by hand with
// github.com/exaring/otelpgx (the pgx tracer most programs use; OTel's
// contrib has none for pgx) in the connection's configuration, with the
// SDK set up as rules/sdk sets it up: exporters from the OTEL_*
// environment, a batch span processor, a periodic metric reader.
package main

import (
	"github.com/exaring/otelpgx"

	"example.com/loadkit/handsdk"
	"example.com/pgxload/loop"
)

func main() {
	defer handsdk.Start()()

	cfg := loop.Config()
	cfg.Tracer = otelpgx.NewTracer()
	loop.Run(cfg)
}

// Package loop is the measured loop of bench/pgx.sh: SELECT 1 through pgx's
// native API, again and again, on one connection.
package loop

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"

	"example.com/loadkit"
)

// Run parses the flags, connects with cfg (its Tracer as the caller set
// it), runs -warmup then -n queries of SELECT 1 inside one span of its own,
// as a request handler would (otelpgx traces a query only under a recording
// span; without an SDK the span is a no-op), and prints "ns/op N
// cpu_ns/op M": the wall time per query, and the CPU time (user + system,
// every thread of the process: the exporter's too) per query, which a
// loaded machine disturbs less.
func Run(cfg *pgx.ConnConfig) {
	ctx, span := otel.Tracer("pgxload").Start(context.Background(), "loop")
	defer span.End()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "connect:", err)
		os.Exit(1)
	}
	defer conn.Close(ctx)
	query := func() {
		var v int
		if err := conn.QueryRow(ctx, "SELECT 1").Scan(&v); err != nil || v != 1 {
			fmt.Fprintln(os.Stderr, "SELECT 1:", v, err)
			os.Exit(1)
		}
	}
	loadkit.Measure(query)
}

// Config parses $DSN.
func Config() *pgx.ConnConfig {
	cfg, err := pgx.ParseConfig(os.Getenv("DSN"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "DSN:", err)
		os.Exit(2)
	}
	return cfg
}

// Package loop is the measured loop of bench/pgx.sh: SELECT 1 through pgx's
// native API, again and again, on one connection.
package loop

import (
	"context"
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"
)

// Run parses the flags, connects with cfg (its Tracer as the caller set
// it), runs -warmup then -n queries of SELECT 1 inside one span of its own,
// as a request handler would (otelpgx traces a query only under a recording
// span; without an SDK the span is a no-op), and prints "ns/op N
// cpu_ns/op M": the wall time per query, and the CPU time (user + system,
// every thread of the process: the exporter's too) per query, which a
// loaded machine disturbs less.
func Run(cfg *pgx.ConnConfig) {
	n := flag.Int("n", 20000, "measured queries")
	warm := flag.Int("warmup", 2000, "queries before measuring")
	flag.Parse()
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
	for i := 0; i < *warm; i++ {
		query()
	}
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < *n; i++ {
		query()
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
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

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

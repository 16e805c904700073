// Package loop is the measured loop of bench/sql.sh: SELECT 1 through
// database/sql, again and again, on one connection's worth of pool.
package loop

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"example.com/loadkit"
)

// Run parses the flags, runs -warmup then -n queries of SELECT 1 on db and
// prints "ns/op N cpu_ns/op M": the wall time per query, and the CPU time
// (user + system, every thread of the process: the exporter's too) per
// query, which a loaded machine disturbs less.
func Run(db *sql.DB) {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	ctx := context.Background()
	query := func() {
		var v int
		if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&v); err != nil || v != 1 {
			fmt.Fprintln(os.Stderr, "SELECT 1:", v, err)
			os.Exit(1)
		}
	}
	loadkit.Measure(query)
}

// Package loop is the measured loop of bench/sql.sh: SELECT 1 through
// database/sql, again and again, on one connection's worth of pool.
package loop

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"time"
)

// Run parses the flags, runs -warmup then -n queries of SELECT 1 on db and
// prints "ns/op N".
func Run(db *sql.DB) {
	n := flag.Int("n", 20000, "measured queries")
	warm := flag.Int("warmup", 2000, "queries before measuring")
	flag.Parse()
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
	for i := 0; i < *warm; i++ {
		query()
	}
	start := time.Now()
	for i := 0; i < *n; i++ {
		query()
	}
	fmt.Printf("ns/op %d\n", time.Since(start).Nanoseconds()/int64(*n))
}

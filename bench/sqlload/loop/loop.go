// Package loop is the measured loop of bench/sql.sh: SELECT 1 through
// database/sql, again and again, on one connection's worth of pool.
package loop

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"
)

// Run parses the flags, runs -warmup then -n queries of SELECT 1 on db and
// prints "ns/op N cpu_ns/op M": the wall time per query, and the CPU time
// (user + system, every thread of the process: the exporter's too) per
// query, which a loaded machine disturbs less.
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
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < *n; i++ {
		query()
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

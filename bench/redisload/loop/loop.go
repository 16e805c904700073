// Package loop is the measured loop of bench/redis.sh: a GET of one key
// through go-redis v9, again and again, on one client.
package loop

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// Run parses the flags, makes a client of $REDIS_NETWORK and $REDIS_ADDR,
// passes it to instrument when that is not nil, sets one key, runs -warmup
// then -n GETs of it with context.Background() (each command a root span
// for a tracer), and prints "ns/op N cpu_ns/op M": the wall time per call,
// and the CPU time (user + system, every thread of the process: the
// exporter's too) per call, which a loaded machine disturbs less. With
// -cpuprofile it writes a CPU profile of the measured calls.
func Run(instrument func(*redis.Client) error) {
	n := flag.Int("n", 20000, "measured GETs")
	warm := flag.Int("warmup", 2000, "GETs before measuring")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the measured calls to this file")
	flag.Parse()
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Network: os.Getenv("REDIS_NETWORK"), Addr: os.Getenv("REDIS_ADDR")})
	defer rdb.Close()
	if instrument != nil {
		check("instrument", instrument(rdb))
	}
	check("set", rdb.Set(ctx, "redisload", "value", 0).Err())
	get := func() {
		if v, err := rdb.Get(ctx, "redisload").Result(); err != nil || v != "value" {
			fmt.Fprintln(os.Stderr, "GET:", v, err)
			os.Exit(1)
		}
	}
	for i := 0; i < *warm; i++ {
		get()
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		check("cpuprofile", err)
		check("cpuprofile", pprof.StartCPUProfile(f))
		defer f.Close()
	}
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < *n; i++ {
		get()
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	pprof.StopCPUProfile()
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

func check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, what+":", err)
		os.Exit(1)
	}
}

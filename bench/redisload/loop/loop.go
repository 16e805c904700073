// Package loop is the measured loop of bench/redis.sh: a GET of one key
// through go-redis v9, again and again, on one client.
package loop

import (
	"context"
	"fmt"
	"os"

	"github.com/redis/go-redis/v9"

	"example.com/loadkit"
)

// Run parses the flags, makes a client of $REDIS_NETWORK and $REDIS_ADDR,
// passes it to instrument when that is not nil, sets one key, runs -warmup
// then -n GETs of it with context.Background() (each command a root span
// for a tracer), and prints "ns/op N cpu_ns/op M": the wall time per call,
// and the CPU time (user + system, every thread of the process: the
// exporter's too) per call, which a loaded machine disturbs less. With
// -cpuprofile it writes a CPU profile of the measured calls.
func Run(instrument func(*redis.Client) error) {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Network: os.Getenv("REDIS_NETWORK"), Addr: os.Getenv("REDIS_ADDR")})
	defer rdb.Close()
	if instrument != nil {
		loadkit.Check("instrument", instrument(rdb))
	}
	loadkit.Check("set", rdb.Set(ctx, "redisload", "value", 0).Err())
	get := func() {
		if v, err := rdb.Get(ctx, "redisload").Result(); err != nil || v != "value" {
			fmt.Fprintln(os.Stderr, "GET:", v, err)
			os.Exit(1)
		}
	}
	loadkit.Measure(get)
}

// Command redisotel is get instrumented by hand with go-redis's own
// redisotel (its tracing and metrics hooks on the client, as its
// documentation shows), with the SDK set up as rules/sdk sets it up:
// exporters from the OTEL_* environment, a batch span processor, a
// periodic metric reader.
package main

import (
	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"

	"example.com/loadkit/handsdk"
	"example.com/redisload/loop"
)

func main() {
	defer handsdk.Start()()

	loop.Run(func(rdb *redis.Client) error {
		if err := redisotel.InstrumentTracing(rdb); err != nil {
			return err
		}
		return redisotel.InstrumentMetrics(rdb)
	})
}

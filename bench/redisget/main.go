// Command redisget times a loop of GETs against a redis-server, for
// bench/redis.sh: plain, built with otelgen, or (-redisotel) instrumented
// by hand with redisotel and the OpenTelemetry SDK set up as otelgen's
// rules/sdk sets it up. It prints one line:
//
//	redisget: N ops, W wall-ns/op, C cpu-ns/op
//
// where the CPU time is the process's user and system time over the loop.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/redis/go-redis/extra/redisotel/v9"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	network := flag.String("network", "unix", "network of the server's address")
	addr := flag.String("addr", "", "the server's address")
	n := flag.Int("n", 20000, "GETs timed")
	warm := flag.Int("warm", 2000, "GETs before the timed ones")
	byHand := flag.Bool("redisotel", false, "instrument with redisotel and the SDK set up by hand")
	flag.Parse()
	ctx := context.Background()

	if *byHand {
		exp, err := autoexport.NewSpanExporter(ctx)
		check(err)
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
		reader, err := autoexport.NewMetricReader(ctx)
		check(err)
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
		otel.SetTracerProvider(tp)
		otel.SetMeterProvider(mp)
		defer tp.Shutdown(ctx)
		defer mp.Shutdown(ctx)
	}
	rdb := redis.NewClient(&redis.Options{Network: *network, Addr: *addr})
	defer rdb.Close()
	if *byHand {
		check(redisotel.InstrumentTracing(rdb))
		check(redisotel.InstrumentMetrics(rdb))
	}
	check(rdb.Set(ctx, "redisget", "value", 0).Err())
	for range *warm {
		check(rdb.Get(ctx, "redisget").Err())
	}
	cpu0 := cpu()
	start := time.Now()
	for range *n {
		check(rdb.Get(ctx, "redisget").Err())
	}
	wall := time.Since(start)
	used := cpu() - cpu0
	fmt.Printf("redisget: %d ops, %.0f wall-ns/op, %.0f cpu-ns/op\n", *n, float64(wall.Nanoseconds())/float64(*n), float64(used.Nanoseconds())/float64(*n))
}

// cpu is the process's user and system time so far.
func cpu() time.Duration {
	var ru syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "redisget:", err)
		os.Exit(1)
	}
}

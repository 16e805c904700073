// The test program of the go-redis v8 integration: it runs, against the
// servers the test names in REDIS_ADDR and REDIS_SHARDS, each kind of call
// the test checks, every group inside a span of its own (started with the
// OpenTelemetry API, as a program does), and prints "done".
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-redis/redis/v8"
	"go.opentelemetry.io/otel"
)

// The secrets the test looks for in every span.
const (
	password = "planted-password-6f1c"
	value    = "planted-value-93ab"
)

var tracer = otel.Tracer("app")

func main() {
	addr := os.Getenv("REDIS_ADDR")
	bg := context.Background()

	// DB 3 and idle connections dialled in the background.
	rdb := redis.NewClient(&redis.Options{Addr: addr, DB: 3, MinIdleConns: 2})
	group("with-context", func(ctx context.Context) {
		rdb.Set(ctx, "app:k", value, 0)
		rdb.Get(ctx, "app:k")
		if err := rdb.Get(ctx, "app:missing").Err(); !errors.Is(err, redis.Nil) {
			fail("GET app:missing: %v", err)
		}
		if err := rdb.Incr(ctx, "app:k").Err(); err == nil {
			fail("INCR of a string did not fail")
		}
		rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			p.Get(ctx, "app:k")
			p.Get(ctx, "app:missing")
			return nil
		})
		rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, "app:p", value, 0)
			p.Get(ctx, "app:p")
			return nil
		})
		rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Incr(ctx, "app:n")
			p.Incr(ctx, "app:n")
			return nil
		})
		// A user whose password the next group plants in AUTH and HELLO.
		must(rdb.Do(ctx, "ACL", "SETUSER", "otelgen", "on", ">"+password, "~*", "+@all").Err())
	})

	// go-redis always takes a context: context.Background() inside a span
	// that is current on the goroutine, not in the context.
	_, span := tracer.Start(bg, "without-context")
	rdb.Get(bg, "app:k")
	done := make(chan struct{})
	go func() {
		defer close(done)
		rdb.Incr(bg, "app:n")
	}()
	<-done
	span.End()

	group("auth", func(ctx context.Context) {
		a := redis.NewClient(&redis.Options{Addr: addr, Username: "otelgen", Password: password})
		must(a.Ping(ctx).Err())
		must(a.Do(ctx, "AUTH", "otelgen", password).Err())
		a.Close()
	})

	shards := strings.Split(os.Getenv("REDIS_SHARDS"), ",")
	group("ring", func(ctx context.Context) {
		// Shards checked every 20ms: the checks make no spans.
		ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": shards[0], "b": shards[1]}, HeartbeatFrequency: 20 * time.Millisecond})
		for i := range 8 {
			must(ring.Set(ctx, fmt.Sprintf("ring:%d", i), i, 0).Err())
		}
		time.Sleep(200 * time.Millisecond)
		ring.Close()
	})

	group("universal", func(ctx context.Context) {
		u := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{addr}})
		must(u.Ping(ctx).Err())
		u.Close()
	})

	rdb.Close()
	fmt.Println("done")
}

// group runs f inside a span named name.
func group(name string, f func(ctx context.Context)) {
	ctx, span := tracer.Start(context.Background(), name)
	defer span.End()
	f(ctx)
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "app: "+format+"\n", args...)
	os.Exit(1)
}

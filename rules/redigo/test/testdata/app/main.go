// The test program of the redigo integration: it runs, against the
// redis-server the test names in REDIS_ADDR, each kind of call the test
// checks, every group inside a span of its own (started with the
// OpenTelemetry API, as a program does), and prints "done".
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/gomodule/redigo/redis"
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

	var conn redis.Conn
	group("do", func(ctx context.Context) {
		admin, err := redis.Dial("tcp", addr)
		must(err)
		_, err = admin.Do("ACL", "SETUSER", "otelgen", "on", ">"+password, "~*", "+@all")
		must(err)
		admin.Close()
		// The dial's AUTH and SELECT are not the program's commands.
		conn, err = redis.DialContext(ctx, "tcp", addr, redis.DialDatabase(2),
			redis.DialUsername("otelgen"), redis.DialPassword(password))
		must(err)
		_, err = conn.Do("SET", "rg:k", value)
		must(err)
		_, err = conn.Do("GET", "rg:k")
		must(err)
		if r, err := conn.Do("GET", "rg:missing"); r != nil || err != nil {
			fail("GET rg:missing: %v %v", r, err)
		}
		if _, err := conn.Do("INCR", "rg:k"); err == nil {
			fail("INCR of a string did not fail")
		}
		_, err = conn.Do("AUTH", "otelgen", password)
		must(err)
	})

	// A context whose span is not the goroutine's (it has ended): the
	// parent comes from the context.
	ctx, parent := tracer.Start(bg, "ctx-parent")
	parent.End()
	_, err := redis.DoContext(conn, ctx, "GET", "rg:k")
	must(err)

	// No context: the span current on the goroutine, and on a goroutine it
	// starts.
	_, span := tracer.Start(bg, "no-context")
	_, err = conn.Do("GET", "rg:k")
	must(err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn.Do("INCR", "rg:n")
	}()
	<-done
	span.End()

	group("pipeline", func(context.Context) {
		must(conn.Send("SET", "rg:p", value))
		must(conn.Send("GET", "rg:p"))
		_, err := conn.Do("")
		must(err)
		must(conn.Send("MULTI"))
		must(conn.Send("INCR", "rg:n"))
		must(conn.Send("INCR", "rg:n"))
		_, err = conn.Do("EXEC")
		must(err)
	})
	conn.Close()

	group("pool", func(context.Context) {
		pool := &redis.Pool{Dial: func() (redis.Conn, error) { return redis.Dial("tcp", addr) }}
		c := pool.Get()
		_, err := c.Do("PING")
		must(err)
		c.Close()
		pool.Close()
	})
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

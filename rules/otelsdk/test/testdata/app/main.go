// Command app is the otelsdk integration's test program. It serves, over
// net/http, handlers that look up "the current span" through a context that
// carries none, and prints what they found:
//
//	GET /bare      trace.SpanFromContext(context.Background()) in the handler;
//	               prints "bare TRACEID", the trace id it saw
//	GET /late      starts a goroutine that outlives the request and, once
//	               GET /release has run, prints "late recording=R valid=V"
//	GET /release   lets that goroutine go on
//	GET /explicit  prints what SpanFromContext returns for contexts that do
//	               carry a span: a remote span context and an empty one
//
// It prints "listening URL" for a server started outside any span, and
// "inside URL" for a second one started inside a span of its own ("boot"),
// whose requests must still be traces of their own. It returns from main,
// ending "boot", when its stdin ends.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// bare annotates the current span through a context that lost it, as code
// far from the handler does, and returns the trace id it sees.
func bare() string {
	ctx := context.Background()
	trace.SpanFromContext(ctx).SetAttributes(attribute.String("from.bare", "yes"))
	return trace.SpanContextFromContext(ctx).TraceID().String()
}

func main() {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bare", func(w http.ResponseWriter, r *http.Request) {
		id := bare()
		fmt.Println("bare", id)
		fmt.Fprint(w, id)
	})
	mux.HandleFunc("GET /late", func(w http.ResponseWriter, r *http.Request) {
		go func() {
			<-release
			s := trace.SpanFromContext(context.Background())
			s.SetAttributes(attribute.String("late.attr", "yes"))
			fmt.Printf("late recording=%v valid=%v\n", s.IsRecording(), s.SpanContext().IsValid())
		}()
	})
	mux.HandleFunc("GET /release", func(w http.ResponseWriter, r *http.Request) {
		close(release)
	})
	mux.HandleFunc("GET /explicit", func(w http.ResponseWriter, r *http.Request) {
		tid, _ := trace.TraceIDFromHex("0af7651916cd43dd8448eb211c80319c")
		sid, _ := trace.SpanIDFromHex("b7ad6b7169203331")
		remote := trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled, Remote: true})
		s := trace.SpanFromContext(trace.ContextWithRemoteSpanContext(context.Background(), remote))
		empty := trace.SpanContextFromContext(trace.ContextWithSpanContext(context.Background(), trace.SpanContext{}))
		fmt.Printf("explicit remote=%v recording=%v empty=%v\n", s.SpanContext().Equal(remote), s.IsRecording(), empty.IsValid())
	})
	fmt.Println("listening", serve(mux))

	// The program's own span, current on main from here on: the second
	// server's goroutines inherit it, but its SERVER spans keep the parent
	// their request gives them.
	_, boot := otel.Tracer("app").Start(context.Background(), "boot")
	fmt.Println("inside", serve(mux))
	io.Copy(io.Discard, os.Stdin)
	boot.End()
}

// serve serves h on a loopback port and returns its URL.
func serve(h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, h)
	return "http://" + ln.Addr().String()
}

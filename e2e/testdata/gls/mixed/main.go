// Command mixed makes spans of its own next to otelgen's automatic ones, with
// two tracers: one of its own TracerProvider (service.name "mixed-own",
// exporting over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, never made
// global) and otel.Tracer, the global provider that otelgen sets up.
//
// For each tracer, main starts a span with context.Background() and calls
// http.Get (no context) inside it, to the handler /<tracer>, which:
//   - starts span A with context.Background() and calls http.Get inside it,
//     with no context (?from=a);
//   - starts span C with the request's context while A is still open, and
//     calls the downstream with C's context (?from=c);
//   - ends C and calls http.Get with no context (?from=a-again);
//   - ends A and calls http.Get with no context (?from=handler).
//
// Then, inside a span "serving", it starts a second server and sends it a
// request that carries no trace context (written by hand on a connection):
// the server span of that request is a root, not a child of "serving".
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

func main() {
	exp, err := otlptracehttp.New(context.Background()) // OTEL_EXPORTER_OTLP_ENDPOINT
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "mixed-own"))),
	)
	// Started outside any span, it sends the request by hand.
	raw := make(chan string)
	go func() { raw <- rawGet(<-raw) }()

	tracers := map[string]trace.Tracer{
		"own":    tp.Tracer("mixed-own"),
		"global": otel.Tracer("mixed-global"),
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /downstream", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.URL.Query().Get("from"))
	})
	mux.HandleFunc("GET /{tracer}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("tracer")
		tracer := tracers[name]
		down := base + "/downstream?from=" + name + "-"
		_, a := tracer.Start(context.Background(), name+"-a")
		fmt.Fprintln(w, get(nil, down+"a"))
		ctx, c := tracer.Start(r.Context(), name+"-c")
		fmt.Fprintln(w, get(ctx, down+"c"))
		c.End()
		fmt.Fprintln(w, get(nil, down+"a-again"))
		a.End()
		fmt.Fprintln(w, get(nil, down+"handler"))
	})
	go http.Serve(ln, mux)

	for _, name := range []string{"own", "global"} {
		_, span := tracers[name].Start(context.Background(), name+"-main")
		fmt.Print(get(nil, base+"/"+name))
		span.End()
	}

	_, serving := tracers["global"].Start(context.Background(), "serving")
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln2, mux)
	raw <- ln2.Addr().String()
	fmt.Println(<-raw)
	serving.End()

	if err := tp.Shutdown(context.Background()); err != nil {
		log.Fatal(err)
	}
}

// get calls url with ctx, or with http.Get (no context) when ctx is nil.
func get(ctx context.Context, url string) string {
	var resp *http.Response
	var err error
	if ctx == nil {
		resp, err = http.Get(url)
	} else {
		var req *http.Request
		if req, err = http.NewRequestWithContext(ctx, "GET", url, nil); err == nil {
			resp, err = http.DefaultClient.Do(req)
		}
	}
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s", resp.StatusCode, body)
}

// rawGet sends GET /downstream?from=raw to addr without the net/http client,
// so with no trace context, and returns the response's status line and body.
func rawGet(addr string) string {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET /downstream?from=raw HTTP/1.0\r\nHost: "+addr+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return strings.TrimSpace(fmt.Sprintf("%d %s", resp.StatusCode, body))
}

// Command customtp uses OpenTelemetry itself: it installs its own global
// TracerProvider, exporting over OTLP/HTTP with service.name "custom", makes
// a span of its own and a request inside it, and shuts its provider down.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func main() {
	ctx := context.Background()
	exp, err := otlptracehttp.New(ctx) // OTEL_EXPORTER_OTLP_ENDPOINT
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "custom"))),
	)
	otel.SetTracerProvider(tp)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "custom")
	}))

	ctx, span := otel.Tracer("customtp").Start(ctx, "work")
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+ln.Addr().String()+"/custom", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	span.End()
	fmt.Printf("%d %s\n", resp.StatusCode, body)

	if err := tp.Shutdown(context.Background()); err != nil {
		log.Fatal(err)
	}
}

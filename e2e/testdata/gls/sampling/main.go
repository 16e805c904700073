// Command sampling makes spans of its own with a TracerProvider whose
// sampler drops the root spans named "drop" and only records those named
// "record-only". On main's goroutine it starts and ends one such span, then
// starts a span with context.Background() and calls http.Get (no context)
// inside it: that span must be a new root, sampled, and the request its
// child, since the span before it has ended.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// byName drops "drop", records "record-only" without sampling it, and
// samples the rest.
type byName struct{}

func (byName) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	switch p.Name {
	case "drop":
		return sdktrace.SamplingResult{Decision: sdktrace.Drop}
	case "record-only":
		return sdktrace.SamplingResult{Decision: sdktrace.RecordOnly}
	}
	return sdktrace.SamplingResult{Decision: sdktrace.RecordAndSample}
}

func (byName) Description() string { return "byName" }

func main() {
	exp, err := otlptracehttp.New(context.Background()) // OTEL_EXPORTER_OTLP_ENDPOINT
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithSampler(sdktrace.ParentBased(byName{})),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "sampling-own"))),
	)
	tracer := tp.Tracer("sampling")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.URL.Path)
	}))

	for _, name := range []string{"drop", "record-only"} {
		_, span := tracer.Start(context.Background(), name)
		span.End()
		_, span = tracer.Start(context.Background(), "after-"+name)
		resp, err := http.Get("http://" + ln.Addr().String() + "/after-" + name)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("after-%s sampled: %v; %d %s\n", name, span.SpanContext().IsSampled(), resp.StatusCode, body)
		span.End()
	}

	if err := tp.Shutdown(context.Background()); err != nil {
		log.Fatal(err)
	}
}

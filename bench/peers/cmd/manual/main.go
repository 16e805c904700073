// Command manual is the peers benchmark's server instrumented by hand: the
// handler wrapped with otelhttp.NewHandler, the client's transport with
// otelhttp.NewTransport, and the SDK set up the way its documentation
// shows (resource from the environment, W3C trace context and baggage,
// OTLP/HTTP span exporter behind a batch span processor, OTLP/HTTP metric
// exporter behind a periodic reader), flushed on SIGINT and SIGTERM.
// OTEL_SDK_DISABLED=true skips the set-up: the API's no-op providers.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"example.com/peers/app"
)

func main() {
	shutdown := setup()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		shutdown()
		os.Exit(0)
	}()
	client := app.Client()
	client.Transport = otelhttp.NewTransport(client.Transport)
	log.Fatal(app.Serve(otelhttp.NewHandler(app.Handler(client), "server")))
}

func setup() (shutdown func()) {
	if v, _ := strconv.ParseBool(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED"))); v {
		return func() {}
	}
	ctx := context.Background()
	res, err := resource.Merge(resource.Default(), resource.Environment())
	if err != nil {
		otel.Handle(err)
	}
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	sexp, err := otlptracehttp.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(sexp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	mexp, err := otlpmetrichttp.New(ctx)
	if err != nil {
		log.Fatal(err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewPeriodicReader(mexp)), sdkmetric.WithResource(res))
	otel.SetMeterProvider(mp)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := errors.Join(tp.Shutdown(ctx), mp.Shutdown(ctx)); err != nil {
			fmt.Fprintln(os.Stderr, "manual: shutdown:", err)
		}
	}
}

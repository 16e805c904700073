// Command otelhttp is get instrumented by hand the way client-go's users
// do it: rest.Config's WrapTransport set to wrap the client's round
// tripper in OTel contrib's otelhttp.NewTransport (a CLIENT span per
// request with trace context in its headers, and otelhttp's client
// metrics), with the SDK set up as rules/sdk sets it up: exporters from
// the OTEL_* environment, a batch span processor, a periodic metric
// reader.
package main

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"k8s.io/client-go/rest"

	"example.com/k8sload/loop"
	"example.com/loadkit/handsdk"
)

func main() {
	defer handsdk.Start()()

	loop.Run(func(cfg *rest.Config) {
		cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { return otelhttp.NewTransport(rt) }
	})
}

// Package prometheus links the Prometheus metric exporter into an
// instrumented program (OTEL_METRICS_EXPORTER=prometheus): it serves
// /metrics on OTEL_EXPORTER_PROMETHEUS_HOST:OTEL_EXPORTER_PROMETHEUS_PORT,
// localhost:9464 by default. otelgen links it when otelgen.yaml asks for it
// ("link: [prometheus]") or when the program links the Prometheus client
// library already.
package prometheus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/otelgen/otelgen/rules/sdk"
	promclient "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	promexporter "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

func init() {
	sdk.Metrics.Register("prometheus", newReader)
}

func newReader(ctx context.Context) (sdkmetric.Reader, error) {
	reg := promclient.NewRegistry()
	opts := []promexporter.Option{promexporter.WithRegisterer(reg)}
	for _, p := range sdk.Producers() {
		opts = append(opts, promexporter.WithProducer(p))
	}
	reader, err := promexporter.New(opts...)
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort(getenv("OTEL_EXPORTER_PROMETHEUS_HOST", "localhost"), getenv("OTEL_EXPORTER_PROMETHEUS_PORT", "9464"))
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("serving Prometheus metrics on %s: %w", addr, err), reader.Shutdown(ctx))
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	srv := &http.Server{Handler: mux, ReadTimeout: 5 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			otel.Handle(fmt.Errorf("the Prometheus metrics server stopped: %w", err))
		}
	}()
	return serving{reader, srv}, nil
}

// serving is the reader and the server that answers the scrapes; shutting
// it down stops both.
type serving struct {
	sdkmetric.Reader
	srv *http.Server
}

func (s serving) Shutdown(ctx context.Context) error {
	return errors.Join(s.Reader.Shutdown(ctx), s.srv.Shutdown(ctx))
}

func getenv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

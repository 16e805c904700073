// Package hertzapp is the Hertz server of the load benchmark
// (bench/hertz.sh): the same GET /hello/{name} as package app, routed by
// Hertz. It is a package of its own so that the other builds do not link
// Hertz.
package hertzapp

import (
	"context"

	hzapp "github.com/cloudwego/hertz/pkg/app"
	"github.com/cloudwego/hertz/pkg/app/middlewares/server/recovery"
	"github.com/cloudwego/hertz/pkg/app/server"
	"github.com/cloudwego/hertz/pkg/common/config"

	"example.com/httpload/app"
)

// Serve serves, on app.Listen's listener and Hertz's default transport
// (netpoll on Linux), GET /hello/:name with a line of text, after the
// given middleware (obs-opentelemetry's, in cmd/otelhertz) and the recovery
// middleware, as server.Default has it and gin's benchmark server has
// gin.Recovery. opts are more server options (the peer's tracer). It
// returns when the server stops; Hertz's Run installs no signal handler,
// so SIGTERM ends the process (or, in the instrumented builds, flushes and
// then ends it), as with the other benchmark servers.
func Serve(middleware []hzapp.HandlerFunc, opts ...config.Option) error {
	ln, err := app.Listen()
	if err != nil {
		return err
	}
	opts = append([]config.Option{server.WithListener(ln), server.WithDisablePrintRoute(true)}, opts...)
	h := server.New(opts...)
	h.Use(middleware...)
	h.Use(recovery.Recovery())
	h.GET("/hello/:name", func(_ context.Context, c *hzapp.RequestContext) {
		c.String(200, "hello, %s\n", c.Param("name"))
	})
	return h.Run()
}

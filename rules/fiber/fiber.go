// Package fiber holds the hooks of the fiber v2 rules. fiber serves through
// fasthttp, so a request already has the SERVER span of rules/fasthttp;
// these hooks give that span fiber's route, a handler's error and a panic,
// through that package's SetRoute, RecordError and RecordPanic.
package fiber

import (
	gofiber "github.com/gofiber/fiber/v2"
	fiberrecover "github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/otelgen/otelgen/hook"
	otelfasthttp "github.com/otelgen/otelgen/rules/fasthttp"
)

// onRoute names the server span after a route the request matched, by its
// template ("/users/:id", with the prefixes of its groups and mounts).
func onRoute(c *gofiber.Ctx, route string) {
	if c != nil {
		otelfasthttp.SetRoute(c.Context(), route)
	}
}

// onError records the error a handler chain returned. The status fiber's
// ErrorHandler writes (a *fiber.Error's code, else 500) decides the span's
// status.
func onError(c *gofiber.Ctx, err error) {
	if c != nil && err != nil {
		otelfasthttp.RecordError(c.Context(), err)
	}
}

// RecoverNewBefore has the recover middleware's stack-trace handler record
// a panic it caught, with the panicking stack, on the server span; then it
// does what the program configured: calls the program's handler when stack
// traces were enabled, and nothing more otherwise. The middleware returns
// the panic as an error, as before.
func RecoverNewBefore(_ *hook.Call, config *[]fiberrecover.Config) {
	cfg := fiberrecover.ConfigDefault
	if len(*config) > 0 {
		cfg = (*config)[0]
	}
	enabled, handle := cfg.EnableStackTrace, cfg.StackTraceHandler
	if enabled && handle == nil {
		handle = fiberrecover.ConfigDefault.StackTraceHandler // as recover.New would
	}
	cfg.EnableStackTrace = true
	cfg.StackTraceHandler = func(c *gofiber.Ctx, e interface{}) {
		if c != nil {
			otelfasthttp.RecordPanic(c.Context(), e)
		}
		if enabled && handle != nil {
			handle(c, e)
		}
	}
	// A new slice: the caller's stays as it was.
	*config = []fiberrecover.Config{cfg}
}

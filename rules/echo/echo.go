// Package echo holds the hooks of the echo rules. echo serves through
// net/http, so a request already has the SERVER span of rules/nethttp; these
// hooks give that span echo's route and a handler's error, through nethttp's
// SetRoute and RecordError.
package echo

import (
	"github.com/labstack/echo/v4"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/nethttp"
)

// FindBefore keeps the echo.Context that Router.Find fills in.
func FindBefore(call *hook.Call, _ *echo.Router, _ *string, _ *string, c *echo.Context) {
	if *c != nil {
		call.Data = *c
	}
}

// FindAfter names the server span after the route echo matched: c.Path(),
// the template of the route ("/users/:id").
func FindAfter(call *hook.Call) {
	c, ok := call.Data.(echo.Context)
	if !ok {
		return
	}
	if req := c.Request(); req != nil {
		nethttp.SetRoute(req.Context(), c.Path())
	}
}

// ContextErrorBefore records the error a middleware hands to c.Error, as
// middleware.Recover does with a panic it caught.
func ContextErrorBefore(_ *hook.Call, c interface{}, err *error) {
	if ec, ok := c.(echo.Context); ok {
		handlerError(ec, *err)
	}
}

// handlerError records err, which is about to reach echo's HTTPErrorHandler,
// on the server span of c's request. The status the handler writes (an
// echo.HTTPError's code, else 500) decides the span's status.
func handlerError(c echo.Context, err error) {
	if c == nil || err == nil {
		return
	}
	if req := c.Request(); req != nil {
		nethttp.RecordError(req.Context(), err)
	}
}

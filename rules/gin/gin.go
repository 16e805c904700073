// Package gin holds the hooks of the gin rules. gin serves through net/http,
// so a request already has the SERVER span of rules/nethttp; these hooks
// give that span gin's route, the handler's error and a recovered panic,
// through nethttp's SetRoute, RecordError and RecordPanic.
package gin

import (
	"context"
	"io"

	"github.com/gin-gonic/gin"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/nethttp"
)

type routeCall struct {
	ctx context.Context
	c   *gin.Context
}

// RouteBefore keeps the request's context, the one that carries the server
// span, before gin's handlers may replace c.Request.
func RouteBefore(call *hook.Call, _ *gin.Engine, c **gin.Context) {
	if *c == nil || (*c).Request == nil {
		return
	}
	call.Data = routeCall{ctx: (*c).Request.Context(), c: *c}
}

// RouteAfter names the server span after the route gin matched (none for a
// 404 or 405) and records the last error the handlers left in c.Errors. It
// runs before gin puts the Context back in its pool, and also while a panic
// that no gin middleware recovered goes up to net/http.
func RouteAfter(call *hook.Call) {
	rc, ok := call.Data.(routeCall)
	if !ok {
		return
	}
	nethttp.SetRoute(rc.ctx, rc.c.FullPath())
	if last := rc.c.Errors.Last(); last != nil && last.Err != nil {
		nethttp.RecordError(rc.ctx, last.Err)
	}
}

// RecoveryBefore wraps the recovery middleware's function so that a panic
// it recovers is recorded on the server span first; then the function runs
// as before, and writes the response it always wrote (gin's default: 500).
func RecoveryBefore(_ *hook.Call, _ *io.Writer, handle *gin.RecoveryFunc) {
	orig := *handle
	if orig == nil {
		return
	}
	*handle = func(c *gin.Context, rec interface{}) {
		if c != nil && c.Request != nil {
			nethttp.RecordPanic(c.Request.Context(), rec)
		}
		orig(c, rec)
	}
}

// OtelginAfter wraps the middleware otelgin.Middleware made, so that a
// request already under net/http's server span goes straight on to the next
// handler: otelgin would make a second SERVER span, and double the duration
// metric. Without that span (nethttp turned off), otelgin runs as before.
func OtelginAfter(_ *hook.Call, h *gin.HandlerFunc) {
	orig := *h
	if orig == nil {
		return
	}
	*h = func(c *gin.Context) {
		if c.Request != nil && nethttp.HasServerSpan(c.Request.Context()) {
			c.Next()
			return
		}
		orig(c)
	}
}

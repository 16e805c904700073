// Package chi holds the hooks of the chi rules. chi serves through net/http,
// so a request already has the SERVER span of rules/nethttp; these hooks
// give that span chi's route pattern and a handler's panic, through
// nethttp's SetRoute and RecordPanicking.
package chi

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/nethttp"
)

// RouteBefore keeps the request, whose context carries chi's routing
// context and the server span.
func RouteBefore(c *hook.Call, _ *chi.Mux, _ *http.ResponseWriter, r **http.Request) {
	if *r != nil {
		c.Data = *r
	}
}

// RouteAfter names the server span after the pattern chi matched, when it
// matched one, once the handler has run or while its panic goes up: the
// panic is recorded then, before a recovery middleware around the router
// recovers it.
func RouteAfter(c *hook.Call) {
	r, ok := c.Data.(*http.Request)
	if !ok {
		return
	}
	ctx := r.Context()
	nethttp.RecordPanicking(ctx)
	if rctx := chi.RouteContext(ctx); rctx != nil {
		nethttp.SetRoute(ctx, rctx.RoutePattern())
	}
}

// Package gorillamux holds the hooks of the gorilla/mux rules. mux serves
// through net/http, so a request already has the SERVER span of
// rules/nethttp; these hooks give that span the matched route's path
// template and a handler's panic, through nethttp's SetRoute and
// RecordPanicking.
package gorillamux

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/nethttp"
)

type matchCall struct {
	ctx   context.Context
	match *mux.RouteMatch
}

// MatchBefore keeps the request's context and the RouteMatch that Match
// fills in.
func MatchBefore(c *hook.Call, _ *mux.Router, req **http.Request, match **mux.RouteMatch) {
	if *req != nil && *match != nil {
		c.Data = matchCall{(*req).Context(), *match}
	}
}

// MatchAfter names the server span after the path template of the route
// that matched, when one did without error (no route for a 404 or 405).
func MatchAfter(c *hook.Call, ok *bool) {
	mc, isCall := c.Data.(matchCall)
	if !isCall || !*ok || mc.match.MatchErr != nil || mc.match.Route == nil {
		return
	}
	if tpl, err := mc.match.Route.GetPathTemplate(); err == nil {
		nethttp.SetRoute(mc.ctx, tpl)
	}
}

// ServeBefore keeps the request's context.
func ServeBefore(c *hook.Call, _ *mux.Router, _ *http.ResponseWriter, req **http.Request) {
	if *req != nil {
		c.Data = (*req).Context()
	}
}

// ServeAfter records the panic a handler left on its way up, if any.
func ServeAfter(c *hook.Call) {
	if ctx, ok := c.Data.(context.Context); ok {
		nethttp.RecordPanicking(ctx)
	}
}

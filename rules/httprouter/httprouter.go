// Package httprouter holds the hooks of the httprouter rules. httprouter
// serves through net/http, so a request already has the SERVER span of
// rules/nethttp; these hooks give that span the matched route's path and a
// handler's panic, through nethttp's SetRoute and RecordPanicking.
package httprouter

import (
	"net/http"

	"github.com/julienschmidt/httprouter"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/nethttp"
)

// HandleBefore wraps a handle as the program registers it, so that each
// request it serves names the server span after the route's path, and a
// panic it leaves is recorded before the router's PanicHandler (or
// net/http) recovers it.
func HandleBefore(_ *hook.Call, _ *httprouter.Router, _ *string, path *string, handle *httprouter.Handle) {
	orig, route := *handle, *path
	if orig == nil {
		return
	}
	*handle = func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		ctx := req.Context()
		nethttp.SetRoute(ctx, route)
		defer nethttp.RecordPanicking(ctx)
		orig(w, req, ps)
	}
}

// Code added by otelgen (rule nethttp-panic).

package runtime

import _ "unsafe" // for go:linkname

// otelgen_nethttpPanic returns the value of the panic the current goroutine
// is running deferred calls for, when no deferred call has recovered it yet,
// for github.com/otelgen/otelgen/rules/nethttp: its server hook, deferred in
// net/http's serverHandler.ServeHTTP, sees there a handler's panic on its
// way to the server's own recovery. It runs no user code and changes nothing.
func otelgen_nethttpPanic() (any, bool) {
	p := getg()._panic
	if p == nil || p.recovered || p.goexit {
		return nil, false
	}
	return p.arg, true
}

//go:linkname otelgen_nethttp_panic otelgen_nethttp_panic
var otelgen_nethttp_panic = otelgen_nethttpPanic

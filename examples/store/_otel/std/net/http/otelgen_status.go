// Code added by otelgen (rule nethttp-status-h1h2).

package http

import _ "unsafe" // for go:linkname

// otelgen_nethttp_status returns the status code a handler wrote to w, 200
// when it wrote nothing yet (the server sends 200 then), -1 when the handler
// hijacked the connection (it answers there itself), or 0 when w is not
// one of net/http's own response writers.
//
//go:linkname otelgen_nethttp_status otelgen_nethttp_status
var otelgen_nethttp_status = func(w ResponseWriter) int {
	switch w := w.(type) {
	case *response:
		if w.conn.hijacked() {
			return -1
		}
		if w.wroteHeader {
			return w.status
		}
		return 200
	case *http2responseWriter:
		if w.rws != nil && w.rws.wroteHeader {
			return w.rws.status
		}
		return 200
	}
	return 0
}

// Code added by otelgen (rule gls-accessors).

package runtime

import "unsafe"

// The current goroutine's otelgen_gls pointer, for
// github.com/otelgen/otelgen/gls-runtime, which reaches these functions
// through the package-less names below. They run no user code.

//go:nosplit
func otelgen_glsGet() unsafe.Pointer { return getg().m.curg.otelgen_gls }

//go:nosplit
func otelgen_glsSet(p unsafe.Pointer) { getg().m.curg.otelgen_gls = p }

//go:linkname otelgen_gls_get otelgen_gls_get
var otelgen_gls_get = otelgen_glsGet

//go:linkname otelgen_gls_set otelgen_gls_set
var otelgen_gls_set = otelgen_glsSet

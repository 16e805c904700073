// Command span times calls of an empty function with a //otel:span
// directive (work.Spanned) against the same function without (work.Plain,
// inlined; work.PlainNoinline, called). Built plain, the directive is a
// comment; built with otelgen, Spanned starts and ends a span unless the
// spans are off (OTEL_SDK_DISABLED, OTEL_GO_DISABLED_INSTRUMENTATIONS) or
// the tracer provider makes none (OTEL_TRACES_EXPORTER=none). One line of
// figures per function (see package measure).
package main

import (
	"example.com/logload/measure"
	"example.com/logload/work"
)

func main() {
	measure.Run("plain", work.Plain)
	measure.Run("plain-noinline", work.PlainNoinline)
	measure.Run("spanned", work.Spanned)
}

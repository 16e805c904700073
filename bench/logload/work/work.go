// Package work holds the functions that cmd/span times: an empty function
// with a //otel:span directive, and the same without.
package work

// Spanned is empty; otelgen puts a span around it.
//
//otel:span
func Spanned() {}

// Plain is empty, and the compiler inlines it away.
func Plain() {}

// PlainNoinline is empty, and called.
//
//go:noinline
func PlainNoinline() {}

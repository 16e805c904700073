// Package gls is the Go API over otelgen's goroutine-local storage: the span
// and baggage current on a goroutine, inherited by the goroutines it starts.
//
// The storage is one pointer that the patched runtime keeps on every
// goroutine (see patch/gls.yaml). Here it points to an immutable linked list
// of the spans made current on the goroutine, innermost first, so that the
// go statement passes the whole list by copying one pointer. A span that has
// ended is skipped: a goroutine that outlives its request (a pool worker
// started during an earlier request) never makes new spans children of a
// finished trace.
//
// Without the runtime patch (a build without otelgen's overlay, or
// "gls: false" in otelgen.yaml) Available reports false and every lookup
// finds nothing, so callers fall back to the explicit context alone.
package gls

import (
	"context"
	"unsafe"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
)

// The runtime defines these, in the file that rule gls-accessors adds.
var (
	//go:linkname get otelgen_gls_get
	get func() unsafe.Pointer
	//go:linkname set otelgen_gls_set
	set func(unsafe.Pointer)
)

// Available reports whether the runtime carries the patch.
func Available() bool { return get != nil }

// node is one entry of a goroutine's list. It keeps the span and baggage, not
// the context they came in, so that a long-lived goroutine does not keep a
// request's context alive.
type node struct {
	span   trace.Span
	bag    baggage.Baggage
	parent *node
	// recorded: the span recorded when it was pushed, so it has ended once
	// it no longer records, sampled or not.
	recorded bool
}

// live reports whether a span can still parent new spans: it has not ended.
// A span that was not sampled and never recorded cannot tell; it stays
// usable as a parent, so that its children are not sampled either, until
// the one who pushed it restores the state before.
func (n *node) live() bool {
	if n.span == nil || n.span.IsRecording() {
		return true
	}
	return !n.recorded && !n.span.SpanContext().IsSampled()
}

// nearest returns n or its nearest ancestor that is live.
func nearest(n *node) *node {
	for n != nil && !n.live() {
		n = n.parent
	}
	return n
}

// Token is what Push returns, to Restore the state before it.
type Token struct{ p unsafe.Pointer }

// Push makes the span and baggage of ctx current on this goroutine, and on
// the goroutines it starts from now on.
func Push(ctx context.Context) Token {
	if get == nil {
		return Token{}
	}
	prev := get()
	n := &node{
		span:   trace.SpanFromContext(ctx),
		bag:    baggage.FromContext(ctx),
		parent: nearest((*node)(prev)),
	}
	if !n.span.SpanContext().IsValid() {
		n.span = nil
	} else {
		n.recorded = n.span.IsRecording()
	}
	set(unsafe.Pointer(n))
	return Token{prev}
}

// Save returns the goroutine's current state, to Restore later.
func Save() Token {
	if get == nil {
		return Token{}
	}
	return Token{get()}
}

// Restore puts back the state from before the Push that returned t, or the
// one Save returned.
func Restore(t Token) {
	if set != nil {
		set(t.p)
	}
}

// Span returns the goroutine's innermost live span, or nil.
func Span() trace.Span {
	if get == nil {
		return nil
	}
	for n := (*node)(get()); n != nil; n = n.parent {
		if n.span != nil && n.live() {
			return n.span
		}
	}
	return nil
}

// Baggage returns the baggage current on the goroutine: that of its
// innermost entry with any.
func Baggage() baggage.Baggage {
	if get == nil {
		return baggage.Baggage{}
	}
	for n := nearest((*node)(get())); n != nil; n = nearest(n.parent) {
		if n.bag.Len() > 0 {
			return n.bag
		}
	}
	return baggage.Baggage{}
}

// Fill returns ctx with the goroutine's current span when ctx has no span,
// and its baggage when ctx has none: the parent an automatic span takes when
// the program passed no context.
func Fill(ctx context.Context) context.Context {
	if get == nil || get() == nil {
		return ctx
	}
	if !trace.SpanContextFromContext(ctx).IsValid() {
		if s := Span(); s != nil {
			ctx = trace.ContextWithSpan(ctx, s)
		}
	}
	if baggage.FromContext(ctx).Len() == 0 {
		if b := Baggage(); b.Len() > 0 {
			ctx = baggage.ContextWithBaggage(ctx, b)
		}
	}
	return ctx
}

// raw exposes the stored pointer to this package's tests and benchmarks.
func raw() unsafe.Pointer {
	if get == nil {
		return nil
	}
	return get()
}

package otlp

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Field numbers of trace.proto (and its ExportTraceServiceRequest, whose
// resource_spans is field 1 like TracesData's).
const (
	reqResourceSpans = 1

	rsResource   = 1
	rsScopeSpans = 2
	rsSchemaURL  = 3

	ssScope     = 1
	ssSpans     = 2
	ssSchemaURL = 3

	spanTraceID       = 1
	spanSpanID        = 2
	spanTraceState    = 3
	spanParentSpanID  = 4
	spanName          = 5
	spanKind          = 6
	spanStart         = 7
	spanEnd           = 8
	spanAttrs         = 9
	spanDroppedAttrs  = 10
	spanEvents        = 11
	spanDroppedEvents = 12
	spanLinks         = 13
	spanDroppedLinks  = 14
	spanStatus        = 15
	spanFlags         = 16

	eventTime         = 1
	eventName         = 2
	eventAttrs        = 3
	eventDroppedAttrs = 4

	linkTraceID      = 1
	linkSpanID       = 2
	linkTraceState   = 3
	linkAttrs        = 4
	linkDroppedAttrs = 5
	linkFlags        = 6

	statusMessage = 2
	statusCode    = 3

	// SpanFlags: the W3C trace flags in the low byte, then whether the
	// parent's remoteness is known, and whether it is remote.
	flagsHasIsRemote = 0x100
	flagsIsRemote    = 0x200
)

// EncodeTraces returns the ExportTraceServiceRequest of spans: one
// ResourceSpans per resource and in it one ScopeSpans per instrumentation
// scope, in the order they first appear.
func EncodeTraces(spans []sdktrace.ReadOnlySpan) []byte {
	type scopeKey struct {
		res   attribute.Distinct
		scope instrumentation.Scope
	}
	var (
		resources []attribute.Distinct
		byRes     = map[attribute.Distinct][]instrumentation.Scope{}
		byScope   = map[scopeKey][]sdktrace.ReadOnlySpan{}
		first     = map[attribute.Distinct]sdktrace.ReadOnlySpan{}
	)
	for _, s := range spans {
		if s == nil {
			continue
		}
		r := s.Resource().Equivalent()
		sc := s.InstrumentationScope()
		if _, ok := first[r]; !ok {
			first[r] = s
			resources = append(resources, r)
		}
		k := scopeKey{r, sc}
		if _, ok := byScope[k]; !ok {
			byRes[r] = append(byRes[r], sc)
		}
		byScope[k] = append(byScope[k], s)
	}
	var e Buf
	for _, r := range resources {
		res := first[r].Resource()
		rs := e.Open(reqResourceSpans)
		e.Resource(rsResource, res)
		for _, sc := range byRes[r] {
			ss := e.Open(rsScopeSpans)
			if sc != (instrumentation.Scope{}) {
				e.Scope(ssScope, sc)
			}
			for _, s := range byScope[scopeKey{r, sc}] {
				e.span(s)
			}
			e.Str(ssSchemaURL, sc.SchemaURL)
			e.Close(ss)
		}
		e.Str(rsSchemaURL, res.SchemaURL())
		e.Close(rs)
	}
	return e.B
}

func (e *Buf) span(s sdktrace.ReadOnlySpan) {
	m := e.Open(ssSpans)
	sc := s.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	e.Bytes(spanTraceID, tid[:])
	e.Bytes(spanSpanID, sid[:])
	e.Str(spanTraceState, sc.TraceState().String())
	parent := s.Parent()
	if psid := parent.SpanID(); psid.IsValid() {
		e.Bytes(spanParentSpanID, psid[:])
	}
	e.Str(spanName, s.Name())
	e.Varint(spanKind, uint64(kind(s.SpanKind())))
	e.Timestamp(spanStart, s.StartTime())
	e.Timestamp(spanEnd, s.EndTime())
	e.Attrs(spanAttrs, s.Attributes())
	e.Count(spanDroppedAttrs, s.DroppedAttributes())
	for _, ev := range s.Events() {
		em := e.Open(spanEvents)
		e.Timestamp(eventTime, ev.Time)
		e.Str(eventName, ev.Name)
		e.Attrs(eventAttrs, ev.Attributes)
		e.Count(eventDroppedAttrs, ev.DroppedAttributeCount)
		e.Close(em)
	}
	e.Count(spanDroppedEvents, s.DroppedEvents())
	for _, l := range s.Links() {
		lm := e.Open(spanLinks)
		ltid, lsid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
		e.Bytes(linkTraceID, ltid[:])
		e.Bytes(linkSpanID, lsid[:])
		e.Str(linkTraceState, l.SpanContext.TraceState().String())
		e.Attrs(linkAttrs, l.Attributes)
		e.Count(linkDroppedAttrs, l.DroppedAttributeCount)
		e.Fixed32(linkFlags, flags(l.SpanContext.TraceFlags(), l.SpanContext))
		e.Close(lm)
	}
	e.Count(spanDroppedLinks, s.DroppedLinks())
	st := s.Status()
	stm := e.Open(spanStatus)
	e.Str(statusMessage, st.Description)
	e.Varint(statusCode, statusCodeOf(st.Code))
	e.Close(stm)
	e.Fixed32(spanFlags, flags(sc.TraceFlags(), parent))
	e.Close(m)
}

// flags are the span's (or link's) SpanFlags: its trace flags, and whether
// the parent (or linked span) is remote, which is always known here.
func flags(tf trace.TraceFlags, parent trace.SpanContext) uint32 {
	f := uint32(tf) | flagsHasIsRemote
	if parent.IsRemote() {
		f |= flagsIsRemote
	}
	return f
}

// kind maps the API's span kinds to OTLP's, which happen to have the same
// numbers; anything else is unspecified.
func kind(k trace.SpanKind) trace.SpanKind {
	if k < trace.SpanKindInternal || k > trace.SpanKindConsumer {
		return trace.SpanKindUnspecified
	}
	return k
}

// statusCodeOf maps the API's codes (Unset, Error, Ok) to OTLP's (UNSET,
// OK, ERROR).
func statusCodeOf(c codes.Code) uint64 {
	switch c {
	case codes.Ok:
		return 1
	case codes.Error:
		return 2
	}
	return 0
}

// TraceExporter sends spans to the collector over OTLP/HTTP.
type TraceExporter struct {
	client  *Client
	stopped atomic.Bool
}

// NewTraceExporter makes a span exporter from the OTEL_EXPORTER_OTLP_* and
// OTEL_EXPORTER_OTLP_TRACES_* variables.
func NewTraceExporter() (*TraceExporter, error) {
	c, err := NewClient("TRACES", "/v1/traces")
	if err != nil {
		return nil, err
	}
	return &TraceExporter{client: c}, nil
}

// NewTraceExporterWith makes a span exporter that uses c.
func NewTraceExporterWith(c *Client) *TraceExporter { return &TraceExporter{client: c} }

// ExportSpans sends one request with spans. A collector's partial success
// goes to otel.Handle.
func (x *TraceExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if x.stopped.Load() || len(spans) == 0 {
		return nil
	}
	resp, err := x.client.Post(ctx, EncodeTraces(spans))
	if err != nil {
		return fmt.Errorf("traces export: %w", err)
	}
	PartialSuccess(resp, "spans")
	return nil
}

// Shutdown stops the exporter: later exports do nothing.
func (x *TraceExporter) Shutdown(ctx context.Context) error {
	x.stopped.Store(true)
	x.client.CloseIdle()
	return ctx.Err()
}

// PartialSuccess reports the partial_success of an Export*ServiceResponse
// (field 1: rejected count as field 1, error_message as field 2) through
// otel.Handle, when the collector says it rejected something.
func PartialSuccess(resp []byte, what string) {
	ps, ok := field(resp, 1)
	if !ok {
		return
	}
	var rejected int64
	var msg string
	for len(ps) > 0 {
		num, typ, n := consumeTag(ps)
		if n < 0 {
			return
		}
		ps = ps[n:]
		switch {
		case num == 1 && typ == varintType:
			v, n := consumeVarint(ps)
			if n < 0 {
				return
			}
			rejected = int64(v)
			ps = ps[n:]
		case num == 2 && typ == bytesType:
			v, n := consumeBytes(ps)
			if n < 0 {
				return
			}
			msg = string(v)
			ps = ps[n:]
		default:
			n := consumeFieldValue(num, typ, ps)
			if n < 0 {
				return
			}
			ps = ps[n:]
		}
	}
	if rejected != 0 || msg != "" {
		handle(fmt.Errorf("OTLP partial success: %s (%d %s rejected)", msg, rejected, what))
	}
}

// field returns the last occurrence of embedded message field num in msg.
func field(msg []byte, num Number) ([]byte, bool) {
	var out []byte
	found := false
	for len(msg) > 0 {
		n0, typ, n := consumeTag(msg)
		if n < 0 {
			return nil, false
		}
		msg = msg[n:]
		if n0 == num && typ == bytesType {
			v, n := consumeBytes(msg)
			if n < 0 {
				return nil, false
			}
			out, found = v, true
			msg = msg[n:]
			continue
		}
		n = consumeFieldValue(n0, typ, msg)
		if n < 0 {
			return nil, false
		}
		msg = msg[n:]
	}
	return out, found
}

// Package otlplog exports log records over OTLP/HTTP with the encoder of
// package otlp, for the logs SDK that otelgen links on request. It is a
// package of its own so that programs without the logs SDK do not link it.
package otlplog

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/otelgen/otelgen/rules/sdk/internal/otlp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
)

// Field numbers of logs.proto (and its ExportLogsServiceRequest, whose
// resource_logs is field 1).
const (
	reqResourceLogs = 1

	rlResource  = 1
	rlScopeLogs = 2
	rlSchemaURL = 3

	slScope      = 1
	slLogRecords = 2
	slSchemaURL  = 3

	lrTime         = 1
	lrSeverity     = 2
	lrSeverityText = 3
	lrBody         = 5
	lrAttrs        = 6
	lrDroppedAttrs = 7
	lrFlags        = 8
	lrTraceID      = 9
	lrSpanID       = 10
	lrObservedTime = 11
	lrEventName    = 12
)

// Encode returns the ExportLogsServiceRequest of records: one ResourceLogs
// per resource and in it one ScopeLogs per instrumentation scope, in the
// order they first appear. As upstream, a resource with no attribute and an
// empty scope are left out.
func Encode(records []sdklog.Record) []byte {
	type scopeKey struct {
		res   attribute.Distinct
		scope instrumentation.Scope
	}
	var (
		resources []attribute.Distinct
		byRes     = map[attribute.Distinct][]instrumentation.Scope{}
		byScope   = map[scopeKey][]int{}
		first     = map[attribute.Distinct]int{}
	)
	for i := range records {
		r := records[i].Resource().Equivalent()
		sc := records[i].InstrumentationScope()
		if _, ok := first[r]; !ok {
			first[r] = i
			resources = append(resources, r)
		}
		k := scopeKey{r, sc}
		if _, ok := byScope[k]; !ok {
			byRes[r] = append(byRes[r], sc)
		}
		byScope[k] = append(byScope[k], i)
	}
	var e otlp.Buf
	for _, r := range resources {
		res := records[first[r]].Resource()
		rl := e.Open(reqResourceLogs)
		if res.Len() > 0 {
			e.Resource(rlResource, res)
		}
		for _, sc := range byRes[r] {
			sl := e.Open(rlScopeLogs)
			if sc != (instrumentation.Scope{}) {
				e.Scope(slScope, sc)
			}
			for _, i := range byScope[scopeKey{r, sc}] {
				record(&e, &records[i])
			}
			if sc != (instrumentation.Scope{}) {
				e.Str(slSchemaURL, sc.SchemaURL)
			}
			e.Close(sl)
		}
		e.Str(rlSchemaURL, res.SchemaURL())
		e.Close(rl)
	}
	return e.B
}

func record(e *otlp.Buf, r *sdklog.Record) {
	m := e.Open(slLogRecords)
	e.Timestamp(lrTime, r.Timestamp())
	// The API's severities have OTLP's numbers.
	if s := r.Severity(); s >= 1 && s <= 24 {
		e.Varint(lrSeverity, uint64(s))
	}
	e.Str(lrSeverityText, r.SeverityText())
	e.Value(lrBody, r.Body())
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		e.KeyValue(lrAttrs, kv)
		return true
	})
	e.Count(lrDroppedAttrs, r.DroppedAttributes())
	e.Fixed32(lrFlags, uint32(r.TraceFlags()))
	if tid := r.TraceID(); tid.IsValid() {
		e.Bytes(lrTraceID, tid[:])
	}
	if sid := r.SpanID(); sid.IsValid() {
		e.Bytes(lrSpanID, sid[:])
	}
	e.Timestamp(lrObservedTime, r.ObservedTimestamp())
	e.Str(lrEventName, r.EventName())
	e.Close(m)
}

// Exporter sends log records to the collector over OTLP/HTTP.
type Exporter struct {
	client  *otlp.Client
	stopped atomic.Bool
}

// New makes a log exporter from the OTEL_EXPORTER_OTLP_* and
// OTEL_EXPORTER_OTLP_LOGS_* variables.
func New() (*Exporter, error) {
	c, err := otlp.NewClient("LOGS", "/v1/logs")
	if err != nil {
		return nil, err
	}
	return &Exporter{client: c}, nil
}

// NewWith makes a log exporter that uses c.
func NewWith(c *otlp.Client) *Exporter { return &Exporter{client: c} }

// Export sends records in one request. A collector's partial success goes
// to otel.Handle.
func (x *Exporter) Export(ctx context.Context, records []sdklog.Record) error {
	if x.stopped.Load() || len(records) == 0 {
		return nil
	}
	resp, err := x.client.Post(ctx, Encode(records))
	if err != nil {
		return fmt.Errorf("logs export: %w", err)
	}
	otlp.PartialSuccess(resp, "log records")
	return nil
}

// ForceFlush does nothing: Export sends at once.
func (x *Exporter) ForceFlush(ctx context.Context) error { return ctx.Err() }

// Shutdown stops the exporter: later exports do nothing.
func (x *Exporter) Shutdown(ctx context.Context) error {
	x.stopped.Store(true)
	x.client.CloseIdle()
	return ctx.Err()
}

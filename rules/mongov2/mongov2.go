// Package mongov2 holds the hooks of the MongoDB Go driver v2 rules
// (go.mongodb.org/mongo-driver/v2): every client the program makes gets a
// command monitor of otelgen's, chained with the one the program set, which
// makes a CLIENT span per command the driver sends and records the
// db.client.operation.duration histogram, as the stable database semantic
// conventions describe for MongoDB.
//
// mongo.Connect is the one way to a client in v2; it reads the options'
// Monitor once, before it hands it to the client: the hook adds a last option whose Monitor calls otelgen's
// monitor and then the program's, so the program's monitor still gets
// every event, and the program's options are left as they were.
package mongov2

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/otelgen/otelgen/internal/mongocmd"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/dbmetric"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/mongov2"

// instruments are the tracer and histogram of the global providers, made
// again when the program installs its own.
var instruments = sdk.NewInstruments(ScopeName, dbmetric.NewDuration)

func get() *sdk.Made[dbconv.ClientOperationDuration] { return instruments.Get() }

// key names one command in flight: the driver numbers its requests, and a
// reply comes on the connection that sent the request.
type key struct {
	conn string
	id   int64
}

// operation is one traced command.
type operation struct {
	ctx   context.Context
	span  trace.Span
	start time.Time
	mk    dbmetric.Key // the metric's attributes, but its outcome's
}

// monitor is otelgen's command monitor of one client; next is the
// program's, or nil.
type monitor struct {
	next *event.CommandMonitor
	ops  sync.Map // key -> *operation
}

// chain returns a command monitor that traces each command and passes
// every event on to next.
func chain(next *event.CommandMonitor) *event.CommandMonitor {
	m := &monitor{next: next}
	return &event.CommandMonitor{Started: m.started, Succeeded: m.succeeded, Failed: m.failed}
}

func (m *monitor) started(ctx context.Context, e *event.CommandStartedEvent) {
	m.start(ctx, e)
	if m.next != nil && m.next.Started != nil {
		m.next.Started(ctx, e)
	}
}

func (m *monitor) succeeded(ctx context.Context, e *event.CommandSucceededEvent) {
	if m.next != nil && m.next.Succeeded != nil {
		m.next.Succeeded(ctx, e)
	}
	m.end(e.ConnectionID, e.RequestID, nil)
}

func (m *monitor) failed(ctx context.Context, e *event.CommandFailedEvent) {
	if m.next != nil && m.next.Failed != nil {
		m.next.Failed(ctx, e)
	}
	failure := e.Failure
	if failure == nil {
		failure = errors.New(e.CommandName + " failed")
	}
	m.end(e.ConnectionID, e.RequestID, failure)
}

// start starts the span of a command. Its parent is the span in the call's
// context, else the goroutine's current span: the driver publishes the
// event on the goroutine that made the call.
func (m *monitor) start(ctx context.Context, e *event.CommandStartedEvent) {
	if ctx == nil {
		ctx = context.Background()
	}
	op := e.CommandName
	var coll string
	if f := mongocmd.CollectionField(op); f != "" {
		if v, err := e.Command.LookupErr(f); err == nil {
			coll, _ = v.StringValueOK()
		}
	}
	mk := dbmetric.Key{System: "mongodb", Operation: op, Namespace: e.DatabaseName, Collection: coll}
	if host, port, ok := mongocmd.Server(e.ConnectionID); ok {
		mk.Host, mk.Port = host, port
	}
	attrs := mk.Attrs(1)
	if mongocmd.Raw && len(e.Command) > 0 {
		attrs = append(attrs, semconv.DBQueryText(mongocmd.Text(e.Command.String())))
	}
	in := get()
	sctx, span := in.Tracer.Start(gls.Fill(ctx), mongocmd.SpanName(op, coll, e.DatabaseName),
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	m.ops.Store(key{e.ConnectionID, e.RequestID}, &operation{ctx: sctx, span: span, start: time.Now(), mk: mk})
}

// end ends the span of a command: with an error status, and error.type
// and db.response.status_code, when err is not nil.
func (m *monitor) end(conn string, id int64, err error) {
	v, ok := m.ops.LoadAndDelete(key{conn, id})
	if !ok {
		return
	}
	op := v.(*operation)
	elapsed := time.Since(op.start).Seconds()
	mk := op.mk
	if err != nil {
		mk.ErrorType, mk.StatusCode = errorType(err)
		op.span.SetAttributes(mk.Result()...)
		op.span.RecordError(err)
		op.span.SetStatus(codes.Error, err.Error())
	}
	op.span.End()
	record(context.WithoutCancel(op.ctx), elapsed, mk)
}

// record records a command's duration with the attribute set of mk.
func record(ctx context.Context, seconds float64, mk dbmetric.Key) {
	m := get().M
	if !m.Enabled(ctx) {
		return
	}
	m.RecordSet(ctx, seconds, mk.Set())
}

// errorType is the error.type of err, and for an error the server replied
// with, its code as db.response.status_code ("59"): the conventions want
// error.type to be that code too. Other errors are "timeout",
// "context.Canceled", or "_OTHER".
func errorType(err error) (etype, code string) {
	var derr driver.Error
	if errors.As(err, &derr) && derr.Code != 0 {
		c := strconv.Itoa(int(derr.Code))
		return c, c
	}
	var wce driver.WriteCommandError
	if errors.As(err, &wce) && wce.WriteConcernError != nil && wce.WriteConcernError.Code != 0 {
		c := strconv.Itoa(int(wce.WriteConcernError.Code))
		return c, c
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "context.Canceled", ""
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout", ""
	}
	return mongocmd.ErrorType(err.Error()), ""
}

// ConnectBefore gives the client otelgen's monitor, chained with the
// program's: it adds a last option holding only that Monitor, which
// options.MergeClientOptions puts in place of the program's (the last
// Monitor set wins there too).
func ConnectBefore(c *hook.Call, opts *[]*options.ClientOptions) {
	if sdk.Disabled() {
		return
	}
	var next *event.CommandMonitor
	for _, o := range *opts {
		if o != nil && o.Monitor != nil {
			next = o.Monitor
		}
	}
	// A new slice: the program's may be reused for another client.
	all := make([]*options.ClientOptions, 0, len(*opts)+1)
	all = append(all, *opts...)
	*opts = append(all, &options.ClientOptions{Monitor: chain(next)})
}

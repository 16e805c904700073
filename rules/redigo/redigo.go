// Package redigo holds the hooks of the redigo rules
// (github.com/gomodule/redigo/redis): a CLIENT span per command a
// connection runs with Do (DoContext, DoWithTimeout; a Pool's connections
// included) or queues with Send, and the db.client.operation.duration
// histogram, as the stable database semantic conventions describe for
// Redis.
package redigo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "unsafe" // for go:linkname

	"github.com/otelgen/otelgen/internal/redisquery"

	"github.com/gomodule/redigo/redis"
	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/dbmetric"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/redigo"

// connInfo and markReady are defined in redigo's package by the
// redigo-conn-access rule's file; nil in a build without it.
var (
	//go:linkname connInfo otelgen_redigo_conn
	connInfo func(c any) (db int, peer net.Addr, pending int, ok bool)
	//go:linkname markReady otelgen_redigo_ready
	markReady func(c redis.Conn)
)

// instruments are the tracer and histogram of the global providers, made
// again when the program installs its own.
var instruments = sdk.NewInstruments(ScopeName, dbmetric.NewDuration)

func get() *sdk.Made[dbconv.ClientOperationDuration] { return instruments.Get() }

// NewConnAfter marks a connection that NewConn made over the program's own
// net.Conn as set up: its commands are traced.
func NewConnAfter(c *hook.Call, conn *redis.Conn) {
	if markReady != nil && *conn != nil {
		markReady(*conn)
	}
}

// operation is one traced command.
type operation struct {
	ctx   context.Context
	span  trace.Span
	start time.Time
	saved gls.Token
	key   dbmetric.Key // the duration's attributes, but the outcome's
	batch bool         // Do with no command: the replies of the Sends
}

// start starts the span of a command on connection c, or returns nil when c
// is not traced (still dialing).
func start(c any, parent context.Context, name string, args []any, pending int, batch bool) *operation {
	if sdk.Disabled() || connInfo == nil {
		return nil
	}
	db, peer, _, ok := connInfo(c)
	if !ok {
		return nil
	}
	in := get()
	k := dbmetric.Key{System: "redis", Namespace: strconv.Itoa(db), Operation: name}
	k.Host, k.Port = redisquery.Peer(peer)
	if batch && pending >= 2 {
		k.BatchSize = pending
	}
	attrs := k.Attrs(1)
	if !batch && redisquery.Mode != redisquery.Off {
		var b strings.Builder
		redisquery.Text(&b, append([]any{name}, args...), redisquery.Mode)
		attrs = append(attrs, semconv.DBQueryText(b.String()))
	}
	// Without a context (all but DoContext), the parent comes from the
	// goroutine.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(gls.Fill(parent), name,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	return &operation{ctx: ctx, span: span, start: time.Now(), saved: saved, key: k, batch: batch}
}

func (op *operation) end(err error) {
	elapsed := time.Since(op.start).Seconds()
	k := op.key
	if err != nil {
		k.ErrorType, k.StatusCode = errorType(err)
		op.span.SetAttributes(k.Result()...)
		op.span.RecordError(err)
		op.span.SetStatus(codes.Error, err.Error())
	}
	op.span.End()
	gls.Restore(op.saved)
	get().M.RecordSet(context.WithoutCancel(op.ctx), elapsed, k.Set())
}

// DoBefore starts the span of a command. Do with no command flushes the
// commands queued with Send and reads their replies: a span named
// PIPELINE, when there are any.
func DoBefore(c *hook.Call, conn any, _ *time.Duration, cmd *string, args *[]any) {
	name := strings.ToUpper(*cmd)
	batch := false
	pending := 0
	if name == "" {
		if connInfo == nil {
			return
		}
		if _, _, pending, _ = connInfo(conn); pending == 0 {
			return
		}
		name, batch = "PIPELINE", true
	}
	parent := context.Background()
	if inContext.Load() > 0 {
		if ctx, ok := contexts.LoadAndDelete(conn); ok {
			parent = ctx.(context.Context)
		}
	}
	if op := start(conn, parent, name, *args, pending, batch); op != nil {
		c.Data = op
	}
}

// DoAfter ends the span of a command with its error, if any: an error
// reply of the server, or one of the connection.
func DoAfter(c *hook.Call, reply *any, err *error) {
	if op, ok := c.Data.(*operation); ok {
		e := *err
		if rs, ok := (*reply).([]any); ok && e == nil && op.batch {
			// The replies of the Sends: an error reply among them fails
			// the pipeline.
			for _, r := range rs {
				if re, ok := r.(redis.Error); ok {
					e = re
					break
				}
			}
		}
		op.end(e)
	}
}

// SendBefore starts the span of a command queued with Send: it covers the
// write to the connection's buffer; the reply comes with a later Do,
// Receive or Flush.
func SendBefore(c *hook.Call, conn any, cmd *string, args *[]any) {
	if op := start(conn, context.Background(), strings.ToUpper(*cmd), *args, 0, false); op != nil {
		c.Data = op
	}
}

// SendAfter ends the span of a Send.
func SendAfter(c *hook.Call, err *error) {
	if op, ok := c.Data.(*operation); ok {
		op.end(*err)
	}
}

// DoContext runs DoWithTimeout on a goroutine of its own, which cannot
// see the context: contexts holds it, by connection, from DoContext's
// start to DoWithTimeout's (a connection runs one Do at a time), and
// inContext counts the DoContext calls under way, so that a plain Do does
// not look.
var (
	contexts  sync.Map // *conn of redigo -> context.Context
	inContext atomic.Int64
)

// DoContextBefore hands the call's context to the DoWithTimeout it runs.
func DoContextBefore(c *hook.Call, conn any, ctx *context.Context, _ *string, _ *[]any) {
	if sdk.Disabled() || *ctx == nil {
		return
	}
	inContext.Add(1)
	contexts.Store(conn, *ctx)
	c.Data = conn
}

// DoContextAfter forgets the context, when DoContext returned before its
// DoWithTimeout started (a deadline already passed).
func DoContextAfter(c *hook.Call, _ *any, _ *error) {
	if c.Data != nil {
		contexts.Delete(c.Data)
		inContext.Add(-1)
	}
}

// errorType is the error.type of err, and for an error reply of the
// server, its prefix as db.response.status_code ("ERR", "WRONGTYPE"),
// which the conventions want as error.type too. Other errors are named by
// their Go type; a timeout is "timeout".
func errorType(err error) (etype, status string) {
	var rerr redis.Error
	if errors.As(err, &rerr) {
		prefix, _, _ := strings.Cut(string(rerr), " ")
		if prefix != "" && prefix == strings.ToUpper(prefix) {
			return prefix, prefix
		}
		return "_OTHER", ""
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "context.Canceled", ""
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout", ""
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return "timeout", ""
	}
	return fmt.Sprintf("%T", err), ""
}

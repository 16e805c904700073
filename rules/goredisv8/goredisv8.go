// Package goredisv8 holds the hooks of the go-redis v8 rules
// (github.com/go-redis/redis/v8): every client the program makes gets a
// redis.Hook of otelgen's, first in its chain, which makes a CLIENT span
// per command and per pipeline or transaction and records the
// db.client.operation.duration histogram, as the stable database semantic
// conventions describe for Redis.
//
// The hook goes on each *redis.Client (NewClient, NewFailoverClient) and
// *redis.SentinelClient. Cluster, ring and universal clients run their
// commands through node clients that NewClient makes, so each command is
// traced once, on the node that ran it, with that node's address.
package goredisv8

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/otelgen/otelgen/internal/redisquery"

	"github.com/go-redis/redis/v8"
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
const ScopeName = "github.com/otelgen/otelgen/rules/goredisv8"

// instruments are the tracer and histogram of the global providers, made
// again when the program installs its own.
var instruments = sdk.NewInstruments(ScopeName, dbmetric.NewDuration)

func get() *sdk.Made[dbconv.ClientOperationDuration] { return instruments.Get() }

// quietKey marks a context whose Redis commands make no span: one inside a
// command otelgen already traces (a Sentinel lookup while a failover
// client dials), or one the client makes for itself (cluster slot maps).
type quietKey struct{}

func quiet(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Value(quietKey{}) != nil {
		return ctx
	}
	return context.WithValue(ctx, quietKey{}, true)
}

// quietGoroutine is the span context a goroutine whose commands make no
// spans carries in the goroutine-local storage: v8's ring checks its
// shards with a context of its own making, which no hook can mark.
var quietGoroutine = trace.NewSpanContext(trace.SpanContextConfig{
	TraceID: trace.TraceID{'o', 't', 'e', 'l', 'g', 'e', 'n', '-', 'q', 'u', 'i', 'e', 't', '-', '-', '-'},
	SpanID:  trace.SpanID{'q', 'u', 'i', 'e', 't', '-', '-', '-'},
})

// parent is the context a command's span starts from (the goroutine's
// span when ctx has none), or nil when the command makes no span.
func parent(ctx context.Context) context.Context {
	if ctx == nil || ctx.Value(quietKey{}) != nil {
		return nil
	}
	ctx = gls.Fill(ctx)
	if trace.SpanContextFromContext(ctx).Equal(quietGoroutine) {
		return nil
	}
	return ctx
}

// tracing is otelgen's redis.Hook of one client. key holds the attributes
// of the client's connection: db.system.name, db.namespace (the database
// index of the client's options), server.address and server.port.
type tracing struct {
	key dbmetric.Key
}

func newTracing(opt *redis.Options) *tracing {
	host, port := redisquery.Server(opt.Network, opt.Addr)
	return &tracing{key: dbmetric.Key{System: "redis", Namespace: strconv.Itoa(opt.DB), Host: host, Port: port}}
}

// opKey holds the traced operation in the context the Before hooks return.
type opKey struct{}

// operation is one traced command or batch.
type operation struct {
	span  trace.Span
	start time.Time
	saved gls.Token
	key   dbmetric.Key // the duration's attributes, but the outcome's
}

// BeforeProcess starts the span of a command.
func (h *tracing) BeforeProcess(ctx context.Context, cmd redis.Cmder) (context.Context, error) {
	p := parent(ctx)
	if p == nil {
		return ctx, nil
	}
	args := cmd.Args()
	var text string
	if redisquery.Mode != redisquery.Off {
		var b strings.Builder
		redisquery.Text(&b, args, redisquery.Mode)
		text = b.String()
	}
	return h.start(p, redisquery.CommandName(args), text, 0), nil
}

// AfterProcess ends the span of a command.
func (h *tracing) AfterProcess(ctx context.Context, cmd redis.Cmder) error {
	if op, ok := ctx.Value(opKey{}).(*operation); ok {
		op.end(ctx, cmdErr(cmd.Err()))
	}
	return nil
}

// BeforeProcessPipeline starts the span of a pipeline, or of a
// transaction: go-redis hands a transaction to the hook between its MULTI
// and EXEC commands.
func (h *tracing) BeforeProcessPipeline(ctx context.Context, cmds []redis.Cmder) (context.Context, error) {
	p := parent(ctx)
	if p == nil || len(cmds) == 0 {
		return ctx, nil
	}
	prefix, body := "PIPELINE", cmds
	if n := len(cmds); n >= 2 && cmds[0].Name() == "multi" && cmds[n-1].Name() == "exec" {
		prefix, body = "MULTI", cmds[1:n-1]
	}
	names := make([]string, len(body))
	argss := make([][]any, len(body))
	for i, c := range body {
		argss[i] = c.Args()
		names[i] = redisquery.CommandName(argss[i])
	}
	var name, text string
	size := 0
	if prefix == "PIPELINE" && len(body) == 1 {
		name = names[0] // a batch of one is one operation
	} else {
		name = redisquery.BatchName(prefix, names)
		if len(body) >= 2 {
			size = len(body)
		}
	}
	if redisquery.Mode != redisquery.Off {
		text = redisquery.BatchText(argss, redisquery.Mode)
	}
	return h.start(p, name, text, size), nil
}

// AfterProcessPipeline ends the span of a pipeline with its first error.
func (h *tracing) AfterProcessPipeline(ctx context.Context, cmds []redis.Cmder) error {
	op, ok := ctx.Value(opKey{}).(*operation)
	if !ok {
		return nil
	}
	var first error
	for _, c := range cmds {
		if e := cmdErr(c.Err()); e != nil {
			first = e
			break
		}
	}
	op.end(ctx, first)
	return nil
}

func (h *tracing) start(ctx context.Context, name, text string, size int) context.Context {
	in := get()
	k := h.key
	k.Operation, k.BatchSize = name, size
	attrs := k.Attrs(1)
	if text != "" {
		attrs = append(attrs, semconv.DBQueryText(text))
	}
	saved := gls.Save()
	ctx, span := in.Tracer.Start(ctx, name,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	op := &operation{span: span, start: time.Now(), saved: saved, key: k}
	// What the command runs in its context (a dial's Sentinel lookups) is
	// quiet.
	return context.WithValue(quiet(ctx), opKey{}, op)
}

func (op *operation) end(ctx context.Context, err error) {
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
	get().M.RecordSet(context.WithoutCancel(ctx), elapsed, k.Set())
}

// cmdErr is err, but nil for redis.Nil: a missing key is no failure.
func cmdErr(err error) error {
	if err == nil || errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}

// errorType is the error.type of err, and for an error the server replied
// with, its prefix as db.response.status_code ("ERR", "WRONGTYPE"), which
// the conventions want as error.type too. Other errors are named by their
// Go type; a timeout is "timeout".
func errorType(err error) (etype, status string) {
	var rerr redis.Error
	if errors.As(err, &rerr) {
		prefix, _, _ := strings.Cut(rerr.Error(), " ")
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

// NewClientAfter puts otelgen's hook first on a client that NewClient or
// NewFailoverClient made: cluster nodes, ring shards and universal clients
// included.
func NewClientAfter(c *hook.Call, rdb **redis.Client) {
	if sdk.Disabled() || *rdb == nil {
		return
	}
	(*rdb).AddHook(newTracing((*rdb).Options()))
}

// NewSentinelClientBefore keeps the options of a Sentinel client, which
// the client does not give back.
func NewSentinelClientBefore(c *hook.Call, opt **redis.Options) {
	c.Data = *opt
}

// NewSentinelClientAfter puts otelgen's hook first on a Sentinel client.
func NewSentinelClientAfter(c *hook.Call, rdb **redis.SentinelClient) {
	opt, ok := c.Data.(*redis.Options)
	if sdk.Disabled() || *rdb == nil || !ok || opt == nil {
		return
	}
	(*rdb).AddHook(newTracing(opt))
}

// RingHeartbeatBefore makes the goroutine on which a ring checks its
// shards (a PING each, every HeartbeatFrequency) quiet for its whole life.
func RingHeartbeatBefore(c *hook.Call, _ any, _ *time.Duration) {
	gls.Push(trace.ContextWithSpanContext(context.Background(), quietGoroutine))
}

// RingCommandsBefore makes the COMMAND a ring sends to its shards, to
// learn where each command's key is, quiet (v8 sends it again before every
// command while the reply does not parse, as with Redis 7).
func RingCommandsBefore(c *hook.Call, _ *redis.Ring, ctx *context.Context) {
	*ctx = quiet(*ctx)
}

// ClusterStateBefore makes what a cluster client asks to learn the
// cluster's slots, often from a goroutine of its own, quiet.
func ClusterStateBefore(c *hook.Call, _ *redis.ClusterClient, ctx *context.Context) {
	*ctx = quiet(*ctx)
}

// ClusterCommandsBefore makes the COMMAND a cluster client sends once, to
// learn which commands are read-only, quiet.
func ClusterCommandsBefore(c *hook.Call, _ *redis.ClusterClient, ctx *context.Context) {
	*ctx = quiet(*ctx)
}

// Package goredis holds the hooks of the go-redis v9 rules
// (github.com/redis/go-redis/v9): every client the program makes gets a
// redis.Hook of otelgen's, first in its chain, which makes a CLIENT span
// per command and per pipeline or transaction and records the
// db.client.operation.duration histogram, as the stable database semantic
// conventions describe for Redis.
//
// The hook goes on each *redis.Client (NewClient, NewFailoverClient) and
// *redis.SentinelClient. Cluster, ring and universal clients run their
// commands through node clients that NewClient makes (their default
// NewClient option), so each command is traced once, on the node that ran
// it, with that node's address; their own hooks, which the program adds,
// run outside otelgen's.
package goredis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/otelgen/otelgen/internal/redisquery"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/dbmetric"
	"github.com/redis/go-redis/v9"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/goredis"

// instruments are the tracer and histogram of the global providers, made
// again when the program installs its own.
var instruments = sdk.NewInstruments(ScopeName, dbmetric.NewDuration)

func get() *sdk.Made[dbconv.ClientOperationDuration] { return instruments.Get() }

// quietKey marks a context whose Redis commands make no span: one inside a
// command otelgen already traces (the handshake a new connection makes,
// a Sentinel lookup while dialing), or made while dialing or setting up a
// connection, which are the client's work, not the program's.
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

func isQuiet(ctx context.Context) bool { return ctx != nil && ctx.Value(quietKey{}) != nil }

// tracing is otelgen's redis.Hook of one client. key holds the attributes
// of the client's connection: db.system.name, db.namespace (the database
// index of the client's options; a SELECT the program sends on a Conn is
// not followed), server.address and server.port.
type tracing struct {
	key dbmetric.Key
}

func newTracing(opt *redis.Options) *tracing {
	host, port := redisquery.Server(opt.Network, opt.Addr)
	return &tracing{key: dbmetric.Key{System: "redis", Namespace: strconv.Itoa(opt.DB), Host: host, Port: port}}
}

// DialHook makes the connection's dial, and whatever the client runs for
// it, quiet.
func (h *tracing) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		return next(quiet(ctx), network, addr)
	}
}

// ProcessHook traces one command.
func (h *tracing) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if isQuiet(ctx) {
			return next(ctx, cmd)
		}
		args := cmd.Args()
		name := redisquery.CommandName(args)
		var text string
		if redisquery.Mode != redisquery.Off {
			var b strings.Builder
			redisquery.Text(&b, args, redisquery.Mode)
			text = b.String()
		}
		op := h.start(ctx, name, text, 0)
		err := next(op.ctx, cmd)
		op.end(cmdErr(cmd, err))
		return err
	}
}

// ProcessPipelineHook traces one pipeline, or one transaction: go-redis
// hands a transaction to the hook between its MULTI and EXEC commands.
func (h *tracing) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if isQuiet(ctx) || len(cmds) == 0 {
			return next(ctx, cmds)
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
		switch {
		case prefix == "PIPELINE" && len(body) == 1:
			// A batch of one is one operation, as the conventions say.
			name = names[0]
		default:
			name = redisquery.BatchName(prefix, names)
			if len(body) >= 2 {
				size = len(body)
			}
		}
		if redisquery.Mode != redisquery.Off {
			text = redisquery.BatchText(argss, redisquery.Mode)
		}
		op := h.start(ctx, name, text, size)
		err := next(op.ctx, cmds)
		var first error
		for _, c := range cmds {
			if e := cmdErr(c, nil); e != nil {
				first = e
				break
			}
		}
		if first == nil {
			first = cmdErr(nil, err)
		}
		op.end(first)
		return err
	}
}

// operation is one traced command or batch.
type operation struct {
	ctx   context.Context
	span  trace.Span
	start time.Time
	saved gls.Token
	key   dbmetric.Key // the duration's attributes, but the outcome's
}

func (h *tracing) start(ctx context.Context, name, text string, size int) *operation {
	in := get()
	k := h.key
	k.Operation, k.BatchSize = name, size
	attrs := k.Attrs(1)
	if text != "" {
		attrs = append(attrs, semconv.DBQueryText(text))
	}
	// A command made with a context that carries no span takes its parent
	// from the goroutine.
	saved := gls.Save()
	ctx, span := in.Tracer.Start(gls.Fill(ctx), name,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	return &operation{ctx: quiet(ctx), span: span, start: time.Now(), saved: saved, key: k}
}

// end ends the span with err, which is nil on success (redis.Nil is
// success: a missing key), and records the duration.
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

// cmdErr is the error of a command, or err: nil for redis.Nil.
func cmdErr(cmd redis.Cmder, err error) error {
	if cmd != nil {
		if e := cmd.Err(); e != nil {
			err = e
		}
	}
	if err == nil || errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}

// errorType is the error.type of err, and for an error the server replied
// with, its prefix as db.response.status_code ("ERR", "WRONGTYPE"): the
// conventions want error.type to be that prefix too. Other errors are
// named by their Go type; a timeout is "timeout", a cancelled context
// "context.Canceled".
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
// The Sentinel clients a failover client makes for itself run only while
// it dials, and so stay quiet.
func NewSentinelClientAfter(c *hook.Call, rdb **redis.SentinelClient) {
	opt, ok := c.Data.(*redis.Options)
	if sdk.Disabled() || *rdb == nil || !ok || opt == nil {
		return
	}
	(*rdb).AddHook(newTracing(opt))
}

// InitConnBefore makes the commands a new connection sends (HELLO, AUTH,
// SELECT, CLIENT SETNAME, the program's OnConnect) quiet, wherever the
// client sets the connection up: in a command or in the background.
func InitConnBefore(c *hook.Call, _ any, ctx *context.Context, _ any) {
	*ctx = quiet(*ctx)
}

// RingHeartbeatBefore makes the PINGs a ring sends to check its shards
// quiet: they run on their own, every HeartbeatFrequency, and would each
// start a trace.
func RingHeartbeatBefore(c *hook.Call, _ any, ctx *context.Context, _ *time.Duration) {
	*ctx = quiet(*ctx)
}

// RingCommandsBefore makes the COMMAND a ring sends to its shards, to
// learn where each command's key is, quiet.
func RingCommandsBefore(c *hook.Call, _ *redis.Ring, ctx *context.Context) {
	*ctx = quiet(*ctx)
}

// ClusterStateBefore makes what a cluster client asks to learn the
// cluster's slots (CLUSTER SLOTS or SHARDS), often from a goroutine of its
// own, quiet.
func ClusterStateBefore(c *hook.Call, _ *redis.ClusterClient, ctx *context.Context) {
	*ctx = quiet(*ctx)
}

// ClusterCommandsBefore makes the COMMAND a cluster client sends once, to
// learn which commands are read-only, quiet.
func ClusterCommandsBefore(c *hook.Call, _ *redis.ClusterClient, ctx *context.Context) {
	*ctx = quiet(*ctx)
}

// A client the program instruments with redisotel.InstrumentTracing
// (github.com/redis/go-redis/extra/redisotel/v9) would be traced twice:
// otelgen's hook is already on every client. These hooks make redisotel's
// tracing hook hand each call straight on, so that its spans (dial spans
// included) are not made; redisotel's metrics stay as they are. When
// otelgen's hook is not there (OTEL_SDK_DISABLED, or goredis in
// OTEL_GO_DISABLED_INSTRUMENTATIONS), neither are these, and redisotel
// traces as it would.

// RedisotelDialBefore passes redisotel's dial hook through.
func RedisotelDialBefore(c *hook.Call, _ any, next *redis.DialHook) {
	if !sdk.Disabled() {
		c.Skip(*next)
	}
}

// RedisotelProcessBefore passes redisotel's command hook through.
func RedisotelProcessBefore(c *hook.Call, _ any, next *redis.ProcessHook) {
	if !sdk.Disabled() {
		c.Skip(*next)
	}
}

// RedisotelPipelineBefore passes redisotel's pipeline hook through.
func RedisotelPipelineBefore(c *hook.Call, _ any, next *redis.ProcessPipelineHook) {
	if !sdk.Disabled() {
		c.Skip(*next)
	}
}

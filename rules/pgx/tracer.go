package pgx

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// tracer is otelgen's tracer of one connection, in ConnConfig.Tracer. It
// implements every tracer interface of pgx, and passes each call on to the
// tracer the program set (next) when that implements the interface. Its
// own span starts before the program's tracer runs and ends after, so that
// spans the program's tracer makes are children of otelgen's.
type tracer struct {
	next        pgx.QueryTracer
	nextBatch   pgx.BatchTracer
	nextCopy    pgx.CopyFromTracer
	nextPrepare pgx.PrepareTracer
	nextConnect pgx.ConnectTracer
	server      *server

	// The statements the program prepared under a name of its own, by
	// name: a query that runs one names it instead of giving its SQL.
	mu       sync.Mutex
	prepared map[string]string
	nnamed   atomic.Int32
}

// maxPrepared bounds the names a connection's tracer keeps.
const maxPrepared = 1024

// statement returns the SQL of a query: sql, or the statement prepared
// under that name.
func (t *tracer) statement(sql string) string {
	if t.nnamed.Load() == 0 {
		return sql
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.prepared[sql]; ok {
		return s
	}
	return sql
}

func (t *tracer) addPrepared(name, sql string) {
	if name == "" || name == sql {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.prepared[name]; !ok && len(t.prepared) >= maxPrepared {
		return
	}
	if t.prepared == nil {
		t.prepared = map[string]string{}
	}
	t.prepared[name] = sql
	t.nnamed.Store(int32(len(t.prepared)))
}

func newTracer(next pgx.QueryTracer, cfg *pgx.ConnConfig) *tracer {
	t := &tracer{next: next, server: serverOf(cfg)}
	t.nextBatch, _ = next.(pgx.BatchTracer)
	t.nextCopy, _ = next.(pgx.CopyFromTracer)
	t.nextPrepare, _ = next.(pgx.PrepareTracer)
	t.nextConnect, _ = next.(pgx.ConnectTracer)
	return t
}

// TraceQueryStart starts the span of Query, QueryRow and Exec.
func (t *tracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if traced(ctx) {
		ctx = t.beginStatement(ctx, queryKind, "", t.statement(data.SQL))
	}
	if t.next != nil {
		ctx = t.next.TraceQueryStart(ctx, conn, data)
	}
	return ctx
}

// TraceQueryEnd ends it, when the rows are closed.
func (t *tracer) TraceQueryEnd(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryEndData) {
	if t.next != nil {
		t.next.TraceQueryEnd(ctx, conn, data)
	}
	if c := callOf(ctx, queryKind); c != nil {
		c.end(data.Err)
	}
}

// TraceBatchStart starts the span of SendBatch. Its name comes at its end,
// from the statements whose results pgx read.
func (t *tracer) TraceBatchStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	if traced(ctx) {
		n := 0
		if data.Batch != nil {
			n = data.Batch.Len()
		}
		ctx = t.begin(ctx, batchKind, "BATCH", "", "", batchSize(n)...)
	}
	if t.nextBatch != nil {
		ctx = t.nextBatch.TraceBatchStart(ctx, conn, data)
	}
	return ctx
}

// TraceBatchQuery takes one statement's result into the batch's span.
func (t *tracer) TraceBatchQuery(ctx context.Context, conn *pgx.Conn, data pgx.TraceBatchQueryData) {
	if t.nextBatch != nil {
		t.nextBatch.TraceBatchQuery(ctx, conn, data)
	}
	if c, _ := ctx.Value(batchKind).(*call); c != nil && !c.ended.Load() {
		c.addBatchQuery(t.statement(data.SQL), data.Err)
	}
}

// TraceBatchEnd ends the batch's span, when the batch results are closed.
func (t *tracer) TraceBatchEnd(ctx context.Context, conn *pgx.Conn, data pgx.TraceBatchEndData) {
	if t.nextBatch != nil {
		t.nextBatch.TraceBatchEnd(ctx, conn, data)
	}
	if c := callOf(ctx, batchKind); c != nil {
		c.endBatch(data.Err)
	}
}

// TraceCopyFromStart starts the span of CopyFrom: operation COPY, on the
// table copied into.
func (t *tracer) TraceCopyFromStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceCopyFromStartData) context.Context {
	if traced(ctx) {
		ctx = t.begin(ctx, copyKind, "COPY", copyTable(data.TableName), "")
	}
	if t.nextCopy != nil {
		ctx = t.nextCopy.TraceCopyFromStart(ctx, conn, data)
	}
	return ctx
}

// TraceCopyFromEnd ends it.
func (t *tracer) TraceCopyFromEnd(ctx context.Context, conn *pgx.Conn, data pgx.TraceCopyFromEndData) {
	if t.nextCopy != nil {
		t.nextCopy.TraceCopyFromEnd(ctx, conn, data)
	}
	if c := callOf(ctx, copyKind); c != nil {
		c.end(data.Err)
	}
}

// TracePrepareStart starts the span of a Prepare the program calls. What
// pgx prepares by itself for a query or a batch (its statement cache) or a
// CopyFrom (the columns' types) is part of that call's span.
func (t *tracer) TracePrepareStart(ctx context.Context, conn *pgx.Conn, data pgx.TracePrepareStartData) context.Context {
	t.addPrepared(data.Name, data.SQL)
	if traced(ctx) && ctx.Value(queryKind) == nil && ctx.Value(batchKind) == nil && ctx.Value(copyKind) == nil {
		ctx = t.beginStatement(ctx, prepareKind, "PREPARE", data.SQL)
	}
	if t.nextPrepare != nil {
		ctx = t.nextPrepare.TracePrepareStart(ctx, conn, data)
	}
	return ctx
}

// TracePrepareEnd ends it.
func (t *tracer) TracePrepareEnd(ctx context.Context, conn *pgx.Conn, data pgx.TracePrepareEndData) {
	if t.nextPrepare != nil {
		t.nextPrepare.TracePrepareEnd(ctx, conn, data)
	}
	if c := callOf(ctx, prepareKind); c != nil {
		c.end(data.Err)
	}
}

// TraceConnectStart passes the connect on to the program's tracer: otelgen
// makes no span of its own for it.
func (t *tracer) TraceConnectStart(ctx context.Context, data pgx.TraceConnectStartData) context.Context {
	if t.nextConnect != nil {
		ctx = t.nextConnect.TraceConnectStart(ctx, data)
	}
	return ctx
}

// TraceConnectEnd passes the connect's end on to the program's tracer.
func (t *tracer) TraceConnectEnd(ctx context.Context, data pgx.TraceConnectEndData) {
	if t.nextConnect != nil {
		t.nextConnect.TraceConnectEnd(ctx, data)
	}
}

// Package pgx holds the hooks of the pgx v5 rules (github.com/jackc/pgx/v5):
// every connection pgx opens gets a tracer of otelgen's through pgx's own
// tracer interface, which makes a CLIENT span and a
// db.client.operation.duration measurement for every query, exec and
// QueryRow, batch (SendBatch), CopyFrom and explicit Prepare, with the
// attributes of the stable database semantic conventions.
//
// The hook is on pgx's unexported connect, which pgx.Connect,
// ConnectWithOptions, ConnectConfig and every pgxpool connection go through,
// with a copy of the configuration that belongs to the new connection. The
// tracer the program set in ConnConfig.Tracer still runs: otelgen's tracer
// calls it inside its own span, for every interface it implements
// (QueryTracer, BatchTracer, CopyFromTracer, PrepareTracer, ConnectTracer).
// pgxpool's AcquireTracer and ReleaseTracer are read from the pool's own
// configuration, which otelgen leaves as it is. conn.Config().Tracer
// returns otelgen's tracer, not the program's.
//
// A call that database/sql makes through pgx's stdlib driver is traced by
// rules/databasesql, once: the connections stdlib opens get no tracer, and
// the calls stdlib makes on a pgxpool connection (stdlib.OpenDBFromPool)
// carry a mark in their context that this tracer obeys (package
// pgxstdlib sets it).
//
// db.query.text has the statement's literals replaced by ? unless
// OTEL_GO_PGX_QUERY_TEXT says "raw" ("off" records no text); arguments are
// never recorded.
package pgx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/sqlquery"
	"github.com/otelgen/otelgen/rules/sdk"
	"github.com/otelgen/otelgen/rules/sdk/dbmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/pgx"

// QueryTextEnv chooses what db.query.text holds: the statement with its
// literals replaced by ? (the default), "raw" for the statement as the
// program wrote it, or "off" for no text at all.
const QueryTextEnv = "OTEL_GO_PGX_QUERY_TEXT"

var queryText = sync.OnceValue(func() sqlquery.Mode {
	return sqlquery.ParseMode(hook.Setting(QueryTextEnv))
})

// ConnectBefore gives the connection that pgx's connect is about to open
// otelgen's tracer, chained with the one its configuration holds. connect
// owns config (Connect parsed it, ConnectConfig copied it), so setting its
// Tracer changes no configuration of the program's.
func ConnectBefore(c *hook.Call, ctx *context.Context, config **pgx.ConnConfig) {
	cfg := *config
	if cfg == nil || sdk.Disabled() {
		return
	}
	if *ctx != nil && (*ctx).Value(databaseSQLKey{}) != nil {
		return // a connection of database/sql's, traced by rules/databasesql
	}
	next := cfg.Tracer
	if t, ok := next.(*tracer); ok {
		// The configuration of a connection otelgen traced
		// (conn.Config()), opened again.
		next = t.next
	}
	cfg.Tracer = newTracer(next, cfg)
}

// databaseSQLKey marks the context of a call that database/sql makes
// through pgx's stdlib driver.
type databaseSQLKey struct{}

// ForDatabaseSQL returns ctx marked as the context of a call database/sql
// makes through pgx's stdlib driver, which makes no pgx span: the
// database/sql integration traces it.
func ForDatabaseSQL(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if ctx.Value(databaseSQLKey{}) != nil {
		return ctx
	}
	return context.WithValue(ctx, databaseSQLKey{}, true)
}

// A server is what the spans of the connections to one database have in
// common, shared by all of them.
type server struct {
	attrs []attribute.KeyValue // db.system.name, db.namespace, server.address, server.port
	sets  sync.Map             // setKey → attribute.Set of a successful operation's duration
	nsets atomic.Int32
}

type serverKey struct {
	host     string
	port     uint16
	database string
}

var servers sync.Map // serverKey → *server

func serverOf(cfg *pgx.ConnConfig) *server {
	host, port := cfg.Host, cfg.Port
	if strings.HasPrefix(host, "/") {
		host, port = "", 0 // a Unix socket's directory: no server address
	}
	k := serverKey{host, port, cfg.Database}
	if s, ok := servers.Load(k); ok {
		return s.(*server)
	}
	s := &server{attrs: []attribute.KeyValue{semconv.DBSystemNamePostgreSQL}}
	if k.database != "" {
		s.attrs = append(s.attrs, semconv.DBNamespace(k.database))
	}
	if host != "" {
		s.attrs = append(s.attrs, semconv.ServerAddress(host))
		if port != 0 {
			s.attrs = append(s.attrs, semconv.ServerPort(int(port)))
		}
	}
	actual, _ := servers.LoadOrStore(k, s)
	return actual.(*server)
}

type setKey struct{ op, coll string }

// metricSet is the attribute set of a successful operation's duration,
// made once per operation and table (up to a bound), since a program
// repeats the same few.
func (s *server) metricSet(op, coll string) attribute.Set {
	k := setKey{op, coll}
	if v, ok := s.sets.Load(k); ok {
		return v.(attribute.Set)
	}
	set := attribute.NewSet(s.opAttrs(op, coll)...)
	if s.nsets.Load() < sqlquery.MaxCached {
		if _, loaded := s.sets.LoadOrStore(k, set); !loaded {
			s.nsets.Add(1)
		}
	}
	return set
}

// opAttrs are the server's attributes with an operation's name and table.
func (s *server) opAttrs(op, coll string, extra ...attribute.KeyValue) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, len(s.attrs)+3+len(extra))
	attrs = append(attrs, s.attrs...)
	if op != "" {
		attrs = append(attrs, semconv.DBOperationName(op))
	}
	if coll != "" {
		attrs = append(attrs, semconv.DBCollectionName(coll))
	}
	return append(attrs, extra...)
}

// instruments are the tracer and histogram of the global providers, made
// again when the program installs its own.
var instruments = sdk.NewInstruments(ScopeName, dbmetric.NewDuration)

func get() *sdk.Made[dbconv.ClientOperationDuration] { return instruments.Get() }

// A kind of call, also the context key under which its call is kept from
// its start to its end.
type kind int

const (
	queryKind kind = iota
	batchKind
	copyKind
	prepareKind
)

// A call is one traced operation, from the tracer's Start method to its End.
// It is the context that the Start method returns: that of the span, with
// the call under its kind's key, in one allocation.
type call struct {
	context.Context
	kind   kind
	start  time.Time
	span   trace.Span
	server *server
	op     string
	coll   string
	ended  atomic.Bool

	// A batch's statements, as pgx reports their results: how many, their
	// operation and table while all have the same, their texts (up to
	// maxBatchTexts), and the first one's error.
	n                  int
	batchOp, batchColl string
	mixedOp, mixedColl bool
	texts              []string
	textsCapped        bool
	firstErr           error
}

func (c *call) Value(k any) any {
	if k == any(c.kind) {
		return c
	}
	return c.Context.Value(k)
}

// callOf returns the call of kind k in ctx, once: nil when there is none or
// it has ended.
func callOf(ctx context.Context, k kind) *call {
	if ctx == nil {
		return nil
	}
	c, _ := ctx.Value(k).(*call)
	if c == nil || !c.ended.CompareAndSwap(false, true) {
		return nil
	}
	return c
}

// traced reports whether a call in ctx gets a span: not one that
// database/sql makes (its integration traces it), nor any once the SDK is
// off.
func traced(ctx context.Context) bool {
	return !sdk.Disabled() && (ctx == nil || ctx.Value(databaseSQLKey{}) == nil)
}

// begin starts the CLIENT span of a call, as a child of the span in ctx,
// else of the goroutine's current span.
func (t *tracer) begin(ctx context.Context, k kind, op, coll, text string, extra ...attribute.KeyValue) *call {
	if ctx == nil {
		ctx = context.Background()
	}
	in := get()
	attrs := t.server.opAttrs(op, coll, extra...)
	if text != "" {
		attrs = append(attrs, semconv.DBQueryText(text))
	}
	ctx, span := in.Tracer.Start(gls.Fill(ctx), spanName(op, coll),
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	return &call{Context: ctx, kind: k, start: time.Now(), span: span, server: t.server, op: op, coll: coll}
}

// beginStatement is begin for a statement, named by its operation and
// table.
func (t *tracer) beginStatement(ctx context.Context, k kind, op, sql string) *call {
	st := sqlquery.Scan(sql, sqlquery.Postgres)
	if op == "" {
		op = st.Op
	}
	return t.begin(ctx, k, op, st.Coll, queryText().Text(sql, st))
}

// spanName is {db.operation.name} {db.collection.name}, or as much of it as
// is known, else db.system.name.
func spanName(op, coll string) string {
	switch {
	case op != "" && coll != "":
		return op + " " + coll
	case op != "":
		return op
	case coll != "":
		return coll
	}
	return "postgresql"
}

// end ends the span of c with the call's error, if any, and records its
// duration.
func (c *call) end(err error) {
	elapsed := time.Since(c.start).Seconds()
	in := get()
	ctx := context.WithoutCancel(c.Context)
	if !isError(err) {
		c.span.End()
		in.M.RecordSet(ctx, elapsed, c.server.metricSet(c.op, c.coll))
		return
	}
	et, status := classify(err)
	extra := []attribute.KeyValue{semconv.ErrorTypeKey.String(et)}
	if status != "" {
		extra = append(extra, semconv.DBResponseStatusCode(status))
	}
	c.span.SetAttributes(extra...)
	c.span.RecordError(err)
	c.span.SetStatus(codes.Error, err.Error())
	c.span.End()
	attrs := c.server.opAttrs(c.op, c.coll, extra...)
	in.M.Record(ctx, elapsed, dbconv.SystemNameAttr(semconv.DBSystemNamePostgreSQL.Value.AsString()), attrs[1:]...)
}

// isError reports whether err fails the operation: pgx.ErrNoRows (no row
// for QueryRow) does not.
func isError(err error) bool {
	return err != nil && !errors.Is(err, pgx.ErrNoRows)
}

// classify returns error.type and db.response.status_code of an error: the
// server's SQLSTATE when it sent one, which is then also the error type,
// else the error's Go type.
func classify(err error) (errType, status string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code != "" {
		return pe.Code, pe.Code
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "context.Canceled", ""
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded", ""
	}
	return fmt.Sprintf("%T", err), ""
}

// batch text bounds: a batch of ten thousand inserts must not make a span
// of megabytes.
const (
	maxBatchTexts = 16
	maxTextLen    = 4096
)

// addBatchQuery takes one statement of a batch into c.
func (c *call) addBatchQuery(sql string, err error) {
	st := sqlquery.Scan(sql, sqlquery.Postgres)
	if c.n == 0 {
		c.batchOp, c.batchColl = st.Op, st.Coll
	} else {
		c.mixedOp = c.mixedOp || st.Op != c.batchOp
		c.mixedColl = c.mixedColl || st.Coll != c.batchColl
	}
	c.n++
	if err != nil && c.firstErr == nil {
		c.firstErr = err
	}
	if text := queryText().Text(sql, st); text != "" && !c.textsCapped {
		if len(c.texts) == maxBatchTexts {
			c.texts = append(c.texts, "...")
			c.textsCapped = true
		} else {
			c.texts = append(c.texts, text)
		}
	}
}

// endBatch names the batch's span by its statements, as the conventions
// name a batch: db.operation.name "BATCH <op>" when every statement has
// the same operation, else "BATCH"; db.collection.name when every one
// names the same table; db.query.text the statements joined by "; ". A
// batch of one statement is named as that statement, and one that failed
// before any result "BATCH".
func (c *call) endBatch(err error) {
	op, coll := c.batchOp, c.batchColl
	if c.mixedOp {
		op = ""
	}
	if c.mixedColl {
		coll = ""
	}
	if c.n != 1 {
		if op == "" {
			op = "BATCH"
		} else {
			op = "BATCH " + op
		}
	}
	c.op, c.coll = op, coll
	c.span.SetName(spanName(op, coll))
	attrs := make([]attribute.KeyValue, 0, 3)
	if op != "" {
		attrs = append(attrs, semconv.DBOperationName(op))
	}
	if coll != "" {
		attrs = append(attrs, semconv.DBCollectionName(coll))
	}
	if len(c.texts) > 0 {
		text := strings.Join(c.texts, "; ")
		if len(text) > maxTextLen {
			text = text[:maxTextLen] + "..."
		}
		attrs = append(attrs, semconv.DBQueryText(text))
	}
	c.span.SetAttributes(attrs...)
	if err == nil {
		err = c.firstErr
	}
	c.end(err)
}

// copyTable is the table of a CopyFrom, as the program named it.
func copyTable(id pgx.Identifier) string {
	return strings.Join(id, ".")
}

// batchSize is the db.operation.batch.size of a batch of n statements:
// none below two, as the conventions say.
func batchSize(n int) []attribute.KeyValue {
	if n < 2 {
		return nil
	}
	return []attribute.KeyValue{semconv.DBOperationBatchSize(n)}
}

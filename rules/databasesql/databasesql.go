// Package databasesql holds the hooks of the database/sql rules: a CLIENT
// span and a db.client.operation.duration measurement for every query,
// exec, prepare, statement execution, ping, begin, commit and rollback on a
// *sql.DB, *sql.Conn, *sql.Tx or *sql.Stmt, whatever the driver, and the
// connection pools' state from DB.Stats as the db.client.connection.*
// metrics.
//
// The hooks are on database/sql's exported methods with a context (those
// without call them), so that a call that fails before it reaches the driver
// (no connection to the server) has its span too, and a call the pool
// retries on a bad connection has one span. Attributes follow the stable
// database semantic conventions. The statement's literals are replaced by ?
// in db.query.text unless OTEL_GO_DATABASESQL_QUERY_TEXT says "raw" ("off"
// records no text).
package databasesql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	_ "unsafe" // for go:linkname

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/sqlquery"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/dbconv"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/otelgen/otelgen/rules/databasesql"

// QueryTextEnv chooses what db.query.text holds: the statement with its
// literals replaced by ? (the default), "raw" for the statement as the
// program wrote it, or "off" for no text at all.
const QueryTextEnv = "OTEL_GO_DATABASESQL_QUERY_TEXT"

var queryText = sync.OnceValue(func() sqlquery.Mode {
	return sqlquery.ParseMode(hook.Setting(QueryTextEnv))
})

// These read database/sql's unexported fields; the databasesql-access
// rule's file defines them in database/sql.
var (
	//go:linkname stateOf otelgen_databasesql_state
	stateOf func(*sql.DB) *any
	//go:linkname connDB otelgen_databasesql_conn
	connDB func(*sql.Conn) *sql.DB
	//go:linkname txParts otelgen_databasesql_tx
	txParts func(*sql.Tx) (*sql.DB, context.Context, bool)
	//go:linkname stmtParts otelgen_databasesql_stmt
	stmtParts func(*sql.Stmt) (*sql.DB, string)
)

// A dbInfo is what the spans of one *sql.DB have in common.
type dbInfo struct {
	system  string
	dialect sqlquery.Dialect
	attrs   []attribute.KeyValue // db.system.name, db.namespace, server.address, server.port
	pool    string               // db.client.connection.pool.name
}

// dbState is kept in the field that rule databasesql-field adds to sql.DB.
// sql.Open replaces the info that sql.OpenDB made from the connector by one
// made from the data source name, hence the atomic pointer.
type dbState struct {
	info   atomic.Pointer[dbInfo]
	closed atomic.Bool
}

func newInfo(system string, t target) *dbInfo {
	in := &dbInfo{system: system, dialect: sqlquery.DialectOf(system)}
	in.attrs = append(in.attrs, semconv.DBSystemNameKey.String(system))
	if t.namespace != "" {
		in.attrs = append(in.attrs, semconv.DBNamespace(t.namespace))
	}
	if t.host != "" {
		in.attrs = append(in.attrs, semconv.ServerAddress(t.host))
		if t.port > 0 {
			in.attrs = append(in.attrs, semconv.ServerPort(t.port))
		}
	}
	switch {
	case t.host != "":
		in.pool = t.host + ":" + strconv.Itoa(t.port) + "/" + t.namespace
	case t.namespace != "":
		in.pool = t.namespace
	default:
		in.pool = system
	}
	return in
}

func driverSystem(d driver.Driver) string {
	if d == nil {
		return "other_sql"
	}
	ty := reflect.TypeOf(d)
	for ty.Kind() == reflect.Pointer {
		ty = ty.Elem()
	}
	return systemOf(ty.PkgPath())
}

// infoOf returns the info of db, made from its driver alone when db was
// opened while the hooks were not bound.
func infoOf(db *sql.DB) *dbInfo {
	if db == nil {
		return newInfo("other_sql", target{})
	}
	if st := stateOfDB(db); st != nil {
		if in := st.info.Load(); in != nil {
			return in
		}
	}
	return newInfo(driverSystem(db.Driver()), target{})
}

// instruments are the tracer and metrics of one pair of global providers,
// made again when the program installs its own providers.
type instruments struct {
	tp       trace.TracerProvider
	mp       metric.MeterProvider
	tracer   trace.Tracer
	duration dbconv.ClientOperationDuration
	reg      metric.Registration
}

var current atomic.Pointer[instruments]

var instMu sync.Mutex

func get() *instruments {
	tp, mp := otel.GetTracerProvider(), otel.GetMeterProvider()
	if in := current.Load(); in != nil && in.tp == tp && in.mp == mp {
		return in
	}
	instMu.Lock()
	defer instMu.Unlock()
	if in := current.Load(); in != nil && in.tp == tp && in.mp == mp {
		return in
	}
	in := &instruments{tp: tp, mp: mp, tracer: tp.Tracer(ScopeName)}
	meter := mp.Meter(ScopeName)
	var err error
	if in.duration, err = dbconv.NewClientOperationDuration(meter); err != nil {
		otel.Handle(err)
	}
	in.reg = registerPools(meter)
	if old := current.Swap(in); old != nil && old.reg != nil {
		old.reg.Unregister()
	}
	return in
}

// call is one instrumented call, from its before hook to its after hook.
type call struct {
	start time.Time
	span  trace.Span
	ctx   context.Context
	info  *dbInfo
	op    string
	coll  string
}

// begin starts the CLIENT span of an operation on db, as a child of the span
// in ctx, else of the goroutine's current span. For a statement, op is ""
// and the operation comes from the statement.
func begin(c *hook.Call, db *sql.DB, ctx context.Context, op, query string) {
	if sdk.Disabled() {
		return
	}
	if ctx == nil {
		ctx = context.Background()
	}
	info := infoOf(db)
	in := get()
	attrs := make([]attribute.KeyValue, 0, len(info.attrs)+3)
	attrs = append(attrs, info.attrs...)
	var coll, text string
	if query != "" {
		st := sqlquery.Scan(query, info.dialect)
		if op == "" {
			op = st.Op
		}
		coll = st.Coll
		text = queryText().Text(query, st)
	}
	if op != "" {
		attrs = append(attrs, semconv.DBOperationName(op))
	}
	if coll != "" {
		attrs = append(attrs, semconv.DBCollectionName(coll))
	}
	if text != "" {
		attrs = append(attrs, semconv.DBQueryText(text))
	}
	ctx, span := in.tracer.Start(gls.Fill(ctx), spanName(op, coll, info.system),
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrs...))
	c.Data = &call{start: time.Now(), span: span, ctx: ctx, info: info, op: op, coll: coll}
}

// spanName is {db.operation.name} {db.collection.name}, or as much of it as
// is known, else db.system.name.
func spanName(op, coll, system string) string {
	switch {
	case op != "" && coll != "":
		return op + " " + coll
	case op != "":
		return op
	case coll != "":
		return coll
	}
	return system
}

// end ends the span of c with the call's error, if any, and records its
// duration.
func end(c *hook.Call, err error) {
	cl, ok := c.Data.(*call)
	if !ok {
		return
	}
	elapsed := time.Since(cl.start).Seconds()
	var extra []attribute.KeyValue
	if isError(err) {
		et, status := classify(err)
		extra = append(extra, semconv.ErrorTypeKey.String(et))
		if status != "" {
			extra = append(extra, semconv.DBResponseStatusCode(status))
		}
		cl.span.SetAttributes(extra...)
		cl.span.RecordError(err)
		cl.span.SetStatus(codes.Error, err.Error())
	}
	cl.span.End()

	in := get()
	ctx := context.WithoutCancel(cl.ctx)
	if extra == nil {
		in.duration.RecordSet(ctx, elapsed, metricSet(cl.info, cl.op, cl.coll))
		return
	}
	mattrs := make([]attribute.KeyValue, 0, len(cl.info.attrs)+2+len(extra))
	mattrs = append(mattrs, cl.info.attrs[1:]...) // db.system.name is Record's own argument
	if cl.op != "" {
		mattrs = append(mattrs, semconv.DBOperationName(cl.op))
	}
	if cl.coll != "" {
		mattrs = append(mattrs, semconv.DBCollectionName(cl.coll))
	}
	mattrs = append(mattrs, extra...)
	in.duration.Record(ctx, elapsed, dbconv.SystemNameAttr(cl.info.system), mattrs...)
}

// metricSet is the attribute set of a successful operation's duration,
// made once per database, operation and table (up to a bound), since a
// program repeats the same few.
func metricSet(info *dbInfo, op, coll string) attribute.Set {
	k := setKey{info, op, coll}
	if s, ok := metricSets.Load(k); ok {
		return s.(attribute.Set)
	}
	attrs := make([]attribute.KeyValue, 0, len(info.attrs)+2)
	attrs = append(attrs, info.attrs...)
	if op != "" {
		attrs = append(attrs, semconv.DBOperationName(op))
	}
	if coll != "" {
		attrs = append(attrs, semconv.DBCollectionName(coll))
	}
	s := attribute.NewSet(attrs...)
	if metricSetCount.Load() < sqlquery.MaxCached {
		if _, loaded := metricSets.LoadOrStore(k, s); !loaded {
			metricSetCount.Add(1)
		}
	}
	return s
}

type setKey struct {
	info     *dbInfo
	op, coll string
}

var (
	metricSets     sync.Map // setKey → attribute.Set
	metricSetCount atomic.Int32
)

// isError reports whether err fails the operation: sql.ErrNoRows (no row
// for QueryRow) and driver.ErrSkip (the driver asks database/sql to take
// another way, which it does) do not.
func isError(err error) bool {
	return err != nil && !errors.Is(err, sql.ErrNoRows) && !errors.Is(err, driver.ErrSkip)
}

// classify returns error.type and db.response.status_code of an error: the
// server's code when the driver's error carries one (PostgreSQL's SQLSTATE
// from lib/pq and pgx, MySQL's error number, SQLite's result code), which
// is then also the error type, else the error's Go type.
func classify(err error) (errType, status string) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if s, ok := e.(interface{ SQLState() string }); ok && s.SQLState() != "" {
			return s.SQLState(), s.SQLState()
		}
		if s, ok := e.(interface{ Code() int }); ok {
			n := strconv.Itoa(s.Code())
			return n, n
		}
		v := reflect.ValueOf(e)
		for v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct {
			// go-sql-driver/mysql's MySQLError{Number uint16, ...}.
			if f := v.FieldByName("Number"); f.IsValid() && f.CanUint() && f.Uint() != 0 {
				n := strconv.FormatUint(f.Uint(), 10)
				return n, n
			}
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "context.Canceled", ""
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded", ""
	case errors.Is(err, sql.ErrTxDone):
		return "sql.ErrTxDone", ""
	case errors.Is(err, sql.ErrConnDone):
		return "sql.ErrConnDone", ""
	case errors.Is(err, driver.ErrBadConn):
		return "driver.ErrBadConn", ""
	}
	return fmt.Sprintf("%T", err), ""
}

// Package gorm holds the hooks of the gorm rules (gorm.io/gorm): every
// *gorm.DB that gorm.Open returns gets callbacks of otelgen's around each
// of gorm's operations (create, query, update, delete, row, raw), which
// make one span per operation, named "gorm.<operation> <table>", around the
// spans of the SQL calls it makes.
//
// The span is INTERNAL: the calls that leave the process are the
// database/sql (or pgx) calls gorm makes, each a CLIENT span of its own
// integration (rules/databasesql, rules/pgx), with the statement, server
// and db.client.operation.duration. gorm's span is their parent, since the
// callbacks put it in the statement's context, which gorm passes to
// database/sql: a create is one gorm span over BEGIN, INSERT and COMMIT.
// The conventions make the span of the call to the server the CLIENT span,
// and advise against nesting CLIENT spans, so an ORM's own span, like any
// in-process layer above a client, is INTERNAL. It carries db.system.name
// and db.collection.name (gorm's table), error.type and an error status
// when the operation fails (gorm.ErrRecordNotFound is no failure), and no
// statement text: its children have that, redacted. It records no metric:
// the duration of an operation at the server is its children's.
package gorm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/sqlquery"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"gorm.io/gorm"
)

// ScopeName is the instrumentation scope of the spans.
const ScopeName = "github.com/otelgen/otelgen/rules/gorm"

// The callbacks' names, unique to otelgen, so that a program's callbacks
// and plugins keep theirs.
const (
	beforeName = "otelgen:before_"
	afterName  = "otelgen:after_"
)

// OpenAfter registers otelgen's callbacks on the *gorm.DB that gorm.Open
// returns: first and last of each operation's callbacks, so that the span
// covers gorm's own transaction around a create, update or delete. The
// callbacks belong to the DB's configuration, which its sessions share.
func OpenAfter(c *hook.Call, db **gorm.DB, err *error) {
	if *db == nil || *err != nil || sdk.Disabled() {
		return
	}
	register(*db)
}

func register(db *gorm.DB) {
	cb := db.Callback()
	// gorm's processor and callback types are unexported: each operation's
	// are reached through method values.
	type registerFunc = func(name string, fn func(*gorm.DB)) error
	add := func(op string, get func(string) func(*gorm.DB), first, last registerFunc) {
		if get(beforeName+op) != nil {
			return // registered already: a second gorm.Open with the same Config
		}
		if err := first(beforeName+op, before(op)); err != nil {
			otel.Handle(err)
			return
		}
		if err := last(afterName+op, after); err != nil {
			otel.Handle(err)
		}
	}
	add("create", cb.Create().Get, cb.Create().Before("*").Register, cb.Create().After("*").Register)
	add("query", cb.Query().Get, cb.Query().Before("*").Register, cb.Query().After("*").Register)
	add("update", cb.Update().Get, cb.Update().Before("*").Register, cb.Update().After("*").Register)
	add("delete", cb.Delete().Get, cb.Delete().Before("*").Register, cb.Delete().After("*").Register)
	add("row", cb.Row().Get, cb.Row().Before("*").Register, cb.Row().After("*").Register)
	add("raw", cb.Raw().Get, cb.Raw().Before("*").Register, cb.Raw().After("*").Register)
}

// opCtx is the statement's context while an operation runs: the span's,
// with the operation under its key, and the context it replaced, which the
// after callback puts back, since gorm may run the next operation of a
// chain on the same statement.
type opCtx struct {
	context.Context
	orig   context.Context
	span   trace.Span
	op     string
	ended  atomic.Bool
	hasTab bool
}

type opKey struct{}

func (c *opCtx) Value(k any) any {
	if k == (opKey{}) {
		return c
	}
	return c.Context.Value(k)
}

// tracer is the tracer of the global provider, made again when the
// program installs its own.
type tracerOf struct {
	tp     trace.TracerProvider
	tracer trace.Tracer
}

var current atomic.Pointer[tracerOf]

func tracer() trace.Tracer {
	tp := otel.GetTracerProvider()
	if t := current.Load(); t != nil && t.tp == tp {
		return t.tracer
	}
	t := &tracerOf{tp: tp, tracer: tp.Tracer(ScopeName)}
	current.Store(t)
	return t.tracer
}

// before returns the first callback of operation op: it starts the span,
// as a child of the span in the statement's context, else of the
// goroutine's current span, and makes it the statement's context.
func before(op string) func(*gorm.DB) {
	return func(db *gorm.DB) {
		if sdk.Disabled() || db == nil || db.Statement == nil {
			return
		}
		st := db.Statement
		orig := st.Context
		if orig == nil {
			orig = context.Background()
		}
		table := st.Table
		attrs := make([]attribute.KeyValue, 0, 2)
		attrs = append(attrs, semconv.DBSystemNameKey.String(systemOf(db)))
		if table != "" {
			attrs = append(attrs, semconv.DBCollectionName(table))
		}
		ctx, span := tracer().Start(gls.Fill(orig), spanName(op, table),
			trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
		st.Context = &opCtx{Context: ctx, orig: orig, span: span, op: op, hasTab: table != ""}
	}
}

// after is the last callback of every operation: it ends the span with the
// operation's error, and gives the statement its context back. The table
// of a raw statement (Exec, Raw) is the one its SQL names.
func after(db *gorm.DB) {
	if db == nil || db.Statement == nil || db.Statement.Context == nil {
		return
	}
	st := db.Statement
	c, _ := st.Context.Value(opKey{}).(*opCtx)
	if c == nil || !c.ended.CompareAndSwap(false, true) {
		return
	}
	st.Context = c.orig
	if !c.hasTab {
		table := st.Table
		if table == "" && st.SQL.Len() > 0 {
			table = sqlquery.Scan(st.SQL.String(), sqlquery.DialectOf(systemOf(db))).Coll
		}
		if table != "" {
			c.span.SetName(spanName(c.op, table))
			c.span.SetAttributes(semconv.DBCollectionName(table))
		}
	}
	if err := db.Error; err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		c.span.SetAttributes(semconv.ErrorTypeKey.String(errorType(err)))
		c.span.RecordError(err)
		c.span.SetStatus(codes.Error, err.Error())
	}
	c.span.End()
}

// spanName is "gorm.<operation> <table>", or "gorm.<operation>" when no
// table is known.
func spanName(op, table string) string {
	if table == "" {
		return "gorm." + op
	}
	return "gorm." + op + " " + table
}

// systemOf names the database system of a DB's dialector as
// db.system.name does.
func systemOf(db *gorm.DB) string {
	if db.Dialector == nil {
		return "other_sql"
	}
	switch name := strings.ToLower(db.Dialector.Name()); {
	case strings.Contains(name, "postgres"):
		return "postgresql"
	case strings.Contains(name, "mysql"):
		return "mysql"
	case strings.Contains(name, "sqlite"):
		return "sqlite"
	case strings.Contains(name, "sqlserver"):
		return "microsoft.sql_server"
	case strings.Contains(name, "clickhouse"):
		return "clickhouse"
	}
	return "other_sql"
}

// errorType is error.type of an operation's error: the server's code when
// the driver's error carries one (PostgreSQL's SQLSTATE, MySQL's and
// SQLite's error numbers), else the error's Go type.
func errorType(err error) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if s, ok := e.(interface{ SQLState() string }); ok && s.SQLState() != "" {
			return s.SQLState()
		}
		if s, ok := e.(interface{ Code() int }); ok {
			return fmt.Sprint(s.Code())
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "context.DeadlineExceeded"
	}
	return fmt.Sprintf("%T", err)
}

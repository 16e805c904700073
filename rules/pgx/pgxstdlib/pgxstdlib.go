// Package pgxstdlib holds the hooks of the pgx rules on pgx's database/sql
// driver (github.com/jackc/pgx/v5/stdlib), apart from package pgx so that a
// program that uses pgx without database/sql does not link the driver.
//
// database/sql's calls are traced by rules/databasesql; these hooks keep
// them from being traced a second time by the pgx tracer: the connections
// the driver opens itself get none (their connect's context is marked), and each
// call the driver makes on a connection it took from a pgxpool
// (stdlib.OpenDBFromPool, GetPoolConnector), which has the tracer, carries
// the mark in its context. A transaction keeps its BeginTx context, mark
// included, for its Commit and Rollback.
package pgxstdlib

import (
	"context"
	"database/sql/driver"
	"reflect"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/pgx"
)

// DriverConnectBefore marks the context of the connect of sql.Open's
// connector (sql.Open("pgx", ...), stdlib.RegisterConnConfig), in which
// the driver opens a connection of its own.
func DriverConnectBefore(c *hook.Call, _ any, ctx *context.Context) { mark(ctx) }

// ConnectorConnectBefore marks the context of the connect of
// stdlib.GetConnector's connector (stdlib.OpenDB), when it opens a
// connection of its own. One of GetPoolConnector's takes the connection
// from the pool, which may open it there, for the program's direct use
// later too: that connect's context stays as it is.
func ConnectorConnectBefore(c *hook.Call, connector any, ctx *context.Context) {
	v := reflect.ValueOf(connector)
	if v.Kind() == reflect.Struct {
		if pool := v.FieldByName("pool"); pool.IsValid() && pool.Kind() == reflect.Pointer && !pool.IsNil() {
			return
		}
	}
	mark(ctx)
}

// QueryBefore marks the context of Conn.QueryContext and Conn.ExecContext.
func QueryBefore(c *hook.Call, _ *stdlib.Conn, ctx *context.Context, _ *string, _ *[]driver.NamedValue) {
	mark(ctx)
}

// PrepareBefore marks the context of Conn.PrepareContext.
func PrepareBefore(c *hook.Call, _ *stdlib.Conn, ctx *context.Context, _ *string) { mark(ctx) }

// BeginBefore marks the context of Conn.BeginTx.
func BeginBefore(c *hook.Call, _ *stdlib.Conn, ctx *context.Context, _ *driver.TxOptions) { mark(ctx) }

// ResetBefore marks the context of Conn.ResetSession, which runs the
// program's stdlib.OptionResetSession function.
func ResetBefore(c *hook.Call, _ *stdlib.Conn, ctx *context.Context) { mark(ctx) }

func mark(ctx *context.Context) { *ctx = pgx.ForDatabaseSQL(*ctx) }

package databasesql

import (
	"context"
	"database/sql"

	"github.com/otelgen/otelgen/hook"
)

// The before hooks, one per receiver and signature; the after hooks, one
// per result type. The operations that carry no statement are named by the
// SQL keyword that does the same (BEGIN, COMMIT, ROLLBACK), or PING and
// PREPARE.

// DBQueryBefore starts the span of DB.QueryContext and DB.ExecContext.
func DBQueryBefore(c *hook.Call, db *sql.DB, ctx *context.Context, query *string, _ *[]any) {
	begin(c, db, *ctx, "", *query)
}

// DBPrepareBefore starts the span of DB.PrepareContext.
func DBPrepareBefore(c *hook.Call, db *sql.DB, ctx *context.Context, query *string) {
	begin(c, db, *ctx, "PREPARE", *query)
}

// DBPingBefore starts the span of DB.PingContext.
func DBPingBefore(c *hook.Call, db *sql.DB, ctx *context.Context) {
	begin(c, db, *ctx, "PING", "")
}

// DBBeginBefore starts the span of DB.BeginTx.
func DBBeginBefore(c *hook.Call, db *sql.DB, ctx *context.Context, _ **sql.TxOptions) {
	begin(c, db, *ctx, "BEGIN", "")
}

// ConnQueryBefore starts the span of Conn.QueryContext and Conn.ExecContext.
func ConnQueryBefore(c *hook.Call, conn *sql.Conn, ctx *context.Context, query *string, _ *[]any) {
	begin(c, dbOfConn(conn), *ctx, "", *query)
}

// ConnPrepareBefore starts the span of Conn.PrepareContext.
func ConnPrepareBefore(c *hook.Call, conn *sql.Conn, ctx *context.Context, query *string) {
	begin(c, dbOfConn(conn), *ctx, "PREPARE", *query)
}

// ConnPingBefore starts the span of Conn.PingContext.
func ConnPingBefore(c *hook.Call, conn *sql.Conn, ctx *context.Context) {
	begin(c, dbOfConn(conn), *ctx, "PING", "")
}

// ConnBeginBefore starts the span of Conn.BeginTx.
func ConnBeginBefore(c *hook.Call, conn *sql.Conn, ctx *context.Context, _ **sql.TxOptions) {
	begin(c, dbOfConn(conn), *ctx, "BEGIN", "")
}

// TxQueryBefore starts the span of Tx.QueryContext and Tx.ExecContext.
func TxQueryBefore(c *hook.Call, tx *sql.Tx, ctx *context.Context, query *string, _ *[]any) {
	db, _, _ := partsOfTx(tx)
	begin(c, db, *ctx, "", *query)
}

// TxPrepareBefore starts the span of Tx.PrepareContext.
func TxPrepareBefore(c *hook.Call, tx *sql.Tx, ctx *context.Context, query *string) {
	db, _, _ := partsOfTx(tx)
	begin(c, db, *ctx, "PREPARE", *query)
}

// TxCommitBefore starts the span of Tx.Commit, in the context the
// transaction began with.
func TxCommitBefore(c *hook.Call, tx *sql.Tx) {
	db, ctx, _ := partsOfTx(tx)
	begin(c, db, ctx, "COMMIT", "")
}

// TxRollbackBefore starts the span of Tx.Rollback, unless the transaction
// has ended already: the usual defer tx.Rollback() after a Commit does
// nothing, and gets no span.
func TxRollbackBefore(c *hook.Call, tx *sql.Tx) {
	db, ctx, done := partsOfTx(tx)
	if done {
		return
	}
	begin(c, db, ctx, "ROLLBACK", "")
}

// StmtBefore starts the span of Stmt.QueryContext and Stmt.ExecContext,
// named after the prepared statement.
func StmtBefore(c *hook.Call, s *sql.Stmt, ctx *context.Context, _ *[]any) {
	db, query := partsOfStmt(s)
	begin(c, db, *ctx, "", query)
}

// QueryAfter ends the span of a query.
func QueryAfter(c *hook.Call, _ **sql.Rows, err *error) { end(c, *err) }

// ExecAfter ends the span of an exec.
func ExecAfter(c *hook.Call, _ *sql.Result, err *error) { end(c, *err) }

// PrepareAfter ends the span of a prepare.
func PrepareAfter(c *hook.Call, _ **sql.Stmt, err *error) { end(c, *err) }

// BeginAfter ends the span of a begin.
func BeginAfter(c *hook.Call, _ **sql.Tx, err *error) { end(c, *err) }

// ErrAfter ends the span of a ping, commit or rollback.
func ErrAfter(c *hook.Call, err *error) { end(c, *err) }

// The accessors are nil in a build without the databasesql-access rule's
// file: the spans then lack what only the DB knows.

func dbOfConn(c *sql.Conn) *sql.DB {
	if connDB == nil || c == nil {
		return nil
	}
	return connDB(c)
}

func partsOfTx(tx *sql.Tx) (*sql.DB, context.Context, bool) {
	if txParts == nil || tx == nil {
		return nil, context.Background(), false
	}
	return txParts(tx)
}

func partsOfStmt(s *sql.Stmt) (*sql.DB, string) {
	if stmtParts == nil || s == nil {
		return nil, ""
	}
	return stmtParts(s)
}

// stateField is where the hooks keep db's state, nil without the field.
func stateField(db *sql.DB) *any {
	if stateOf == nil || db == nil {
		return nil
	}
	return stateOf(db)
}

// stateOfDB is db's state, nil when db was opened before the hooks were
// bound or without the field.
func stateOfDB(db *sql.DB) *dbState {
	if f := stateField(db); f != nil {
		st, _ := (*f).(*dbState)
		return st
	}
	return nil
}

// Code added by otelgen (rule databasesql-access).

package sql

import (
	"context"
	_ "unsafe" // for go:linkname
)

// These expose to the databasesql hooks what they need of unexported
// fields: where they keep a DB's state (the field that rule
// databasesql-field adds), and the DB, context and query behind a Conn, a
// Tx or a Stmt.

//go:linkname otelgen_databasesql_state otelgen_databasesql_state
var otelgen_databasesql_state = func(db *DB) *any { return &db.otelgen_databasesql }

//go:linkname otelgen_databasesql_conn otelgen_databasesql_conn
var otelgen_databasesql_conn = func(c *Conn) *DB { return c.db }

//go:linkname otelgen_databasesql_tx otelgen_databasesql_tx
var otelgen_databasesql_tx = func(tx *Tx) (*DB, context.Context, bool) { return tx.db, tx.ctx, tx.done.Load() }

//go:linkname otelgen_databasesql_stmt otelgen_databasesql_stmt
var otelgen_databasesql_stmt = func(s *Stmt) (*DB, string) { return s.db, s.query }

package databasesql

import (
	"unsafe"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
)

// The hook variables of this package's rules, named after the rule ids as
// otelgen names them. When OTEL_SDK_DISABLED is set, or
// OTEL_GO_DISABLED_INSTRUMENTATIONS names databasesql, they are cleared
// before main runs, so that an instrumented database/sql costs its nil
// checks and nothing more.
var (
	//go:linkname boundOpenBefore otelgen_databasesql_open_before
	boundOpenBefore unsafe.Pointer
	//go:linkname boundOpenAfter otelgen_databasesql_open_after
	boundOpenAfter unsafe.Pointer
	//go:linkname boundOpendbBefore otelgen_databasesql_opendb_before
	boundOpendbBefore unsafe.Pointer
	//go:linkname boundOpendbAfter otelgen_databasesql_opendb_after
	boundOpendbAfter unsafe.Pointer
	//go:linkname boundDbCloseBefore otelgen_databasesql_db_close_before
	boundDbCloseBefore unsafe.Pointer
	//go:linkname boundDbQueryBefore otelgen_databasesql_db_query_before
	boundDbQueryBefore unsafe.Pointer
	//go:linkname boundDbQueryAfter otelgen_databasesql_db_query_after
	boundDbQueryAfter unsafe.Pointer
	//go:linkname boundDbExecBefore otelgen_databasesql_db_exec_before
	boundDbExecBefore unsafe.Pointer
	//go:linkname boundDbExecAfter otelgen_databasesql_db_exec_after
	boundDbExecAfter unsafe.Pointer
	//go:linkname boundDbPrepareBefore otelgen_databasesql_db_prepare_before
	boundDbPrepareBefore unsafe.Pointer
	//go:linkname boundDbPrepareAfter otelgen_databasesql_db_prepare_after
	boundDbPrepareAfter unsafe.Pointer
	//go:linkname boundDbPingBefore otelgen_databasesql_db_ping_before
	boundDbPingBefore unsafe.Pointer
	//go:linkname boundDbPingAfter otelgen_databasesql_db_ping_after
	boundDbPingAfter unsafe.Pointer
	//go:linkname boundDbBeginBefore otelgen_databasesql_db_begin_before
	boundDbBeginBefore unsafe.Pointer
	//go:linkname boundDbBeginAfter otelgen_databasesql_db_begin_after
	boundDbBeginAfter unsafe.Pointer
	//go:linkname boundConnQueryBefore otelgen_databasesql_conn_query_before
	boundConnQueryBefore unsafe.Pointer
	//go:linkname boundConnQueryAfter otelgen_databasesql_conn_query_after
	boundConnQueryAfter unsafe.Pointer
	//go:linkname boundConnExecBefore otelgen_databasesql_conn_exec_before
	boundConnExecBefore unsafe.Pointer
	//go:linkname boundConnExecAfter otelgen_databasesql_conn_exec_after
	boundConnExecAfter unsafe.Pointer
	//go:linkname boundConnPrepareBefore otelgen_databasesql_conn_prepare_before
	boundConnPrepareBefore unsafe.Pointer
	//go:linkname boundConnPrepareAfter otelgen_databasesql_conn_prepare_after
	boundConnPrepareAfter unsafe.Pointer
	//go:linkname boundConnPingBefore otelgen_databasesql_conn_ping_before
	boundConnPingBefore unsafe.Pointer
	//go:linkname boundConnPingAfter otelgen_databasesql_conn_ping_after
	boundConnPingAfter unsafe.Pointer
	//go:linkname boundConnBeginBefore otelgen_databasesql_conn_begin_before
	boundConnBeginBefore unsafe.Pointer
	//go:linkname boundConnBeginAfter otelgen_databasesql_conn_begin_after
	boundConnBeginAfter unsafe.Pointer
	//go:linkname boundTxQueryBefore otelgen_databasesql_tx_query_before
	boundTxQueryBefore unsafe.Pointer
	//go:linkname boundTxQueryAfter otelgen_databasesql_tx_query_after
	boundTxQueryAfter unsafe.Pointer
	//go:linkname boundTxExecBefore otelgen_databasesql_tx_exec_before
	boundTxExecBefore unsafe.Pointer
	//go:linkname boundTxExecAfter otelgen_databasesql_tx_exec_after
	boundTxExecAfter unsafe.Pointer
	//go:linkname boundTxPrepareBefore otelgen_databasesql_tx_prepare_before
	boundTxPrepareBefore unsafe.Pointer
	//go:linkname boundTxPrepareAfter otelgen_databasesql_tx_prepare_after
	boundTxPrepareAfter unsafe.Pointer
	//go:linkname boundTxCommitBefore otelgen_databasesql_tx_commit_before
	boundTxCommitBefore unsafe.Pointer
	//go:linkname boundTxCommitAfter otelgen_databasesql_tx_commit_after
	boundTxCommitAfter unsafe.Pointer
	//go:linkname boundTxRollbackBefore otelgen_databasesql_tx_rollback_before
	boundTxRollbackBefore unsafe.Pointer
	//go:linkname boundTxRollbackAfter otelgen_databasesql_tx_rollback_after
	boundTxRollbackAfter unsafe.Pointer
	//go:linkname boundStmtQueryBefore otelgen_databasesql_stmt_query_before
	boundStmtQueryBefore unsafe.Pointer
	//go:linkname boundStmtQueryAfter otelgen_databasesql_stmt_query_after
	boundStmtQueryAfter unsafe.Pointer
	//go:linkname boundStmtExecBefore otelgen_databasesql_stmt_exec_before
	boundStmtExecBefore unsafe.Pointer
	//go:linkname boundStmtExecAfter otelgen_databasesql_stmt_exec_after
	boundStmtExecAfter unsafe.Pointer
)

func init() {
	if sdk.Disabled() || hook.Disabled("databasesql") {
		boundOpenBefore = nil
		boundOpenAfter = nil
		boundOpendbBefore = nil
		boundOpendbAfter = nil
		boundDbCloseBefore = nil
		boundDbQueryBefore = nil
		boundDbQueryAfter = nil
		boundDbExecBefore = nil
		boundDbExecAfter = nil
		boundDbPrepareBefore = nil
		boundDbPrepareAfter = nil
		boundDbPingBefore = nil
		boundDbPingAfter = nil
		boundDbBeginBefore = nil
		boundDbBeginAfter = nil
		boundConnQueryBefore = nil
		boundConnQueryAfter = nil
		boundConnExecBefore = nil
		boundConnExecAfter = nil
		boundConnPrepareBefore = nil
		boundConnPrepareAfter = nil
		boundConnPingBefore = nil
		boundConnPingAfter = nil
		boundConnBeginBefore = nil
		boundConnBeginAfter = nil
		boundTxQueryBefore = nil
		boundTxQueryAfter = nil
		boundTxExecBefore = nil
		boundTxExecAfter = nil
		boundTxPrepareBefore = nil
		boundTxPrepareAfter = nil
		boundTxCommitBefore = nil
		boundTxCommitAfter = nil
		boundTxRollbackBefore = nil
		boundTxRollbackAfter = nil
		boundStmtQueryBefore = nil
		boundStmtQueryAfter = nil
		boundStmtExecBefore = nil
		boundStmtExecAfter = nil
	}
}

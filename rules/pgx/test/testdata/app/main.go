// The test program of the pgx integration: given a PostgreSQL URL, it runs
// one session inside a span of its own named "run", with every kind of call
// pgx has, on a connection whose configuration carries a tracer of the
// program's, on a pgxpool, and through pgx's database/sql driver; then it
// prints what its own tracer saw.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: app postgres-url")
		os.Exit(2)
	}
	t := &appTracer{}
	if err := run(os.Args[1], t); err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		os.Exit(1)
	}
	fmt.Println(t)
}

// appTracer is the program's own pgx tracer: it counts the calls it sees,
// and makes a span of its own for the query that says "chained", as a
// child of the span in the context pgx gives it.
type appTracer struct {
	queries, queryEnds, batches, batchQueries, batchEnds, copies, copyEnds, prepares, prepareEnds, connects, connectEnds atomic.Int32
}

type appSpanKey struct{}

func (t *appTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	t.queries.Add(1)
	if strings.Contains(data.SQL, "chained") {
		ctx, span := otel.Tracer("app").Start(ctx, "app tracer")
		return context.WithValue(ctx, appSpanKey{}, span)
	}
	return ctx
}

func (t *appTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	t.queryEnds.Add(1)
	if span, ok := ctx.Value(appSpanKey{}).(trace.Span); ok {
		span.End()
	}
}

func (t *appTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	t.batches.Add(1)
	return ctx
}

func (t *appTracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	t.batchQueries.Add(1)
}

func (t *appTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {
	t.batchEnds.Add(1)
}

func (t *appTracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromStartData) context.Context {
	t.copies.Add(1)
	return ctx
}

func (t *appTracer) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {
	t.copyEnds.Add(1)
}

func (t *appTracer) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	t.prepares.Add(1)
	return ctx
}

func (t *appTracer) TracePrepareEnd(context.Context, *pgx.Conn, pgx.TracePrepareEndData) {
	t.prepareEnds.Add(1)
}

func (t *appTracer) TraceConnectStart(ctx context.Context, _ pgx.TraceConnectStartData) context.Context {
	t.connects.Add(1)
	return ctx
}

func (t *appTracer) TraceConnectEnd(context.Context, pgx.TraceConnectEndData) { t.connectEnds.Add(1) }

func (t *appTracer) String() string {
	return fmt.Sprintf("app tracer: queries %d/%d batches %d/%d/%d copies %d/%d prepares %d/%d connects %d/%d",
		t.queries.Load(), t.queryEnds.Load(), t.batches.Load(), t.batchQueries.Load(), t.batchEnds.Load(),
		t.copies.Load(), t.copyEnds.Load(), t.prepares.Load(), t.prepareEnds.Load(), t.connects.Load(), t.connectEnds.Load())
}

func run(url string, tracer *appTracer) error {
	ctx, root := otel.Tracer("app").Start(context.Background(), "run")
	defer root.End()

	// A connection whose configuration has the program's tracer.
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.Tracer = tracer
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if err := session(ctx, conn); err != nil {
		return err
	}

	// A pool; a query with its context, and one without a span in its
	// context, from a goroutine: its parent is "run".
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM pgx_greetings WHERE name <> $1", "nobody").Scan(&n); err != nil {
		return fmt.Errorf("pool: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var n int
		if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM pgx_greetings").Scan(&n); err != nil {
			fmt.Fprintln(os.Stderr, "goroutine:", err)
			os.Exit(1)
		}
	}()
	wg.Wait()

	// database/sql through pgx's driver, opened by name and from the
	// pool: rules/databasesql traces these calls, the pgx tracer must not.
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	var v int
	if err := db.QueryRowContext(ctx, "SELECT 42 AS dbsql").Scan(&v); err != nil || v != 42 {
		return fmt.Errorf("database/sql: %d, %v", v, err)
	}
	pdb := stdlib.OpenDBFromPool(pool)
	defer pdb.Close()
	tx, err := pdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE pgx_greetings SET name = $1 WHERE id = $2", "dbsql", 5); err != nil {
		return err
	}
	return tx.Commit()
}

// session makes each kind of call on conn.
func session(ctx context.Context, conn *pgx.Conn) error {
	for _, q := range []string{
		"DROP TABLE IF EXISTS pgx_greetings",
		"CREATE TABLE pgx_greetings (id int PRIMARY KEY, name text)",
		// Literals in the statement: db.query.text must not show them.
		"INSERT INTO pgx_greetings (id, name) VALUES (1, 'ada')",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %v", q, err)
		}
	}
	if _, err := conn.Exec(ctx, "INSERT INTO pgx_greetings (id, name) VALUES ($1, $2)", 2, "grace"); err != nil {
		return err
	}
	var name string
	if err := conn.QueryRow(ctx, "SELECT name FROM pgx_greetings WHERE id = $1", 2).Scan(&name); err != nil || name != "grace" {
		return fmt.Errorf("query row: %q, %v", name, err)
	}
	// No row: not a failure.
	if err := conn.QueryRow(ctx, "SELECT name FROM pgx_greetings WHERE id = $1", 99).Scan(&name); !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("no rows: %v", err)
	}
	rows, err := conn.Query(ctx, "SELECT id, name FROM pgx_greetings ORDER BY id")
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil || n != 2 {
		return fmt.Errorf("query: %d rows, %v", n, err)
	}

	// Two batches: one of inserts alone, one mixed.
	b := &pgx.Batch{}
	b.Queue("INSERT INTO pgx_greetings (id, name) VALUES ($1, $2)", 3, "edsger")
	b.Queue("INSERT INTO pgx_greetings (id, name) VALUES ($1, $2)", 4, "barbara")
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("batch: %v", err)
	}
	b = &pgx.Batch{}
	b.Queue("UPDATE pgx_greetings SET name = 'secret' WHERE id = 4")
	b.Queue("SELECT count(*) FROM pgx_greetings")
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("mixed batch: %v", err)
	}

	copied, err := conn.CopyFrom(ctx, pgx.Identifier{"pgx_greetings"}, []string{"id", "name"},
		pgx.CopyFromRows([][]any{{5, "alan"}, {6, "kathleen"}}))
	if err != nil || copied != 2 {
		return fmt.Errorf("copy: %d, %v", copied, err)
	}

	// A failing statement.
	if _, err := conn.Exec(ctx, "SELECT * FROM no_such_table"); err == nil {
		return errors.New("no error from a missing table")
	}

	// A statement prepared under a name, run by that name.
	if _, err := conn.Prepare(ctx, "rename", "UPDATE pgx_greetings SET name = $1 WHERE id = $2"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "rename", "lovelace", 1); err != nil {
		return err
	}

	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM pgx_greetings WHERE id = $1", 6); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}

	// The program's tracer makes a span of its own under otelgen's.
	var one int
	return conn.QueryRow(ctx, "SELECT 1 AS chained").Scan(&one)
}

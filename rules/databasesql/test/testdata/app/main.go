// The test program of the database/sql integration: for each name=dsn
// argument (pq, pgx, mysql, sqlite) it runs the same session against that
// database, inside a span of its own named "run NAME", with every kind of
// call database/sql has.
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/lib/pq"
	"go.opentelemetry.io/otel"
	_ "modernc.org/sqlite"
)

func main() {
	for _, arg := range os.Args[1:] {
		name, dsn, _ := strings.Cut(arg, "=")
		if err := run(name, dsn); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		fmt.Println("done", name)
	}
}

// open opens the database each way a program does: sql.Open with the
// driver's name, or sql.OpenDB with the driver's connector.
func open(name, dsn string) (*sql.DB, error) {
	switch name {
	case "pq":
		return sql.Open("postgres", dsn)
	case "pq-connector":
		c, err := pq.NewConnector(dsn)
		if err != nil {
			return nil, err
		}
		return sql.OpenDB(c), nil
	case "pgx":
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, err
		}
		return stdlib.OpenDB(*cfg), nil
	case "mysql":
		return sql.Open("mysql", dsn)
	case "mysql-connector":
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			return nil, err
		}
		c, err := mysql.NewConnector(cfg)
		if err != nil {
			return nil, err
		}
		return sql.OpenDB(c), nil
	case "sqlite":
		return sql.Open("sqlite", dsn)
	}
	return nil, fmt.Errorf("no database %q", name)
}

func run(name, dsn string) error {
	db, err := open(name, dsn)
	if err != nil {
		return err
	}
	ctx, root := otel.Tracer("app").Start(context.Background(), "run "+name)
	defer root.End()
	if strings.HasSuffix(name, "-connector") {
		return db.PingContext(ctx)
	}
	ph := func(n int) string { return "?" }
	if strings.HasPrefix(name, "p") {
		ph = func(n int) string { return fmt.Sprintf("$%d", n) }
	}
	table := "greetings_" + name

	if err := db.PingContext(ctx); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE "+table+" (id INT PRIMARY KEY, name VARCHAR(50))"); err != nil {
		return err
	}
	// Literals in the statement: db.query.text must not show them.
	if _, err := db.ExecContext(ctx, "INSERT INTO "+table+" (id, name) VALUES (1, 'ada')"); err != nil {
		return err
	}

	// A transaction with a prepared statement, committed, then the usual
	// deferred Rollback, which does nothing.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (id, name) VALUES ("+ph(1)+", "+ph(2)+")", 2, "grace"); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, "SELECT name FROM "+table+" WHERE id = "+ph(1))
	if err != nil {
		return err
	}
	var got string
	if err := stmt.QueryRowContext(ctx, 2).Scan(&got); err != nil || got != "grace" {
		return fmt.Errorf("tx statement: %q, %v", got, err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if err := tx.Rollback(); !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("rollback after commit: %v", err)
	}

	// A transaction begun without a context, rolled back.
	tx, err = db.Begin()
	if err != nil {
		return err
	}
	if err := tx.Rollback(); err != nil {
		return err
	}

	// A connection of its own: a query whose rows are read in a loop.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, "SELECT id, name FROM "+table+" ORDER BY id")
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil || n != 2 {
		return fmt.Errorf("conn query: %d rows, %v", n, err)
	}
	rows.Close()
	if err := conn.PingContext(ctx); err != nil {
		return err
	}
	conn.Close()

	// A statement prepared on the DB, executed.
	dstmt, err := db.PrepareContext(ctx, "UPDATE "+table+" SET name = "+ph(1)+" WHERE id = "+ph(2))
	if err != nil {
		return err
	}
	if _, err := dstmt.ExecContext(ctx, "lovelace", 1); err != nil {
		return err
	}
	dstmt.Close()

	// A failing statement, and a query that finds no row (not a failure).
	if _, err := db.ExecContext(ctx, "SELECT * FROM no_such_table"); err == nil {
		return errors.New("no error from a missing table")
	}
	if err := db.QueryRowContext(ctx, "SELECT name FROM "+table+" WHERE id = "+ph(1), 99).Scan(&got); !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no rows: %v", err)
	}

	// A query without a context, from a goroutine: its parent is "run".
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var count int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&count); err != nil || count != 2 {
			fmt.Fprintln(os.Stderr, "count:", count, err)
			os.Exit(1)
		}
	}()
	wg.Wait()
	return nil
}

// Command select runs SELECT 1 in a loop against $DSN through pgx's
// database/sql driver, with no instrumentation of its own: bench/sql.sh
// builds it plain and with otelgen.
package main

import (
	"database/sql"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"

	"example.com/sqlload/loop"
)

func main() {
	db, err := sql.Open("pgx", os.Getenv("DSN"))
	if err != nil {
		panic(err)
	}
	loop.Run(db)
}

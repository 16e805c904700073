// Command otelsql is select instrumented by hand with otelsql (the driver
// wrapped, its pool metrics registered), with the SDK set up as rules/sdk
// sets it up: exporters from the OTEL_* environment, a batch span
// processor, a periodic metric reader.
package main

import (
	"os"

	"github.com/XSAM/otelsql"
	_ "github.com/jackc/pgx/v5/stdlib"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"

	"example.com/loadkit/handsdk"
	"example.com/sqlload/loop"
)

func main() {
	defer handsdk.Start()()

	db, err := otelsql.Open("pgx", os.Getenv("DSN"), otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL))
	if err != nil {
		panic(err)
	}
	if _, err := otelsql.RegisterDBStatsMetrics(db, otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL)); err != nil {
		panic(err)
	}
	loop.Run(db)
}

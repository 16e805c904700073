// Command select runs SELECT 1 in a loop against $DSN on a pgx connection,
// with no instrumentation of its own: bench/pgx.sh builds it plain and with
// otelgen.
package main

import "example.com/pgxload/loop"

func main() { loop.Run(loop.Config()) }

// Command s3server serves GoFakeS3 (github.com/johannesboyne/gofakes3), the
// S3-compatible server that rules/awssdk's tests use, keeping its buckets
// in memory, on the address -addr: bench/awssdk.sh runs it in a process of
// its own, so that its CPU time is not the measured program's.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	log.Fatal(http.ListenAndServe(*addr, gofakes3.New(s3mem.New()).Server()))
}

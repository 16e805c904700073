// Command names is the slog integration's test program for the fields'
// names that otelgen.yaml (and the variables) give: it logs inside GET
// /log with slog's JSON and text handlers, slog's default handler (which
// writes through the standard logger) and log itself, including records
// that name a trace of their own under either of two names, each record's
// message naming its case, all to stdout. It prints "listening URL" and
// returns from main when its stdin ends.
package main

import (
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
)

func main() {
	log.SetOutput(os.Stdout)
	log.SetFlags(0)
	jsonL := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	textL := slog.New(slog.NewTextHandler(os.Stdout, nil))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /log", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		jsonL.InfoContext(ctx, "json-ctx")
		textL.Info("text-noctx")
		slog.Info("default")
		log.Print("STD std-line")
		jsonL.Info("json-mine-yaml", "trace.id", "mine")
		jsonL.Info("json-mine-env", "traceId", "mine")
		log.Print("STD std-mine-yaml trace.id=mine")
		log.Print("STD std-mine-env traceId=mine")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, mux)
	fmt.Println("listening", "http://"+ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
}

// Package app is the small net/http server that every build of the load
// benchmark serves: the plain build and the otelgen build of cmd/server, and
// the hand-instrumented cmd/otelhttp.
package app

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// Handler answers GET /hello/{name} with a line of text.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "hello, "+r.PathValue("name")+"\n")
	})
	return mux
}

// Serve listens on HTTPLOAD_ADDR (127.0.0.1:0, a free port, by default),
// prints "httpload: listening on ADDR" and serves h until the process ends.
func Serve(h http.Handler) error {
	addr := os.Getenv("HTTPLOAD_ADDR")
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	startPprof()
	fmt.Printf("httpload: listening on %s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// Package app is the small net/http server that every build of the load
// benchmark serves: the plain build and the otelgen build of cmd/server, and
// the hand-instrumented cmd/otelhttp; the other servers (gin, fasthttp,
// fiber, hertz) listen through it.
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

// Listen listens on HTTPLOAD_ADDR (127.0.0.1:0, a free port, by default),
// starts net/http/pprof in builds with the pprof tag, and prints
// "httpload: listening on ADDR", the line the scripts wait for. The servers
// that are not net/http's (fasthttp, fiber, hertz) serve on its listener.
func Listen() (net.Listener, error) {
	addr := os.Getenv("HTTPLOAD_ADDR")
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	startPprof()
	fmt.Printf("httpload: listening on %s\n", ln.Addr())
	return ln, nil
}

// Serve serves h with net/http on Listen's listener until the process ends.
func Serve(h http.Handler) error {
	ln, err := Listen()
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

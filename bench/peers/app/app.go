// Package app is the server that bench/peers.sh builds four ways: GET /
// calls GET /backend on the same server through an http.Client and answers
// with what it got, so that one request makes a server span, a client span
// and a second server span in each traced build.
package app

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// Handler serves / and /backend. Client makes the call from / to /backend:
// http.DefaultClient's transport for the plain, otelgen and orchestrion
// builds, otelhttp's transport for the manual one. base is filled in by Serve.
func Handler(client *http.Client) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backend", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "backend\n")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, base+"/backend", nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			http.Error(w, fmt.Sprintf("backend: %d %v", resp.StatusCode, err), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "front, ")
		w.Write(body)
	})
	return mux
}

// base is http://ADDR of the server, for the call to /backend.
var base string

// Client is the client the plain, otelgen and orchestrion builds use: the
// default transport with enough idle connections per host that the call
// to /backend reuses them under load (the default keeps 2).
func Client() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 256
	return &http.Client{Transport: t}
}

// Serve listens on HTTPLOAD_ADDR (127.0.0.1:0, a free port, by default),
// prints "httpload: listening on ADDR" (the line bench/lib.sh waits for) and
// serves h until the process ends.
func Serve(h http.Handler) error {
	addr := os.Getenv("HTTPLOAD_ADDR")
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base = "http://" + ln.Addr().String()
	startPprof()
	fmt.Printf("httpload: listening on %s\n", ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

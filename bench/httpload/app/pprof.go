//go:build pprof

package app

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// startPprof serves net/http/pprof on HTTPLOAD_PPROF (for instance
// 127.0.0.1:0), a port of its own, in builds with the pprof tag only.
// bench/peers/app/pprof.go holds the same function, and the scripts read
// the line both print: keep them alike. Two copies, because each app is a
// module of its own, and example.com/peers takes no requirement on
// example.com/httpload (gin, autoexport) for these lines.
func startPprof() {
	addr := os.Getenv("HTTPLOAD_PPROF")
	if addr == "" {
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpload: pprof:", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	fmt.Printf("httpload: pprof on %s\n", ln.Addr())
	go http.Serve(ln, mux)
}

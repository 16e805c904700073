// Command app is the net/http integration's test program. It knows nothing
// of OpenTelemetry: it serves GET /hello/{name}, whose handler calls a second
// server of its own with http.Get (no context), and GET /panic, whose
// handler panics, and GET /ws, which upgrades the connection, through a ServeMux behind a middleware that gives the
// request a new context; prints "listening URL", and returns from main when
// its stdin ends.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	greeter := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s", r.URL.Query().Get("name"))
	}))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Served-By", "hello")
		resp, err := http.Get(greeter + "/greeting?name=" + r.PathValue("name"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		io.Copy(w, resp.Body)
	})
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) {
		panic("kaboom")
	})
	// A websocket-like upgrade: the handler hijacks the connection, answers
	// 101 on it, echoes one line and hangs up.
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		brw.Flush()
		line, _ := brw.ReadString('\n')
		brw.WriteString("echo " + line)
		brw.Flush()
	})
	fmt.Println("listening", serve(withValue(mux)))
	io.Copy(io.Discard, os.Stdin)
}

type key struct{}

// withValue is a middleware of the usual kind: the mux gets a request of
// its own, with a new context.
func withValue(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, "v")))
	})
}

// serve serves h on a loopback port and returns its URL.
func serve(h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, h)
	return "http://" + ln.Addr().String()
}

// Command app is the chi integration's test program. It knows nothing of
// OpenTelemetry. It serves, through a chi router with middleware.Recoverer:
//
//	GET /users/{id}  calls GET /api/ping on itself with http.Get (no context)
//	GET /api/ping    answers "pong", from a sub-router
//	GET /panic       panics; middleware.Recoverer answers 500
//
// prints "listening URL", and returns from main when its stdin ends.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	self := "http://" + ln.Addr().String()

	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Get("/users/{id}", func(w http.ResponseWriter, req *http.Request) {
		resp, err := http.Get(self + "/api/ping")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		pong, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "user %s: %s", chi.URLParam(req, "id"), pong)
	})
	r.Route("/api", func(r chi.Router) {
		r.Get("/ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "pong") })
	})
	r.Get("/panic", func(http.ResponseWriter, *http.Request) { panic("kaboom") })

	go http.Serve(ln, r)
	fmt.Println("listening", self)
	io.Copy(io.Discard, os.Stdin)
}

// Command app is the gorilla/mux integration's test program. It knows
// nothing of OpenTelemetry. It serves, through a mux.Router inside a
// recovery handler of its own:
//
//	GET /users/{id}  calls GET /api/ping on itself with http.Get (no context)
//	GET /api/ping    answers "pong", from a sub-router
//	GET /panic       panics; the recovery handler answers 500 "recovered"
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

	"github.com/gorilla/mux"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	self := "http://" + ln.Addr().String()

	r := mux.NewRouter()
	r.HandleFunc("/users/{id}", func(w http.ResponseWriter, req *http.Request) {
		resp, err := http.Get(self + "/api/ping")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		pong, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "user %s: %s", mux.Vars(req)["id"], pong)
	}).Methods("GET")
	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "pong") })
	r.HandleFunc("/panic", func(http.ResponseWriter, *http.Request) { panic("kaboom") })

	go http.Serve(ln, recovery(r))
	fmt.Println("listening", self)
	io.Copy(io.Discard, os.Stdin)
}

// recovery answers 500 to a request whose handler panicked, as
// gorilla/handlers.RecoveryHandler does.
func recovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("recovered: %v", v)
				http.Error(w, "recovered", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Command app is the httprouter integration's test program. It knows
// nothing of OpenTelemetry. It serves, through an httprouter.Router with a
// PanicHandler:
//
//	GET /users/:id  calls GET /ping on itself with http.Get (no context)
//	GET /ping       answers "pong" (registered with HandlerFunc)
//	GET /panic      panics; the PanicHandler answers 500 "recovered"
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

	"github.com/julienschmidt/httprouter"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	self := "http://" + ln.Addr().String()

	r := httprouter.New()
	r.GET("/users/:id", func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		resp, err := http.Get(self + "/ping")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		pong, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "user %s: %s", ps.ByName("id"), pong)
	})
	r.HandlerFunc("GET", "/ping", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "pong") })
	r.GET("/panic", func(http.ResponseWriter, *http.Request, httprouter.Params) { panic("kaboom") })
	r.PanicHandler = func(w http.ResponseWriter, _ *http.Request, v interface{}) {
		log.Printf("recovered: %v", v)
		http.Error(w, "recovered", http.StatusInternalServerError)
	}

	go http.Serve(ln, r)
	fmt.Println("listening", self)
	io.Copy(io.Discard, os.Stdin)
}

// Command httpapp is the small net/http program of the build benchmark: a
// server that answers with a UUID, and a client that calls it once.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"github.com/google/uuid"

	"example.com/httpapp/hooks"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/id", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, uuid.NewString())
	})
	go http.Serve(ln, mux)

	req, err := http.NewRequest("GET", "http://"+ln.Addr().String()+"/id", nil)
	if err != nil {
		log.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Printf("id %d bytes, hook calls %d\n", len(body), hooks.Calls.Load())
}

// Command wrapped is instrumented by hand with otelhttp, as programs are
// before they meet otelgen: it serves a ServeMux wrapped with
// otelhttp.NewHandler and makes three requests to it, two with the default
// client and one with a client whose transport is otelhttp.NewTransport.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "item ", r.PathValue("id"))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, otelhttp.NewHandler(mux, "wrapped"))

	wrapped := &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}
	for i, client := range []*http.Client{http.DefaultClient, http.DefaultClient, wrapped} {
		resp, err := client.Get(fmt.Sprintf("http://%s/items/%d", ln.Addr(), i))
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%d %s\n", resp.StatusCode, body)
	}
}

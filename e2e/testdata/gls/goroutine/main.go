// Command goroutine serves a handler that calls http.Get, with no context,
// from a goroutine it starts and waits for; main calls the handler once. It
// knows nothing of OpenTelemetry.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /downstream", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "downstream")
	})
	mux.HandleFunc("GET /handler", func(w http.ResponseWriter, r *http.Request) {
		var got string
		done := make(chan struct{})
		go func() {
			defer close(done)
			got = get(base + "/downstream")
		}()
		<-done
		fmt.Fprintf(w, "handler got %s", got)
	})
	go http.Serve(ln, mux)
	fmt.Println(get(base + "/handler"))
}

func get(url string) string {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s", resp.StatusCode, body)
}

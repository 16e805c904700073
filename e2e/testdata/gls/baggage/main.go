// Command baggage serves /bag, whose handler reads the baggage from a context
// that carries none, context.Background(), and calls the peer given as its
// argument with http.Get (no context), from its own goroutine and from one it
// starts. It prints "listening <base URL>" and returns from main when its
// standard input ends.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"go.opentelemetry.io/otel/baggage"
)

func main() {
	peer := os.Args[1]
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("GET /bag", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "k=%q\n", baggage.FromContext(context.Background()).Member("k").Value())
		fmt.Fprintln(w, "peer:", get(peer+"?from=handler"))
		done := make(chan string)
		go func() { done <- get(peer + "?from=goroutine") }()
		fmt.Fprintln(w, "peer from a goroutine:", <-done)
	})
	go http.Serve(ln, nil)
	fmt.Println("listening http://" + ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
}

func get(url string) string {
	resp, err := http.Get(url)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s", resp.StatusCode, body)
}

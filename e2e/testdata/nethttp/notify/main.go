// Command notify handles SIGTERM itself: it makes a request, says "ready",
// and when the signal comes it makes another request and exits with
// status 7. It knows nothing of OpenTelemetry.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := "http://" + ln.Addr().String()
	get(url + "/before-signal")
	fmt.Println("ready")

	select {
	case sig := <-sigs:
		fmt.Println("handler ran:", sig)
	case <-time.After(time.Minute):
		fmt.Println("not signaled")
		return
	}
	get(url + "/after-signal")
	os.Exit(7)
}

func get(url string) {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

// Command exit makes one request to its own server, then ends with
// os.Exit(3): main never returns. It knows nothing of OpenTelemetry.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "bye")
	}))
	resp, err := http.Get("http://" + ln.Addr().String() + "/before-exit")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// Stdout is left to the console exporter: the test reads spans there.
	fmt.Fprintf(os.Stderr, "exit: %d %s\n", resp.StatusCode, body)
	os.Exit(3)
}

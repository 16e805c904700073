// Command app is the SDK set-up's test program. It knows nothing of
// OpenTelemetry: it makes one GET request to the URL it is given (the
// net/http client rule makes a CLIENT span and injects the trace context
// through the global propagator), prints the response's status, then, when a
// duration follows the URL, waits that long, so that periodic exports run,
// and returns from main.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: app URL [duration]")
		os.Exit(2)
	}
	resp, err := http.Get(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "app:", err)
		os.Exit(1)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	fmt.Println("status", resp.StatusCode)
	if len(os.Args) > 2 {
		d, err := time.ParseDuration(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, "app:", err)
			os.Exit(2)
		}
		time.Sleep(d)
	}
}

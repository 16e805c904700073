// Command app is the standard log package's integration test program. It
// knows nothing of OpenTelemetry: it logs with the standard logger and with
// Loggers of its own, outside any request and inside the request GET /log,
// each line's first word naming its case, all to stdout. It prints
// "listening URL" and returns from main when its stdin ends.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
)

// early is made before main, so before otelgen starts the SDK.
var early = log.New(os.Stdout, "app: ", log.Lmsgprefix)

func main() {
	log.SetOutput(os.Stdout)
	log.SetFlags(0)
	dated := log.New(os.Stdout, "", log.LstdFlags|log.Lshortfile)

	log.Print("std-outside")
	early.Print("early-outside")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /log", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s", "std-printf")
		log.Println("std-println")
		log.Output(1, "std-output")
		early.Print("early")
		dated.Print("dated")
		log.Print("std-mine trace_id=mine")
		var wg sync.WaitGroup
		wg.Go(func() { log.Print("std-goroutine") })
		wg.Wait()
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, mux)
	fmt.Println("listening", "http://"+ln.Addr().String())
	io.Copy(io.Discard, os.Stdin)
	log.Print("std-after")
}

// Command demo is a small multi-hop net/http program that knows nothing of
// OpenTelemetry: a client calls a frontend, which calls a backend twice, once
// passing the request's context on and once, from another goroutine, without
// any context. Built with otelgen's overlay, every request still becomes one
// trace of six spans: the goroutine-local storage carries the trace where the
// context does not.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
)

func main() { if otelgen_sdk_main_return_before != nil { otelgen_c := otelgen_sdk_main_return_enter(); defer otelgen_sdk_main_return_exit(otelgen_c); if otelgen_c.skip { return } };
	backend := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/audit" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		name := r.URL.Query().Get("name")
		if name == "" {
			http.Error(w, "who?", http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "hello, %s", name)
	}))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /greet/{name}", func(w http.ResponseWriter, r *http.Request) {
		// An audit call from another goroutine, with no context at all.
		done := make(chan struct{})
		go func() {
			defer close(done)
			if resp, err := http.Get(backend + "/audit"); err == nil {
				resp.Body.Close()
			}
		}()
		defer func() { <-done }()

		// The greeting passes the request's context on, as it should.
		req, _ := http.NewRequestWithContext(r.Context(), "GET", backend+"/greeting?name="+r.PathValue("name"), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "%s!", strings.ToUpper(string(body)))
	})
	frontend := serve(mux)

	for _, name := range []string{"ada", "grace"} {
		resp, err := http.Get(frontend + "/greet/" + name)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Fprintf(os.Stderr, "demo: GET /greet/%s -> %d %s\n", name, resp.StatusCode, body)
	}
}

// serve starts a server for h on a free loopback port and returns its URL.
func serve(h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, h)
	return "http://" + ln.Addr().String()
}

// Trampolines of rule sdk-main-return on example.com/demo.main, added by otelgen.

type otelgen_sdk_main_return_before_func func(*otelgen_call)

type otelgen_sdk_main_return_after_func func(*otelgen_call)

func otelgen_sdk_main_return_enter() (otelgen_c *otelgen_call) {
	otelgen_c = &otelgen_call{fn: "example.com/demo.main"}
	defer func() {
		if recover() != nil {
			otelgen_c.skip, otelgen_c.results = false, nil
		}
	}()
	otelgen_sdk_main_return_before(otelgen_c)
	return
}

func otelgen_sdk_main_return_exit(otelgen_c *otelgen_call) {
	defer func() {
		if recover() != nil {
		}
	}()
	otelgen_sdk_main_return_after(otelgen_c)
	return
}

// Command hops is the net/http program of the end-to-end tests. It knows
// nothing of OpenTelemetry: it runs two servers and makes requests that
// hop client → server → client → server, get a 404, a 500, and a transport
// error, and that call a peer (the test's own, uninstrumented server, whose
// URL is its argument) with a baggage header set by hand on the way in.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: hops PEER_URL")
	}
	peer := os.Args[1]

	backend := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			fmt.Fprint(w, "ok ", r.URL.Query().Get("x"))
		case "/fail":
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /route/{x}", func(w http.ResponseWriter, r *http.Request) {
		body, err := get(r.Context(), backend+"/ok?x="+r.PathValue("x"), nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "routed: %s", body)
	})
	mux.HandleFunc("GET /peer", func(w http.ResponseWriter, r *http.Request) {
		body, err := get(r.Context(), peer, nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "peer: %s", body)
	})
	frontend := serve(mux)

	ctx := context.Background()
	for _, c := range []struct {
		url    string
		header http.Header
	}{
		{url: frontend + "/route/abc"},
		{url: backend + "/missing"},
		{url: backend + "/fail"},
		{url: frontend + "/peer", header: http.Header{"Baggage": {"tenant=acme"}}},
	} {
		body, err := get(ctx, c.url, c.header)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", c.url, body)
	}

	// A port nobody listens on: the request fails in the transport.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/closed"
	ln.Close()
	if _, err := get(ctx, closed, nil); err == nil {
		log.Fatalf("GET %s succeeded", closed)
	}
	fmt.Println("closed port: error")
}

// get sends a GET and returns the status line and the body.
func get(ctx context.Context, url string, header http.Header) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return "", err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %q", resp.StatusCode, body), err
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

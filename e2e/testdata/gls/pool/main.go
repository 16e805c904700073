// Command pool hands work to long-lived worker goroutines, which call
// http.Get with no context. Pool "early" is started in main before the
// server; its workers serve the jobs of concurrent /submit requests. Pool
// "late" is started by the handler of the first request, /spawn, and serves
// one job during it, then the jobs of /reuse requests after it has ended. It
// knows nothing of OpenTelemetry.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
)

type job struct {
	url  string
	done chan string
}

func worker(jobs <-chan job) {
	for j := range jobs {
		j.done <- get(j.url)
	}
}

// run hands one job to a pool and waits for it.
func run(pool chan<- job, url string) string {
	j := job{url: url, done: make(chan string)}
	pool <- j
	return <-j.done
}

func main() {
	early := make(chan job)
	for range 4 {
		go worker(early)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	late := make(chan job) // its workers are started by /spawn
	mux := http.NewServeMux()
	mux.HandleFunc("GET /downstream", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "done ", r.URL.Query().Get("job"))
	})
	mux.HandleFunc("GET /submit", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, run(early, base+"/downstream?job=submit-"+r.URL.Query().Get("id")))
	})
	mux.HandleFunc("GET /spawn", func(w http.ResponseWriter, r *http.Request) {
		for range 2 {
			go worker(late)
		}
		fmt.Fprint(w, run(late, base+"/downstream?job=spawn"))
	})
	mux.HandleFunc("GET /reuse", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, run(late, base+"/downstream?job=reuse-"+r.URL.Query().Get("id")))
	})
	go http.Serve(ln, mux)

	fmt.Println("spawn:", get(base+"/spawn"))
	concurrently(8, func(i int) string { return get(fmt.Sprintf("%s/submit?id=%d", base, i)) })
	concurrently(4, func(i int) string { return get(fmt.Sprintf("%s/reuse?id=%d", base, i)) })
}

// concurrently calls f(0) to f(n-1) at once and prints the results in order.
func concurrently(n int, f func(int) string) {
	out := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i] = f(i) })
	}
	wg.Wait()
	for _, s := range out {
		fmt.Println(s)
	}
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

// Command million starts and ends a million goroutines (or as many as its
// argument says), in batches, from the handler of a request: under a live
// server span, which every one of them inherits. Then the heap in use must be
// back near where it began, since a goroutine that has ended must keep
// nothing alive. It prints the figures, and exits 1 when the heap grew by
// more than 10 MiB and by more than 20 %. It knows nothing of OpenTelemetry.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

const (
	batch  = 1000 // under the race detector's limit of 8128 live goroutines
	margin = 10 << 20
)

var ran atomic.Int64

func main() {
	n := 1_000_000
	if len(os.Args) > 1 {
		var err error
		if n, err = strconv.Atoi(os.Args[1]); err != nil || n%batch != 0 {
			log.Fatalf("want a multiple of %d goroutines, not %s", batch, os.Args[1])
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	var failed atomic.Bool
	http.HandleFunc("GET /spawn", func(w http.ResponseWriter, r *http.Request) {
		failed.Store(spawn(w, n))
	})
	go http.Serve(ln, nil)
	resp, err := http.Get("http://" + ln.Addr().String() + "/spawn")
	if err != nil {
		log.Fatal(err)
	}
	io.Copy(os.Stdout, resp.Body)
	resp.Body.Close()
	if failed.Load() || ran.Load() != int64(n) {
		fmt.Printf("FAIL: %d goroutines ran, want %d\n", ran.Load(), n)
		os.Exit(1)
	}
}

// spawn runs n goroutines and reports on w; it returns whether the heap did
// not come back.
func spawn(w io.Writer, n int) (failed bool) {
	before, goroutines := heapInuse(), runtime.NumGoroutine()
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i += batch {
		// Each goroutine starts one more: the storage is inherited through
		// two go statements.
		for range min(batch, n-i) / 2 {
			wg.Add(2)
			go func() {
				ran.Add(1)
				go func() {
					ran.Add(1)
					wg.Done()
				}()
				wg.Done()
			}()
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	after := heapInuse()
	for range 2 {
		after = min(after, heapInuse())
	}
	growth := int64(after) - int64(before)
	failed = growth > margin && float64(growth) > 0.2*float64(before)
	fmt.Fprintf(w, "goroutines: %d started in %v; %d running before, %d after\n", n, elapsed.Round(time.Millisecond), goroutines, runtime.NumGoroutine())
	fmt.Fprintf(w, "HeapInuse: %.1f MiB before, %.1f MiB after (%+.1f MiB, %+.1f %%; limit +%d MiB or +20 %%)\n",
		mib(before), mib(after), float64(growth)/(1<<20), 100*float64(growth)/float64(before), margin>>20)
	if failed {
		fmt.Fprintln(w, "FAIL: the heap did not come back")
	}
	return failed
}

func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

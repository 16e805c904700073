// The app requests the URL it is given and exits, after making some
// garbage and some goroutines for the runtime metrics to count.
package main

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
)

var sink [][]byte

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				sink = append(sink[:0], make([]byte, 4096))
			}
		}()
	}
	wg.Wait()
	runtime.GC()
	resp, err := http.Get(os.Args[1])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	resp.Body.Close()
	fmt.Println("status", resp.StatusCode)
}

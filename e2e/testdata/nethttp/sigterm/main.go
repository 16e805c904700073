// Command sigterm makes one request to its own server, says "ready", then
// makes a request for each line it reads on stdin, and waits: it does not
// handle signals, so SIGTERM ends it. It knows nothing of OpenTelemetry.
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := "http://" + ln.Addr().String()
	get(url + "/before-signal")
	fmt.Println("ready")
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		get(url + "/" + sc.Text())
		fmt.Println("got", sc.Text())
	}
	time.Sleep(time.Minute)
	fmt.Println("not signaled")
}

func get(url string) {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
}

// Command load is the load generator bench/http.sh falls back on when wrk is
// not installed: -c connections, each a goroutine sending GET requests one
// after another over one keep-alive HTTP/1.1 connection (a closed loop, as
// wrk does), for -d. It prints
//
//	requests N errors N rps X p50_us X p99_us X
//
// With -get URL it prints the body of one GET instead (bench/http.sh reads
// the sink's counters that way).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "", "URL to load")
	conns := flag.Int("c", 32, "connections")
	dur := flag.Duration("d", 10*time.Second, "duration")
	get := flag.String("get", "", "print the body of a GET of this URL, and exit")
	flag.Parse()
	if *get != "" {
		resp, err := http.Get(*get)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
			log.Fatal(err)
		}
		return
	}
	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		log.Fatalf("load: -url: %q is not an http URL", *target)
	}
	req := []byte("GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: httpload\r\n\r\n")

	deadline := time.Now().Add(*dur)
	lat := make([][]time.Duration, *conns)
	errs := make([]int, *conns)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range *conns {
		wg.Go(func() {
			lat[i] = make([]time.Duration, 0, 1<<16)
			errs[i] = worker(u.Host, req, deadline, &lat[i])
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	all := slices.Concat(lat...)
	slices.Sort(all)
	nerr := 0
	for _, e := range errs {
		nerr += e
	}
	fmt.Printf("requests %d errors %d rps %.1f p50_us %.1f p99_us %.1f\n",
		len(all), nerr, float64(len(all))/elapsed.Seconds(),
		us(quantile(all, 0.50)), us(quantile(all, 0.99)))
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func quantile(s []time.Duration, q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	return s[int(q*float64(len(s)-1)+0.5)]
}

// worker sends requests over one connection (a new one after an error) until
// the deadline, appends each latency to lat, and returns how many failed.
func worker(addr string, req []byte, deadline time.Time, lat *[]time.Duration) int {
	nerr := 0
	for time.Now().Before(deadline) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			nerr++
			time.Sleep(10 * time.Millisecond)
			continue
		}
		conn.SetDeadline(deadline.Add(5 * time.Second))
		br := bufio.NewReaderSize(conn, 16<<10)
		for {
			t0 := time.Now()
			if !t0.Before(deadline) {
				break
			}
			if _, err := conn.Write(req); err != nil {
				nerr++
				break
			}
			if err := readResponse(br); err != nil {
				nerr++
				break
			}
			*lat = append(*lat, time.Since(t0))
		}
		conn.Close()
	}
	return nerr
}

var errStatus = errors.New("status not 200")

// readResponse reads one response with a Content-Length and discards it.
func readResponse(br *bufio.Reader) error {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
		return errStatus
	}
	length := -1
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(k, []byte("Content-Length")) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(v))); err != nil {
				return err
			}
		}
	}
	if length < 0 {
		return errors.New("response without Content-Length")
	}
	_, err = br.Discard(length)
	return err
}

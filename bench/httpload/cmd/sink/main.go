// Command sink is an OTLP/HTTP receiver that drops what it receives: it reads
// each request's body, counts it, and answers 200 with an empty body (an
// OTLP success). It listens on -addr (127.0.0.1:0 by default), prints
// "httpload: listening on ADDR", and answers GET /stats with its counters:
//
//	trace_requests N spans N metric_requests N bytes N
//
// Spans are counted by walking the protobuf wire format of
// ExportTraceServiceRequest, without decoding it.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"google.golang.org/protobuf/encoding/protowire"
)

var traceRequests, spans, metricRequests, received atomic.Int64

var bufs = sync.Pool{New: func() any { b := make([]byte, 0, 1<<20); return &b }}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", func(w http.ResponseWriter, r *http.Request) {
		bp := bufs.Get().(*[]byte)
		defer bufs.Put(bp)
		body, err := readBody(r, (*bp)[:0])
		*bp = body[:0]
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		traceRequests.Add(1)
		spans.Add(countSpans(body))
		ok(w)
	})
	mux.HandleFunc("POST /v1/", func(w http.ResponseWriter, r *http.Request) {
		bp := bufs.Get().(*[]byte)
		defer bufs.Put(bp)
		body, err := readBody(r, (*bp)[:0])
		*bp = body[:0]
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if strings.HasSuffix(r.URL.Path, "/metrics") {
			metricRequests.Add(1)
		}
		ok(w)
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "trace_requests %d spans %d metric_requests %d bytes %d\n",
			traceRequests.Load(), spans.Load(), metricRequests.Load(), received.Load())
	})
	fmt.Printf("httpload: listening on %s\n", ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}

func ok(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(http.StatusOK)
}

// readBody reads the (possibly gzipped) body into buf.
func readBody(r *http.Request, buf []byte) ([]byte, error) {
	var src io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bufio.NewReader(r.Body))
		if err != nil {
			return buf, err
		}
		src = zr
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		received.Add(int64(n))
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// countSpans counts the spans of an ExportTraceServiceRequest:
// resource_spans (1) > scope_spans (2) > spans (2).
func countSpans(b []byte) int64 {
	var n int64
	eachMessage(b, 1, func(rs []byte) {
		eachMessage(rs, 2, func(ss []byte) {
			eachMessage(ss, 2, func([]byte) { n++ })
		})
	})
	return n
}

// eachMessage calls f with every length-delimited field number num of the
// message b.
func eachMessage(b []byte, num protowire.Number, f func([]byte)) {
	for len(b) > 0 {
		n, typ, l := protowire.ConsumeTag(b)
		if l < 0 {
			return
		}
		b = b[l:]
		if typ == protowire.BytesType && n == num {
			v, l := protowire.ConsumeBytes(b)
			if l < 0 {
				return
			}
			f(v)
			b = b[l:]
			continue
		}
		l = protowire.ConsumeFieldValue(n, typ, b)
		if l < 0 {
			return
		}
		b = b[l:]
	}
}

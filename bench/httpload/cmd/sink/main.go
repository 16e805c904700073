// Command sink is an OTLP/HTTP receiver that drops what it receives: it reads
// each request's body, counts it, and answers 200 with an empty body (an
// OTLP success). It listens on -addr (127.0.0.1:0 by default), prints
// "httpload: listening on ADDR", and answers GET /stats with its counters:
//
//	trace_requests N spans N metric_requests N bytes N
//
// Spans are counted by walking the protobuf wire format of
// ExportTraceServiceRequest, without decoding it.
//
// It also stands in for a Datadog agent, for bench/peers.sh's orchestrion
// build: PUT or POST /v0.4/traces (a msgpack array of traces, each an array
// of spans) is read, its spans counted into the same counters, and answered
// 200 with an empty rate table; /info answers 404, so that the tracer keeps
// to v0.4 and computes no stats of its own; anything else under /v0.x/ or
// /telemetry/ is read and answered 200.
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
	datadog := func(w http.ResponseWriter, r *http.Request) {
		bp := bufs.Get().(*[]byte)
		defer bufs.Put(bp)
		body, err := readBody(r, (*bp)[:0])
		*bp = body[:0]
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		traceRequests.Add(1)
		spans.Add(countMsgpackSpans(body))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"rate_by_service":{}}`)
	}
	mux.HandleFunc("PUT /v0.4/traces", datadog)
	mux.HandleFunc("POST /v0.4/traces", datadog)
	mux.HandleFunc("/info", http.NotFound)
	drop := func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}
	mux.HandleFunc("/v0.5/", drop)
	mux.HandleFunc("/v0.6/", drop)
	mux.HandleFunc("/v0.7/", drop)
	mux.HandleFunc("/telemetry/", drop)
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

// countMsgpackSpans counts the spans of a Datadog v0.4 payload: an array of
// traces, each an array of spans. 0 when the payload is not that.
func countMsgpackSpans(b []byte) int64 {
	n, b, ok := msgpackArray(b)
	if !ok {
		return 0
	}
	var total int64
	for i := 0; i < n; i++ {
		var m int
		m, b, ok = msgpackArray(b)
		if !ok {
			return total
		}
		total += int64(m)
		for j := 0; j < m; j++ {
			if b, ok = msgpackSkip(b); !ok {
				return total
			}
		}
	}
	return total
}

// msgpackArray reads an array header.
func msgpackArray(b []byte) (n int, rest []byte, ok bool) {
	if len(b) == 0 {
		return 0, b, false
	}
	switch c := b[0]; {
	case c&0xf0 == 0x90:
		return int(c & 0x0f), b[1:], true
	case c == 0xdc && len(b) >= 3:
		return int(b[1])<<8 | int(b[2]), b[3:], true
	case c == 0xdd && len(b) >= 5:
		return int(b[1])<<24 | int(b[2])<<16 | int(b[3])<<8 | int(b[4]), b[5:], true
	}
	return 0, b, false
}

// msgpackSkip skips one msgpack value.
func msgpackSkip(b []byte) ([]byte, bool) {
	if len(b) == 0 {
		return b, false
	}
	c := b[0]
	be := func(k int) (int, bool) { // a big-endian length of k bytes after the tag
		if len(b) < 1+k {
			return 0, false
		}
		v := 0
		for _, x := range b[1 : 1+k] {
			v = v<<8 | int(x)
		}
		return v, true
	}
	fixed := func(k int) ([]byte, bool) {
		if len(b) < k {
			return b, false
		}
		return b[k:], true
	}
	items := func(hdr, n int) ([]byte, bool) {
		r, ok := fixed(hdr)
		for i := 0; ok && i < n; i++ {
			r, ok = msgpackSkip(r)
		}
		return r, ok
	}
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		return b[1:], true
	case c&0xf0 == 0x80:
		return items(1, 2*int(c&0x0f))
	case c&0xf0 == 0x90:
		return items(1, int(c&0x0f))
	case c&0xe0 == 0xa0:
		return fixed(1 + int(c&0x1f))
	}
	switch c {
	case 0xcc, 0xd0:
		return fixed(2)
	case 0xcd, 0xd1:
		return fixed(3)
	case 0xca, 0xce, 0xd2:
		return fixed(5)
	case 0xcb, 0xcf, 0xd3:
		return fixed(9)
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		return fixed(2 + 1<<(c-0xd4))
	case 0xc4, 0xd9, 0xc5, 0xda, 0xc6, 0xdb:
		k := map[byte]int{0xc4: 1, 0xd9: 1, 0xc5: 2, 0xda: 2, 0xc6: 4, 0xdb: 4}[c]
		n, ok := be(k)
		if !ok {
			return b, false
		}
		return fixed(1 + k + n)
	case 0xc7, 0xc8, 0xc9:
		k := map[byte]int{0xc7: 1, 0xc8: 2, 0xc9: 4}[c]
		n, ok := be(k)
		if !ok {
			return b, false
		}
		return fixed(1 + k + 1 + n)
	case 0xdc, 0xdd, 0xde, 0xdf:
		k := map[byte]int{0xdc: 2, 0xdd: 4, 0xde: 2, 0xdf: 4}[c]
		n, ok := be(k)
		if !ok {
			return b, false
		}
		if c >= 0xde {
			n *= 2
		}
		return items(1+k, n)
	}
	return b, false
}

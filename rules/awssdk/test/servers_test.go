package test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/Admiral-Piett/goaws/app"
	"github.com/Admiral-Piett/goaws/app/router"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/sirupsen/logrus"
)

// serve serves h on a new port of 127.0.0.1 until the test ends, and
// returns the address.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// startS3 starts GoFakeS3 (github.com/johannesboyne/gofakes3), an
// S3-compatible server written in Go, keeping its buckets in memory, and
// returns its endpoint URL.
func startS3(t *testing.T) string {
	t.Helper()
	return "http://" + serve(t, gofakes3.New(s3mem.New()).Server())
}

// sent keeps the forms of the query-protocol requests that reach the SQS
// server, for what GoAws drops: it ignores the message attributes of
// SendMessageBatch entries.
type sent struct {
	mu    sync.Mutex
	forms []url.Values
}

// actions returns the forms of the requests of that action.
func (s *sent) actions(action string) []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []url.Values
	for _, f := range s.forms {
		if f.Get("Action") == action {
			out = append(out, f)
		}
	}
	return out
}

// record keeps the form of a request on its way to h.
func (s *sent) record(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if form, err := url.ParseQuery(string(body)); err == nil {
			s.mu.Lock()
			s.forms = append(s.forms, form)
			s.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

// startSQS starts GoAws (github.com/Admiral-Piett/goaws), an SQS (and SNS)
// server written in Go, which speaks SQS's query protocol, and returns its
// endpoint URL and the requests it gets. GoAws keeps its queues in package
// variables: one server per test binary.
func startSQS(t *testing.T) (string, *sent) {
	t.Helper()
	logrus.SetLevel(logrus.WarnLevel)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(l.Addr().String())
	// The queue URLs that CreateQueue returns name this host and port.
	app.CurrentEnvironment.Host = host
	app.CurrentEnvironment.Port = port
	app.CurrentEnvironment.AccountID = "100010001000"
	app.CurrentEnvironment.Region = ""
	rec := &sent{}
	srv := &http.Server{Handler: rec.record(router.New())}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return "http://" + l.Addr().String(), rec
}

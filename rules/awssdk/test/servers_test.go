package test

import (
	"net"
	"net/http"
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

// startSQS starts GoAws (github.com/Admiral-Piett/goaws), an SQS (and SNS)
// server written in Go, which speaks SQS's query protocol, and returns its
// endpoint URL. GoAws keeps its queues in package variables: one server
// per test binary.
func startSQS(t *testing.T) string {
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
	srv := &http.Server{Handler: router.New()}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return "http://" + l.Addr().String()
}

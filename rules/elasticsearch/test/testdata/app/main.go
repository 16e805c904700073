// The test program of the go-elasticsearch integration: it runs, against
// the Elasticsearch API whose URL (with credentials) the test gives in
// ES_URL, each kind of call the test checks on the index ES_INDEX, every
// group inside a span of its own (started with the OpenTelemetry API, as a
// program does), and prints "done". It uses the client most programs use,
// elasticsearch.NewClient, and its esapi calls.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"go.opentelemetry.io/otel"
)

var tracer = otel.Tracer("app")

// secretQuery is a query whose literal the test looks for in every span:
// the body of a search is the program's data, never recorded by default.
const secretQuery = `{"query":{"match":{"title":"Planted-query-literal-91d3"}}}`

func main() {
	url, index := os.Getenv("ES_URL"), os.Getenv("ES_INDEX")
	missing := index + "-missing"
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{url}})
	must(err)

	group("with-context", func(ctx context.Context) {
		want(200)(es.Indices.Create(index, es.Indices.Create.WithBody(strings.NewReader(`{}`)),
			es.Indices.Create.WithContext(ctx)))
		want(200)(es.Index(index, strings.NewReader(`{"title":"dune"}`),
			es.Index.WithDocumentID("1"), es.Index.WithContext(ctx)))
		want(200)(es.Search(es.Search.WithIndex(index),
			es.Search.WithBody(strings.NewReader(secretQuery)),
			es.Search.WithContext(ctx)))
		// An index that is not there: the answer of an exists endpoint.
		want(404)(es.Indices.Exists([]string{missing}, es.Indices.Exists.WithContext(ctx)))
		// A search on an index that is not there: an error of the call
		// (ZincSearch answers 400 where Elasticsearch answers 404).
		want(400)(es.Search(es.Search.WithIndex(missing),
			es.Search.WithBody(strings.NewReader(`{"query":{"match_all":{}}}`)),
			es.Search.WithContext(ctx)))
	})

	// No context at all, inside a span current on the goroutine.
	_, span := tracer.Start(context.Background(), "without-context")
	want(200)(es.Info())
	span.End()

	// A server that is not there, without retries.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	gone := "http://" + ln.Addr().String()
	ln.Close()
	down, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{gone}, DisableRetry: true})
	must(err)
	group("down", func(ctx context.Context) {
		if _, err := down.Info(down.Info.WithContext(ctx)); err == nil {
			fail("info on %s did not fail", gone)
		}
	})

	// A client with an Instrumentation of the program's: Elastic's own.
	own, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{url},
		Instrumentation: elasticsearch.NewOpenTelemetryInstrumentation(nil, false)})
	must(err)
	group("own", func(ctx context.Context) {
		want(200)(own.Info(own.Info.WithContext(ctx)))
	})

	// Calls from a handler of an instrumented net/http server: one with
	// the request's context, one with none.
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		want(200)(es.Search(es.Search.WithIndex(index),
			es.Search.WithBody(strings.NewReader(`{"query":{"match_all":{}}}`)),
			es.Search.WithContext(r.Context())))
		want(200)(es.Info())
		w.WriteHeader(http.StatusNoContent)
	})}
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	go srv.Serve(hl)
	resp, err := http.Get("http://" + hl.Addr().String() + "/find")
	must(err)
	resp.Body.Close()
	srv.Close()

	fmt.Println("done")
}

func group(name string, f func(ctx context.Context)) {
	ctx, span := tracer.Start(context.Background(), name)
	f(ctx)
	span.End()
}

// want returns a function that reads the whole response and fails
// unless its status is code: want(200)(es.Info()).
func want(code int) func(*esapi.Response, error) {
	return func(res *esapi.Response, err error) {
		must(err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != code {
			fail("%d, want %d: %s", res.StatusCode, code, body)
		}
	}
}

func must(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// The test program of the go-elasticsearch integration: it runs, against
// the Elasticsearch API whose URL (with credentials) the test gives in
// ES_URL, each kind of call the test checks, every group inside a span of
// its own (started with the OpenTelemetry API, as a program does), and
// prints "done".
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

func main() {
	url := os.Getenv("ES_URL")
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{url}})
	must(err)

	group("with-context", func(ctx context.Context) {
		drain(es.Indices.Create("app-books", es.Indices.Create.WithContext(ctx)))
		drain(es.Index("app-books", strings.NewReader(`{"title":"dune"}`),
			es.Index.WithDocumentID("1"), es.Index.WithContext(ctx)))
		drain(es.Search(es.Search.WithIndex("app-books"),
			es.Search.WithBody(strings.NewReader(`{"query":{"match_all":{}}}`)),
			es.Search.WithContext(ctx)))
		// An index that is not there: the answer of an exists endpoint.
		res := drain(es.Indices.Exists([]string{"app-missing"}, es.Indices.Exists.WithContext(ctx)))
		if res.StatusCode != 404 {
			fail("indices.exists app-missing: %d", res.StatusCode)
		}
		// A document that is not there: an error of the call.
		res = drain(es.Get("app-books", "no-such-doc", es.Get.WithContext(ctx)))
		if res.StatusCode != 404 {
			fail("get no-such-doc: %d", res.StatusCode)
		}
	})

	// The typed API goes through the same transport. (ZincSearch answers
	// the typed API's search with a 400: it cannot read its body.)
	tc, err := elasticsearch.NewTypedClient(elasticsearch.Config{Addresses: []string{url}})
	must(err)
	group("typed", func(ctx context.Context) {
		if _, err := tc.Info().Do(ctx); err != nil {
			fail("typed info: %v", err)
		}
	})

	// No context at all, inside a span current on the goroutine.
	_, span := tracer.Start(context.Background(), "without-context")
	drain(es.Info())
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
		drain(own.Info(own.Info.WithContext(ctx)))
	})

	// Calls from a handler of an instrumented net/http server: one with
	// the request's context, one with none.
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		drain(es.Search(es.Search.WithIndex("app-books"), es.Search.WithContext(r.Context())))
		drain(es.Info())
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

func drain(res *esapi.Response, err error) *esapi.Response {
	must(err)
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
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

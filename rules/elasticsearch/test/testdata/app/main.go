// The test program of the go-elasticsearch integration: it runs, against
// the Elasticsearch API whose URL (with credentials) the test gives in
// ES_URL, each kind of call the test checks on the index ES_INDEX, every
// group inside a span of its own (started with the OpenTelemetry API, as a
// program does), and prints "done". It makes the calls through esapi over
// a transport from elastictransport.New, the function the integration
// hooks and elasticsearch.NewClient calls: the client package itself would
// bring in the typed API, close to 900 packages, which made the -race build
// longer than the rest of CI.
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"strings"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
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
	es := client(url, false, nil)

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
	down := client(gone, true, nil)
	group("down", func(ctx context.Context) {
		if _, err := down.Info(down.Info.WithContext(ctx)); err == nil {
			fail("info on %s did not fail", gone)
		}
	})

	// A client with an Instrumentation of the program's: Elastic's own.
	own := client(url, false, elastictransport.NewOtelInstrumentation(nil, false, "8.19.7"))
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

// client makes the API over a transport to addr, whose user information
// becomes the credentials, as elasticsearch.NewClient does.
func client(addr string, noRetry bool, instr elastictransport.Instrumentation) *esapi.API {
	u, err := neturl.Parse(addr)
	must(err)
	cfg := elastictransport.Config{URLs: []*neturl.URL{u}, DisableRetry: noRetry, Instrumentation: instr}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		u.User = nil
	}
	tp, err := elastictransport.New(cfg)
	must(err)
	return esapi.New(tp)
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

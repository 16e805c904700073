// Package loop is the measured loop of bench/elasticsearch.sh: a search of
// a one-document index through go-elasticsearch v8's esapi, again and
// again, on one client.
package loop

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"example.com/loadkit"
)

// index is the index the loop searches; the script starts a server of its
// own, so no other program shares it.
const index = "bench"

const query = `{"query":{"match":{"title":"dune"}}}`

// Run parses the flags, makes a client of $ES_URL (user information in the
// URL becomes the credentials, as elasticsearch.NewClient does) over a
// transport from elastictransport.New, the function otelgen's rule hooks
// and every go-elasticsearch client calls, with instr as its
// Instrumentation (nil: none of the program's), stores one document, runs
// -warmup then -n searches of the index with context.Background() (each
// call a root span for a tracer), reading each response's body, and prints
// "ns/op N cpu_ns/op M": the wall time per call, and the CPU time (user +
// system, every thread of the process: the exporter's too) per call, which
// a loaded machine disturbs less. With -cpuprofile it writes a CPU profile
// of the measured calls.
func Run(instr elastictransport.Instrumentation) {
	u, err := url.Parse(os.Getenv("ES_URL"))
	loadkit.Check("ES_URL", err)
	cfg := elastictransport.Config{URLs: []*url.URL{u}, Instrumentation: instr}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		u.User = nil
	}
	tp, err := elastictransport.New(cfg)
	loadkit.Check("transport", err)
	es := esapi.New(tp)
	ctx := context.Background()

	// The index is there from an earlier run of the session, or made now.
	res, err := es.Indices.Exists([]string{index}, es.Indices.Exists.WithContext(ctx))
	loadkit.Check("exists", err)
	drain(res)
	if res.StatusCode == 404 {
		want("create", 200)(es.Indices.Create(index, es.Indices.Create.WithBody(strings.NewReader(`{}`)),
			es.Indices.Create.WithContext(ctx)))
		want("index", 200)(es.Index(index, strings.NewReader(`{"title":"dune"}`),
			es.Index.WithDocumentID("1"), es.Index.WithContext(ctx)))
	}
	ok := want("search", 200)
	search := func() {
		ok(es.Search(es.Search.WithIndex(index), es.Search.WithBody(strings.NewReader(query)),
			es.Search.WithContext(ctx)))
	}
	loadkit.Measure(search)
}

// drain reads and closes a response's body, so that its connection goes
// back to the pool.
func drain(res *esapi.Response) {
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
}

// want returns a function that reads the whole response and exits unless
// its status is code: want("search", 200)(es.Search(...)).
func want(what string, code int) func(*esapi.Response, error) {
	return func(res *esapi.Response, err error) {
		loadkit.Check(what, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != code {
			fmt.Fprintf(os.Stderr, "%s: %d, want %d: %s\n", what, res.StatusCode, code, body)
			os.Exit(1)
		}
	}
}

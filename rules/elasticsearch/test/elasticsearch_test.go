package test

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	scope        = "github.com/otelgen/otelgen/rules/elasticsearch"
	nethttpScope = "github.com/otelgen/otelgen/rules/nethttp"
)

// run builds testdata/app once and runs it against ZincSearch's
// Elasticsearch API on an index of its own, with extra environment, under
// the race detector.
func run(t *testing.T, want int, index string, extra ...string) ([]testkit.Span, *testkit.Receiver, string) {
	bin := testkit.Build(t, "testdata/app", testkit.Race())
	esURL := testkit.ZincSearch(t)
	r := testkit.StartReceiver(t)
	env := testkit.Env(r, append([]string{"ES_URL=" + esURL, "ES_INDEX=" + index}, extra...)...)
	out, stderr, code := testkit.Run(t, bin, env)
	if code != 0 || strings.TrimSpace(out) != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r, esURL
}

func children(spans []testkit.Span, parent testkit.Span) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.ParentID() == parent.ID() && s.TraceID() == parent.TraceID() {
			out = append(out, s)
		}
	}
	return out
}

func ofScope(spans []testkit.Span, scope string) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.Scope == scope {
			out = append(out, s)
		}
	}
	return out
}

// TestElasticsearch checks the spans of each kind of call of testdata/app:
// names, kinds, attributes, statuses and parents, the HTTP span under each
// call, that neither the query nor the password is recorded, then the
// duration histogram.
func TestElasticsearch(t *testing.T) {
	// 4 groups, the handler's SERVER span and the CLIENT span of the call
	// to it, 9 Elasticsearch calls of otelgen's and one of Elastic's own
	// instrumentation, each with its HTTP span.
	const ix = "app-books"
	spans, r, esURL := run(t, 26, ix)
	u, _ := url.Parse(esURL)
	port, _ := strconv.Atoi(u.Port())
	base := "http://127.0.0.1:" + u.Port() + "/es"
	conn := map[string]any{"db.system.name": "elasticsearch", "server.address": "127.0.0.1", "server.port": int64(port)}
	group := func(name string) []testkit.Span {
		t.Helper()
		parent := testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
		return children(spans, parent)
	}
	// one finds the call's span, checks it, and checks that the HTTP
	// request it sent is its child, not a root.
	one := func(in []testkit.Span, name string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, in, testkit.Name(name), testkit.Kind(testkit.Client))
		if s.Scope != scope {
			t.Errorf("span %q has scope %q", name, s.Scope)
		}
		testkit.WantAttrs(t, s, conn)
		testkit.WantAttrs(t, s, attrs)
		h := testkit.One(t, children(spans, s), testkit.Kind(testkit.Client))
		if h.Scope != nethttpScope {
			t.Errorf("the child of %q is %s, want the HTTP span of rules/nethttp", name, h)
		}
		return s
	}

	wc := group("with-context")
	if len(wc) != 5 {
		t.Errorf("with-context has %d children, want 5:\n%s", len(wc), testkit.Dump(wc))
	}
	create := one(wc, "indices.create "+ix, map[string]any{
		"db.operation.name": "indices.create", "db.collection.name": ix,
		"db.operation.parameter.index": ix, "http.request.method": "PUT",
		"url.full": base + "/" + ix, "db.response.status_code": "200",
	})
	testkit.WantStatus(t, create, testkit.Unset)
	index := one(wc, "index "+ix, map[string]any{
		"db.operation.name": "index", "db.collection.name": ix,
		"db.operation.parameter.index": ix, "db.operation.parameter.id": "1",
		"http.request.method": "PUT", "url.full": base + "/" + ix + "/_doc/1",
		"db.response.status_code": "200", "error.type": nil,
	})
	testkit.WantStatus(t, index, testkit.Unset)
	// The body of a search is not recorded: no db.query.text.
	search := one(wc, "search "+ix, map[string]any{
		"db.operation.name": "search", "db.collection.name": ix, "db.operation.parameter.index": ix,
		"http.request.method": "POST", "url.full": base + "/" + ix + "/_search",
		"db.response.status_code": "200", "error.type": nil, "db.query.text": nil, "db.query.summary": nil,
	})
	testkit.WantStatus(t, search, testkit.Unset)
	// The 404 of an exists endpoint is its answer, not an error.
	exists := one(wc, "indices.exists "+ix+"-missing", map[string]any{
		"db.operation.name": "indices.exists", "db.collection.name": ix + "-missing",
		"http.request.method": "HEAD", "db.response.status_code": "404", "error.type": nil,
	})
	testkit.WantStatus(t, exists, testkit.Unset)
	// A search on an index that is not there: the error of the call.
	bad := one(wc, "search "+ix+"-missing", map[string]any{
		"db.operation.name": "search", "db.collection.name": ix + "-missing",
		"http.request.method": "POST", "url.full": base + "/" + ix + "-missing/_search",
		"db.response.status_code": "400", "error.type": "400",
	})
	testkit.WantStatus(t, bad, testkit.Error)

	// No context: the parent comes from the goroutine.
	one(group("without-context"), "info", map[string]any{
		"db.operation.name": "info", "db.collection.name": nil,
		"http.request.method": "GET", "url.full": base + "/", "db.response.status_code": "200",
	})

	// A server that is not there: the error without a response.
	down := testkit.One(t, group("down"), testkit.Name("info"), testkit.Kind(testkit.Client))
	if et, _ := down.Attr("error.type").(string); et == "" || down.Attr("db.response.status_code") != nil {
		t.Errorf("down: %s, want error.type and no db.response.status_code", down)
	}
	if down.Scope != scope || down.Attr("db.system.name") != "elasticsearch" {
		t.Errorf("down: %s, want our span", down)
	}
	testkit.WantStatus(t, down, testkit.Error)

	// The program's own Instrumentation stays: Elastic's span, not ours.
	own := group("own")
	if len(own) != 1 || own[0].Scope == scope {
		t.Errorf("own has %d children, want Elastic's one span:\n%s", len(own), testkit.Dump(own))
	}

	// Inside an instrumented net/http handler: in the request's trace,
	// with the request's context or with none.
	srv := testkit.One(t, spans, testkit.Kind(testkit.Server))
	in := children(spans, srv)
	one(in, "search "+ix, nil)
	one(in, "info", nil)

	if db := ofScope(spans, scope); len(db) != 9 {
		t.Errorf("%d spans of elasticsearch, want 9:\n%s", len(db), testkit.Dump(db))
	}
	for _, s := range spans {
		text := fmt.Sprint(s.Span)
		for _, secret := range []string{testkit.ZincSearchPassword, "Planted-query-literal"} {
			if strings.Contains(text, secret) {
				t.Errorf("span %q holds %q: %s", s.GetName(), secret, s.Span)
			}
		}
	}

	ms := r.WaitMetric(t, "db.client.operation.duration")
	testkit.WantHistogramPoint(t, ms, map[string]any{
		"db.system.name": "elasticsearch", "db.operation.name": "search", "db.collection.name": ix,
		"db.response.status_code": "200", "server.address": "127.0.0.1", "server.port": int64(port),
	})
	testkit.WantHistogramPoint(t, ms, map[string]any{"db.operation.name": "search", "db.collection.name": ix + "-missing", "error.type": "400"})
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming elasticsearch: no span of otelgen's Elasticsearch hook; the
// requests are traced as plain HTTP, and Elastic's own instrumentation,
// where the program set it, as before.
func TestDisabled(t *testing.T) {
	// 4 groups, the handler's two HTTP spans, Elastic's span, 10 requests.
	spans, _, _ := run(t, 17, "app-disabled", "OTEL_GO_DISABLED_INSTRUMENTATIONS=elasticsearch")
	if db := ofScope(spans, scope); len(db) != 0 {
		t.Errorf("%d spans of elasticsearch, want none:\n%s", len(db), testkit.Dump(db))
	}
	testkit.One(t, children(spans, testkit.One(t, spans, testkit.Name("without-context"))), testkit.Kind(testkit.Client), testkit.Name("GET"))
	own := children(spans, testkit.One(t, spans, testkit.Name("own")))
	if len(own) != 1 || own[0].Scope == scope || own[0].Scope == nethttpScope {
		t.Errorf("own has %d children, want Elastic's one span:\n%s", len(own), testkit.Dump(own))
	}
}

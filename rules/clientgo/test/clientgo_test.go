package test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	scope         = "github.com/otelgen/otelgen/rules/clientgo"
	informerScope = "github.com/otelgen/otelgen/rules/clientgo/informer"
)

// token is the bearer token of the API server: a secret no span may hold.
const token = "planted-kube-token-5d1e"

// run builds testdata/app once, with the race detector, and runs it
// against the test's API server, with a kubeconfig naming it.
func run(t *testing.T, want int, extra ...string) ([]testkit.Span, string) {
	bin := testkit.Build(t, "testdata/app", testkit.Race())
	host := startAPIServer(t, token)
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	err := os.WriteFile(kubeconfig, []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: %s
users:
- name: test
  user:
    token: %s
contexts:
- name: test
  context:
    cluster: test
    user: test
current-context: test
`, host, token)), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	r := testkit.StartReceiver(t)
	env := testkit.Env(r, append([]string{"KUBECONFIG=" + kubeconfig, "KUBE_HOST=" + host, "KUBE_TOKEN=" + token}, extra...)...)
	out, stderr, code := testkit.Run(t, bin, env)
	if code != 0 || strings.TrimSpace(out) != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), host
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

// TestClientGo checks the spans of each kind of call of testdata/app:
// names, kinds, attributes, statuses, parents, and that no HTTP span of
// rules/nethttp doubles them; then the spans of the informers' events.
func TestClientGo(t *testing.T) {
	// 4 groups of the program's own, the handler's SERVER span and the
	// CLIENT span of the call to it, 8 of client-go's requests at least;
	// the informers: 5 creates, updates and deletes, 2 watches at least,
	// 5 events, 4 requests of the handler.
	spans, host := run(t, 30)
	u, _ := url.Parse(host)
	port, _ := strconv.Atoi(u.Port())
	conn := map[string]any{"server.address": "127.0.0.1", "server.port": int64(port), "k8s.api.version": "v1"}
	group := func(name string) []testkit.Span {
		t.Helper()
		parent := testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
		return children(spans, parent)
	}
	one := func(in []testkit.Span, name string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, in, testkit.Name(name), testkit.Kind(testkit.Client))
		if s.Scope != scope {
			t.Errorf("span %q has scope %q", name, s.Scope)
		}
		testkit.WantAttrs(t, s, conn)
		testkit.WantAttrs(t, s, attrs)
		return s
	}

	kc := group("kubeconfig")
	if len(kc) != 5 {
		t.Errorf("kubeconfig has %d children, want 5:\n%s", len(kc), testkit.Dump(kc))
	}
	create := one(kc, "create configmaps", map[string]any{
		"k8s.api.verb": "create", "k8s.api.resource": "configmaps", "k8s.namespace.name": "app-ns",
		"http.request.method": "POST", "http.response.status_code": int64(201),
		"url.full": host + "/api/v1/namespaces/app-ns/configmaps", "k8s.api.name": nil, "k8s.api.group": nil, "error.type": nil,
	})
	testkit.WantStatus(t, create, testkit.Unset)
	one(kc, "list configmaps", map[string]any{"k8s.api.verb": "list", "http.request.method": "GET", "http.response.status_code": int64(200)})
	one(kc, "delete configmaps", map[string]any{"k8s.api.verb": "delete", "k8s.api.name": "app-cm", "http.request.method": "DELETE"})
	var found, missing int
	for _, s := range kc {
		if s.GetName() != "get configmaps" {
			continue
		}
		testkit.WantAttrs(t, s, conn)
		switch s.Attr("k8s.api.name") {
		case "app-cm":
			found++
			testkit.WantAttrs(t, s, map[string]any{"http.response.status_code": int64(200), "error.type": nil})
			testkit.WantStatus(t, s, testkit.Unset)
		case "no-such-cm":
			missing++
			testkit.WantAttrs(t, s, map[string]any{"http.response.status_code": int64(404), "error.type": "404", "k8s.namespace.name": "app-ns"})
			testkit.WantStatus(t, s, testkit.Error)
		}
	}
	if found != 1 || missing != 1 {
		t.Errorf("get configmaps: %d of app-cm and %d of no-such-cm, want 1 each:\n%s", found, missing, testkit.Dump(kc))
	}

	// A rest.Config made by hand, whose own wrapper the app checks.
	one(group("by-hand"), "get namespaces", map[string]any{"k8s.api.name": "app-ns", "k8s.namespace.name": "app-ns", "http.response.status_code": int64(200)})

	// context.TODO(): the parent comes from the goroutine.
	one(group("without-context"), "list namespaces", map[string]any{"k8s.namespace.name": nil})

	// A server that is not there: each attempt fails.
	down := group("down")
	if len(down) == 0 {
		t.Errorf("down has no span")
	}
	for _, s := range down {
		if s.GetName() != "get pods" || s.Attr("error.type") == nil || s.Attr("http.response.status_code") != nil {
			t.Errorf("down: span %s, want get pods with error.type and no status code", s)
		}
		testkit.WantStatus(t, s, testkit.Error)
	}

	// Inside an instrumented net/http handler: in the request's trace.
	srv := testkit.One(t, spans, testkit.Kind(testkit.Server))
	get := one(children(spans, srv), "get namespaces", map[string]any{"k8s.api.name": "app-ns"})
	testkit.WantChildOf(t, get, srv)

	// rules/nethttp makes no second span of a request that client-go's
	// span covers.
	ours := ofScope(spans, scope)
	for _, s := range spans {
		for _, o := range ours {
			if s.ParentID() == o.ID() {
				t.Errorf("span %s is a child of client-go's %q", s, o.GetName())
			}
		}
	}
	informers(t, spans, conn)

	for _, s := range spans {
		if strings.Contains(fmt.Sprint(s.Span), token) {
			t.Errorf("span %q holds the token: %s", s.GetName(), s.Span)
		}
	}
}

// informers checks the spans of the events that the informers of
// testdata/app handled: a root INTERNAL span per call of a handler, with the
// object's kind, namespace and name, and, for the shared informer's handler,
// the request the handler made with context.TODO() as its child; and the
// informers' watches as client-go requests.
func informers(t *testing.T, spans []testkit.Span, conn map[string]any) {
	t.Helper()
	event := func(name, ns, obj string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, spans, testkit.Name(name), testkit.Attr("k8s.api.name", obj))
		if s.Scope != informerScope || s.GetKind() != testkit.Internal {
			t.Errorf("%s: scope %q, kind %v, want %q, INTERNAL", name, s.Scope, s.GetKind(), informerScope)
		}
		testkit.WantRoot(t, s)
		testkit.WantStatus(t, s, testkit.Unset)
		testkit.WantAttrs(t, s, map[string]any{"k8s.namespace.name": ns, "k8s.api.kind": "ConfigMap"})
		testkit.WantAttrs(t, s, attrs)
		if rv, _ := s.Attr("k8s.api.resource_version").(string); rv == "" {
			t.Errorf("%s %s: no k8s.api.resource_version", name, obj)
		}
		return s
	}
	handled := func(s testkit.Span) {
		t.Helper()
		get := testkit.One(t, children(spans, s), testkit.Name("get namespaces"), testkit.Kind(testkit.Client))
		if get.Scope != scope {
			t.Errorf("the handler's request is %s, want client-go's span", get)
		}
		testkit.WantAttrs(t, get, conn)
	}
	handled(event("informer add ConfigMap", "informer-ns", "cm-before", map[string]any{"k8s.informer.event": "add", "k8s.informer.initial_list": true}))
	handled(event("informer add ConfigMap", "informer-ns", "cm-after", map[string]any{"k8s.informer.event": "add", "k8s.informer.initial_list": false}))
	handled(event("informer update ConfigMap", "informer-ns", "cm-after", map[string]any{"k8s.informer.event": "update", "k8s.informer.initial_list": nil}))
	handled(event("informer delete ConfigMap", "informer-ns", "cm-after", map[string]any{"k8s.informer.event": "delete"}))
	event("informer add ConfigMap", "plain-ns", "cm-plain", map[string]any{"k8s.informer.event": "add", "k8s.informer.initial_list": false})
	if n := len(ofScope(spans, informerScope)); n != 5 {
		t.Errorf("%d informer spans, want 5:\n%s", n, testkit.Dump(ofScope(spans, informerScope)))
	}

	// The changes the informers saw, and their watches.
	testkit.One(t, spans, testkit.Name("update configmaps"), testkit.Attr("k8s.api.name", "cm-after"), testkit.Attr("http.request.method", "PUT"))
	for _, ns := range []string{"informer-ns", "plain-ns"} {
		var watches []testkit.Span
		for _, s := range spans {
			if s.GetName() == "watch configmaps" && s.Attr("k8s.namespace.name") == ns {
				watches = append(watches, s)
			}
		}
		if len(watches) == 0 {
			t.Errorf("no watch configmaps span in %s", ns)
		}
		for _, w := range watches {
			testkit.WantAttrs(t, w, conn)
			testkit.WantAttrs(t, w, map[string]any{"k8s.api.verb": "watch", "k8s.api.resource": "configmaps",
				"http.request.method": "GET", "http.response.status_code": int64(200)})
		}
	}
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming clientgo: no span of otelgen's client-go hook; the requests are
// traced as plain HTTP by rules/nethttp.
func TestDisabled(t *testing.T) {
	spans, _ := run(t, 10, "OTEL_GO_DISABLED_INSTRUMENTATIONS=clientgo")
	for _, sc := range []string{scope, informerScope} {
		if ours := ofScope(spans, sc); len(ours) != 0 {
			t.Errorf("%d spans of %s, want none:\n%s", len(ours), sc, testkit.Dump(ours))
		}
	}
	testkit.One(t, children(spans, testkit.One(t, spans, testkit.Name("by-hand"))), testkit.Kind(testkit.Client), testkit.Name("GET"))
}

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

const scope = "github.com/otelgen/otelgen/rules/clientgo"

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
// rules/nethttp doubles them.
func TestClientGo(t *testing.T) {
	// 5 groups of the program's own, the handler's SERVER span and the
	// CLIENT span of the call to it, 8 of client-go's requests at least.
	spans, host := run(t, 15)
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
	for _, s := range spans {
		if strings.Contains(fmt.Sprint(s.Span), token) {
			t.Errorf("span %q holds the token: %s", s.GetName(), s.Span)
		}
	}
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming clientgo: no span of otelgen's client-go hook; the requests are
// traced as plain HTTP by rules/nethttp.
func TestDisabled(t *testing.T) {
	spans, _ := run(t, 10, "OTEL_GO_DISABLED_INSTRUMENTATIONS=clientgo")
	if ours := ofScope(spans, scope); len(ours) != 0 {
		t.Errorf("%d spans of clientgo, want none:\n%s", len(ours), testkit.Dump(ours))
	}
	testkit.One(t, children(spans, testkit.One(t, spans, testkit.Name("by-hand"))), testkit.Kind(testkit.Client), testkit.Name("GET"))
}

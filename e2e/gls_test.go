package e2e

import (
	"bufio"
	"debug/buildinfo"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// The tests in this file check the goroutine-local storage (GLS) end to end:
// the programs of testdata/gls hand work to other goroutines without a
// context, and the spans that arrive over OTLP/HTTP must still make the
// traces that the request's context would have made, and never join a
// request that has ended. Each runs twice, built as a user would and built
// with -race (where supported); the race build must report no race.
// TestGLSOff and TestGLSGo127 build the goroutine program again, with
// "gls: false" and with Go 1.27.

// glsBuild is a build of testdata/gls made once per test binary.
type glsBuild struct {
	once     sync.Once
	dir, bin string
	err      error
}

// glsBuilds are the builds by variant: "plain" and "race" share one
// generated module; "nogls" generates with "gls: false" in otelgen.yaml and
// "go1.27" under Go 1.27, and they build the goroutine program alone.
var glsBuilds = map[string]*glsBuild{"plain": {}, "race": {}, "nogls": {}, "go1.27": {}}

// go127 is the Go 1.27 toolchain of the development machines and CI.
const go127 = "/opt/go1.27/bin/go"

// glsPrograms returns the generated module of variant and the directory of
// its programs.
func glsPrograms(t *testing.T, variant string) (dir, bin string) {
	t.Helper()
	if variant == "plain" {
		return buildPrograms(t, "gls")
	}
	if variant == "race" {
		dir, _ = buildPrograms(t, "gls")
	}
	b := glsBuilds[variant]
	b.once.Do(func() {
		env, gocmd := append(os.Environ(), "GOFLAGS="), "go"
		switch variant {
		case "race":
			b.dir, b.bin = dir, filepath.Join(dir, "bin-race")
			_, b.err = commandEnv(dir, env, "go", "build", "-race", trimpath, overlayFlag(dir), "-o", b.bin+string(filepath.Separator), "./...")
			return
		case "go1.27":
			// otelgen finds go on PATH; exec finds it on the test's own.
			env = append(env, "GOTOOLCHAIN=local", "PATH="+filepath.Dir(go127)+string(os.PathListSeparator)+os.Getenv("PATH"))
			gocmd = go127
		}
		b.dir = filepath.Join(filepath.Dir(otelgen), "module-gls-"+variant)
		b.bin = filepath.Join(b.dir, "bin")
		if b.err = copyModuleTo("gls", b.dir); b.err != nil {
			return
		}
		if variant == "nogls" {
			if b.err = os.WriteFile(filepath.Join(b.dir, "otelgen.yaml"), []byte("gls: false\n"), 0o644); b.err != nil {
				return
			}
		}
		if _, b.err = commandEnv(b.dir, env, otelgen, "generate"); b.err != nil {
			return
		}
		_, b.err = commandEnv(b.dir, env, gocmd, "build", trimpath, overlayFlag(b.dir), "-o", b.bin+string(filepath.Separator), "./goroutine")
	})
	if b.err != nil {
		t.Fatalf("building testdata/gls (%s): %v", variant, b.err)
	}
	return b.dir, b.bin
}

func init() { builtModules["gls"] = &builtModule{} }

// commandEnv is command with an environment.
func commandEnv(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// glsVariants runs check as parallel subtests, on the plain build and on
// the race build.
func glsVariants(t *testing.T, check func(t *testing.T, variant string)) {
	for _, v := range []string{"plain", "race"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			if v == "race" && !raceSupported() {
				t.Skipf("-race is not supported on %s/%s", runtime.GOOS, runtime.GOARCH)
			}
			check(t, v)
		})
	}
}

// runGLS runs program of variant to its end, against r, and fails the test
// when it does not exit with 0 or reports a data race.
func runGLS(t *testing.T, variant, program string, r *receiver, args ...string) string {
	t.Helper()
	_, bin := glsPrograms(t, variant)
	stdout, stderr, code := runProgram(t, filepath.Join(bin, exe(program)), otelEnv(r), args...)
	if code != 0 || strings.Contains(stdout+stderr, "DATA RACE") {
		t.Fatalf("%s (%s): exit %d\nstdout:\n%s\nstderr:\n%s", program, variant, code, stdout, stderr)
	}
	return stdout
}

// spansOf are the spans of trace id.
func spansOf(spans []span, id string) []span {
	var out []span
	for _, s := range spans {
		if s.TraceID() == id {
			out = append(out, s)
		}
	}
	return out
}

// wantRoot checks that s has no parent.
func wantRoot(t *testing.T, s span, why string) {
	t.Helper()
	if s.ParentID() != "" {
		t.Errorf("span %s %q (url %v) has parent %s, want none: %s", s.GetKind(), s.GetName(), s.Attr("url.full"), s.ParentID(), why)
	}
}

func isServer(path, query string) func(span) bool {
	return func(s span) bool {
		q, _ := s.Attr("url.query").(string)
		return s.GetKind() == tracepb.Span_SPAN_KIND_SERVER && s.Attr("url.path") == path && q == query
	}
}

func named(name string) func(span) bool {
	return func(s span) bool { return s.GetName() == name }
}

// checkGoroutine checks the spans of the goroutine program: main's request
// to /handler, and the handler's request to /downstream from a goroutine.
// With the storage, that request is in the handler's trace; without it, its
// own.
func checkGoroutine(t *testing.T, variant string, gls bool) {
	r := startReceiver(t)
	if out := runGLS(t, variant, "goroutine", r); out != "200 handler got 200 downstream\n" {
		t.Errorf("goroutine printed %q", out)
	}
	spans := r.WaitSpans(t, 4)
	if len(spans) != 4 {
		t.Fatalf("%d spans arrived, want 4:\n%s", len(spans), dumpSpans(spans))
	}
	c0 := one(t, spans, "main's client span", isClient("/handler"))
	s1 := one(t, spans, "the handler's server span", childOf(c0, tracepb.Span_SPAN_KIND_SERVER))
	c1 := one(t, spans, "the goroutine's client span", isClient("/downstream"))
	one(t, spans, "the downstream server span", childOf(c1, tracepb.Span_SPAN_KIND_SERVER))
	wantRoot(t, c0, "main runs outside any span")
	if gls {
		if c1.ParentID() != s1.ID() || c1.TraceID() != s1.TraceID() {
			t.Errorf("the goroutine's client span is not a child of the handler's server span:\n%s", dumpSpans(spans))
		}
		return
	}
	// Context alone: http.Get's request carries no span.
	wantRoot(t, c1, "without the storage, http.Get's request carries no parent")
	if c1.TraceID() == s1.TraceID() {
		t.Errorf("without the storage, the goroutine's client span is in the handler's trace:\n%s", dumpSpans(spans))
	}
}

// TestGLSGoroutine: a handler calls http.Get (no context) from a goroutine
// it waits for; the request's client span, and the downstream server span
// under it, are in the handler's trace, under its server span.
func TestGLSGoroutine(t *testing.T) {
	t.Parallel()
	glsVariants(t, func(t *testing.T, v string) { checkGoroutine(t, v, true) })
}

// TestGLSOff generates with "gls: false": the runtime is not patched, and
// the goroutine's request falls back to its context, which has no span: its
// client span is the root of a trace of its own.
func TestGLSOff(t *testing.T) {
	t.Parallel()
	dir, _ := glsPrograms(t, "nogls")
	if _, err := os.Stat(filepath.Join(dir, "_otel", "std", "runtime")); err == nil {
		t.Errorf("gls: false, yet _otel/std/runtime/ was generated")
	}
	overlay, err := os.ReadFile(filepath.Join(dir, "_otel", "overlay.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(overlay), "/runtime/") {
		t.Errorf("gls: false, yet the overlay replaces runtime files:\n%s", overlay)
	}
	checkGoroutine(t, "nogls", false)
}

// TestGLSGo127 runs the goroutine program generated and built with Go 1.27,
// whose runtime the patch must find its places in as well.
func TestGLSGo127(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(go127); err != nil {
		t.Skipf("no Go 1.27 at %s", go127)
	}
	_, bin := glsPrograms(t, "go1.27")
	info, err := buildinfo.ReadFile(filepath.Join(bin, exe("goroutine")))
	if err != nil || !strings.HasPrefix(info.GoVersion, "go1.27") {
		t.Fatalf("goroutine was not built with Go 1.27: %v %v", info.GoVersion, err)
	}
	checkGoroutine(t, "go1.27", true)
}

// TestGLSPool: worker goroutines started in main before the server call
// http.Get (no context) for the concurrent requests that feed them jobs:
// having been started outside any span, each of their requests is a new
// root, never a child of a request's span, and each request's trace holds
// its own spans only. Workers started during a first request serve its job
// inside it, and later jobs as new roots: never in the ended request's
// trace.
func TestGLSPool(t *testing.T) {
	t.Parallel()
	glsVariants(t, func(t *testing.T, v string) {
		r := startReceiver(t)
		out := runGLS(t, v, "pool", r)
		if n := strings.Count(out, "200 200 done "); n != 13 {
			t.Errorf("pool printed %d results, want 13:\n%s", n, out)
		}
		// 4 spans per job: main's client span, the server span, the
		// worker's client span and the downstream server span.
		const want = 13 * 4
		spans := r.WaitSpans(t, want)
		if len(spans) != want {
			t.Fatalf("%d spans arrived, want %d:\n%s", len(spans), want, dumpSpans(spans))
		}
		requests := map[string]bool{} // the traces of main's requests
		for _, s := range spans {
			if s.GetKind() == tracepb.Span_SPAN_KIND_SERVER && s.Attr("url.path") != "/downstream" {
				requests[s.TraceID()] = true
			}
		}

		spawn := one(t, spans, "the server span of /spawn", isServer("/spawn", ""))
		w := one(t, spans, "the client span of the job of /spawn", isClient("/downstream?job=spawn"))
		if w.ParentID() != spawn.ID() || w.TraceID() != spawn.TraceID() {
			t.Errorf("the job that /spawn gave the workers it started is not a child of its server span:\n%s", dumpSpans(spans))
		}
		one(t, spans, "the downstream server span of the job of /spawn", childOf(w, tracepb.Span_SPAN_KIND_SERVER))

		check := func(path string, i int) {
			t.Helper()
			job := fmt.Sprintf("%s-%d", strings.TrimPrefix(path, "/"), i)
			s := one(t, spans, "the server span of "+job, isServer(path, fmt.Sprint("id=", i)))
			w := one(t, spans, "the worker's client span of "+job, isClient("/downstream?job="+job))
			one(t, spans, "the downstream server span of "+job, childOf(w, tracepb.Span_SPAN_KIND_SERVER))
			wantRoot(t, w, "its worker was started outside "+job+"'s request")
			if requests[w.TraceID()] {
				t.Errorf("the worker's client span of %s is in the trace of a request:\n%s", job, dumpSpans(spansOf(spans, w.TraceID())))
			}
			if in := spansOf(spans, s.TraceID()); len(in) != 2 {
				t.Errorf("the trace of %s has %d spans, want its client and server spans:\n%s", job, len(in), dumpSpans(in))
			}
		}
		for i := range 8 {
			check("/submit", i)
		}
		for i := range 4 {
			check("/reuse", i)
		}
		if in := spansOf(spans, spawn.TraceID()); len(in) != 4 {
			t.Errorf("the trace of /spawn has %d spans, want 4 (later jobs joined the ended request):\n%s", len(in), dumpSpans(in))
		}
	})
}

// TestGLSMixed: a program makes spans of its own, with its own
// TracerProvider and with otel.Tracer (the global provider otelgen sets up),
// next to the automatic ones. A span started with context.Background() in a
// handler is a child of the server span; http.Get (no context) inside a
// span of the program's is its child; a span or a request with a context
// follows the context, whatever the goroutine's current span; a span that
// has ended is no one's parent. A request with no trace context, to a server
// started inside a span still open, gets a root server span.
func TestGLSMixed(t *testing.T) {
	t.Parallel()
	glsVariants(t, func(t *testing.T, v string) {
		r := startReceiver(t)
		out := runGLS(t, v, "mixed", r)
		for _, name := range []string{"own", "global"} {
			want := fmt.Sprintf("200 %[1]s-a\n200 %[1]s-c\n200 %[1]s-a-again\n200 %[1]s-handler\n", name)
			if !strings.Contains(out, want) {
				t.Errorf("mixed printed:\n%s\nwant it to contain:\n%s", out, want)
			}
		}
		if !strings.Contains(out, "\n200 raw\n") {
			t.Errorf("mixed printed:\n%s\nwant the response to the request by hand, 200 raw", out)
		}
		// Per tracer: main's span, main's request (2), the handler's
		// two spans and four requests (8); then "serving" and the
		// server span of the request by hand.
		const want = 2*13 + 2
		spans := r.WaitSpans(t, want)
		if len(spans) != want {
			t.Fatalf("%d spans arrived, want %d:\n%s", len(spans), want, dumpSpans(spans))
		}
		for _, s := range spans {
			service := "mixed"
			if s.Scope == "mixed-own" {
				service = "mixed-own"
			}
			if s.Resource["service.name"] != service {
				t.Errorf("span %q of scope %q has service.name %v, want %s", s.GetName(), s.Scope, s.Resource["service.name"], service)
			}
		}
		serving := one(t, spans, "serving", named("serving"))
		wantRoot(t, serving, "main starts it with context.Background()")
		rs := one(t, spans, "the server span of the request by hand", isServer("/downstream", "from=raw"))
		wantRoot(t, rs, "the request carries no trace context; the server was started inside \"serving\"")
		for _, name := range []string{"own", "global"} {
			t.Run(name, func(t *testing.T) {
				child := func(parent span, what string, s span) {
					t.Helper()
					if s.ParentID() != parent.ID() || s.TraceID() != parent.TraceID() {
						t.Errorf("%s %q is not a child of %q:\n%s", what, s.GetName(), parent.GetName(), dumpSpans(spansOf(spans, parent.TraceID())))
					}
				}
				client := func(from string) span {
					t.Helper()
					c := one(t, spans, "the client span of ?from="+from, isClient("/downstream?from="+from))
					one(t, spans, "the downstream server span of ?from="+from, childOf(c, tracepb.Span_SPAN_KIND_SERVER))
					return c
				}
				m := one(t, spans, name+"-main", named(name+"-main"))
				wantRoot(t, m, "main starts it with context.Background()")
				c0 := one(t, spans, "main's client span", isClient("/"+name))
				child(m, "(b) http.Get inside main's span: its client span", c0)
				s := one(t, spans, "the handler's server span", childOf(c0, tracepb.Span_SPAN_KIND_SERVER))
				a := one(t, spans, name+"-a", named(name+"-a"))
				child(s, "(a) the span the handler starts with context.Background()", a)
				child(a, "(b) http.Get inside it: its client span", client(name+"-a"))
				c := one(t, spans, name+"-c", named(name+"-c"))
				child(s, "(c) the span started with the request's context while "+name+"-a is open", c)
				child(c, "(c) the client span of the request with its context", client(name+"-c"))
				child(a, "after "+name+"-c ended, http.Get's client span", client(name+"-a-again"))
				child(s, "after "+name+"-a ended, http.Get's client span", client(name+"-handler"))
				if in := spansOf(spans, m.TraceID()); len(in) != 13 {
					t.Errorf("the trace of %s-main has %d spans, want 13:\n%s", name, len(in), dumpSpans(in))
				}
			})
		}
	})
}

// TestGLSSampling: a span that the sampler dropped, or that it records
// without sampling, is not the parent of the spans that the goroutine starts
// after it ended: they are new roots, sampled, and the requests made inside
// them are their children.
func TestGLSSampling(t *testing.T) {
	t.Parallel()
	glsVariants(t, func(t *testing.T, v string) {
		r := startReceiver(t)
		out := runGLS(t, v, "sampling", r)
		if want := "after-drop sampled: true; 200 /after-drop\nafter-record-only sampled: true; 200 /after-record-only\n"; out != want {
			t.Errorf("sampling printed:\n%s\nwant:\n%s", out, want)
		}
		spans := r.WaitSpans(t, 6)
		if len(spans) != 6 {
			t.Fatalf("%d spans arrived, want 6:\n%s", len(spans), dumpSpans(spans))
		}
		for _, name := range []string{"drop", "record-only"} {
			s := one(t, spans, "after-"+name, named("after-"+name))
			wantRoot(t, s, "the span before it, "+name+", has ended")
			c := one(t, spans, "the client span of /after-"+name, isClient("/after-"+name))
			if c.ParentID() != s.ID() || c.TraceID() != s.TraceID() {
				t.Errorf("the client span of /after-%s is not a child of after-%s:\n%s", name, name, dumpSpans(spans))
			}
			one(t, spans, "the server span of /after-"+name, childOf(c, tracepb.Span_SPAN_KIND_SERVER))
		}
	})
}

// TestGLSBaggage: the test sends a request with baggage k=v to a handler
// that reads the baggage from context.Background() and calls the test's
// uninstrumented peer with http.Get (no context), from its own goroutine and
// from one it starts: it finds k=v, and the peer gets it in both requests,
// with the trace context of their client spans.
func TestGLSBaggage(t *testing.T) {
	t.Parallel()
	glsVariants(t, func(t *testing.T, v string) {
		_, bin := glsPrograms(t, v)
		r := startReceiver(t)
		peer := startPeer(t)
		p := startProgram(t, filepath.Join(bin, exe("baggage")), otelEnv(r), peer.URL)
		base := p.WaitPrefix(t, "listening ")
		req, _ := http.NewRequest("GET", base+"/bag", nil)
		req.Header.Set("Baggage", "k=v")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			body.WriteString(sc.Text() + "\n")
		}
		resp.Body.Close()
		p.Stdin.Close()
		out, state := p.Wait(t)
		if !state.Success() || strings.Contains(out+p.Stderr(), "DATA RACE") {
			t.Fatalf("baggage (%s) ended with %v\nstdout:\n%s\nstderr:\n%s", v, state, out, p.Stderr())
		}
		if want := "k=\"v\"\npeer: 200 peer here\npeer from a goroutine: 200 peer here\n"; body.String() != want {
			t.Errorf("/bag answered:\n%s\nwant:\n%s", body.String(), want)
		}

		spans := r.WaitSpans(t, 3)
		if len(spans) != 3 {
			t.Fatalf("%d spans arrived, want 3:\n%s", len(spans), dumpSpans(spans))
		}
		s := one(t, spans, "the server span of /bag", isServer("/bag", ""))
		wantRoot(t, s, "the test's request carries no trace context")
		headers := peer.Headers()
		if len(headers) != 2 {
			t.Fatalf("the peer got %d requests, want 2", len(headers))
		}
		for _, from := range []string{"handler", "goroutine"} {
			c := one(t, spans, "the client span of the request from the "+from, isClient("?from="+from))
			if c.ParentID() != s.ID() || c.TraceID() != s.TraceID() {
				t.Errorf("the client span of the request from the %s is not a child of the server span:\n%s", from, dumpSpans(spans))
			}
			tp := "00-" + c.TraceID() + "-" + c.ID() + "-01"
			found := false
			for _, h := range headers {
				if h.Get("Traceparent") != tp {
					continue
				}
				found = true
				if got := h.Get("Baggage"); got != "k=v" {
					t.Errorf("the peer got baggage %q from the %s, want k=v", got, from)
				}
			}
			if !found {
				t.Errorf("the peer got no request with traceparent %s (the request from the %s): %v", tp, from, headers)
			}
		}
	})
}

// TestGLSMillion: a million goroutines start and end under a live span, in
// batches; the heap in use comes back to within 10 MiB or 20 % of where it
// began (the program checks, and exits 1 if not).
func TestGLSMillion(t *testing.T) {
	t.Parallel()
	glsVariants(t, func(t *testing.T, v string) {
		r := startReceiver(t)
		out := runGLS(t, v, "million", r)
		t.Logf("million (%s):\n%s", v, out)
		if !strings.Contains(out, "goroutines: 1000000 started") || !strings.Contains(out, "HeapInuse: ") {
			t.Errorf("million printed:\n%s", out)
		}
		spans := r.WaitSpans(t, 2)
		c := one(t, spans, "main's client span", isClient("/spawn"))
		one(t, spans, "the server span the goroutines were started under", childOf(c, tracepb.Span_SPAN_KIND_SERVER))
	})
}

package test

import (
	"io"
	"net/http"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// Remote parent of the requests that carry a traceparent header.
const (
	remoteTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	remoteSpan  = "00f067aa0ba902b7"
)

// get requests url, with a traceparent header when traced, and fails the
// test unless the answer is 200.
func get(t *testing.T, url string, traced bool) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if traced {
		req.Header.Set("Traceparent", "00-"+remoteTrace+"-"+remoteSpan+"-01")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
}

// TestSpanFromBareContext builds testdata/app, whose handlers call
// trace.SpanFromContext and trace.SpanContextFromContext with
// context.Background(), and checks that they see the request's SERVER span
// (current on the handler's goroutine) while it runs, and nothing once it
// ended; that a context carrying a span, even a non-recording or an empty
// one, is answered as before; and that SERVER spans keep their parent from
// the request, also on a server whose goroutines were started inside a
// span of the program.
func TestSpanFromBareContext(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	outside := p.WaitPrefix(t, "listening ")
	inside := p.WaitPrefix(t, "inside ")

	printed := map[string]string{} // url.query -> trace id the handler printed
	for _, c := range []struct {
		base, query string
		traced      bool
	}{
		{outside, "n=1", false},
		{outside, "n=2", true},
		{inside, "n=3", false},
		{inside, "n=4", true},
	} {
		get(t, c.base+"/bare?"+c.query, c.traced)
		printed[c.query] = p.WaitPrefix(t, "bare ")
	}

	// A goroutine of the request that runs on after the SERVER span ended.
	get(t, outside+"/late", false)
	get(t, outside+"/release", false)
	p.WaitLine(t, "late recording=false valid=false")

	get(t, outside+"/explicit", false)
	p.WaitLine(t, "explicit remote=true recording=false empty=false")

	p.Stdin.Close() // main ends "boot" and returns, and the SDK flushes
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}

	spans := r.WaitSpans(t, 8) // 4 /bare, /late, /release, /explicit, boot
	if len(spans) != 8 {
		t.Fatalf("%d spans arrived, want 8:\n%s", len(spans), testkit.Dump(spans))
	}
	boot := testkit.One(t, spans, testkit.Name("boot"))
	for _, q := range []string{"n=1", "n=2", "n=3", "n=4"} {
		srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.query", q))
		testkit.WantAttrs(t, srv, map[string]any{"url.path": "/bare", "from.bare": "yes"})
		if printed[q] != srv.TraceID() {
			t.Errorf("/bare?%s: SpanContextFromContext gave trace %s, want the SERVER span's %s", q, printed[q], srv.TraceID())
		}
		switch q {
		case "n=2", "n=4": // traceparent: the remote parent, not the goroutine's span
			if srv.TraceID() != remoteTrace || srv.ParentID() != remoteSpan {
				t.Errorf("/bare?%s: SERVER span %s, want the child of %s-%s", q, srv, remoteTrace, remoteSpan)
			}
		default: // no traceparent: a root, even inside "boot"
			testkit.WantRoot(t, srv)
			if srv.TraceID() == boot.TraceID() {
				t.Errorf("/bare?%s: SERVER span is in the trace of boot", q)
			}
		}
	}
	late := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Attr("url.path", "/late"))
	testkit.WantAttrs(t, late, map[string]any{"late.attr": nil})
	testkit.WantRoot(t, boot)
	for _, s := range spans {
		if _, ok := s.Attrs()["late.attr"]; ok {
			t.Errorf("span %s got late.attr from a goroutine that outlived its request", s)
		}
	}
}

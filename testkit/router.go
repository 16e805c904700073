package testkit

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// Reply is an HTTP response as a router test compares it: status and body.
type Reply struct {
	Status int
	Body   string
}

// Get requests each path from base with http.Get and returns the replies,
// by path.
func Get(t testing.TB, base string, paths ...string) map[string]Reply {
	t.Helper()
	out := map[string]Reply{}
	for _, p := range paths {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		out[p] = Reply{resp.StatusCode, string(body)}
	}
	return out
}

// Request is one request of a router test: the path, and the reply the
// program gives it, as it does without otelgen.
type Request struct {
	Path string
	Reply
}

// Req is the Request for path answered with status and body.
func Req(path string, status int, body string) Request {
	return Request{path, Reply{status, body}}
}

// Router is what CheckRouter expects of a router integration's test
// program, which serves (on the URL it prints after "listening ")
// GET /users/{id}, whose handler requests the program's own ping route with
// http.Get, without a context, and answers "user {id}: " and the ping's body.
type Router struct {
	Requests []Request // made in this order, after which the program ends
	Spans    int       // spans of the run: one per request in and out
	User     string    // the route of /users/42
	Ping     string    // the route of the ping the user handler requests
	Logged   string    // what the program's stderr must hold, "" for nothing
	Logger   string    // who logs it (a recovery middleware), for messages
}

// RouterRun is what CheckRouter saw of the program's run.
type RouterRun struct {
	Spans   []Span
	Metrics []Metric // http.server.request.duration
}

// ServeRouter runs bin, a router integration's test program, exporting to
// a new receiver, with Env's environment and extra; requests each path from
// the URL the program prints after "listening "; then ends the program (at
// EOF on its stdin, when main returns and the SDK flushes) and checks that
// it succeeded. It returns the receiver, the replies by path, and the
// program's stderr.
func ServeRouter(t *testing.T, bin string, paths []string, extra ...string) (*Receiver, map[string]Reply, string) {
	t.Helper()
	r := StartReceiver(t)
	p := Start(t, bin, Env(r, extra...))
	base := p.WaitPrefix(t, "listening ")
	got := Get(t, base, paths...)
	p.Stdin.Close()
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	return r, got, p.Stderr()
}

// CheckRouter runs bin as ServeRouter does, makes want's requests and checks
// their replies, then checks the spans that every router test shares:
// exactly want.Spans of them; /users/42 a root SERVER span, net/http's or
// fasthttp's, named "GET "+want.User with http.route, status 200, no error;
// the handler's request a CLIENT span under it, and the ping a SERVER span
// under that, with its route; and the route of /users/42 on the duration
// metric. It returns the spans and the metric for the checks of the
// router's own.
func CheckRouter(t *testing.T, bin string, want Router, extra ...string) RouterRun {
	t.Helper()
	paths := make([]string, len(want.Requests))
	for i, req := range want.Requests {
		paths[i] = req.Path
	}
	r, got, stderr := ServeRouter(t, bin, paths, extra...)
	for _, req := range want.Requests {
		if g := got[req.Path]; g != req.Reply {
			t.Errorf("GET %s: %d %q, want %d %q", req.Path, g.Status, g.Body, req.Status, req.Body)
		}
	}
	if want.Logged != "" && !strings.Contains(stderr, want.Logged) {
		t.Errorf("%s did not log %q; stderr:\n%s", want.Logger, want.Logged, stderr)
	}

	spans := r.WaitSpans(t, want.Spans)
	if len(spans) != want.Spans {
		t.Errorf("%d spans, want %d:\n%s", len(spans), want.Spans, Dump(spans))
	}
	server := Kind(Server)
	user := One(t, spans, server, Attr("url.path", "/users/42"))
	WantRoot(t, user)
	if user.GetName() != "GET "+want.User {
		t.Errorf("server span named %q, want %q", user.GetName(), "GET "+want.User)
	}
	WantAttrs(t, user, map[string]any{
		"http.request.method":       "GET",
		"http.route":                want.User,
		"http.response.status_code": int64(200),
	})
	WantStatus(t, user, Unset)
	WantNoException(t, user)
	cli := One(t, spans, Kind(Client))
	WantChildOf(t, cli, user)
	ping := One(t, spans, server, Name("GET "+want.Ping))
	WantChildOf(t, ping, cli)
	WantAttrs(t, ping, map[string]any{"http.route": want.Ping})

	ms := r.WaitMetric(t, "http.server.request.duration")
	WantHistogramPoint(t, ms, map[string]any{"http.route": want.User, "http.response.status_code": int64(200)})
	return RouterRun{Spans: spans, Metrics: ms}
}

// WantRouteSpan returns the one SERVER span named "GET "+route, and checks
// that it has http.route and the status code; for a 5xx, error.type (the
// code) and an error status; otherwise no error.type and the status unset
// (a 4xx is the client's error).
func WantRouteSpan(t testing.TB, spans []Span, route string, code int) Span {
	t.Helper()
	s := One(t, spans, Kind(Server), Name("GET "+route))
	attrs := map[string]any{"http.route": route, "http.response.status_code": int64(code), "error.type": nil}
	status := Unset
	if code >= 500 {
		attrs["error.type"] = strconv.Itoa(code)
		status = Error
	}
	WantAttrs(t, s, attrs)
	WantStatus(t, s, status)
	return s
}

// WantPanicEvent checks that s has one exception event, of type typ and
// message msg, whose stack trace shows the handler (a function literal of
// main.main) that panicked.
func WantPanicEvent(t testing.TB, s Span, typ, msg string) {
	t.Helper()
	ev := WantException(t, s, typ, msg)
	if st, _ := ev["exception.stacktrace"].(string); !strings.Contains(st, "main.main.func") {
		t.Errorf("the panic's stack trace does not show the handler:\n%s", st)
	}
}

// WantUnmatched returns the one SERVER span of the request for path, which
// no route matched, and checks that it is named after the method alone,
// without http.route, with the status code and the status unset.
func WantUnmatched(t testing.TB, spans []Span, path string, code int) Span {
	t.Helper()
	s := One(t, spans, Kind(Server), Attr("url.path", path))
	WantAttrs(t, s, map[string]any{"http.route": nil, "http.response.status_code": int64(code)})
	if s.GetName() != "GET" {
		t.Errorf("unmatched request's span named %q, want GET", s.GetName())
	}
	WantStatus(t, s, Unset)
	return s
}

package test

import (
	"strings"
	"testing"
	"time"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	scope   = "github.com/otelgen/otelgen/rules/grpc"
	service = "grpc.testing.TestService/"
)

// run builds testdata/app (with opts), runs it in mode with env until it
// has made its calls and ended, and returns its stdout.
func run(t *testing.T, env []string, mode string, opts ...testkit.Option) string {
	t.Helper()
	bin := testkit.Build(t, "testdata/app", opts...)
	p := testkit.Start(t, bin, env, mode)
	p.WaitLine(t, "done")
	p.Stdin.Close()
	out, state := p.Wait(t)
	if !state.Success() {
		t.Fatalf("app %s ended with %v\n%s\nstderr:\n%s", mode, state, out, p.Stderr())
	}
	return out
}

func grpcSpans(spans []testkit.Span) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.Attr("rpc.system.name") == "grpc" {
			out = append(out, s)
		}
	}
	return out
}

// pair returns the CLIENT span of the call to method whose status is code,
// and the SERVER span under it, checking what both must carry.
func pair(t *testing.T, spans []testkit.Span, method, code string, extra ...testkit.Match) (cli, srv testkit.Span) {
	t.Helper()
	name := service + method
	ms := append([]testkit.Match{testkit.Kind(testkit.Client), testkit.Name(name), testkit.Attr("rpc.response.status_code", code)}, extra...)
	cli = testkit.One(t, spans, ms...)
	srv = testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.ChildOf(cli))
	for _, s := range []testkit.Span{cli, srv} {
		testkit.WantAttrs(t, s, map[string]any{
			"rpc.system.name":          "grpc",
			"rpc.method":               name,
			"rpc.response.status_code": code,
			"server.address":           "127.0.0.1",
		})
		if _, ok := s.Attr("server.port").(int64); !ok {
			t.Errorf("span %s %q has no server.port", s.GetKind(), s.GetName())
		}
		if s.GetName() != name || s.Scope != scope {
			t.Errorf("span %s has name %q and scope %q", s.GetKind(), s.GetName(), s.Scope)
		}
	}
	return cli, srv
}

// TestCalls checks the spans and metrics of unary calls (an OK one whose
// handler calls again without a context, two errors, a panic, an
// unimplemented method, a method the server does not know) on ClientConns made by NewClient, Dial and
// DialContext, and of one call of each streaming kind: every client span
// has the server span of its call as its child, error statuses follow the
// conventions of each side, baggage reaches the servers, and the
// call-duration histograms are exported.
func TestCalls(t *testing.T) {
	r := testkit.StartReceiver(t)
	out := run(t, testkit.Env(r), "calls")
	for _, want := range []string{
		"EmptyCall user=ada\nUnaryCall NotFound", // the nested call, through the goroutine
		"UnaryCall Internal\nrecovered handler panics\nUnaryCall Internal\nUnimplementedCall Unimplemented\nNoSuchMethod Unimplemented\nEmptyCall user=ada",
		"streams out=3 in=9 bidi=abc",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the app printed\n%s\nwant it to contain\n%s", out, want)
		}
	}
	spans := grpcSpans(r.WaitSpans(t, 22))
	if len(spans) != 22 {
		t.Fatalf("%d gRPC spans, want 22:\n%s", len(spans), testkit.Dump(spans))
	}

	// The unary call whose handler calls EmptyCall with
	// context.Background(): one trace of four spans.
	cli, srv := pair(t, spans, "UnaryCall", "OK")
	testkit.WantRoot(t, cli)
	testkit.WantStatus(t, cli, testkit.Unset)
	testkit.WantStatus(t, srv, testkit.Unset)
	nested := testkit.One(t, spans, testkit.Kind(testkit.Client), testkit.ChildOf(srv))
	nestedSrv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.ChildOf(nested))
	if nested.GetName() != service+"EmptyCall" || nestedSrv.GetName() != service+"EmptyCall" {
		t.Errorf("nested call: %s\n%s", nested, nestedSrv)
	}
	if got := testkit.Attrs(srv.GetAttributes())["network.peer.address"]; got != "127.0.0.1" {
		t.Errorf("server span has network.peer.address %v", got)
	}

	// NOT_FOUND is the caller's error, not the server's.
	cli, srv = pair(t, spans, "UnaryCall", "NOT_FOUND")
	testkit.WantRoot(t, cli)
	testkit.WantStatus(t, cli, testkit.Error)
	testkit.WantAttrs(t, cli, map[string]any{"error.type": "NOT_FOUND"})
	testkit.WantStatus(t, srv, testkit.Unset)
	testkit.WantAttrs(t, srv, map[string]any{"error.type": nil})

	// INTERNAL is an error on both sides; one of the two is the panic, which
	// the program's recovery interceptor turned into INTERNAL.
	var panicked int
	for _, cli := range spans {
		if cli.GetKind() != testkit.Client || cli.Attr("rpc.response.status_code") != "INTERNAL" {
			continue
		}
		srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.ChildOf(cli))
		testkit.WantStatus(t, cli, testkit.Error)
		testkit.WantStatus(t, srv, testkit.Error)
		testkit.WantAttrs(t, srv, map[string]any{"error.type": "INTERNAL", "rpc.response.status_code": "INTERNAL"})
		for _, ev := range srv.GetEvents() {
			if ev.GetName() != "exception" {
				continue
			}
			panicked++
			a := testkit.Attrs(ev.GetAttributes())
			if a["exception.message"] != "handler panics" || a["exception.type"] != "string" ||
				!strings.Contains(a["exception.stacktrace"].(string), "main.(*service).UnaryCall") {
				t.Errorf("the panic's event has %v", a)
			}
			if msg := srv.GetStatus().GetMessage(); msg != "recovered: handler panics" {
				t.Errorf("the panic's server span has status message %q", msg)
			}
		}
	}
	if panicked != 1 {
		t.Errorf("%d server spans have an exception event, want 1:\n%s", panicked, testkit.Dump(spans))
	}

	// UNIMPLEMENTED is a server error too.
	cli, srv = pair(t, spans, "UnimplementedCall", "UNIMPLEMENTED")
	testkit.WantStatus(t, cli, testkit.Error)
	testkit.WantStatus(t, srv, testkit.Error)

	// A method the server does not know: gRPC answers without running a
	// handler, and the server span still ends, with rpc.method _OTHER.
	cli = testkit.One(t, spans, testkit.Kind(testkit.Client), testkit.Name(service+"NoSuchMethod"))
	srv = testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.ChildOf(cli))
	testkit.WantStatus(t, cli, testkit.Error)
	testkit.WantStatus(t, srv, testkit.Error)
	testkit.WantAttrs(t, cli, map[string]any{"rpc.method": service + "NoSuchMethod", "rpc.response.status_code": "UNIMPLEMENTED"})
	testkit.WantAttrs(t, srv, map[string]any{"rpc.method": "_OTHER", "rpc.method_original": service + "NoSuchMethod",
		"rpc.response.status_code": "UNIMPLEMENTED", "server.address": "127.0.0.1"})

	// The ClientConn made by DialContext.
	cli, _ = pair(t, spans, "EmptyCall", "OK", testkit.Where("a root", func(s testkit.Span) bool { return s.ParentID() == "" }))
	testkit.WantStatus(t, cli, testkit.Unset)

	for _, m := range []string{"StreamingOutputCall", "StreamingInputCall", "FullDuplexCall"} {
		cli, srv := pair(t, spans, m, "OK")
		testkit.WantRoot(t, cli)
		testkit.WantStatus(t, cli, testkit.Unset)
		testkit.WantStatus(t, srv, testkit.Unset)
	}

	testkit.WantHistogramPoint(t, r.WaitMetric(t, "rpc.server.call.duration"), map[string]any{
		"rpc.system.name": "grpc", "rpc.method": service + "UnaryCall", "rpc.response.status_code": "INTERNAL", "error.type": "INTERNAL",
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "rpc.server.call.duration"), map[string]any{
		"rpc.system.name": "grpc", "rpc.method": service + "FullDuplexCall", "rpc.response.status_code": "OK",
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "rpc.client.call.duration"), map[string]any{
		"rpc.system.name": "grpc", "rpc.method": service + "UnaryCall", "rpc.response.status_code": "NOT_FOUND",
		"error.type": "NOT_FOUND", "server.address": "127.0.0.1",
	})
}

// TestStreamsRace runs the streaming calls from four goroutines at once in
// a program built with the race detector: twelve calls, each a CLIENT span
// with its SERVER span as its child.
func TestStreamsRace(t *testing.T) {
	r := testkit.StartReceiver(t)
	run(t, testkit.Env(r), "streams", testkit.Race())
	spans := grpcSpans(r.WaitSpans(t, 24))
	if len(spans) != 24 {
		t.Fatalf("%d gRPC spans, want 24:\n%s", len(spans), testkit.Dump(spans))
	}
	for _, cli := range spans {
		if cli.GetKind() != testkit.Client {
			continue
		}
		testkit.WantRoot(t, cli)
		srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.ChildOf(cli))
		if srv.GetName() != cli.GetName() || cli.Attr("rpc.response.status_code") != "OK" {
			t.Errorf("call:\n  %s\n  %s", cli, srv)
		}
	}
}

// TestPanicUnrecovered runs a server without a recovery interceptor: the
// handler's panic, recorded on the way, still ends the program with the
// handler's frame in the trace, as it would without otelgen.
func TestPanicUnrecovered(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	_, stderr, code := testkit.Run(t, bin, testkit.Env(nil, "OTEL_TRACES_EXPORTER=none", "OTEL_METRICS_EXPORTER=none"), "crash")
	if code != 2 || !strings.Contains(stderr, "panic: handler panics") || !strings.Contains(stderr, "main.(*service).UnaryCall(") {
		t.Errorf("app crash: exit %d, want 2 and the panic with the handler's frame; stderr:\n%s", code, stderr)
	}
}

// TestExporterNotTraced exports over OTLP/gRPC: the exporters' own calls
// (opentelemetry.proto.collector...Export) must not be traced, or every
// export would make spans to export. The program keeps running until the
// spans of its calls and its metrics have been exported, and a second
// later, so that spans of those exports, if any, would have been exported
// too.
func TestExporterNotTraced(t *testing.T) {
	r := testkit.StartGRPCReceiver(t)
	bin := testkit.Build(t, "testdata/app")
	p := testkit.Start(t, bin, testkit.Env(r), "calls")
	p.WaitLine(t, "done")
	r.WaitSpans(t, 22)
	r.WaitMetric(t, "rpc.client.call.duration")
	time.Sleep(time.Second) // ten more rounds of the batch span processor
	p.Stdin.Close()
	if out, state := p.Wait(t); !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	for _, s := range r.Spans() {
		if strings.Contains(s.GetName(), "opentelemetry.proto") || s.Attr("rpc.method") == nil {
			t.Errorf("unexpected span %s", s)
		}
	}
	if n := len(r.Spans()); n != 22 {
		t.Errorf("%d spans, want the app's 22:\n%s", n, testkit.Dump(r.Spans()))
	}
}

// TestOtelgrpc runs a program that traces its server and client with
// otelgrpc's stats handlers: each side of its call is traced once, by
// otelgrpc.
func TestOtelgrpc(t *testing.T) {
	r := testkit.StartReceiver(t)
	run(t, testkit.Env(r), "otelgrpc")
	spans := r.WaitSpans(t, 2)
	r.WaitMetric(t, "rpc.server.call.duration") // the spans have been exported by then too
	spans = r.Spans()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want otelgrpc's 2:\n%s", len(spans), testkit.Dump(spans))
	}
	cli := testkit.One(t, spans, testkit.Kind(testkit.Client))
	srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.ChildOf(cli))
	for _, s := range []testkit.Span{cli, srv} {
		if !strings.HasSuffix(s.Scope, "/otelgrpc") {
			t.Errorf("span %s comes from scope %s", s, s.Scope)
		}
	}
	for _, m := range r.Metrics() {
		if m.Scope == scope {
			t.Errorf("otelgen recorded %s", m.GetName())
		}
	}
}

// TestDisabled turns the integration off with
// OTEL_GO_DISABLED_INSTRUMENTATIONS: the calls work, and make no span.
func TestDisabled(t *testing.T) {
	r := testkit.StartReceiver(t)
	out := run(t, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=grpc"), "calls")
	if !strings.Contains(out, "streams out=3 in=9 bidi=abc") {
		t.Errorf("the app printed\n%s", out)
	}
	if spans := r.Spans(); len(spans) != 0 {
		t.Errorf("%d spans with grpc disabled:\n%s", len(spans), testkit.Dump(spans))
	}
}

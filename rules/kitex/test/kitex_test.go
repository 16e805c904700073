package test

import (
	"strings"
	"testing"
	"time"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func TestClientAndServer(t *testing.T) { clientAndServer(t) }

// TestRace makes the same calls with the program built with -race.
func TestRace(t *testing.T) { clientAndServer(t, testkit.Race()) }

// clientAndServer builds testdata/app, whose generic Kitex clients call its
// generic Kitex server over TTHeader: Hello (whose handler calls Echo with
// its context), Fail (an error) and Boom (a panic). It checks the trace:
// each call a CLIENT span and a SERVER span under it, named
// "{service}/{method}", the nested call under the handler's SERVER span,
// the errors and the panic, and both call-duration histograms.
func clientAndServer(t *testing.T, opts ...testkit.Option) {
	bin := testkit.Build(t, "testdata/app", opts...)
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r))
	p.WaitLine(t, "done")
	p.Stdin.Close() // main returns, and the SDK flushes
	out, state := p.Wait(t)
	if !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	if !strings.Contains(out, "Hello: map[msg:hello, ada] <nil>") {
		t.Errorf("Hello did not answer as without otelgen:\n%s", out)
	}
	if !strings.Contains(out, "handler exploded") {
		t.Errorf("Boom's panic did not reach the client as Kitex's error:\n%s", out)
	}

	// Four calls, one of them from a handler: eight spans, no more.
	spans := r.WaitSpans(t, 8)
	if len(spans) != 8 {
		t.Errorf("%d spans, want 8:\n%s", len(spans), testkit.Dump(spans))
	}
	server, client := testkit.Kind(testkit.Server), testkit.Kind(testkit.Client)

	helloCli := testkit.One(t, spans, client, testkit.Name("Greeter/Hello"))
	testkit.WantRoot(t, helloCli)
	testkit.WantAttrs(t, helloCli, map[string]any{
		"rpc.system.name": "kitex",
		"rpc.method":      "Greeter/Hello",
		"server.address":  "127.0.0.1",
	})
	port, _ := helloCli.Attr("server.port").(int64)
	if port == 0 {
		t.Errorf("client span has server.port %v", helloCli.Attr("server.port"))
	}
	testkit.WantStatus(t, helloCli, testkit.Unset)

	hello := testkit.One(t, spans, server, testkit.Name("Greeter/Hello"))
	testkit.WantChildOf(t, hello, helloCli) // through TTHeader's metainfo
	testkit.WantAttrs(t, hello, map[string]any{
		"rpc.system.name":      "kitex",
		"rpc.method":           "Greeter/Hello",
		"network.peer.address": "127.0.0.1",
	})
	testkit.WantStatus(t, hello, testkit.Unset)

	echoCli := testkit.One(t, spans, client, testkit.Name("Greeter/Echo"))
	testkit.WantChildOf(t, echoCli, hello) // through the handler's context
	echo := testkit.One(t, spans, server, testkit.Name("Greeter/Echo"))
	testkit.WantChildOf(t, echo, echoCli)

	failCli := testkit.One(t, spans, client, testkit.Name("Greeter/Fail"))
	testkit.WantRoot(t, failCli)
	testkit.WantStatus(t, failCli, testkit.Error)
	fail := testkit.One(t, spans, server, testkit.Name("Greeter/Fail"))
	testkit.WantChildOf(t, fail, failCli)
	testkit.WantStatus(t, fail, testkit.Error)
	testkit.WantAttrs(t, fail, map[string]any{"error.type": "biz error"})
	testkit.WantException(t, fail, "*kerrors.DetailedError", "no such user")

	boomCli := testkit.One(t, spans, client, testkit.Name("Greeter/Boom"))
	testkit.WantStatus(t, boomCli, testkit.Error)
	boom := testkit.One(t, spans, server, testkit.Name("Greeter/Boom"))
	testkit.WantChildOf(t, boom, boomCli)
	testkit.WantStatus(t, boom, testkit.Error)
	testkit.WantAttrs(t, boom, map[string]any{"error.type": "panic"})
	ev := testkit.WantException(t, boom, "panic", "handler exploded")
	if st, _ := ev["exception.stacktrace"].(string); !strings.Contains(st, "GenericCall") {
		t.Errorf("panic's stack does not reach the handler:\n%s", st)
	}

	for _, s := range spans {
		if s.Scope != "github.com/otelgen/otelgen/rules/kitex" || s.Resource["service.name"] != "app" {
			t.Errorf("span %q has scope %q and service.name %v", s.GetName(), s.Scope, s.Resource["service.name"])
		}
	}

	testkit.WantHistogramPoint(t, r.WaitMetric(t, "rpc.client.call.duration"), map[string]any{
		"rpc.system.name": "kitex",
		"rpc.method":      "Greeter/Hello",
		"server.address":  "127.0.0.1",
		"server.port":     port,
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "rpc.server.call.duration"), map[string]any{
		"rpc.system.name": "kitex",
		"rpc.method":      "Greeter/Boom",
		"error.type":      "panic",
	})
}

// TestDisabled runs the same program with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming kitex: it calls and serves as before, and exports no span.
func TestDisabled(t *testing.T) {
	bin := testkit.Build(t, "testdata/app")
	r := testkit.StartReceiver(t)
	p := testkit.Start(t, bin, testkit.Env(r, "OTEL_GO_DISABLED_INSTRUMENTATIONS=kitex"))
	p.WaitLine(t, "done")
	p.Stdin.Close()
	out, state := p.Wait(t)
	if !state.Success() {
		t.Fatalf("app ended with %v\n%s\nstderr:\n%s", state, out, p.Stderr())
	}
	if !strings.Contains(out, "Hello: map[msg:hello, ada] <nil>") {
		t.Errorf("Hello did not answer:\n%s", out)
	}
	time.Sleep(200 * time.Millisecond)
	if spans := r.Spans(); len(spans) != 0 {
		t.Errorf("%d spans with kitex disabled:\n%s", len(spans), testkit.Dump(spans))
	}
}

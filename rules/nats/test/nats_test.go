package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const scope = "github.com/otelgen/otelgen/rules/nats"

// The secret testdata/app plants in a message body and a header.
const secret = "planted-secret-4be1"

func run(t *testing.T, want int, extra ...string) []testkit.Span {
	return runBin(t, testkit.Build(t, "testdata/app"), want, extra...)
}

func runBin(t *testing.T, bin string, want int, extra ...string) []testkit.Span {
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r, append([]string{"NATS_URL=" + testkit.NATS(t)}, extra...)...))
	if code != 0 || strings.TrimSpace(out) != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want)
}

func childrenOf(spans []testkit.Span, parent testkit.Span) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.ParentID() == parent.ID() && s.TraceID() == parent.TraceID() {
			out = append(out, s)
		}
	}
	return out
}

func named(spans []testkit.Span, name string) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.GetName() == name && s.Scope == scope {
			out = append(out, s)
		}
	}
	return out
}

// TestNATS runs testdata/app against a real nats-server and checks the
// PRODUCER and CONSUMER spans of its publishes, subscriptions (callback,
// queue group, NextMsg), requests and JetStream stream: names, kinds,
// attributes, and that each consumer span is the child of its message's
// producer span, with what the program does while handling a message
// nested under the consumer span.
func TestNATS(t *testing.T) {
	// 6 spans of the program's own, 27 of its messages.
	spans := run(t, 33)
	app := func(name string) testkit.Span {
		t.Helper()
		return testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
	}
	// send finds the PRODUCER spans of subject under parent, and checks
	// them.
	send := func(parent testkit.Span, subject string, n int) []testkit.Span {
		t.Helper()
		var out []testkit.Span
		for _, s := range childrenOf(spans, parent) {
			if s.Scope == scope && s.Attr("messaging.destination.name") == subject {
				out = append(out, s)
			}
		}
		if len(out) != n {
			t.Fatalf("%s has %d sends to %s, want %d:\n%s", parent.GetName(), len(out), subject, n, testkit.Dump(spans))
		}
		for _, s := range out {
			if s.GetKind() != testkit.Producer || s.GetName() != "send "+subject {
				t.Errorf("span %s %q, want PRODUCER %q", s.GetKind(), s.GetName(), "send "+subject)
			}
			testkit.WantAttrs(t, s, map[string]any{
				"messaging.system": "nats", "messaging.operation.name": "send", "messaging.operation.type": "send",
				"server.address": "127.0.0.1",
			})
		}
		return out
	}
	// process finds the one CONSUMER span of a producer span, and checks it.
	process := func(producer testkit.Span) testkit.Span {
		t.Helper()
		subject := producer.Attr("messaging.destination.name").(string)
		s := testkit.One(t, spans, testkit.ChildOf(producer), testkit.Kind(testkit.Consumer))
		if s.GetName() != "process "+subject {
			t.Errorf("span %q, want %q", s.GetName(), "process "+subject)
		}
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.system": "nats", "messaging.operation.name": "process", "messaging.operation.type": "process",
			"messaging.destination.name": subject, "messaging.message.body.size": producer.Attr("messaging.message.body.size"),
		})
		return s
	}

	pub := app("publish")
	created := send(pub, "orders.created", 2)
	for _, p := range created {
		c := process(p)
		// The handler's context-less publish nests under its process span.
		send(c, "orders.audit", 1)
		testkit.WantAttrs(t, c, map[string]any{"messaging.consumer.group.name": nil})
	}
	testkit.One(t, created, testkit.Attr("messaging.message.body.size", int64(10)))
	job := process(send(pub, "jobs.run", 1)[0])
	testkit.WantAttrs(t, job, map[string]any{"messaging.consumer.group.name": "workers"})

	// NextMsg: each message's span covers the work until the next receive.
	for _, p := range send(app("sync"), "orders.sync", 2) {
		send(process(p), "orders.sync.audit", 1)
	}

	// Request–reply: the responder's span is the request's child, and its
	// reply, to a temporary inbox, the responder's.
	reply := func(proc testkit.Span) {
		t.Helper()
		r := testkit.One(t, spans, testkit.ChildOf(proc), testkit.Kind(testkit.Producer))
		if r.GetName() != "send" {
			t.Errorf("reply span %q, want %q (an inbox is no span name)", r.GetName(), "send")
		}
		testkit.WantAttrs(t, r, map[string]any{"messaging.destination.temporary": true})
		if !strings.HasPrefix(fmt.Sprint(r.Attr("messaging.destination.name")), "_INBOX.") {
			t.Errorf("reply to %v, want an _INBOX. subject", r.Attr("messaging.destination.name"))
		}
	}
	req := app("request")
	for _, p := range send(req, "svc.echo", 2) {
		reply(process(p))
	}
	nobody := send(req, "svc.nobody", 1)[0]
	testkit.WantStatus(t, nobody, testkit.Unset)
	reply(process(send(app("request-ctx"), "svc.echo", 1)[0]))
	if n := len(childrenOf(spans, app("other"))); n != 0 {
		t.Errorf("the goroutine's span has %d children, want none: the request's context wins", n)
	}

	// JetStream: publish through the stream, consume with Consume; the
	// client's API requests and acks make no spans.
	js := process(send(app("js-publish"), "js.orders.new", 1)[0])
	send(js, "js.audit", 1)

	for _, s := range spans {
		if s.Scope == scope && s.ParentID() == "" {
			t.Errorf("span %q is a root: %s", s.GetName(), s)
		}
		if strings.HasPrefix(s.GetName(), "send $") || strings.HasPrefix(s.GetName(), "process $") {
			t.Errorf("span %q of the client's own traffic", s.GetName())
		}
		if strings.Contains(fmt.Sprint(s.Span), secret) {
			t.Errorf("span %q holds the secret: %s", s.GetName(), s.Span)
		}
	}
	if n := len(named(spans, "send orders.created")); n != 2 {
		t.Errorf("%d spans send orders.created, want 2", n)
	}
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming nats: only the program's own spans.
func TestDisabled(t *testing.T) {
	spans := run(t, 6, "OTEL_GO_DISABLED_INSTRUMENTATIONS=nats")
	for _, s := range spans {
		if s.Scope != "app" {
			t.Errorf("span %q of %q, want only the program's", s.GetName(), s.Scope)
		}
	}
}

// TestRace runs testdata/app built with the race detector, which makes the
// program exit non-zero on a data race, against the real nats-server.
func TestRace(t *testing.T) {
	spans := runBin(t, testkit.Build(t, "testdata/app", testkit.Race()), 33)
	for _, s := range spans {
		if s.Scope == scope && s.ParentID() == "" {
			t.Errorf("span %q is a root: %s", s.GetName(), s)
		}
	}
}

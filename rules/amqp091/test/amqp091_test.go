package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const scope = "github.com/otelgen/otelgen/rules/amqp091"

// The secret testdata/app plants in a message body and a header.
const secret = "planted-secret-71d2"

func run(t *testing.T, want int, extra ...string) []testkit.Span {
	return runBin(t, testkit.Build(t, "testdata/app"), want, extra...)
}

func runBin(t *testing.T, bin string, want int, extra ...string) []testkit.Span {
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r, append([]string{"AMQP_URL=" + testkit.RabbitMQ(t)}, extra...)...))
	if code != 0 || strings.TrimSpace(out) != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want)
}

// TestRabbitMQ runs testdata/app against a real RabbitMQ node and checks
// the PRODUCER spans of its publishes and the CONSUMER spans of the
// deliveries that Consume and Get hand it: names, kinds, attributes,
// statuses, and that each consumer span is the child of its message's
// producer span, with what the program does between Get and Ack nested
// under the consumer span.
func TestRabbitMQ(t *testing.T) {
	// 5 spans of the program's own, 13 of its messages.
	spans := run(t, 18)
	ours := testkit.Where("scope "+scope, func(s testkit.Span) bool { return s.Scope == scope })
	app := func(name string) testkit.Span {
		t.Helper()
		return testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
	}
	send := func(parent testkit.Span, name, routingKey string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, spans, ours, testkit.ChildOf(parent), testkit.Name(name), testkit.Attr("messaging.rabbitmq.destination.routing_key", routingKey))
		if s.GetKind() != testkit.Producer {
			t.Errorf("span %q is %s, want PRODUCER", s.GetName(), s.GetKind())
		}
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.system": "rabbitmq", "messaging.operation.name": "send", "messaging.operation.type": "send",
			"server.address": "127.0.0.1",
		})
		testkit.WantAttrs(t, s, attrs)
		return s
	}
	process := func(producer testkit.Span, queue string, attrs map[string]any) testkit.Span {
		t.Helper()
		s := testkit.One(t, spans, testkit.ChildOf(producer))
		if s.GetKind() != testkit.Consumer || s.GetName() != "process "+queue {
			t.Errorf("span %s %q, want CONSUMER %q", s.GetKind(), s.GetName(), "process "+queue)
		}
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.system": "rabbitmq", "messaging.operation.name": "process", "messaging.operation.type": "process",
			"messaging.destination.subscription.name":    queue,
			"messaging.destination.name":                 producer.Attr("messaging.destination.name"),
			"messaging.rabbitmq.destination.routing_key": producer.Attr("messaging.rabbitmq.destination.routing_key"),
			"messaging.message.body.size":                producer.Attr("messaging.message.body.size"),
		})
		if _, ok := s.Attrs()["messaging.rabbitmq.message.delivery_tag"]; !ok {
			t.Errorf("span %q has no delivery tag", s.GetName())
		}
		testkit.WantAttrs(t, s, attrs)
		return s
	}

	pub := app("publish")
	// The default exchange: the span is named after the queue the routing
	// key names; the destination is the exchange, "".
	orders := send(pub, "send rq.orders", "rq.orders", map[string]any{
		"messaging.destination.name": "", "messaging.message.id": "m-1",
		"messaging.message.conversation_id": "c-1", "messaging.message.body.size": int64(10),
	})
	process(orders, "rq.orders", map[string]any{"messaging.message.id": "m-1"})
	events := send(pub, "send rq.events", "order.created", map[string]any{"messaging.destination.name": "rq.events"})
	process(events, "rq.events.q", nil)

	// The publish's context wins over the goroutine's span.
	confirmed := send(app("publish-ctx"), "send rq.orders", "rq.orders", nil)
	process(confirmed, "rq.orders", nil)
	other := app("other")
	for _, s := range spans {
		if s.ParentID() == other.ID() {
			t.Errorf("span %q is a child of the goroutine's span, want of the context's", s.GetName())
		}
	}

	// Get: between Get and Ack (or, with auto-ack, the channel's Close) the
	// delivery's span is current: the publish to rq.audit nests under it.
	jobs := app("jobs")
	var got []testkit.Span
	for _, s := range spans {
		if s.Scope == scope && s.ParentID() == jobs.ID() {
			got = append(got, process(s, "rq.jobs", nil))
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d sends to rq.jobs, want 2:\n%s", len(got), testkit.Dump(spans))
	}
	for _, p := range got {
		send(p, "send rq.audit", "rq.audit", nil)
	}

	lost := send(app("closed"), "send rq.orders", "rq.orders", map[string]any{"error.type": "504"})
	testkit.WantStatus(t, lost, testkit.Error)

	for _, s := range spans {
		if s.Scope == scope && s.ParentID() == "" {
			t.Errorf("span %q is a root: %s", s.GetName(), s)
		}
		if strings.Contains(fmt.Sprint(s.Span), secret) {
			t.Errorf("span %q holds the secret: %s", s.GetName(), s.Span)
		}
	}
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming amqp091: only the program's own spans.
func TestDisabled(t *testing.T) {
	spans := run(t, 5, "OTEL_GO_DISABLED_INSTRUMENTATIONS=amqp091")
	for _, s := range spans {
		if s.Scope != "app" {
			t.Errorf("span %q of %q, want only the program's", s.GetName(), s.Scope)
		}
	}
}

// TestRace runs testdata/app built with the race detector, which makes the
// program exit non-zero on a data race, against the real RabbitMQ.
func TestRace(t *testing.T) {
	spans := runBin(t, testkit.Build(t, "testdata/app", testkit.Race()), 18)
	for _, s := range spans {
		if s.Scope == scope && s.ParentID() == "" {
			t.Errorf("span %q is a root: %s", s.GetName(), s)
		}
	}
}

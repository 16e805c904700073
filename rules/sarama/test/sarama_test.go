package test

import (
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
	"github.com/twmb/franz-go/pkg/kfake"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const scope = "github.com/otelgen/otelgen/rules/sarama"

// broker starts a Kafka broker for one run of the program: franz-go's
// kfake, a cluster that speaks the Kafka wire protocol, in this process,
// on a loopback port, with the topics "orders" and "audit" of one
// partition each, and no topic created on demand. The program talks to it
// over TCP as to any broker.
func broker(t *testing.T) string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "orders", "audit"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

// run builds testdata/app with -race, runs it against a broker of its own
// and returns its output and the first want spans.
func run(t *testing.T, want int, extra ...string) (string, []testkit.Span, *testkit.Receiver, string) {
	bin := testkit.Build(t, "testdata/app", testkit.Race()) // the hooks run on sarama's goroutines and the forwarder's
	addr := broker(t)
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r, append([]string{"KAFKA_ADDR=" + addr}, extra...)...))
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "done") {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return out, r.WaitSpans(t, want), r, addr
}

// TestSarama checks the spans of testdata/app: a PRODUCER span per message
// sent, by a SyncProducer (child of the caller's span) and by an
// AsyncProducer (a root, or linked to the program's own creation context),
// acknowledged with its partition and offset, its context in the message's
// headers next to the program's own; a CONSUMER span per message taken from
// a partition consumer and from a consumer group's claim, child of its
// producer's span across the broker; the program's work nested under it,
// with no context, on the reading goroutine, on a goroutine it starts and
// in a group's handler; the failure of a send; the metrics.
func TestSarama(t *testing.T) {
	// 8 spans of the program's own (produce, work, fail, 5 handle); 11
	// sends (5 to orders, 5 to audit, 1 failed) and 10 processings.
	out, spans, r, addr := run(t, 29)
	defer func() {
		if t.Failed() {
			t.Logf("the program's output:\n%s", out)
			for _, s := range spans {
				t.Logf("%s %s %q %v", s.ID(), s.ParentID(), s.GetName(), s.Attr("messaging.kafka.message.key"))
			}
		}
	}()
	host, port := splitAddr(t, addr)
	server := map[string]any{"messaging.system": "kafka", "server.address": host, "server.port": port}

	app := func(ms ...testkit.Match) testkit.Span {
		t.Helper()
		return testkit.One(t, spans, append(ms, testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))...)
	}
	ours := func(ms ...testkit.Match) testkit.Span {
		t.Helper()
		s := testkit.One(t, spans, append(ms, testkit.Where("scope "+scope, func(s testkit.Span) bool { return s.Scope == scope }))...)
		testkit.WantAttrs(t, s, server)
		return s
	}
	key := func(k string) testkit.Match { return testkit.Attr("messaging.kafka.message.key", k) }

	if !strings.Contains(out, "caller-headers 1 1\n") {
		t.Errorf("the program's headers were not left as they were:\n%s", out)
	}

	produce := app(testkit.Name("produce"))
	sends := map[string]testkit.Span{}
	for i, k := range []string{"k1", "k2", "k3", "k4", "k5"} {
		s := ours(testkit.Name("send orders"), key(k))
		sends[k] = s
		if s.GetKind() != testkit.Producer {
			t.Errorf("%s is %s, want PRODUCER", s.GetName(), s.GetKind())
		}
		client := "app-sync"
		if i < 3 {
			testkit.WantChildOf(t, s, produce)
		} else {
			client = "app-async"
			testkit.WantRoot(t, s)
		}
		testkit.WantStatus(t, s, testkit.Unset)
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.destination.name": "orders", "messaging.operation.name": "send",
			"messaging.operation.type": "send", "messaging.client.id": client,
			"messaging.destination.partition.id": "0", "messaging.kafka.offset": int64(i),
			"messaging.message.body.size": int64(len([]string{"first", "second", "third", "fourth", "fifth"}[i])),
		})
	}
	// The async message with the program's own creation context keeps it,
	// and its span links to it.
	if ls := sends["k5"].GetLinks(); len(ls) != 1 || hex.EncodeToString(ls[0].GetTraceId()) != "0af7651916cd43dd8448eb211c80319c" ||
		hex.EncodeToString(ls[0].GetSpanId()) != "b7ad6b7169203331" {
		t.Errorf("%s does not link to the program's creation context: %v", sends["k5"], ls)
	}

	// The headers the consumer saw: the program's own, and the context of
	// the message's span.
	if !strings.Contains(out, "header k1 app-header kept\n") {
		t.Errorf("the program's header is lost:\n%s", out)
	}
	for _, k := range []string{"k1", "k2", "k3", "k4"} {
		tp := "header " + k + " traceparent 00-" + sends[k].TraceID() + "-" + sends[k].ID() + "-01\n"
		if !strings.Contains(out, tp) {
			t.Errorf("no %q in the headers:\n%s", tp, out)
		}
	}
	if !strings.Contains(out, "header k5 traceparent "+creation+"\n") {
		t.Errorf("the program's creation context is not in k5's headers:\n%s", out)
	}

	proc := func(topic, k string, offset int64, group, client string) testkit.Span {
		t.Helper()
		s := ours(testkit.Name("process "+topic), key(k))
		if s.GetKind() != testkit.Consumer {
			t.Errorf("%s is %s, want CONSUMER", s.GetName(), s.GetKind())
		}
		var g any = group
		if group == "" {
			g = nil
		}
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.destination.name": topic, "messaging.operation.name": "process",
			"messaging.operation.type": "process", "messaging.destination.partition.id": "0",
			"messaging.kafka.offset": offset, "messaging.consumer.group.name": g,
			"messaging.client.id": client,
		})
		return s
	}
	for i, k := range []string{"k1", "k2", "k3", "k4", "k5"} {
		p := proc("orders", k, int64(i), "", "app-consumer")
		if k == "k5" {
			if p.ParentID() != "b7ad6b7169203331" {
				t.Errorf("%s is not a child of the program's creation context", p)
			}
		} else {
			testkit.WantChildOf(t, p, sends[k])
			testkit.WantLinks(t, p, sends[k])
		}
		// Forwarded with no context while processing: a child of the
		// message's processing span, from the reading goroutine or, for
		// k1, from a goroutine it started.
		fwd := ours(testkit.Name("send audit"), key(k))
		testkit.WantChildOf(t, fwd, p)
		testkit.WantAttrs(t, fwd, map[string]any{"messaging.client.id": "app-sync", "messaging.kafka.offset": int64(i)})
		if k == "k1" {
			testkit.WantChildOf(t, app(testkit.Name("work")), p)
		}
		// Taken in the group "billing", and handled with no context in
		// the handler.
		pg := proc("audit", k, int64(i), "billing", "app-group")
		testkit.WantChildOf(t, pg, fwd)
		testkit.WantChildOf(t, app(testkit.Name("handle "+k)), pg)
	}

	bad := ours(testkit.Name("send missing"))
	testkit.WantChildOf(t, bad, app(testkit.Name("fail")))
	testkit.WantStatus(t, bad, testkit.Error)
	testkit.WantAttrs(t, bad, map[string]any{"error.type": "UNKNOWN_TOPIC_OR_PARTITION", "messaging.client.id": "app-sync"})

	sent := r.WaitMetric(t, "messaging.client.sent.messages")
	if !hasPoint(sent, map[string]any{"messaging.system": "kafka", "messaging.destination.name": "orders", "messaging.operation.name": "send", "messaging.destination.partition.id": "0"}, 5) {
		t.Errorf("no count of 5 sent to orders: %v", sumPoints(sent))
	}
	consumed := r.WaitMetric(t, "messaging.client.consumed.messages")
	if !hasPoint(consumed, map[string]any{"messaging.destination.name": "audit", "messaging.consumer.group.name": "billing", "messaging.operation.name": "process"}, 5) {
		t.Errorf("no count of 5 consumed from audit: %v", sumPoints(consumed))
	}
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "messaging.client.operation.duration"), map[string]any{
		"messaging.system": "kafka", "messaging.destination.name": "missing", "messaging.operation.type": "send",
		"error.type": "UNKNOWN_TOPIC_OR_PARTITION", "server.address": host,
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "messaging.process.duration"), map[string]any{
		"messaging.destination.name": "orders", "messaging.destination.partition.id": "0",
	})
}

// creation is the creation context testdata/app puts in a message itself.
const creation = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming sarama: the program's own spans only, no context in the headers,
// and the program works as it does instrumented.
func TestDisabled(t *testing.T) {
	out, spans, _, _ := run(t, 8, "OTEL_GO_DISABLED_INSTRUMENTATIONS=sarama")
	for _, s := range spans {
		if s.Scope != "app" {
			t.Errorf("span %q of %q, want only the program's", s.GetName(), s.Scope)
		}
	}
	if strings.Count(out, "traceparent") != 1 || !strings.Contains(out, "header k5 traceparent "+creation+"\n") ||
		!strings.Contains(out, "caller-headers 1 1\n") {
		t.Errorf("a context in the headers, or the program's headers changed:\n%s", out)
	}
}

// splitAddr splits a broker's host:port.
func splitAddr(t *testing.T, addr string) (string, int64) {
	t.Helper()
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.ParseInt(p, 10, 64)
	return host, port
}

// sumPoints are the attributes and values of the data points of counters.
func sumPoints(ms []testkit.Metric) []string {
	var out []string
	for _, m := range ms {
		for _, dp := range m.GetSum().GetDataPoints() {
			out = append(out, fmt.Sprintf("%v=%d", testkit.Attrs(dp.GetAttributes()), dp.GetAsInt()))
		}
	}
	return out
}

// hasPoint reports whether a data point of the counters ms has the
// attributes want and the value n.
func hasPoint(ms []testkit.Metric, want map[string]any, n int64) bool {
	for _, m := range ms {
	points:
		for _, dp := range m.GetSum().GetDataPoints() {
			got := testkit.Attrs(dp.GetAttributes())
			for k, v := range want {
				if got[k] != v {
					continue points
				}
			}
			if dp.GetAsInt() == n {
				return true
			}
		}
	}
	return false
}

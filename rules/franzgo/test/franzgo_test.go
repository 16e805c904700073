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

const scope = "github.com/otelgen/otelgen/rules/franzgo"

// broker starts a Kafka broker for one run of the program: franz-go's
// kfake, a cluster that speaks the Kafka wire protocol, in this process,
// on a loopback port, with the topics "orders" and "audit" of one
// partition each. The program talks to it over TCP as to any broker.
func broker(t *testing.T) string {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "orders", "audit"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()[0]
}

// run builds testdata/app with -race, runs it against a broker of its own and
// returns its output and the first want spans.
func run(t *testing.T, want int, extra ...string) (string, []testkit.Span, *testkit.Receiver, string) {
	bin := testkit.Build(t, "testdata/app", testkit.Race()) // the hooks run on the clients' goroutines
	addr := broker(t)
	r := testkit.StartReceiver(t)
	out, stderr, code := testkit.Run(t, bin, testkit.Env(r, append([]string{"KAFKA_ADDR=" + addr}, extra...)...))
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "done") {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return out, r.WaitSpans(t, want), r, addr
}

// TestFranzGo checks the spans of testdata/app: a PRODUCER span per
// record produced (ProduceSync, Produce), acknowledged with its partition
// and offset, its context in the record's headers, next to the program's
// own hook; a CONSUMER span per record polled, child of its producer's
// span across the broker, with and without a consumer group; the
// program's work nested under it, through the goroutine while it iterates
// and through the record's Context; the error of a produce; the metrics.
func TestFranzGo(t *testing.T) {
	// 6 spans of the program's own; 7 sends (3 to orders, 3 to audit, 1
	// failed) and 6 processings.
	out, spans, r, addr := run(t, 19)
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

	if !strings.Contains(out, "program-hook 3\n") {
		t.Errorf("the program's hook did not see the 3 records:\n%s", out)
	}

	produce := app(testkit.Name("produce"))
	sends := map[string]testkit.Span{}
	for i, k := range []string{"k1", "k2", "k3"} {
		s := ours(testkit.Name("send orders"), key(k))
		sends[k] = s
		if s.GetKind() != testkit.Producer {
			t.Errorf("%s is %s, want PRODUCER", s.GetName(), s.GetKind())
		}
		testkit.WantChildOf(t, s, produce)
		testkit.WantStatus(t, s, testkit.Unset)
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.destination.name": "orders", "messaging.operation.name": "send",
			"messaging.operation.type": "send", "messaging.client.id": "app-producer",
			"messaging.destination.partition.id": "0", "messaging.kafka.offset": int64(i),
		})
	}

	// The headers the consumer saw: the program's own, and the context of
	// the record's span.
	if !strings.Contains(out, "header k1 app-header kept\n") {
		t.Errorf("the program's header is lost:\n%s", out)
	}
	for _, k := range []string{"k1", "k2", "k3"} {
		tp := "header " + k + " traceparent 00-" + sends[k].TraceID() + "-" + sends[k].ID() + "-01\n"
		if !strings.Contains(out, tp) {
			t.Errorf("no %q in the headers:\n%s", tp, out)
		}
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
	for i, k := range []string{"k1", "k2", "k3"} {
		p := proc("orders", k, int64(i), "billing", "app-consumer")
		testkit.WantChildOf(t, p, sends[k])
		testkit.WantLinks(t, p, sends[k])
		// Forwarded with no context while iterating: a child of the
		// record's processing span.
		fwd := ours(testkit.Name("send audit"), key(k))
		testkit.WantChildOf(t, fwd, p)
		if k == "k1" {
			testkit.WantChildOf(t, app(testkit.Name("work")), p)
		}
		// Polled without a group and handled under the record's Context.
		pa := proc("audit", k, int64(i), "", "app-auditor")
		testkit.WantChildOf(t, pa, fwd)
		testkit.One(t, spans, testkit.Name("handle"), testkit.ChildOf(pa))
	}

	bad := ours(testkit.Name("send missing"))
	testkit.WantChildOf(t, bad, app(testkit.Name("fail")))
	testkit.WantStatus(t, bad, testkit.Error)
	if bad.Attr("error.type") == nil {
		t.Errorf("no error.type on %s", bad)
	}
	// The creation context the program put in the message is kept: the
	// span links to it.
	if ls := bad.GetLinks(); len(ls) != 1 || hex.EncodeToString(ls[0].GetTraceId()) != "0af7651916cd43dd8448eb211c80319c" ||
		hex.EncodeToString(ls[0].GetSpanId()) != "b7ad6b7169203331" {
		t.Errorf("%s does not link to the program's creation context: %v", bad, ls)
	}

	sent := r.WaitMetric(t, "messaging.client.sent.messages")
	if !hasPoint(sent, map[string]any{"messaging.system": "kafka", "messaging.destination.name": "orders", "messaging.operation.name": "send", "messaging.destination.partition.id": "0"}, 3) {
		t.Errorf("no count of 3 sent to orders: %v", sumPoints(sent))
	}
	consumed := r.WaitMetric(t, "messaging.client.consumed.messages")
	if !hasPoint(consumed, map[string]any{"messaging.destination.name": "orders", "messaging.consumer.group.name": "billing", "messaging.operation.name": "process"}, 3) {
		t.Errorf("no count of 3 consumed from orders: %v", sumPoints(consumed))
	}
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "messaging.client.operation.duration"), map[string]any{
		"messaging.system": "kafka", "messaging.destination.name": "missing", "messaging.operation.type": "send",
		"error.type": bad.Attr("error.type"), "server.address": host,
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "messaging.process.duration"), map[string]any{
		"messaging.destination.name": "audit", "messaging.destination.partition.id": "0",
	})
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming franzgo: the program's own spans only, and no context in the
// headers.
func TestDisabled(t *testing.T) {
	out, spans, _, _ := run(t, 6, "OTEL_GO_DISABLED_INSTRUMENTATIONS=franzgo")
	for _, s := range spans {
		if s.Scope != "app" {
			t.Errorf("span %q of %q, want only the program's", s.GetName(), s.Scope)
		}
	}
	if strings.Contains(out, "traceparent") || !strings.Contains(out, "program-hook 3\n") {
		t.Errorf("a context in the headers, or the program's hook not run:\n%s", out)
	}
}

// noKey matches a span without messaging.kafka.message.key.
var noKey = testkit.Where("no key", func(s testkit.Span) bool { _, ok := s.Attrs()["messaging.kafka.message.key"]; return !ok })

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

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

const scope = "github.com/otelgen/otelgen/rules/kafkago"

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

// TestKafkaGo checks the spans of testdata/app: a PRODUCER span per
// message written, its context in the message's headers, a CONSUMER span
// per message read, child of its producer's span across the broker, the
// program's work nested under the consumer span, with and without a
// consumer group, the error of a write, and the metrics.
func TestKafkaGo(t *testing.T) {
	// 3 spans of the program's own; 5 sends (2 to orders, 2 to audit, 1
	// failed) and 4 processings.
	out, spans, r, addr := run(t, 12)
	host, port := splitAddr(t, addr)
	server := map[string]any{"messaging.system": "kafka", "server.address": host, "server.port": port}

	app := func(name string) testkit.Span {
		t.Helper()
		return testkit.One(t, spans, testkit.Name(name), testkit.Where("scope app", func(s testkit.Span) bool { return s.Scope == "app" }))
	}
	ours := func(ms ...testkit.Match) testkit.Span {
		t.Helper()
		s := testkit.One(t, spans, append(ms, testkit.Where("scope "+scope, func(s testkit.Span) bool { return s.Scope == scope }))...)
		testkit.WantAttrs(t, s, server)
		return s
	}

	// The writes: a PRODUCER span per message, child of the caller's span.
	produce := app("produce")
	send1 := ours(testkit.Name("send orders"), testkit.Attr("messaging.kafka.message.key", "k1"))
	send2 := ours(testkit.Name("send orders"), noKey)
	for _, s := range []testkit.Span{send1, send2} {
		if s.GetKind() != testkit.Producer {
			t.Errorf("%s is %s, want PRODUCER", s.GetName(), s.GetKind())
		}
		testkit.WantChildOf(t, s, produce)
		testkit.WantStatus(t, s, testkit.Unset)
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.destination.name": "orders", "messaging.operation.name": "send",
			"messaging.operation.type": "send", "messaging.client.id": "app-writer",
		})
	}
	testkit.WantAttrs(t, send2, map[string]any{"messaging.message.body.size": int64(len("second"))})

	// The headers the reader saw: the program's own, and the context of
	// the first message's span; the program's slice was not changed.
	if !strings.Contains(out, "header app-header kept\n") {
		t.Errorf("the program's header is lost:\n%s", out)
	}
	tp := "header traceparent 00-" + send1.TraceID() + "-" + send1.ID() + "-01\n"
	if !strings.Contains(out, tp) {
		t.Errorf("no %q in the headers:\n%s", tp, out)
	}
	if !strings.Contains(out, "caller-headers 1 0\n") {
		t.Errorf("the program's messages changed:\n%s", out)
	}

	// The reads without a group: a CONSUMER span per message, child of its
	// producer's span across the broker, and linked to it.
	proc := func(topic, key string, offset int64, group string) testkit.Span {
		t.Helper()
		var k any = key
		if key == "" {
			k = nil
		}
		s := ours(testkit.Name("process "+topic), testkit.Attr("messaging.kafka.offset", offset), testkit.Attr("messaging.destination.name", topic))
		if s.GetKind() != testkit.Consumer {
			t.Errorf("%s is %s, want CONSUMER", s.GetName(), s.GetKind())
		}
		var g any = group
		client := "app-group"
		if group == "" {
			g, client = nil, "app-reader"
		}
		testkit.WantAttrs(t, s, map[string]any{
			"messaging.destination.name": topic, "messaging.operation.name": "process",
			"messaging.operation.type": "process", "messaging.destination.partition.id": "0",
			"messaging.kafka.message.key": k, "messaging.consumer.group.name": g,
			"messaging.client.id": client,
		})
		return s
	}
	proc1 := proc("orders", "k1", 0, "")
	proc2 := proc("orders", "", 1, "")
	testkit.WantChildOf(t, proc1, send1)
	testkit.WantLinks(t, proc1, send1)
	testkit.WantChildOf(t, proc2, send2)

	// The work done while processing, on a goroutine with no context, and
	// on the reading goroutine: children of the processing span.
	testkit.WantChildOf(t, app("work"), proc1)
	fwd1 := ours(testkit.Name("send audit"), testkit.Attr("messaging.kafka.message.key", "k1"))
	fwd2 := ours(testkit.Name("send audit"), testkit.Attr("messaging.kafka.message.key", "k2"))
	testkit.WantChildOf(t, fwd1, proc1)
	testkit.WantChildOf(t, fwd2, proc2)

	// The reads of the consumer group: FetchMessage, then ReadMessage.
	testkit.WantChildOf(t, proc("audit", "k1", 0, "auditors"), fwd1)
	testkit.WantChildOf(t, proc("audit", "k2", 1, "auditors"), fwd2)

	// The failed write.
	bad := ours(testkit.Name("send missing"))
	testkit.WantChildOf(t, bad, app("fail"))
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
	if !hasPoint(sent, map[string]any{"messaging.system": "kafka", "messaging.destination.name": "orders", "messaging.operation.name": "send"}, 2) {
		t.Errorf("no count of 2 sent to orders: %v", sumPoints(sent))
	}
	consumed := r.WaitMetric(t, "messaging.client.consumed.messages")
	if !hasPoint(consumed, map[string]any{"messaging.destination.name": "audit", "messaging.consumer.group.name": "auditors", "messaging.operation.name": "process"}, 2) {
		t.Errorf("no count of 2 consumed from audit: %v", sumPoints(consumed))
	}
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "messaging.client.operation.duration"), map[string]any{
		"messaging.system": "kafka", "messaging.destination.name": "missing", "messaging.operation.type": "send",
		"error.type": bad.Attr("error.type"), "server.address": host,
	})
	testkit.WantHistogramPoint(t, r.WaitMetric(t, "messaging.process.duration"), map[string]any{
		"messaging.destination.name": "orders", "messaging.destination.partition.id": "0",
	})
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming kafkago: the program's own spans only, and no context in the
// headers.
func TestDisabled(t *testing.T) {
	out, spans, _, _ := run(t, 3, "OTEL_GO_DISABLED_INSTRUMENTATIONS=kafkago")
	for _, s := range spans {
		if s.Scope != "app" {
			t.Errorf("span %q of %q, want only the program's", s.GetName(), s.Scope)
		}
	}
	if strings.Contains(out, "traceparent") {
		t.Errorf("a context in the headers:\n%s", out)
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

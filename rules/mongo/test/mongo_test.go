package test

import (

	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const scope = "github.com/otelgen/otelgen/rules/mongo"

// secret is the value testdata/app plants in a document.
const secret = "planted-value-5d2e"

// run builds testdata/app once and runs it against FerretDB with extra
// environment; it returns the spans, the receiver and the app's line about
// its own monitor.
func run(t *testing.T, want int, extra ...string) ([]testkit.Span, *testkit.Receiver, string) {
	bin := testkit.Build(t, "testdata/app")
	addr := testkit.FerretDB(t)
	r := testkit.StartReceiver(t)
	env := testkit.Env(r, append([]string{"MONGO_ADDR=" + addr}, extra...)...)
	out, stderr, code := testkit.Run(t, bin, env)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || lines[1] != "done" {
		t.Fatalf("app exited %d:\n%s\nstderr:\n%s", code, out, stderr)
	}
	return r.WaitSpans(t, want), r, lines[0]
}

func ours(spans []testkit.Span) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.Scope == scope {
			out = append(out, s)
		}
	}
	return out
}

func children(spans []testkit.Span, parent testkit.Span) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.ParentID() == parent.ID() && s.TraceID() == parent.TraceID() {
			out = append(out, s)
		}
	}
	return out
}

func port(t *testing.T, addr string) int64 {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return int64(n)
}

// TestMongo runs every kind of call of testdata/app and checks its spans:
// names, kinds, attributes, statuses, parents and the absence of command
// bodies; that the program's own monitor got every event; then the
// duration histogram.
func TestMongo(t *testing.T) {
	spans, _, monitor := run(t, 15)
	t.Logf("%s\n%s", monitor, testkit.Dump(spans))
}

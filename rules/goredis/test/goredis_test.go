package test

import (
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// app is testdata/app, built with the race detector.
var app = testkit.RedisApp{Scope: "github.com/otelgen/otelgen/rules/goredis", Build: []testkit.Option{testkit.Race()}}

// TestGoRedis runs every kind of call of testdata/app and checks its spans
// (testkit.RedisApp.Check: names, kinds, attributes, redaction, statuses
// and parents, then the duration histogram), and the call of a client the
// program instruments with redisotel too.
func TestGoRedis(t *testing.T) {
	// 6 spans of the program's own, 22 of go-redis's commands.
	spans, r := app.Run(t, 28)
	calls := app.Check(t, spans, r, 22)

	// A client the program instruments with redisotel too: one span.
	ro := calls.Group("redisotel")
	if len(ro) != 1 {
		t.Errorf("redisotel has %d children, want 1:\n%s", len(ro), testkit.Dump(ro))
	}
	calls.One(ro, "ECHO", map[string]any{"db.query.text": "ECHO ?"})
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming goredis: no span of otelgen's, and redisotel traces its client
// as it would without otelgen.
func TestDisabled(t *testing.T) {
	spans, _ := app.Run(t, 7, "OTEL_GO_DISABLED_INSTRUMENTATIONS=goredis")
	if db := testkit.Scoped(spans, app.Scope); len(db) != 0 {
		t.Errorf("%d spans of goredis, want none:\n%s", len(db), testkit.Dump(db))
	}
	testkit.One(t, spans, testkit.Where("scope redisotel", func(s testkit.Span) bool {
		return strings.Contains(s.Scope, "redisotel") && s.GetName() == "echo"
	}))
}

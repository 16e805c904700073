package test

import (
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

var app = testkit.RedisApp{Scope: "github.com/otelgen/otelgen/rules/goredisv8"}

// TestGoRedisV8 runs every kind of call of testdata/app and checks its
// spans (testkit.RedisApp.Check: names, kinds, attributes, redaction,
// statuses and parents, then the duration histogram).
func TestGoRedisV8(t *testing.T) {
	// 5 spans of the program's own, 21 of go-redis's commands.
	spans, r := app.Run(t, 26)
	app.Check(t, spans, r, 21)
}

// TestDisabled runs testdata/app with OTEL_GO_DISABLED_INSTRUMENTATIONS
// naming goredisv8: only the program's own spans.
func TestDisabled(t *testing.T) {
	spans, _ := app.Run(t, 5, "OTEL_GO_DISABLED_INSTRUMENTATIONS=goredisv8")
	for _, s := range spans {
		if s.Scope != "app" {
			t.Errorf("span %q of %q, want only the program's", s.GetName(), s.Scope)
		}
	}
}

package testkit

import "testing"

func TestOfPackage(t *testing.T) {
	const log = "go.opentelemetry.io/otel/log"
	for _, c := range []struct {
		sym  string
		want bool
	}{
		{"go.opentelemetry.io/otel/log.(*Record).SetBody", true},
		{"type:*go.opentelemetry.io/otel/log.Record", true},
		{"go:itab.*example.com/x.T,go.opentelemetry.io/otel/log.Logger", true},
		{"example.com/x.F[go.opentelemetry.io/otel/log.Record]", true},
		{"go.opentelemetry.io/otel/log/global.GetLoggerProvider", false},
		{"example.com/go.opentelemetry.io/otel/log.F", false},
		{"go.opentelemetry.io/otel/logx.F", false},
	} {
		if got := ofPackage(c.sym, log); got != c.want {
			t.Errorf("ofPackage(%q, %q) = %v, want %v", c.sym, log, got, c.want)
		}
	}
}

package testkit

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
)

// WantNoSecret fails the test for each secret that any telemetry the
// receiver got holds anywhere: a span's name, attributes, events, links or
// status; a metric's data points; a log record's body or attributes; a
// resource. It reads everything as text, so a secret is found whichever
// field carries it.
func WantNoSecret(t testing.TB, r *Receiver, secrets ...string) {
	t.Helper()
	var items []struct{ what, text string }
	add := func(what, text string) { items = append(items, struct{ what, text string }{what, text}) }
	for _, s := range r.Spans() {
		add(fmt.Sprintf("span %s %q", s.GetKind(), s.GetName()), prototext.Format(s.Span)+fmt.Sprint(s.Resource))
	}
	for _, m := range r.Metrics() {
		add(fmt.Sprintf("metric %q", m.GetName()), prototext.Format(m.Metric)+fmt.Sprint(m.Resource))
	}
	for _, l := range r.Logs() {
		add(fmt.Sprintf("log record %q", l.Body()), prototext.Format(l.LogRecord)+fmt.Sprint(l.Resource))
	}
	for _, secret := range secrets {
		for _, it := range items {
			if i := strings.Index(it.text, secret); i >= 0 {
				t.Errorf("%s holds the secret %q: ...%s...", it.what, secret, it.text[max(0, i-80):min(len(it.text), i+len(secret)+20)])
			}
		}
	}
}

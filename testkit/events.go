package testkit

import (
	"strings"
	"testing"
)

// WantException checks that a span has exactly one "exception" event, of
// exception.type typ, whose exception.message contains msg, and returns that
// event's attributes (exception.stacktrace, when recorded, among them).
func WantException(t testing.TB, s Span, typ, msg string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, e := range s.GetEvents() {
		if e.GetName() == "exception" {
			found = append(found, Attrs(e.GetAttributes()))
		}
	}
	if len(found) != 1 {
		t.Errorf("span %s %q has %d exception events, want 1: %v", s.GetKind(), s.GetName(), len(found), found)
		return nil
	}
	got := found[0]
	if gt, _ := got["exception.type"].(string); gt != typ {
		t.Errorf("span %s %q has an exception of type %q, want %q", s.GetKind(), s.GetName(), gt, typ)
	}
	if gm, _ := got["exception.message"].(string); !strings.Contains(gm, msg) {
		t.Errorf("span %s %q has an exception with message %q, want one containing %q", s.GetKind(), s.GetName(), gm, msg)
	}
	return got
}

// WantNoException checks that a span has no "exception" event.
func WantNoException(t testing.TB, s Span) {
	t.Helper()
	for _, e := range s.GetEvents() {
		if e.GetName() == "exception" {
			t.Errorf("span %s %q has an exception event %v, want none", s.GetKind(), s.GetName(), Attrs(e.GetAttributes()))
		}
	}
}

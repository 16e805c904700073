package testkit

import (
	"net"
	"strconv"
	"testing"
)

// Calls reads the spans of a client integration's test program that groups
// its calls under spans of its own: a span of scope "app" names what the
// program did, and the integration's spans (of scope Scope) under it are
// the calls it made.
type Calls struct {
	T     testing.TB
	Spans []Span
	// Scope is the integration's instrumentation scope.
	Scope string
	// Conn holds the attributes every call has (the system, the server).
	Conn map[string]any
}

// Ours returns the spans of scope c.Scope.
func (c Calls) Ours() []Span { return Scoped(c.Spans, c.Scope) }

// Group returns the children of the program's one span named name.
func (c Calls) Group(name string) []Span {
	c.T.Helper()
	parent := One(c.T, c.Spans, Name(name), Where("scope app", func(s Span) bool { return s.Scope == "app" }))
	return Children(c.Spans, parent)
}

// One returns the one CLIENT span named name in spans, checking that it is
// of scope c.Scope and has the attributes of c.Conn and attrs.
func (c Calls) One(spans []Span, name string, attrs map[string]any) Span {
	c.T.Helper()
	s := One(c.T, spans, Name(name), Kind(Client))
	if s.Scope != c.Scope {
		c.T.Errorf("span %q has scope %q", name, s.Scope)
	}
	WantAttrs(c.T, s, c.Conn)
	WantAttrs(c.T, s, attrs)
	return s
}

// WantCalls checks that there are n spans of scope c.Scope, none of them a
// root: a call always has the program's span above it, and what the
// client does on its own (dials, handshakes, heartbeats) makes no trace.
func (c Calls) WantCalls(n int) {
	c.T.Helper()
	ours := c.Ours()
	for _, s := range ours {
		if s.ParentID() == "" {
			c.T.Errorf("span %q is a root: %s", s.GetName(), s)
		}
	}
	if len(ours) != n {
		c.T.Errorf("%d spans of %s, want %d:\n%s", len(ours), c.Scope, n, Dump(ours))
	}
}

// Scoped returns the spans of the instrumentation scope scope.
func Scoped(spans []Span, scope string) []Span {
	var out []Span
	for _, s := range spans {
		if s.Scope == scope {
			out = append(out, s)
		}
	}
	return out
}

// Children returns the spans whose parent is parent.
func Children(spans []Span, parent Span) []Span {
	var out []Span
	for _, s := range spans {
		if s.ParentID() == parent.ID() && s.TraceID() == parent.TraceID() {
			out = append(out, s)
		}
	}
	return out
}

// Port returns the port of addr (host:port) as server.port holds it.
func Port(t testing.TB, addr string) int64 {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return int64(n)
}

// WantDurationUnit checks that every point of the metric ms is in seconds.
func WantDurationUnit(t testing.TB, ms []Metric) {
	t.Helper()
	for _, m := range ms {
		if m.GetUnit() != "s" {
			t.Errorf("%s has unit %q, want s", m.GetName(), m.GetUnit())
		}
	}
}

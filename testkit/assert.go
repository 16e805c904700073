package testkit

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// Span kinds, for Kind.
const (
	Internal = tracepb.Span_SPAN_KIND_INTERNAL
	Server   = tracepb.Span_SPAN_KIND_SERVER
	Client   = tracepb.Span_SPAN_KIND_CLIENT
	Producer = tracepb.Span_SPAN_KIND_PRODUCER
	Consumer = tracepb.Span_SPAN_KIND_CONSUMER
)

// Status codes, for WantStatus.
const (
	Unset = tracepb.Status_STATUS_CODE_UNSET
	OK    = tracepb.Status_STATUS_CODE_OK
	Error = tracepb.Status_STATUS_CODE_ERROR
)

// A Match is a condition on a span, with the words that describe it in a
// failure message.
type Match struct {
	desc string
	f    func(Span) bool
}

// Where is a Match made of any function, described as desc.
func Where(desc string, f func(Span) bool) Match { return Match{desc, f} }

// Kind matches the spans of that kind.
func Kind(k tracepb.Span_SpanKind) Match {
	return Where("kind "+k.String(), func(s Span) bool { return s.GetKind() == k })
}

// Name matches the spans of that name.
func Name(name string) Match {
	return Where(fmt.Sprintf("name %q", name), func(s Span) bool { return s.GetName() == name })
}

// Attr matches the spans with that attribute, of that value.
func Attr(key string, value any) Match {
	return Where(fmt.Sprintf("%s=%v", key, value), func(s Span) bool {
		v, ok := s.Attrs()[key]
		return ok && reflect.DeepEqual(v, value)
	})
}

// ChildOf matches the children of parent: spans of its trace whose parent
// is parent.
func ChildOf(parent Span) Match {
	return Where("child of "+parent.ID(), func(s Span) bool { return isChild(s, parent) })
}

func isChild(s, parent Span) bool {
	return s.ParentID() == parent.ID() && s.TraceID() == parent.TraceID()
}

// One returns the only span that has every match, and fails the test, with
// all the spans, when there is not exactly one.
func One(t testing.TB, spans []Span, ms ...Match) Span {
	t.Helper()
	var found []Span
	for _, s := range spans {
		if !slices.ContainsFunc(ms, func(m Match) bool { return !m.f(s) }) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		var what []string
		for _, m := range ms {
			what = append(what, m.desc)
		}
		t.Fatalf("%d spans are %s, want 1:\n%s", len(found), strings.Join(what, ", "), Dump(spans))
	}
	return found[0]
}

// WantAttrs checks some of a span's attributes: each of want, with the
// value, of the type, that Attrs gives (int64 for an integer); a nil value
// wants the attribute absent.
func WantAttrs(t testing.TB, s Span, want map[string]any) {
	t.Helper()
	got := s.Attrs()
	for _, k := range slices.Sorted(maps.Keys(want)) {
		v := want[k]
		g, ok := got[k]
		switch {
		case v == nil && ok:
			t.Errorf("span %s %q has %s=%v, want none", s.GetKind(), s.GetName(), k, g)
		case v != nil && (!ok || !reflect.DeepEqual(g, v)):
			t.Errorf("span %s %q has %s=%v (%T), want %v (%T)", s.GetKind(), s.GetName(), k, g, g, v, v)
		}
	}
}

// WantStatus checks a span's status code.
func WantStatus(t testing.TB, s Span, want tracepb.Status_StatusCode) {
	t.Helper()
	if got := s.GetStatus().GetCode(); got != want {
		t.Errorf("span %s %q has status %s (%q), want %s", s.GetKind(), s.GetName(), got, s.GetStatus().GetMessage(), want)
	}
}

// WantChildOf checks that child is a child of parent, in its trace.
func WantChildOf(t testing.TB, child, parent Span) {
	t.Helper()
	if !isChild(child, parent) {
		t.Errorf("span %s %q is not a child of span %s %q:\n  %s\n  %s", child.GetKind(), child.GetName(), parent.GetKind(), parent.GetName(), child, parent)
	}
}

// WantRoot checks that a span has no parent.
func WantRoot(t testing.TB, s Span) {
	t.Helper()
	if s.ParentID() != "" {
		t.Errorf("span %s %q has parent %s, want none", s.GetKind(), s.GetName(), s.ParentID())
	}
}

// WantLinks checks that a span links to each of linked, and to no other.
func WantLinks(t testing.TB, s Span, linked ...Span) {
	t.Helper()
	type ref struct{ trace, span string }
	var got, want []ref
	for _, l := range s.GetLinks() {
		got = append(got, ref{fmt.Sprintf("%x", l.GetTraceId()), fmt.Sprintf("%x", l.GetSpanId())})
	}
	for _, l := range linked {
		want = append(want, ref{l.TraceID(), l.ID()})
	}
	cmp := func(a, b ref) int { return strings.Compare(a.trace+a.span, b.trace+b.span) }
	slices.SortFunc(got, cmp)
	slices.SortFunc(want, cmp)
	if !slices.Equal(got, want) {
		t.Errorf("span %s %q links to %v, want %v", s.GetKind(), s.GetName(), got, want)
	}
}

// WantHistogramPoint checks that some data point of the histograms ms has
// the attributes want (and maybe others).
func WantHistogramPoint(t testing.TB, ms []Metric, want map[string]any) {
	t.Helper()
	points := HistogramPoints(ms)
	for _, p := range points {
		if hasAll(p, want) {
			return
		}
	}
	if len(ms) == 0 {
		t.Errorf("no histogram to find a data point with %v in", want)
		return
	}
	t.Errorf("%s has no data point with %v: %v", ms[0].GetName(), want, points)
}

func hasAll(got, want map[string]any) bool {
	for k, v := range want {
		if g, ok := got[k]; !ok || !reflect.DeepEqual(g, v) {
			return false
		}
	}
	return true
}

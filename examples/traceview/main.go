// Command traceview reads spans as the OpenTelemetry console exporter writes
// them (one JSON object per span) and prints them as trees, one per trace, in
// the order the traces started.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

type span struct {
	Name        string
	SpanContext struct{ TraceID, SpanID string }
	Parent      struct{ SpanID string }
	SpanKind    int
	StartTime   time.Time
	EndTime     time.Time
	Attributes  []struct {
		Key   string
		Value struct{ Value any }
	}
	Status struct{ Code string }
}

var kinds = map[int]string{1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}

func main() {
	dec := json.NewDecoder(os.Stdin)
	var spans []*span
	for {
		s := new(span)
		if err := dec.Decode(s); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "traceview:", err)
			os.Exit(1)
		}
		spans = append(spans, s)
	}
	byTrace := map[string][]*span{}
	var order []string
	for _, s := range spans {
		id := s.SpanContext.TraceID
		if _, ok := byTrace[id]; !ok {
			order = append(order, id)
		}
		byTrace[id] = append(byTrace[id], s)
	}
	start := func(id string) time.Time {
		t := byTrace[id][0].StartTime
		for _, s := range byTrace[id] {
			if s.StartTime.Before(t) {
				t = s.StartTime
			}
		}
		return t
	}
	sort.SliceStable(order, func(i, j int) bool { return start(order[i]).Before(start(order[j])) })
	for _, id := range order {
		ts := byTrace[id]
		fmt.Printf("trace %s (%d spans)\n", id, len(ts))
		children := map[string][]*span{}
		ids := map[string]bool{}
		for _, s := range ts {
			ids[s.SpanContext.SpanID] = true
		}
		for _, s := range ts {
			p := s.Parent.SpanID
			if !ids[p] {
				p = "" // a root, or its parent is outside this process
			}
			children[p] = append(children[p], s)
		}
		var walk func(parent string, depth int)
		walk = func(parent string, depth int) {
			kids := children[parent]
			sort.Slice(kids, func(i, j int) bool { return kids[i].StartTime.Before(kids[j].StartTime) })
			for _, s := range kids {
				fmt.Printf("  %s%-6s %-22s span %s  %s\n", strings.Repeat("  ", depth), kinds[s.SpanKind], s.Name, s.SpanContext.SpanID, describe(s))
				walk(s.SpanContext.SpanID, depth+1)
			}
		}
		walk("", 0)
	}
}

func describe(s *span) string {
	attrs := map[string]any{}
	for _, a := range s.Attributes {
		attrs[a.Key] = a.Value.Value
	}
	var parts []string
	for _, k := range []string{"url.full", "url.path", "http.route", "http.response.status_code", "db.system.name", "error.type"} {
		if v, ok := attrs[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	if v, ok := attrs["db.query.text"].(string); ok {
		parts = append(parts, fmt.Sprintf("db.query.text=%q", short(v)))
	}
	parts = append(parts, s.EndTime.Sub(s.StartTime).Round(time.Microsecond).String())
	if s.Status.Code == "Error" {
		parts = append(parts, "ERROR")
	}
	return strings.Join(parts, " ")
}

// short puts a statement on one line and cuts it after 60 characters, so
// that a span stays on one line of the tree.
func short(q string) string {
	r := []rune(strings.Join(strings.Fields(q), " "))
	if len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return string(r)
}

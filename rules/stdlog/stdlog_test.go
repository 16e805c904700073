package stdlog

import "testing"

// TestHasKey checks that a line's own trace id field is found only as a
// field: at the start of the message or after a space.
func TestHasKey(t *testing.T) {
	for msg, want := range map[string]bool{
		"trace_id=abc":               true,
		"msg trace_id=abc":           true,
		"msg\ttrace_id=abc":          true,
		"msg my_trace_id=abc":        false,
		"msg trace_id":               false,
		"x my_trace_id=1 trace_id=2": true,
		"":                           false,
	} {
		if got := hasKey([]byte(msg), []byte("trace_id=")); got != want {
			t.Errorf("hasKey(%q) = %v, want %v", msg, got, want)
		}
	}
}

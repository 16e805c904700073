package hook

import "testing"

// TestNameSetting checks the order a name setting is read in: a fit name in
// the variable, else otelgen.yaml's compiled value, else the default; an
// unfit name in the variable counts as unset.
func TestNameSetting(t *testing.T) {
	const env = "OTEL_GO_TEST_NAME_KEY"
	defer delete(settings, env)
	for _, c := range []struct{ env, compiled, want string }{
		{"", "", "trace_id"},
		{"", "traceId", "traceId"},
		{"dd.trace_id", "traceId", "dd.trace_id"},
		{"trace id", "traceId", "traceId"},
		{"a=b", "", "trace_id"},
	} {
		t.Setenv(env, c.env)
		settings[env] = c.compiled
		if got := NameSetting(env, "trace_id"); got != c.want {
			t.Errorf("variable %q, otelgen.yaml %q: got %q, want %q", c.env, c.compiled, got, c.want)
		}
	}
}

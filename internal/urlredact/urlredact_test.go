package urlredact

import "testing"

func TestQuery(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"name=ada", "name=ada"},
		{"token=gtfyc.abc&name=ada", "token=REDACTED&name=ada"},
		{"TOKEN=x", "TOKEN=REDACTED"},
		{"a=1&Signature=xyz&X-Goog-Signature=q&sig=z", "a=1&Signature=REDACTED&X-Goog-Signature=REDACTED&sig=REDACTED"},
		{"access%5Ftoken=s3cret", "access%5Ftoken=REDACTED"},
		{"key=&code", "key=&code"}, // no value: nothing to hide
		{"keyboard=qwerty&monkey=1", "keyboard=qwerty&monkey=1"},
		{"api_key=1&api_key=2", "api_key=REDACTED&api_key=REDACTED"},
	} {
		if got := Query(tt.in); got != tt.want {
			t.Errorf("Query(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

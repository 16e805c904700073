package nethttp

import (
	"net/http"
	"testing"
)

func TestRedactQuery(t *testing.T) {
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
		if got := redactQuery(tt.in); got != tt.want {
			t.Errorf("redactQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://example.com/a?b=c", "http://example.com/a?b=c"},
		{"https://ada:pw@example.com/a?password=hunter2&x=1", "https://REDACTED:REDACTED@example.com/a?password=REDACTED&x=1"},
		{"https://ada@example.com/", "https://REDACTED:REDACTED@example.com/"},
	} {
		req, err := http.NewRequest("GET", tt.in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := redact(req); got != tt.want {
			t.Errorf("redact(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

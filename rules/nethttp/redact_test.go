package nethttp

import (
	"net/http"
	"testing"
)

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

package urlredact

import (
	"strings"
	"testing"
)

func TestQuery(t *testing.T) {
	c := newConfig("", "", "")
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
		if got := c.query(tt.in); got != tt.want {
			t.Errorf("query(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSettings checks the names the settings add and remove, and "off".
func TestSettings(t *testing.T) {
	c := newConfig("", " X-Tenant-Secret ,pin", "code,SESSION")
	const in = "code=42&session=s&pin=1234&x-tenant-secret=t&token=x"
	if got, want := c.query(in), "code=42&session=s&pin=REDACTED&x-tenant-secret=REDACTED&token=REDACTED"; got != want {
		t.Errorf("query(%q) = %q, want %q", in, got, want)
	}
	if !newConfig("OFF", "", "").off || newConfig("redacted", "", "").off {
		t.Errorf("off is not read")
	}
}

// TestFull checks url.full's parts, and its bound.
func TestFull(t *testing.T) {
	if got := Full("http", "h", false, "/", "q="+strings.Repeat("x", 1<<20)); len(got) != MaxLen {
		t.Errorf("Full of a 1 MiB query: %d bytes", len(got))
	}
	got := Full("https", "example.com:8443", true, "/a b", "token=x&q=1")
	if want := "https://REDACTED:REDACTED@example.com:8443/a b?token=REDACTED&q=1"; got != want {
		t.Errorf("Full = %q, want %q", got, want)
	}
}

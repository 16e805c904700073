package mongocmd

import (
	"strings"
	"testing"
)

func TestServer(t *testing.T) {
	for _, c := range []struct {
		id   string
		host string
		port int
		ok   bool
	}{
		{"127.0.0.1:27017[-4]", "127.0.0.1", 27017, true},
		{"db.example.com:27018", "db.example.com", 27018, true},
		{"[::1]:27017[-12]", "::1", 27017, true},
		{"/tmp/mongodb-27017.sock[-1]", "/tmp/mongodb-27017.sock", 0, true},
		{"", "", 0, false},
	} {
		host, port, ok := Server(c.id)
		if host != c.host || port != c.port || ok != c.ok {
			t.Errorf("Server(%q) = %q, %d, %v; want %q, %d, %v", c.id, host, port, ok, c.host, c.port, c.ok)
		}
	}
}

func TestErrorType(t *testing.T) {
	for failure, want := range map[string]string{
		"(CommandNotFound) no such command: 'x'":                        "CommandNotFound",
		"(NamespaceNotFound) ns not found":                              "NamespaceNotFound",
		"connection(127.0.0.1:1[-2]) incomplete read: context canceled": "context.Canceled",
		"server selection error: context deadline exceeded":             "timeout",
		"(not a name) x": "_OTHER",
		"something else": "_OTHER",
	} {
		if got := ErrorType(failure); got != want {
			t.Errorf("ErrorType(%q) = %q, want %q", failure, got, want)
		}
	}
}

func TestCollectionField(t *testing.T) {
	for op, want := range map[string]string{
		"find": "find", "insert": "insert", "aggregate": "aggregate",
		"getMore": "collection", "ping": "", "createUser": "", "listCollections": "",
	} {
		if got := CollectionField(op); got != want {
			t.Errorf("CollectionField(%q) = %q, want %q", op, got, want)
		}
	}
}

func TestText(t *testing.T) {
	if got := Text("short"); got != "short" {
		t.Errorf("Text(short) = %q", got)
	}
	long := strings.Repeat("é", MaxText)
	got := Text(long)
	if len(got) > MaxText+3 || !strings.HasSuffix(got, "...") || !strings.HasPrefix(long, strings.TrimSuffix(got, "...")) {
		t.Errorf("Text(long) = %d bytes, suffix %q", len(got), got[len(got)-5:])
	}
	if strings.ContainsRune(got, '\uFFFD') {
		t.Error("Text cut a rune")
	}
}

func TestParseRaw(t *testing.T) {
	for s, want := range map[string]bool{"": false, "off": false, "raw": true, " RAW ": true, "redacted": false} {
		if got := ParseRaw(s); got != want {
			t.Errorf("ParseRaw(%q) = %v", s, got)
		}
	}
}

package redisquery

import (
	"net"
	"strings"
	"testing"
)

func args(s ...any) []any { return s }

func TestQueryText(t *testing.T) {
	for _, tc := range []struct {
		args          []any
		redacted, raw string
	}{
		{args("get", "user:42"), "GET ?", "GET user:42"},
		{args("set", "k", "s3cret value", "ex", 10), "SET ? ? ? ?", `SET k "s3cret value" ex 10`},
		{args("auth", "hunter2"), "AUTH ?", "AUTH ?"},
		{args("auth", "admin", "hunter2"), "AUTH ? ?", "AUTH ? ?"},
		{args("hello", 3, "auth", "admin", "hunter2", "setname", "x"), "HELLO ? ? ? ? ? ?", "HELLO 3 auth ? ? ? ?"},
		{args("hello", 3), "HELLO ?", "HELLO 3"},
		{args("client", "setname", "worker"), "CLIENT SETNAME ?", "CLIENT SETNAME worker"},
		{args("config", "set", "requirepass", "hunter2"), "CONFIG SET ? ?", "CONFIG SET ? ?"},
		{args("acl", "setuser", "bob", "on", ">hunter2"), "ACL SETUSER ? ? ?", "ACL SETUSER ? ? ?"},
		{args("migrate", "h", 6379, "k", 0, 5000, "auth2", "bob", "hunter2"), "MIGRATE ? ? ? ? ? ? ? ?", "MIGRATE h 6379 k 0 5000 auth2 ? ?"},
		{args("client", "a b"), "CLIENT ?", `CLIENT "a b"`},
		{args("ping"), "PING", "PING"},
		{args([]byte("get"), []byte("k")), "GET ?", "GET k"},
	} {
		for _, m := range []struct {
			mode int
			want string
		}{{Redacted, tc.redacted}, {Raw, tc.raw}} {
			var b strings.Builder
			Text(&b, tc.args, m.mode)
			if got := b.String(); got != m.want {
				t.Errorf("Text(%v, mode %d) = %q, want %q", tc.args, m.mode, got, m.want)
			}
		}
	}
}

// TestQueryTextSecrets plants a password in every command that carries one
// and checks that no mode writes it.
func TestQueryTextSecrets(t *testing.T) {
	const secret = "hunter2"
	for _, a := range [][]any{
		args("auth", secret), args("auth", "u", secret),
		args("hello", "3", "AUTH", "u", secret), args("HELLO", 2, "auth", "default", secret, "SETNAME", "n"),
		args("config", "set", "masterauth", secret), args("acl", "setuser", "u", ">"+secret),
		args("migrate", "h", "1", "", "0", "1", "AUTH", secret, "KEYS", "a"),
		args("set", "k", secret),
	} {
		for _, mode := range []int{Redacted, Raw} {
			if mode == Raw && a[0] == "set" {
				continue // raw records values, by request
			}
			var b strings.Builder
			Text(&b, a, mode)
			if strings.Contains(b.String(), secret) {
				t.Errorf("Text(%v, mode %d) = %q: has the secret", a, mode, b.String())
			}
		}
	}
}

func TestQueryTextBounds(t *testing.T) {
	a := args("mset")
	for range 1000 {
		a = append(a, "k", "v")
	}
	var b strings.Builder
	Text(&b, a, Redacted)
	if want := "MSET" + strings.Repeat(" ?", maxArgs) + " ..."; b.String() != want {
		t.Errorf("Text of a long MSET = %q, want %q", b.String(), want)
	}
	var cmds [][]any
	for i := range 40 {
		cmds = append(cmds, args("incr", i))
		if i%2 == 0 {
			cmds[i] = args("get", i)
		}
	}
	got := BatchText(cmds, Redacted)
	if want := strings.Repeat("GET ?; INCR ?; ", maxBatch/2) + "..."; got != want {
		t.Errorf("BatchText of 40 commands = %q, want %q", got, want)
	}
}

func TestBatch(t *testing.T) {
	if got := BatchText([][]any{args("get", "a"), args("get", "b")}, Redacted); got != "GET ?" {
		t.Errorf("BatchText of two GETs = %q, want one GET ?", got)
	}
	if got := BatchText([][]any{args("get", "a"), args("set", "b", "c")}, Raw); got != "GET a; SET b c" {
		t.Errorf("BatchText = %q", got)
	}
	for _, tc := range []struct {
		prefix string
		names  []string
		want   string
	}{
		{"PIPELINE", []string{"GET", "GET"}, "PIPELINE GET"},
		{"PIPELINE", []string{"GET", "SET"}, "PIPELINE"},
		{"MULTI", []string{"INCR", "INCR", "INCR"}, "MULTI INCR"},
		{"MULTI", nil, "MULTI"},
	} {
		if got := BatchName(tc.prefix, tc.names); got != tc.want {
			t.Errorf("BatchName(%s, %v) = %q, want %q", tc.prefix, tc.names, got, tc.want)
		}
	}
}

func TestParseQueryMode(t *testing.T) {
	for in, want := range map[string]int{"": Redacted, "redacted": Redacted, "RAW": Raw, " off ": Off, "bogus": Redacted} {
		if got := ParseMode(in); got != want {
			t.Errorf("ParseMode(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestServer(t *testing.T) {
	for _, c := range []struct {
		network, addr string
		host          string
		port          int
	}{
		{"tcp", "localhost:6379", "localhost", 6379},
		{"", "10.0.0.7:6380", "10.0.0.7", 6380},
		{"tcp", "[::1]:6379", "::1", 6379},
		{"unix", "/run/redis.sock", "/run/redis.sock", 0},
		{"tcp", "no-port", "", 0},
	} {
		if host, port := Server(c.network, c.addr); host != c.host || port != c.port {
			t.Errorf("Server(%q, %q) = %q, %d, want %q, %d", c.network, c.addr, host, port, c.host, c.port)
		}
	}
	for _, c := range []struct {
		addr net.Addr
		host string
		port int
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 6379}, "127.0.0.1", 6379},
		{&net.UnixAddr{Name: "/run/redis.sock", Net: "unix"}, "/run/redis.sock", 0},
		{nil, "", 0},
	} {
		if host, port := Peer(c.addr); host != c.host || port != c.port {
			t.Errorf("Peer(%v) = %q, %d, want %q, %d", c.addr, host, port, c.host, c.port)
		}
	}
}

//go:build unix

package testkit_test

import (
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/otelgen/otelgen/testkit"
)

// TestPostgres checks the PostgreSQL starter: one server for the test
// binary, on loopback, that takes a session of user postgres without a
// password (its answer to the startup message is AuthenticationOk).
func TestPostgres(t *testing.T) {
	dsn := testkit.Postgres(t)
	if again := testkit.Postgres(t); again != dsn {
		t.Errorf("second Postgres is %s, want the first, %s", again, dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil || u.Hostname() != "127.0.0.1" || u.User.Username() != "postgres" || u.Path != "/postgres" {
		t.Fatalf("Postgres returned %q (%v), want postgres://postgres@127.0.0.1:PORT/postgres", dsn, err)
	}
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	msg := "\x00\x00\x00\x00\x00\x03\x00\x00user\x00postgres\x00database\x00postgres\x00\x00"
	b := []byte(msg)
	b[3] = byte(len(b))
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 9)
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	// 'R', length 8, status 0: AuthenticationOk.
	if string(got) != "R\x00\x00\x00\x08\x00\x00\x00\x00" {
		t.Errorf("startup answered %q, want AuthenticationOk", got)
	}
}

// TestMariaDB checks the MariaDB starter: one server for the test binary,
// on loopback, that greets with protocol 10 and names itself MariaDB.
func TestMariaDB(t *testing.T) {
	dsn := testkit.MariaDB(t)
	if again := testkit.MariaDB(t); again != dsn {
		t.Errorf("second MariaDB is %s, want the first, %s", again, dsn)
	}
	if !strings.HasPrefix(dsn, "root@tcp(127.0.0.1:") || !strings.HasSuffix(dsn, ")/test") {
		t.Fatalf("MariaDB returned %q, want root@tcp(127.0.0.1:PORT)/test", dsn)
	}
	c, err := net.Dial("tcp", dsn[len("root@tcp("):strings.Index(dsn, ")")])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	got := make([]byte, 64)
	n, _ := io.ReadAtLeast(c, got, 16)
	if n < 16 || got[4] != 10 || !strings.Contains(string(got[5:n]), "MariaDB") {
		t.Errorf("greeting %q, want protocol 10 from MariaDB", got[:n])
	}
}

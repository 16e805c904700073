package sqlquery

import (
	"strings"
	"testing"
)

var (
	pg    = Postgres
	mysql = MySQL
	ansi  = ANSI
)

func TestScan(t *testing.T) {
	for _, tc := range []struct {
		d        Dialect
		q        string
		op, coll string
		text     string // "" when the statement stays as written
	}{
		// Parameters stay; nothing to redact.
		{pg, "SELECT id, name FROM users WHERE id = $1", "SELECT", "users", ""},
		{mysql, "select * from `shop`.`orders` where id = ? and x = ?", "SELECT", "shop.orders", ""},
		{ansi, "UPDATE accounts SET balance = :b WHERE id = @id", "UPDATE", "accounts", ""},
		{pg, "SELECT 1", "SELECT", "", "SELECT ?"},
		{pg, "select now()", "SELECT", "", ""},
		// Literals become ?.
		{pg, "SELECT * FROM users WHERE name = 'O''Brien' AND age > 42", "SELECT", "users",
			"SELECT * FROM users WHERE name = ? AND age > ?"},
		{pg, "INSERT INTO public.items (id, price, note) VALUES (7, 3.5e-2, E'a\\'b'), (-8, .5, 'x')", "INSERT", "public.items",
			"INSERT INTO public.items (id, price, note) VALUES (?, ?, ?), (-?, ?, ?)"},
		{mysql, `INSERT INTO t (a, b) VALUES ("sec\"ret", 'it\'s'), (0x1F, X'0A')`, "INSERT", "t",
			`INSERT INTO t (a, b) VALUES (?, ?), (?, ?)`},
		{pg, "SELECT $tag$ secret $1 $tag$, $$x$$, $2 FROM t2", "SELECT", "t2", "SELECT ?, ?, $2 FROM t2"},
		{pg, `SELECT "col1", t1.c2 FROM "My Table" WHERE c3 = 'v' -- it's a comment
			AND c4 = 5 /* 'not a string' */`, "SELECT", "My Table",
			`SELECT "col1", t1.c2 FROM "My Table" WHERE c3 = ? -- it's a comment
			AND c4 = ? /* 'not a string' */`},
		{pg, "select x::int from t where y = 'a'::text", "SELECT", "t", "select x::int from t where y = ?::text"},
		// The table of each kind of statement.
		{pg, "DELETE FROM ONLY sessions WHERE expires < now()", "DELETE", "sessions", ""},
		{pg, "CREATE TABLE IF NOT EXISTS greetings (id serial PRIMARY KEY, name text)", "CREATE", "greetings", ""},
		{pg, "DROP TABLE IF EXISTS greetings", "DROP", "greetings", ""},
		{pg, "TRUNCATE TABLE greetings", "TRUNCATE", "greetings", ""},
		{mysql, "REPLACE INTO kv VALUES (?, ?)", "REPLACE", "kv", ""},
		{pg, "WITH recent AS (SELECT * FROM orders WHERE ts > $1) SELECT count(*) FROM recent", "SELECT", "recent", ""},
		{pg, "WITH RECURSIVE r(n) AS (VALUES (1) UNION SELECT n+1 FROM r WHERE n < 10) SELECT n FROM r", "SELECT", "r",
			"WITH RECURSIVE r(n) AS (VALUES (?) UNION SELECT n+? FROM r WHERE n < ?) SELECT n FROM r"},
		{pg, "SELECT * FROM (SELECT a FROM inner_t) s", "SELECT", "inner_t", ""},
		{pg, "  begin  ", "BEGIN", "", ""},
		{pg, "COMMIT", "COMMIT", "", ""},
		{pg, "SET search_path = 'x'", "SET", "", "SET search_path = ?"},
		// Only the first statement names the operation; all are redacted.
		{pg, "INSERT INTO a VALUES (1); DELETE FROM b WHERE c = 'd'", "INSERT", "a", "INSERT INTO a VALUES (?); DELETE FROM b WHERE c = ?"},
		// Identifiers with digits are not numbers; an unterminated string
		// is redacted to the end.
		{ansi, "SELECT c1 FROM t1 WHERE x = 'unterminated", "SELECT", "t1", "SELECT c1 FROM t1 WHERE x = ?"},
		{ansi, "SELECT [Order Details].x FROM [Order Details]", "SELECT", "Order Details", ""},
		{ansi, "", "", "", ""},
	} {
		got := scan(tc.q, tc.d)
		want := tc.text
		if want == "" {
			want = tc.q
		}
		if got.Op != tc.op || got.Coll != tc.coll || got.Text != want {
			t.Errorf("scan(%q):\n got op %q coll %q text %q\nwant op %q coll %q text %q", tc.q, got.Op, got.Coll, got.Text, tc.op, tc.coll, want)
		}
	}
}

// TestTextBound checks that a huge statement makes a bounded db.query.text,
// in both modes that record one.
func TestTextBound(t *testing.T) {
	q := "SELECT '" + strings.Repeat("x", 1<<20) + "'"
	st := Scan(q, Dialect{})
	for _, m := range []Mode{Raw, Redacted} {
		if got := m.Text(q, st); len(got) > 4096 {
			t.Errorf("mode %d: db.query.text of %d bytes", m, len(got))
		}
	}
}

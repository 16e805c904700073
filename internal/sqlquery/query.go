// Package sqlquery reads SQL statements for the database integrations
// (rules/databasesql, rules/pgx, rules/gorm): the operation and the table
// a statement names, and its text with every literal replaced by ?, so that
// values written into a statement never reach a span.
package sqlquery

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/otelgen/otelgen/internal/bound"
)

// A Dialect says how a database writes literals, where SQL dialects differ.
type Dialect struct {
	backslash   bool // a backslash escapes the next character in a string (MySQL)
	doubleQuote bool // "..." is a string, not an identifier (MySQL)
	dollar      bool // $tag$...$tag$ is a string, $1 a parameter (PostgreSQL)
}

// The dialects of the systems whose literals differ from standard SQL's.
var (
	ANSI     = Dialect{}
	Postgres = Dialect{dollar: true}
	MySQL    = Dialect{backslash: true, doubleQuote: true}
)

// DialectOf is how the scanner reads the statements of a database system,
// named as db.system.name names it.
func DialectOf(system string) Dialect {
	switch system {
	case "postgresql":
		return Postgres
	case "mysql", "mariadb":
		return MySQL
	}
	return ANSI
}

// A Statement is what the scanner learns from one SQL statement.
type Statement struct {
	Op   string // the operation, upper-case: SELECT, INSERT, ...; "" when unknown
	Coll string // the first table it names, "" when none
	Text string // the statement with every literal replaced by ?
}

// Mode is what an integration records as db.query.text, from its
// OTEL_GO_<INTEGRATION>_QUERY_TEXT variable.
type Mode int

const (
	Redacted Mode = iota // literals replaced by ?, the default
	Raw                  // the statement as the program wrote it
	Off                  // no text at all
)

// ParseMode reads a query-text variable: "raw", "off" (or "none"), and
// anything else, unset included, for Redacted.
func ParseMode(s string) Mode {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "raw":
		return Raw
	case "off", "none":
		return Off
	}
	return Redacted
}

// Text is the db.query.text of query, whose scan is st, in mode m: "" for
// none; cut to bound.MaxText bytes.
func (m Mode) Text(query string, st Statement) string {
	switch m {
	case Raw:
		return bound.Cut(query, bound.MaxText)
	case Off:
		return ""
	}
	return bound.Cut(st.Text, bound.MaxText)
}

// scanned caches the scanner's result for the statements a program sends
// again and again, up to a bound; past it statements are scanned each time.
var (
	scanned      sync.Map // scanKey → Statement
	scannedCount atomic.Int32
)

// MaxCached bounds the statements Scan keeps, and is a fit bound for other
// caches keyed by statement or operation.
const MaxCached = 4096

type scanKey struct {
	q string
	d Dialect
}

// Scan is scan, with the result kept for the next time the program sends
// the same statement (up to MaxCached statements of up to 4096 bytes).
func Scan(q string, d Dialect) Statement {
	k := scanKey{q, d}
	if st, ok := scanned.Load(k); ok {
		return st.(Statement)
	}
	st := scan(q, d)
	if len(q) <= 4096 && scannedCount.Load() < MaxCached {
		if _, loaded := scanned.LoadOrStore(k, st); !loaded {
			scannedCount.Add(1)
		}
	}
	return st
}

// scan reads a SQL statement once: its operation, the first table it names
// (for SELECT the one after the first FROM, for INSERT the one after INTO,
// and so on), and its text with every string and number literal replaced by
// ?, so that values written into the statement never reach a span.
// Parameters ($1, ?, :name, @name), identifiers, keywords, comments and
// spacing are kept as written. It is not a parser: a statement it does not
// follow gets no operation or table, never a wrong redaction, since anything
// that starts like a literal is replaced through to where the literal ends.
func scan(q string, d Dialect) Statement {
	var st Statement
	var out strings.Builder
	out.Grow(len(q))
	redacted := false
	inWith := false // the statement starts with WITH: its CTEs come first
	want := ""      // the keyword after which the table comes, for this operation
	lastWord := ""  // the previous token, upper-cased when a word
	depth := 0
	last := 0 // start of the text not yet copied to out
	redact := func(from, to int) {
		out.WriteString(q[last:from])
		out.WriteByte('?')
		last = to
		redacted = true
	}
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				i = len(q)
			} else {
				i += 2 + end + 2
			}
		case c == '\'' || (c == '"' && d.doubleQuote):
			end := stringEnd(q, i, c, d.backslash)
			redact(i, end)
			i, lastWord = end, "?"
		case strings.IndexByte("EeXxBbNn", c) >= 0 && i+1 < len(q) && q[i+1] == '\'' && !identByte(prev(q, i)):
			// E'...', X'...', B'...', N'...': a string with a prefix.
			end := stringEnd(q, i+1, '\'', d.backslash || c == 'E' || c == 'e')
			redact(i, end)
			i, lastWord = end, "?"
		case c == '$' && d.dollar && i+1 < len(q) && !isDigit(q[i+1]) && dollarEnd(q, i) > 0:
			end := dollarEnd(q, i)
			redact(i, end)
			i, lastWord = end, "?"
		case c == '$' || c == '?' || c == ':' || c == '@':
			// A parameter ($1, ?, :name, @name) or an operator (::, @>):
			// kept, with the name that follows.
			i++
			for i < len(q) && identByte(q[i]) {
				i++
			}
			lastWord = "$"
		case isDigit(c) || (c == '.' && i+1 < len(q) && isDigit(q[i+1])):
			end := numberEnd(q, i)
			redact(i, end)
			i, lastWord = end, "?"
		case c == '"' || c == '`' || (c == '[' && !d.doubleQuote && !d.dollar):
			// A quoted identifier.
			if st.Op != "" && st.Coll == "" && want != "" && lastWord == want {
				st.Coll = tableName(q, i)
			}
			i = quotedEnd(q, i)
			lastWord = "\""
		case identStart(c):
			start := i
			for i < len(q) && identByte(q[i]) {
				i++
			}
			word := strings.ToUpper(q[start:i])
			switch {
			case st.Op == "" && depth == 0 && word == "WITH" && !inWith:
				inWith = true
			case st.Op == "" && depth == 0 && (!inWith || mainOp(word)):
				st.Op = word
				want = tableKeyword(word)
			case st.Op != "" && st.Coll == "" && want != "" && lastWord == want:
				if isKeyword(word) {
					continue // lastWord stays: CREATE TABLE IF NOT EXISTS t
				}
				st.Coll = tableName(q, start)
			}
			lastWord = word
		case c == '(':
			depth++
			i++
			lastWord = "("
		case c == ')':
			if depth > 0 {
				depth--
			}
			i++
			lastWord = ")"
		case c == ';' && depth == 0:
			// Only the first statement names the operation and the
			// table; the rest is redacted all the same.
			i++
			if st.Op != "" {
				want = ""
			}
			lastWord = ";"
		default:
			i++
			lastWord = string(c)
		}
	}
	if !redacted {
		st.Text = q
	} else {
		out.WriteString(q[last:])
		st.Text = out.String()
	}
	return st
}

// tableKeyword is the keyword after which a statement of that operation
// names its table.
func tableKeyword(op string) string {
	switch op {
	case "SELECT", "DELETE":
		return "FROM"
	case "INSERT", "REPLACE", "MERGE":
		return "INTO"
	case "UPDATE":
		return "UPDATE"
	case "CREATE", "DROP", "ALTER":
		return "TABLE"
	case "TRUNCATE", "LOCK", "ANALYZE", "VACUUM":
		return op
	case "COPY":
		return "COPY"
	}
	return ""
}

// isKeyword reports whether a word after a table keyword is one more
// keyword rather than the table (CREATE TABLE IF NOT EXISTS t, DELETE FROM
// ONLY t, UPDATE ONLY t, SELECT ... FROM LATERAL ...).
func isKeyword(word string) bool {
	switch word {
	case "TABLE", "IF", "NOT", "EXISTS", "ONLY", "LATERAL", "TEMP", "TEMPORARY", "UNLOGGED", "LOW_PRIORITY", "IGNORE", "DELAYED", "HIGH_PRIORITY", "QUICK", "SELECT", "VALUES", "UNNEST", "GENERATE_SERIES":
		return true
	}
	return false
}

// mainOp reports whether a word starts the main statement after WITH and
// its common table expressions.
func mainOp(word string) bool {
	switch word {
	case "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE":
		return true
	}
	return false
}

// quotedEnd returns the index after the quoted identifier that starts at i.
func quotedEnd(q string, i int) int {
	close := q[i]
	if close == '[' {
		close = ']'
	}
	for j := i + 1; j < len(q); j++ {
		if q[j] == close {
			if j+1 < len(q) && q[j+1] == close && close != ']' {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

// tableName reads the name that starts at i, with its schema or database
// prefix (a.b, "a"."b"), quotes removed.
func tableName(q string, i int) string {
	var b strings.Builder
	for i < len(q) {
		c := q[i]
		switch {
		case c == '"' || c == '`' || c == '[':
			close := c
			if c == '[' {
				close = ']'
			}
			end := strings.IndexByte(q[i+1:], close)
			if end < 0 {
				return b.String()
			}
			b.WriteString(q[i+1 : i+1+end])
			i += end + 2
		case identByte(c):
			start := i
			for i < len(q) && identByte(q[i]) {
				i++
			}
			b.WriteString(q[start:i])
		default:
			return b.String()
		}
		if i < len(q) && q[i] == '.' {
			b.WriteByte('.')
			i++
			continue
		}
		return b.String()
	}
	return b.String()
}

// stringEnd returns the index after the string literal that opens with the
// quote at i; a doubled quote is one quote of the string.
func stringEnd(q string, i int, quote byte, backslash bool) int {
	for j := i + 1; j < len(q); j++ {
		switch q[j] {
		case '\\':
			if backslash {
				j++
			}
		case quote:
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

// dollarEnd returns the index after the dollar-quoted string ($$...$$,
// $tag$...$tag$) that starts at i, or 0 when none starts there.
func dollarEnd(q string, i int) int {
	j := i + 1
	for j < len(q) && identStart(q[j]) || j > i+1 && j < len(q) && isDigit(q[j]) {
		j++
	}
	if j >= len(q) || q[j] != '$' {
		return 0
	}
	tag := q[i : j+1]
	end := strings.Index(q[j+1:], tag)
	if end < 0 {
		return len(q)
	}
	return j + 1 + end + len(tag)
}

// numberEnd returns the index after the number that starts at i: digits,
// a fraction, an exponent, or a hexadecimal or binary integer.
func numberEnd(q string, i int) int {
	j := i
	if q[j] == '0' && j+1 < len(q) && (q[j+1] == 'x' || q[j+1] == 'X' || q[j+1] == 'b' || q[j+1] == 'B') {
		j += 2
		for j < len(q) && (isHex(q[j]) || q[j] == '_') {
			j++
		}
		return j
	}
	for j < len(q) && (isDigit(q[j]) || q[j] == '_') {
		j++
	}
	if j < len(q) && q[j] == '.' {
		j++
		for j < len(q) && isDigit(q[j]) {
			j++
		}
	}
	if j < len(q) && (q[j] == 'e' || q[j] == 'E') {
		k := j + 1
		if k < len(q) && (q[k] == '+' || q[k] == '-') {
			k++
		}
		if k < len(q) && isDigit(q[k]) {
			j = k
			for j < len(q) && isDigit(q[j]) {
				j++
			}
		}
	}
	return j
}

func prev(q string, i int) byte {
	if i == 0 {
		return ' '
	}
	return q[i-1]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
func identStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}
func identByte(c byte) bool { return identStart(c) || isDigit(c) || c == '$' }

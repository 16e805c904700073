// Package redisquery writes db.query.text and the operation name of Redis
// commands for the Redis integrations (rules/goredis, rules/goredisv8,
// rules/redigo), with arguments redacted by default and secrets always.
package redisquery

import (
	"fmt"
	"strings"

	"github.com/otelgen/otelgen/hook"
)

// Env chooses what db.query.text records, when the program starts:
//
//   - "redacted" (the default): the command, its subcommand for the
//     commands that have subcommands (CLIENT SETNAME, CONFIG GET, ...), and
//     a "?" for every other argument, keys and values alike: "SET ? ?".
//     Keys often hold identifiers (user ids, session tokens), so they are
//     redacted too; the number of arguments is kept.
//   - "raw": every argument as the program sent it, except secrets, which
//     are always "?": the arguments of AUTH, the credentials of HELLO's AUTH
//     and of MIGRATE's AUTH/AUTH2, ACL SETUSER's rules, and the value of
//     CONFIG SET for any parameter.
//   - "off": no db.query.text at all.
const Env = "OTEL_GO_REDIS_QUERY_TEXT"

// Query text modes.
const (
	Redacted = iota
	Raw
	Off
)

// Mode is Env, read once when the program starts.
var Mode = ParseMode(hook.Setting(Env))

func ParseMode(s string) int {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "raw":
		return Raw
	case "off", "none":
		return Off
	}
	return Redacted
}

// maxArgs bounds the arguments written for one command, and maxBatch the
// commands written for one pipeline: an MSET of ten thousand keys must not
// make a span of megabytes. The rest is written as "...".
const (
	maxArgs  = 32
	maxBatch = 16
)

// subcommands are the commands whose first argument names a subcommand,
// kept in the query text as part of the command.
var subcommands = map[string]bool{
	"ACL": true, "CLIENT": true, "CLUSTER": true, "COMMAND": true, "CONFIG": true,
	"DEBUG": true, "FUNCTION": true, "LATENCY": true, "MEMORY": true, "MODULE": true,
	"OBJECT": true, "PUBSUB": true, "SCRIPT": true, "SLOWLOG": true, "XGROUP": true,
	"XINFO": true,
}

// CommandName is the command of args (args[0]) in upper case, as the Redis
// CLI writes it, or "" when there is none.
func CommandName(args []any) string {
	if len(args) == 0 {
		return ""
	}
	return strings.ToUpper(argString(args[0]))
}

// Text writes one command's db.query.text in mode.
func Text(b *strings.Builder, args []any, mode int) {
	name := CommandName(args)
	b.WriteString(name)
	first := 1
	if subcommands[name] && len(args) > 1 {
		if sub := argString(args[1]); isWord(sub) {
			b.WriteByte(' ')
			b.WriteString(strings.ToUpper(sub))
			first = 2
		}
	}
	secret := secrets(name, args, mode)
	for i := first; i < len(args); i++ {
		if i-first == maxArgs {
			b.WriteString(" ...")
			return
		}
		b.WriteByte(' ')
		if mode != Raw || secret(i) {
			b.WriteByte('?')
			continue
		}
		b.WriteString(quote(argString(args[i])))
	}
}

// secrets returns which arguments of a command carry credentials, which
// even the raw mode never records.
func secrets(name string, args []any, mode int) func(i int) bool {
	if mode != Raw {
		return nil
	}
	none := func(int) bool { return false }
	switch name {
	case "AUTH", "ACL", "CONFIG":
		// ACL: SETUSER rules hold passwords (>secret, #hash); CONFIG SET:
		// requirepass, masterauth and the like. Only the subcommand stays.
		return func(int) bool { return true }
	case "HELLO", "MIGRATE":
		// HELLO protover AUTH username password; MIGRATE ... AUTH password
		// or AUTH2 username password. Everything from AUTH on.
		from := len(args)
		for i := 1; i < len(args); i++ {
			if w := strings.ToUpper(argString(args[i])); w == "AUTH" || w == "AUTH2" {
				from = i + 1
				break
			}
		}
		return func(i int) bool { return i >= from }
	}
	return none
}

// isWord reports whether s is a plausible subcommand: letters, digits, '-'
// and '_' only, and short.
func isWord(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// quote writes an argument of the raw mode as the Redis CLI would need it:
// bare when it has no space, quote or control character, else quoted.
func quote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == '"' || r == '\'' || r == 0x7f }) {
		return s
	}
	return fmt.Sprintf("%q", s)
}

// argString is an argument as go-redis sends it.
func argString(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case nil:
		return ""
	}
	return fmt.Sprint(a)
}

// BatchText is the db.query.text of a pipeline or transaction: each
// command's text, or one when they are all the same, joined by "; ".
func BatchText(cmds [][]any, mode int) string {
	var b strings.Builder
	var prev string
	same := true
	for i, args := range cmds {
		var one strings.Builder
		Text(&one, args, mode)
		if i > 0 && one.String() != prev {
			same = false
		}
		prev = one.String()
		if i < maxBatch {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(prev)
		} else if i == maxBatch {
			b.WriteString("; ...")
		}
	}
	if same {
		return prev
	}
	return b.String()
}

// BatchName is the db.operation.name of a pipeline (prefix "PIPELINE") or
// a transaction (prefix "MULTI") of commands named names: the prefix and
// the command when they all run the same one, else the prefix alone.
func BatchName(prefix string, names []string) string {
	if len(names) == 0 {
		return prefix
	}
	for _, n := range names[1:] {
		if n != names[0] {
			return prefix
		}
	}
	return prefix + " " + names[0]
}

// Package mongocmd holds what the MongoDB integrations (rules/mongo for
// go.mongodb.org/mongo-driver, rules/mongov2 for its v2) share and that
// needs no driver: the command body switch, which field of a command names
// its collection, the span name, the server of a connection id and the
// error.type of a v1 failure message.
package mongocmd

import (
	"net"
	"strconv"

	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/internal/bound"
	"strings"
)

// Env turns db.query.text on: "raw" records each command's body, as the
// driver hands it to its command monitor (relaxed extended JSON; the driver
// already empties the bodies of authentication commands). Anything else,
// and the default, records no body: documents hold the program's data.
const Env = "OTEL_GO_MONGO_QUERY_TEXT"

// Raw is Env, read once when the program starts.
var Raw = ParseRaw(hook.Setting(Env))

// ParseRaw says whether a value of Env turns the body on.
func ParseRaw(s string) bool {
	return strings.EqualFold(strings.TrimSpace(s), "raw")
}

// MaxText bounds db.query.text: an insert of many documents must not make
// a span of megabytes. Longer bodies are cut and end with "...".
const MaxText = bound.MaxText

// Text is body cut to MaxText bytes, on a UTF-8 boundary.
func Text(body string) string { return bound.Cut(body, MaxText) }

// collectionCommands are the commands whose first field, the command
// itself, holds the collection's name. Others name a user, a role or a
// database there (createUser: "alice"), or hold 1.
var collectionCommands = map[string]bool{
	"aggregate": true, "collMod": true, "collStats": true, "count": true,
	"create": true, "createIndexes": true, "delete": true, "distinct": true,
	"drop": true, "dropIndexes": true, "find": true, "findAndModify": true,
	"insert": true, "killCursors": true, "listIndexes": true,
	"mapReduce": true, "update": true, "validate": true,
	"compact": true, "reIndex": true, "geoNear": true, "geoSearch": true,
	"analyzeShardKey": true, "createSearchIndexes": true,
	"dropSearchIndex": true, "updateSearchIndex": true,
}

// CollectionField is the field of a command named op that holds its
// collection's name as a string: op itself, "collection" for getMore, or
// "" for a command on no collection (ping, listCollections, an aggregate
// on the database, whose first field is 1).
func CollectionField(op string) string {
	if collectionCommands[op] {
		return op
	}
	if op == "getMore" {
		return "collection"
	}
	return ""
}

// SpanName is "{op} {collection}", or "{op} {database}" for a command on
// no collection, as the conventions' fallback wants.
func SpanName(op, collection, database string) string {
	switch {
	case collection != "":
		return op + " " + collection
	case database != "":
		return op + " " + database
	}
	return op
}

// Server is the host and port of a driver's connection id, which is
// "host:port[-N]"; ok is false for one of another form.
func Server(connID string) (host string, port int, ok bool) {
	addr := connID
	if i := strings.LastIndexByte(addr, '['); i > 0 && strings.HasSuffix(addr, "]") {
		addr = addr[:i]
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, 0, addr != ""
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return h, 0, true
	}
	return h, n, true
}

// ErrorType is the error.type of a failure the v1 driver describes only by
// its message: the server's error name for "(Name) message" (the code's
// name: "CommandNotFound", "NamespaceNotFound"), "timeout" and
// "context.Canceled" for a call's context, else "_OTHER".
func ErrorType(failure string) string {
	if strings.HasPrefix(failure, "(") {
		if i := strings.IndexByte(failure, ')'); i > 1 && !strings.ContainsAny(failure[1:i], " \t") {
			return failure[1:i]
		}
	}
	switch {
	case strings.Contains(failure, "context canceled"):
		return "context.Canceled"
	case strings.Contains(failure, "deadline exceeded"), strings.Contains(failure, "timeout"), strings.Contains(failure, "timed out"):
		return "timeout"
	}
	return "_OTHER"
}

// Package httpspan holds what the HTTP integrations (rules/nethttp,
// rules/fasthttp, rules/hertz) compute alike when they describe a request
// on its span and duration metric: the method as the semantic conventions
// want it, the server's host and port, the protocol version, and the
// error.type and status message of a handler's error or panic. It imports
// only the standard library, so that each integration's module pulls in
// nothing more for it.
package httpspan

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strconv"
	"strings"
	_ "unsafe" // for go:linkname
)

// Other is http.request.method (and error.type) of what the conventions
// do not know.
const Other = "_OTHER"

// Method is http.request.method of a request's method: a method the
// conventions name, GET for none (net/http's default), or Other. Compared
// with case, as the conventions say. A switch, not a map: nothing to make
// when the program starts.
func Method(m string) string {
	// Each case returns a constant, not m: a caller's string([]byte)
	// conversion then stays on its stack.
	switch m {
	case "", "GET":
		return "GET"
	case "HEAD":
		return "HEAD"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "PATCH":
		return "PATCH"
	case "DELETE":
		return "DELETE"
	case "CONNECT":
		return "CONNECT"
	case "OPTIONS":
		return "OPTIONS"
	case "TRACE":
		return "TRACE"
	}
	return Other
}

// HostPort splits a Host header or a URL's host into server.address and
// server.port, with the scheme's default port when it names none (0 for a
// scheme without one).
func HostPort(hostport, scheme string) (string, int) {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		switch scheme {
		case "http":
			return hostport, 80
		case "https":
			return hostport, 443
		}
		return hostport, 0
	}
	port, _ := strconv.Atoi(p)
	return host, port
}

// ProtoVersion is network.protocol.version of a request or status line's
// protocol ("HTTP/1.1": "1.1"); HTTP/1.1 when the line names none.
func ProtoVersion(proto string) string {
	switch proto {
	case "HTTP/1.1", "":
		return "1.1"
	case "HTTP/1.0":
		return "1.0"
	}
	// Copies, not proto itself: a caller's string([]byte) conversion then
	// stays on its stack, and the common cases allocate nothing.
	if len(proto) > 5 && proto[:5] == "HTTP/" {
		return strings.Clone(proto[5:])
	}
	return strings.Clone(proto)
}

// PanicError is a recovered panic's value, as the error of a request.
type PanicError struct{ V any }

func (p PanicError) Error() string { return fmt.Sprint(p.V) }

// ErrorType names an error for error.type: its Go type, or the panic
// value's type for a PanicError; Other for nil.
func ErrorType(err error) string {
	var v any = err
	if p, ok := err.(PanicError); ok {
		v = p.V
	}
	if v == nil {
		return Other
	}
	return TypeName(v)
}

// TransportErrorType names, for error.type, the error of a client request
// that got no response: context.Canceled, timeout (a deadline or a network
// timeout), or the error's Go type.
func TransportErrorType(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return "timeout"
	}
	return TypeName(err)
}

// ErrMessage is err's message for a span's status description; "" for no
// error.
func ErrMessage(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TypeName is the Go type of v as fmt's %T prints it: exception.type and
// error.type.
func TypeName(v any) string { return fmt.Sprintf("%T", v) }

// SameError reports whether a and b are one error value, recorded already
// when a router hands it to two places.
func SameError(a, b error) bool {
	if a == nil || b == nil || reflect.TypeOf(a) != reflect.TypeOf(b) || !reflect.TypeOf(a).Comparable() {
		return false
	}
	return a == b
}

// panicValue reports the value of a panic in progress on this goroutine,
// not yet recovered. rules/nethttp's nethttp-panic rule defines it in the
// runtime, in the goroutine-local storage patch; nil in a build without it.
//
//go:linkname panicValue otelgen_nethttp_panic
var panicValue func() (any, bool)

// Panicking reports the value of a panic that the calling goroutine is
// running deferred calls for, if one is and nothing recovered it yet.
func Panicking() (any, bool) {
	if panicValue == nil {
		return nil, false
	}
	return panicValue()
}

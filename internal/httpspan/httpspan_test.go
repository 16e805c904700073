package httpspan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
)

func TestMethod(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "GET"},
		{"GET", "GET"},
		{"HEAD", "HEAD"},
		{"POST", "POST"},
		{"PUT", "PUT"},
		{"PATCH", "PATCH"},
		{"DELETE", "DELETE"},
		{"CONNECT", "CONNECT"},
		{"OPTIONS", "OPTIONS"},
		{"TRACE", "TRACE"},
		{"get", Other}, // methods are case-sensitive
		{"PROPFIND", Other},
	} {
		if got := Method(tt.in); got != tt.want {
			t.Errorf("Method(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHostPort(t *testing.T) {
	for _, tt := range []struct {
		hostport, scheme string
		host             string
		port             int
	}{
		{"example.com:8080", "http", "example.com", 8080},
		{"example.com", "http", "example.com", 80},
		{"example.com", "https", "example.com", 443},
		{"example.com", "", "example.com", 0},
		{"[::1]:9000", "https", "::1", 9000},
		{"127.0.0.1:0", "http", "127.0.0.1", 0},
		{"", "http", "", 80},
	} {
		host, port := HostPort(tt.hostport, tt.scheme)
		if host != tt.host || port != tt.port {
			t.Errorf("HostPort(%q, %q) = %q, %d, want %q, %d", tt.hostport, tt.scheme, host, port, tt.host, tt.port)
		}
	}
}

func TestProtoVersion(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"HTTP/1.1", "1.1"},
		{"", "1.1"},
		{"HTTP/1.0", "1.0"},
		{"HTTP/2", "2"},
		{"HTTP/2.0", "2.0"},
		{"SPDY", "SPDY"},
	} {
		if got := ProtoVersion(tt.in); got != tt.want {
			t.Errorf("ProtoVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type codeError struct{ code int }

func (e codeError) Error() string { return "code" }

func TestErrorType(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{io.EOF, "*errors.errorString"},
		{codeError{1}, "httpspan.codeError"},
		{&codeError{1}, "*httpspan.codeError"},
		{PanicError{"boom"}, "string"},
		{PanicError{codeError{2}}, "httpspan.codeError"},
		{PanicError{nil}, Other},
		{nil, Other},
	} {
		if got := ErrorType(tt.err); got != tt.want {
			t.Errorf("ErrorType(%#v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestTransportErrorType(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{context.Canceled, "context.Canceled"},
		{fmt.Errorf("get: %w", context.Canceled), "context.Canceled"},
		{context.DeadlineExceeded, "timeout"},
		{&net.OpError{Op: "dial", Err: timeoutError{}}, "timeout"},
		{&net.OpError{Op: "dial", Err: io.EOF}, "*net.OpError"},
		{io.EOF, "*errors.errorString"},
	} {
		if got := TransportErrorType(tt.err); got != tt.want {
			t.Errorf("TransportErrorType(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestErrMessage(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("no route"), "no route"},
		{PanicError{42}, "42"},
	} {
		if got := ErrMessage(tt.err); got != tt.want {
			t.Errorf("ErrMessage(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestSameError(t *testing.T) {
	a := errors.New("a")
	for _, tt := range []struct {
		name string
		a, b error
		want bool
	}{
		{"one value", a, a, true},
		{"equal values", codeError{1}, codeError{1}, true},
		{"other value", codeError{1}, codeError{2}, false},
		{"same text, two values", errors.New("a"), errors.New("a"), false},
		{"other type", a, codeError{1}, false},
		{"nil", nil, a, false},
		{"both nil", nil, nil, false},
		{"not comparable", sliceError{}, sliceError{}, false},
	} {
		if got := SameError(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: SameError = %v, want %v", tt.name, got, tt.want)
		}
	}
}

type sliceError []int

func (sliceError) Error() string { return "slice" }

func TestPanickingUnlinked(t *testing.T) {
	// A test binary has no runtime patch: nothing reports a panic.
	if v, ok := Panicking(); ok {
		t.Errorf("Panicking() = %v, true without the runtime patch", v)
	}
}

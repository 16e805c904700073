package kafkamsg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
)

type header struct {
	Key   string
	Value []byte
}

func TestStringHeaders(t *testing.T) {
	own := []header{{"app", []byte("kept")}}
	list := own[:len(own):len(own)]
	c := StringHeaders(&list)
	c.Set("traceparent", "00-a-b-01")
	c.Set("traceparent", "00-c-d-01")
	if got := c.Get("traceparent"); got != "00-c-d-01" {
		t.Errorf("Get = %q after two Sets", got)
	}
	if got := c.Keys(); !slices.Equal(got, []string{"app", "traceparent"}) {
		t.Errorf("Keys = %v", got)
	}
	if len(own) != 1 || c.Get("missing") != "" {
		t.Errorf("the program's slice changed, or a missing key has a value: %v", own)
	}
}

func TestReadOnly(t *testing.T) {
	list := []*header{{"k", []byte("v")}}
	c := Headers[*header]{List: &list, Key: func(h *header) string { return h.Key }, Value: func(h *header) string { return string(h.Value) }}
	c.Set("x", "y")
	if len(list) != 1 || c.Get("k") != "v" {
		t.Errorf("a carrier without Make wrote, or read wrong: %v", list)
	}
}

func TestServer(t *testing.T) {
	for _, c := range []struct {
		in   string
		host string
		port int
		ok   bool
	}{
		{"127.0.0.1:9092", "127.0.0.1", 9092, true},
		{"a:1,b:2", "a", 1, true},
		{"[::1]:9093", "::1", 9093, true},
		{"broker", "broker", 0, true},
		{"", "", 0, false},
	} {
		host, port, ok := Server(c.in)
		if host != c.host || port != c.port || ok != c.ok {
			t.Errorf("Server(%q) = %q, %d, %v; want %q, %d, %v", c.in, host, port, ok, c.host, c.port, c.ok)
		}
	}
}

type codeErr int16

func (e codeErr) Error() string { return fmt.Sprint("code ", int16(e)) }

func TestErrorType(t *testing.T) {
	code := func(err error) (int16, bool) {
		var c codeErr
		if errors.As(err, &c) {
			return int16(c), true
		}
		return 0, false
	}
	for err, want := range map[error]string{
		codeErr(3):                       "UNKNOWN_TOPIC_OR_PARTITION",
		fmt.Errorf("w: %w", codeErr(-1)): "UNKNOWN_SERVER_ERROR",
		codeErr(30000):                   "KAFKA_ERROR_30000",
		context.DeadlineExceeded:         "timeout",
		context.Canceled:                 "context.Canceled",
		os.ErrDeadlineExceeded:           "timeout",
		errors.New("x"):                  "*errors.errorString",
	} {
		if got := ErrorType(err, code); got != want {
			t.Errorf("ErrorType(%v) = %q, want %q", err, got, want)
		}
	}
	if SpanName("send", "") != "send" || SpanName("send", "t") != "send t" {
		t.Error("SpanName")
	}
}

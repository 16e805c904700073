// Package kafkamsg holds what the Kafka client integrations (rules/kafkago
// for github.com/segmentio/kafka-go, rules/franzgo for franz-go,
// rules/sarama for github.com/IBM/sarama) share and that needs neither a
// client nor OpenTelemetry: the propagation carrier over a message's
// headers, whatever type the client gives them; the server of a broker
// address; the span name; and the error.type of an error, with the Kafka
// protocol's names for broker error codes. It imports only the standard
// library, as every package of otelgen's root module does.
package kafkamsg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Headers is a propagation carrier (the Get, Set and Keys of OTel's
// TextMapCarrier) over a message's list of headers, of whatever type the
// client gives a header: Key and Value read one, Make makes one. Set
// replaces the header of a key in place, or appends one; with no Make it
// does nothing (a received message's headers are only read).
type Headers[H any] struct {
	List  *[]H
	Key   func(H) string
	Value func(H) string
	Make  func(key, value string) H
}

// Get returns the value of the first header named key, or "".
func (c Headers[H]) Get(key string) string {
	for _, h := range *c.List {
		if c.Key(h) == key {
			return c.Value(h)
		}
	}
	return ""
}

// Set replaces the header named key, or appends one.
func (c Headers[H]) Set(key, value string) {
	if c.Make == nil {
		return
	}
	for i, h := range *c.List {
		if c.Key(h) == key {
			(*c.List)[i] = c.Make(key, value)
			return
		}
	}
	*c.List = append(*c.List, c.Make(key, value))
}

// Keys returns the headers' names.
func (c Headers[H]) Keys() []string {
	keys := make([]string, len(*c.List))
	for i, h := range *c.List {
		keys[i] = c.Key(h)
	}
	return keys
}

// stringHeader is the shape of kafka-go's and franz-go's headers.
type stringHeader = struct {
	Key   string
	Value []byte
}

// StringHeaders is the carrier over headers shaped as kafka-go's
// kafka.Header and franz-go's kgo.RecordHeader are: a string key and a
// byte value.
func StringHeaders[H ~struct {
	Key   string
	Value []byte
}](list *[]H) Headers[H] {
	return Headers[H]{
		List:  list,
		Key:   func(h H) string { return stringHeader(h).Key },
		Value: func(h H) string { return string(stringHeader(h).Value) },
		Make:  func(k, v string) H { return H(stringHeader{Key: k, Value: []byte(v)}) },
	}
}

// Server returns the host and port of the first broker of a list
// ("host:port" or "host:port,host:port"); a broker without a port gives
// port 0, and an empty list ok false.
func Server(addrs string) (host string, port int, ok bool) {
	addr, _, _ := strings.Cut(addrs, ",")
	if addr == "" {
		return "", 0, false
	}
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, 0, true
	}
	port, _ = strconv.Atoi(p)
	return h, port, true
}

// SpanName is "{operation} {topic}", or the operation alone without a
// topic.
func SpanName(op, topic string) string {
	if topic == "" {
		return op
	}
	return op + " " + topic
}

// ErrorType is the error.type of err: the Kafka protocol's name of the
// error code that code finds in err ("UNKNOWN_TOPIC_OR_PARTITION"), or
// "KAFKA_ERROR_<code>" for a code it does not name; "timeout" for a
// deadline or a network timeout; "context.Canceled"; else the error's Go
// type.
func ErrorType(err error, code func(error) (int16, bool)) string {
	if c, ok := code(err); ok {
		if name, ok := ErrorName(c); ok {
			return name
		}
		return "KAFKA_ERROR_" + strconv.Itoa(int(c))
	}
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
	return fmt.Sprintf("%T", err)
}

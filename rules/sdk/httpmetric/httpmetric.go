// Package httpmetric makes the attribute sets of the stable HTTP duration
// metrics (http.server.request.duration, http.client.request.duration) for
// the HTTP integrations (rules/nethttp, rules/fasthttp, rules/hertz), once
// per combination of values: the attributes of a route's requests are the
// same request after request, and attribute.NewSet copies, sorts and
// hashes them, which costs more than finding the set already made.
package httpmetric

import (
	"errors"

	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
)

// Durations are the HTTP duration histograms of one meter.
type Durations struct {
	Server httpconv.ServerRequestDuration // http.server.request.duration
	Client httpconv.ClientRequestDuration // http.client.request.duration
}

// NewDurations makes the histograms with meter m; a hook package passes it
// to sdk.NewInstruments.
func NewDurations(m metric.Meter) (Durations, error) {
	server, err1 := httpconv.NewServerRequestDuration(m)
	client, err2 := httpconv.NewClientRequestDuration(m)
	return Durations{server, client}, errors.Join(err1, err2)
}

// maxSets bounds each kind's kept sets: the server's host comes from the
// request's Host header, and a client may call any number of hosts.
const maxSets = 512

// Server is what the attributes of http.server.request.duration are made
// of. An empty string or a zero number leaves its attribute out.
type Server struct {
	Method, Scheme, Proto, Host string // http.request.method, url.scheme, network.protocol.version, server.address
	Port, Status                int    // server.port, http.response.status_code
	ErrorType, Route            string // error.type, http.route
}

var serverSets = sdk.NewAttrSets[Server](maxSets)

// Set returns the attribute set of k, made once and kept.
func (k Server) Set() attribute.Set {
	if s, ok := serverSets.Lookup(k); ok {
		return s
	}
	kvs := make([]attribute.KeyValue, 0, 8)
	kvs = append(kvs, semconv.HTTPRequestMethodKey.String(k.Method), semconv.URLScheme(k.Scheme))
	if k.Proto != "" {
		kvs = append(kvs, semconv.NetworkProtocolVersion(k.Proto))
	}
	if k.Host != "" {
		kvs = append(kvs, semconv.ServerAddress(k.Host))
	}
	if k.Port > 0 {
		kvs = append(kvs, semconv.ServerPort(k.Port))
	}
	kvs = appendResult(kvs, k.Status, k.ErrorType)
	if k.Route != "" {
		kvs = append(kvs, semconv.HTTPRoute(k.Route))
	}
	return serverSets.Add(k, kvs)
}

// Client is what the attributes of http.client.request.duration are made
// of. server.address and server.port are always there (required by the
// conventions); an empty string or a zero number leaves any other
// attribute out.
type Client struct {
	Method, Host, Proto string // http.request.method, server.address, network.protocol.version
	Port, Status        int    // server.port, http.response.status_code
	ErrorType           string // error.type
}

var clientSets = sdk.NewAttrSets[Client](maxSets)

// Set returns the attribute set of k, made once and kept.
func (k Client) Set() attribute.Set {
	if s, ok := clientSets.Lookup(k); ok {
		return s
	}
	kvs := make([]attribute.KeyValue, 0, 6)
	kvs = append(kvs, semconv.HTTPRequestMethodKey.String(k.Method), semconv.ServerAddress(k.Host), semconv.ServerPort(k.Port))
	if k.Proto != "" {
		kvs = append(kvs, semconv.NetworkProtocolVersion(k.Proto))
	}
	kvs = appendResult(kvs, k.Status, k.ErrorType)
	return clientSets.Add(k, kvs)
}

// Result returns the span attributes of a request's outcome that the
// duration metric shares: http.response.status_code and error.type, each
// when set.
func Result(status int, errorType string) []attribute.KeyValue {
	return appendResult(make([]attribute.KeyValue, 0, 3), status, errorType)
}

func appendResult(kvs []attribute.KeyValue, status int, errorType string) []attribute.KeyValue {
	if status > 0 {
		kvs = append(kvs, semconv.HTTPResponseStatusCode(status))
	}
	if errorType != "" {
		kvs = append(kvs, semconv.ErrorTypeKey.String(errorType))
	}
	return kvs
}

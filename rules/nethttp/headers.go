package nethttp

import (
	"net/http"
	"strings"
	"sync"

	"github.com/otelgen/otelgen/hook"
	"go.opentelemetry.io/otel/attribute"
)

// The settings that name the headers to record (declared in nethttp.yaml):
// none by default. The values of each listed header present go on the span
// as http.request.header.<name> or http.response.header.<name>, never on
// the metrics.
const (
	RequestHeadersEnv  = "OTEL_GO_HTTP_REQUEST_HEADERS"
	ResponseHeadersEnv = "OTEL_GO_HTTP_RESPONSE_HEADERS"
)

// neverRecorded are the headers that carry credentials: generate refuses
// them in otelgen.yaml, and the hooks skip them when the variables name
// them.
var neverRecorded = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
}

// headerList is a setting's headers, with their attribute keys.
type headerList []struct {
	name string // canonical, for http.Header
	key  string // http.request.header.<lower-case name>
}

var headers = sync.OnceValue(func() [2]headerList {
	return [2]headerList{
		parseHeaders(hook.Setting(RequestHeadersEnv), "http.request.header."),
		parseHeaders(hook.Setting(ResponseHeadersEnv), "http.response.header."),
	}
})

func parseHeaders(list, prefix string) headerList {
	var out headerList
	for _, n := range strings.Split(list, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" || neverRecorded[n] {
			continue
		}
		out = append(out, struct{ name, key string }{http.CanonicalHeaderKey(n), prefix + n})
	}
	return out
}

// attrs appends the listed headers of h.
func (l headerList) attrs(out []attribute.KeyValue, h http.Header) []attribute.KeyValue {
	for _, x := range l {
		if v := h.Values(x.name); len(v) > 0 {
			out = append(out, attribute.StringSlice(x.key, v))
		}
	}
	return out
}

func requestHeaders(out []attribute.KeyValue, h http.Header) []attribute.KeyValue {
	return headers()[0].attrs(out, h)
}

func responseHeaders(out []attribute.KeyValue, h http.Header) []attribute.KeyValue {
	return headers()[1].attrs(out, h)
}

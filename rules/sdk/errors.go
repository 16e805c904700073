package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
)

// The SDK reports its errors through otel.Handle, and the default handler
// logs every one: a program with no collector to talk to printed a
// "failed to upload metrics: Post ...: connection refused" at each export,
// and another for the spans. The handler here prints each error once, and
// an unreachable collector as one line that says where the SDK tried to
// send, which variable sets that, and how to turn the export off:
//
//	otelgen: cannot reach the OpenTelemetry collector at http://localhost:4318 (set OTEL_EXPORTER_OTLP_ENDPOINT, or OTEL_TRACES_EXPORTER=none and OTEL_METRICS_EXPORTER=none): connection refused
//
// With the exporters set to none or console nothing talks to a collector,
// and nothing is printed.

// errorHandler prints each kind of error once to its writer.
type errorHandler struct {
	w           io.Writer
	mu          sync.Mutex
	seen        map[string]bool
	unreachable bool // a collector was reported unreachable
}

func newErrorHandler() *errorHandler {
	return &errorHandler{w: os.Stderr, seen: map[string]bool{}}
}

// Handle prints err unless an error of its kind was printed already. A
// joined error (a shutdown's, say, of traces and metrics) is handled part
// by part.
func (h *errorHandler) Handle(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		// Timeouts last, since they may follow from the other errors.
		errs := j.Unwrap()
		for _, e := range errs {
			if !isTimeout(e) {
				h.Handle(e)
			}
		}
		for _, e := range errs {
			if isTimeout(e) {
				h.Handle(e)
			}
		}
		return
	}
	key, line := describe(err)
	if stopping.Load() && !strings.HasPrefix(key, "unreachable ") && (errors.Is(err, context.Canceled) || strings.HasSuffix(err.Error(), context.Canceled.Error())) {
		// Shutting down cancels a periodic export in flight, then exports
		// once more: the cancellation is no problem of the program's.
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.seen[key]:
		return
	case strings.HasPrefix(key, "unreachable "):
		h.unreachable = true
	case key == "timeout" && h.unreachable:
		// A shutdown that timed out, or an export it cut short, while
		// the exporter retried a collector already reported unreachable
		// says nothing more.
		return
	}
	h.seen[key] = true
	fmt.Fprintln(h.w, line)
}

// describe returns the kind of err, by which it is printed once, and the
// line to print.
func describe(err error) (key, line string) {
	if endpoint, sig, cause, ok := unreachable(err); ok {
		return "unreachable " + endpoint, fmt.Sprintf("otelgen: cannot reach the OpenTelemetry collector at %s (set %s, or %s): %s",
			endpoint, endpointVar(sig), turnOff(sig), cause)
	}
	msg := err.Error()
	if isTimeout(err) {
		return "timeout", "otelgen: " + msg
	}
	return "error " + msg, "otelgen: " + msg
}

// isTimeout reports whether err is a bare context error: a flush or a
// shutdown that did not end in time, or an export cut short by it, with no
// more said.
func isTimeout(err error) bool {
	for _, e := range []error{context.DeadlineExceeded, context.Canceled} {
		if errors.Is(err, e) && err.Error() == e.Error() {
			return true
		}
	}
	return false
}

// unreachable reports whether err says that the exporter could not connect
// to the collector (refused, no route, no such host, timed out) and if so
// where it tried, for which signal (TRACES, METRICS, LOGS or ""), and why.
func unreachable(err error) (endpoint, sig, cause string, ok bool) {
	sig = signalOf(err)
	// OTLP over HTTP: the client's *url.Error names the URL.
	var ue *url.Error
	if errors.As(err, &ue) {
		var op *net.OpError
		var dns *net.DNSError
		switch {
		case errors.As(ue.Err, &dns):
			cause = dns.Error()
		case errors.As(ue.Err, &op) && op.Op == "dial":
			cause = dialCause(op)
		case ue.Timeout():
			cause = "no answer in time"
		default:
			return "", "", "", false
		}
		if u, perr := url.Parse(ue.URL); perr == nil {
			endpoint = u.Scheme + "://" + u.Host
			if sig == "" {
				sig = signalOfPath(u.Path)
			}
		} else {
			endpoint = ue.URL
		}
		return endpoint, sig, cause, true
	}
	// OTLP over gRPC, when linked: its package tells the cause.
	if grpcUnreachable != nil {
		if cause, ok := grpcUnreachable(err); ok {
			return configuredEndpoint(sig, true), sig, cause, true
		}
	}
	return "", "", "", false
}

// grpcUnreachable is set by the otlpgrpc package: it reports whether err is
// a gRPC export's failure to connect, and why.
var grpcUnreachable func(err error) (cause string, ok bool)

// RegisterGRPCUnreachable is called by the otlpgrpc package, which links
// gRPC, so that this package does not.
func RegisterGRPCUnreachable(f func(err error) (cause string, ok bool)) { grpcUnreachable = f }

func dialCause(op *net.OpError) string {
	var errno syscall.Errno
	if errors.As(op.Err, &errno) {
		return errno.Error()
	}
	if op.Timeout() {
		return "no answer in time"
	}
	return op.Err.Error()
}

// signalOf tells the signal from the exporters' own wording.
func signalOf(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "traces export:"):
		return "TRACES"
	case strings.Contains(msg, "upload metrics"):
		return "METRICS"
	case strings.Contains(msg, "logs export") || strings.Contains(msg, "upload logs"):
		return "LOGS"
	}
	return ""
}

func signalOfPath(p string) string {
	switch {
	case strings.HasSuffix(p, "/v1/traces"):
		return "TRACES"
	case strings.HasSuffix(p, "/v1/metrics"):
		return "METRICS"
	case strings.HasSuffix(p, "/v1/logs"):
		return "LOGS"
	}
	return ""
}

// endpointVar is the variable that sets the signal's endpoint: its own when
// set, else OTEL_EXPORTER_OTLP_ENDPOINT.
func endpointVar(sig string) string {
	if sig != "" && os.Getenv("OTEL_EXPORTER_OTLP_"+sig+"_ENDPOINT") != "" {
		return "OTEL_EXPORTER_OTLP_" + sig + "_ENDPOINT"
	}
	return "OTEL_EXPORTER_OTLP_ENDPOINT"
}

// configuredEndpoint is the endpoint the environment gives the signal's
// exporter, for errors that do not name it (gRPC's).
func configuredEndpoint(sig string, grpc bool) string {
	for _, key := range []string{"OTEL_EXPORTER_OTLP_" + sig + "_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"} {
		if sig == "" && key != "OTEL_EXPORTER_OTLP_ENDPOINT" {
			continue
		}
		if v := strings.TrimSpace(os.Getenv(key)); v != "" {
			if u, err := url.Parse(v); err == nil && u.Host != "" {
				return u.Scheme + "://" + u.Host
			}
			return v
		}
	}
	if grpc {
		return "http://localhost:4317"
	}
	return "http://localhost:4318"
}

// turnOff names the variables that stop the OTLP export: those of the
// traces and metrics, whichever export over OTLP, and the failing signal's.
func turnOff(sig string) string {
	var vars []string
	for _, s := range signals {
		exp := strings.ToLower(strings.TrimSpace(os.Getenv("OTEL_" + s + "_EXPORTER")))
		otlp := exp == "" || strings.Contains(exp, "otlp")
		if s == sig || (otlp && s != "LOGS") {
			vars = append(vars, "OTEL_"+s+"_EXPORTER=none")
		}
	}
	return strings.Join(vars, " and ")
}

package testkit

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	colllogspb "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	logspb "go.opentelemetry.io/proto/otlp/logs/v1"
)

// A LogRecord is one received log record with the attributes of the
// resource and the name of the scope it came with.
type LogRecord struct {
	*logspb.LogRecord
	Resource map[string]any
	Scope    string
}

// Attrs are the record's attributes, as Go values (see Attrs).
func (l LogRecord) Attrs() map[string]any { return Attrs(l.GetAttributes()) }

// Body is the record's body as a Go value (a string, for a log line).
func (l LogRecord) Body() any { return anyValue(l.GetBody()) }

// TraceID is the record's trace ID in hex, "" when it has none.
func (l LogRecord) TraceID() string { return hex.EncodeToString(l.GetTraceId()) }

// SpanID is the record's span ID in hex, "" when it has none.
func (l LogRecord) SpanID() string { return hex.EncodeToString(l.GetSpanId()) }

// String describes the record on one line, for failure messages.
func (l LogRecord) String() string {
	return fmt.Sprintf("%s %q trace %s span %s scope %s %v resource %v",
		l.GetSeverityText(), l.Body(), l.TraceID(), l.SpanID(), l.Scope, l.Attrs(), l.Resource)
}

// DumpLogs describes records, one a line, for failure messages.
func DumpLogs(logs []LogRecord) string {
	var b strings.Builder
	for _, l := range logs {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	return b.String()
}

// handleLogs is the OTLP/HTTP endpoint /v1/logs.
func (r *Receiver) handleLogs(w http.ResponseWriter, req *http.Request) {
	in := &colllogspb.ExportLogsServiceRequest{}
	if !r.decode(w, req, in) {
		return
	}
	r.addLogs(in)
	r.respond(w, &colllogspb.ExportLogsServiceResponse{})
}

func (r *Receiver) addLogs(in *colllogspb.ExportLogsServiceRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rl := range in.GetResourceLogs() {
		res := Attrs(rl.GetResource().GetAttributes())
		for _, sl := range rl.GetScopeLogs() {
			for _, l := range sl.GetLogRecords() {
				r.logs = append(r.logs, LogRecord{LogRecord: l, Resource: res, Scope: sl.GetScope().GetName()})
			}
		}
	}
}

type grpcLogs struct {
	colllogspb.UnimplementedLogsServiceServer
	r *Receiver
}

func (g grpcLogs) Export(_ context.Context, in *colllogspb.ExportLogsServiceRequest) (*colllogspb.ExportLogsServiceResponse, error) {
	g.r.mu.Lock()
	g.r.requests++
	g.r.mu.Unlock()
	g.r.addLogs(in)
	return &colllogspb.ExportLogsServiceResponse{}, nil
}

// Logs returns the log records received so far.
func (r *Receiver) Logs() []LogRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]LogRecord(nil), r.logs...)
}

// WaitLogs waits until at least n log records have arrived, at most
// WaitTimeout, and returns them; it fails the test when they do not come.
func (r *Receiver) WaitLogs(t testing.TB, n int) []LogRecord {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		logs := r.Logs()
		if len(logs) >= n {
			return logs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d log records arrived in %v, want %d:\n%s", len(logs), WaitTimeout, n, DumpLogs(logs))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

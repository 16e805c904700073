package e2e

import (
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

// The OTLP receiver, the program runners and the span assertions are
// testkit's, which every integration's test uses too; these are the names
// e2e's tests know them by.

type (
	receiver = testkit.Receiver
	span     = testkit.Span
	metric   = testkit.Metric
	started  = testkit.Process
)

// programTimeout bounds one run of a test program.
const programTimeout = testkit.ProgramTimeout

var (
	startReceiver     = testkit.StartReceiver
	startGRPCReceiver = testkit.StartGRPCReceiver
	dumpSpans         = testkit.Dump
	histogramPoints   = testkit.HistogramPoints
	raceSupported     = testkit.RaceSupported

	// otelEnv is the test's environment without any OTEL_ variable, then
	// the exporter settings for r (when not nil), then extra.
	otelEnv = testkit.Env
	// runProgram runs a test program to its end and returns its stdout,
	// its stderr and its exit code.
	runProgram   = testkit.Run
	startProgram = testkit.Start
)

// one returns the only span that matches, and fails the test when there is
// not exactly one.
func one(t *testing.T, spans []span, what string, match func(span) bool) span {
	t.Helper()
	return testkit.One(t, spans, testkit.Where(what, match))
}

// wantAttrs checks some of a span's attributes; a nil value wants the
// attribute absent.
func wantAttrs(t *testing.T, s span, want map[string]any) {
	t.Helper()
	testkit.WantAttrs(t, s, want)
}

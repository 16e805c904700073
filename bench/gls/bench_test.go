//go:build unix

package glsbench

import (
	"context"
	"os"
	"sync"
	"syscall"
	"testing"

	gls "github.com/otelgen/otelgen/gls-runtime"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// TestRuntime checks that the test binary was built as bench/gls.sh meant:
// with the runtime patch when GLSBENCH_PATCHED=1, without when it is 0.
func TestRuntime(t *testing.T) {
	want := os.Getenv("GLSBENCH_PATCHED")
	if want == "" {
		t.Skip("GLSBENCH_PATCHED not set")
	}
	if got := gls.Available(); got != (want == "1") {
		t.Fatalf("gls.Available() = %v, want it %v (GLSBENCH_PATCHED=%s)", got, want == "1", want)
	}
	if !gls.Available() {
		return
	}
	ctx, end := liveSpan()
	defer end()
	tok := gls.Push(ctx)
	defer gls.Restore(tok)
	span := trace.SpanFromContext(ctx)
	got := make(chan trace.Span)
	go func() { got <- gls.Span() }()
	if s := <-got; s != span {
		t.Fatalf("a goroutine started after Push sees span %v, want %v", s, span)
	}
}

// liveSpan returns a context holding a recording SDK span (no exporter), and
// the function that ends it.
func liveSpan() (context.Context, func()) {
	tp := sdktrace.NewTracerProvider()
	ctx, span := tp.Tracer("glsbench").Start(context.Background(), "parent")
	return ctx, func() {
		span.End()
		_ = tp.Shutdown(context.Background())
	}
}

// cpuNanos returns the CPU time (user + system) the process has used.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU reports the CPU time used since t0 per op, as cpu-ns/op: every
// benchmark reports it besides ns/op (wall clock), because a busy machine
// disturbs it less.
func reportCPU(b *testing.B, t0 int64) {
	b.ReportMetric(float64(cpuNanos()-t0)/float64(b.N), "cpu-ns/op")
}

// ---------------------------------------------------------------- spawn

// BenchmarkSpawn starts one goroutine and waits for it: the go statement
// runs newproc1, which the patch makes copy the GLS pointer, and the
// goroutine's exit runs gdestroy, which the patch makes clear it.
func BenchmarkSpawn(b *testing.B) {
	done := make(chan struct{})
	t0 := cpuNanos()
	for b.Loop() {
		go func() { done <- struct{}{} }()
		<-done
	}
	reportCPU(b, t0)
}

// BenchmarkSpawn100 starts 100 goroutines and waits for all of them.
func BenchmarkSpawn100(b *testing.B) {
	var wg sync.WaitGroup
	t0 := cpuNanos()
	for b.Loop() {
		wg.Add(100)
		for range 100 {
			go wg.Done()
		}
		wg.Wait()
	}
	reportCPU(b, t0)
}

// ---------------------------------------------------------------- API

var (
	sinkTok  gls.Token
	sinkSpan trace.Span
)

// skipUnpatched skips a benchmark of the patched path in a build without
// the patch: there gls only checks a nil function variable.
func skipUnpatched(b *testing.B) {
	if !gls.Available() {
		b.Skip("runtime not patched")
	}
}

// BenchmarkSave is gls.Save: one get.
func BenchmarkSave(b *testing.B) {
	skipUnpatched(b)
	t0 := cpuNanos()
	for b.Loop() {
		sinkTok = gls.Save()
	}
	reportCPU(b, t0)
}

// BenchmarkSaveRestore is gls.Save then gls.Restore: one get, one set.
func BenchmarkSaveRestore(b *testing.B) {
	skipUnpatched(b)
	t0 := cpuNanos()
	for b.Loop() {
		gls.Restore(gls.Save())
	}
	reportCPU(b, t0)
}

// BenchmarkPushRestore is gls.Push of a context holding a live span, then
// gls.Restore: what an instrumented call does around a span it starts. Push
// reads the span and the baggage from the context (two ctx.Value) and
// allocates one list node.
func BenchmarkPushRestore(b *testing.B) {
	skipUnpatched(b)
	ctx, end := liveSpan()
	defer end()
	b.ReportAllocs()
	t0 := cpuNanos()
	for b.Loop() {
		gls.Restore(gls.Push(ctx))
	}
	reportCPU(b, t0)
}

// BenchmarkSpan is gls.Span with a live span pushed: one get and the
// liveness check (IsRecording) of the innermost span.
func BenchmarkSpan(b *testing.B) {
	skipUnpatched(b)
	ctx, end := liveSpan()
	defer end()
	defer gls.Restore(gls.Push(ctx))
	if gls.Span() == nil {
		b.Fatal("gls.Span() is nil after Push")
	}
	t0 := cpuNanos()
	for b.Loop() {
		sinkSpan = gls.Span()
	}
	reportCPU(b, t0)
}

// ------------------------------------------------ parent lookup: GLS vs ctx

// ctxDepth5 returns ctx wrapped in five context.WithValue layers, as a
// request's context is by the middleware between the span and the call.
func ctxDepth5(ctx context.Context) context.Context {
	type key int
	for i := range 5 {
		ctx = context.WithValue(ctx, key(i), i)
	}
	return ctx
}

// BenchmarkParentGLS finds the parent of a new span through GLS: gls.Span
// with a live span pushed (the same as BenchmarkSpan).
func BenchmarkParentGLS(b *testing.B) {
	skipUnpatched(b)
	ctx, end := liveSpan()
	defer end()
	defer gls.Restore(gls.Push(ctx))
	t0 := cpuNanos()
	for b.Loop() {
		sinkSpan = gls.Span()
	}
	reportCPU(b, t0)
}

// BenchmarkParentCtx5 finds it through the context:
// trace.SpanFromContext on a context five WithValue layers above the one
// holding the span.
func BenchmarkParentCtx5(b *testing.B) {
	ctx, end := liveSpan()
	defer end()
	ctx = ctxDepth5(ctx)
	if !trace.SpanFromContext(ctx).IsRecording() {
		b.Fatal("no live span in the context")
	}
	t0 := cpuNanos()
	for b.Loop() {
		sinkSpan = trace.SpanFromContext(ctx)
	}
	reportCPU(b, t0)
}

// BenchmarkParentCtx5Live is BenchmarkParentCtx5 plus the liveness check that
// gls.Span makes (IsRecording), for a comparison of equal work.
func BenchmarkParentCtx5Live(b *testing.B) {
	ctx, end := liveSpan()
	defer end()
	ctx = ctxDepth5(ctx)
	t0 := cpuNanos()
	for b.Loop() {
		if s := trace.SpanFromContext(ctx); s.IsRecording() {
			sinkSpan = s
		}
	}
	reportCPU(b, t0)
}

//go:build unix

package gls

import (
	"syscall"
	"testing"
	"unsafe"
)

// The raw accessors that the runtime patch adds, reached through the
// linknamed variables get and set. bench/gls.sh runs these in the test binary
// built with otelgen's overlay; the gls API is benchmarked in bench/gls.
// Besides ns/op (wall clock) they report cpu-ns/op, the process's CPU time
// per op, which a busy machine disturbs less.

var sinkPtr unsafe.Pointer

// BenchmarkRawGet reads the goroutine's GLS pointer.
func BenchmarkRawGet(b *testing.B) {
	if get == nil {
		b.Skip("runtime not patched")
	}
	t0 := cpuNanos()
	for b.Loop() {
		sinkPtr = get()
	}
	reportCPU(b, t0)
}

// BenchmarkRawSet writes it (a heap pointer, as Push does).
func BenchmarkRawSet(b *testing.B) {
	if set == nil {
		b.Skip("runtime not patched")
	}
	defer set(get())
	p := unsafe.Pointer(new(node))
	t0 := cpuNanos()
	for b.Loop() {
		set(p)
	}
	reportCPU(b, t0)
}

// cpuNanos returns the CPU time (user + system) the process has used.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU reports the CPU time used since t0 per op, as cpu-ns/op.
func reportCPU(b *testing.B, t0 int64) {
	b.ReportMetric(float64(cpuNanos()-t0)/float64(b.N), "cpu-ns/op")
}

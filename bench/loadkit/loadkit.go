// Package loadkit is the measured loop that the client load programs of
// bench/ share (mongoload, natsload, redisload, k8sload, esload, s3load,
// sqlload, pgxload): -warmup operations, then -n measured, and one line
// that clientloop.sh and dbselect.sh read. It imports no OpenTelemetry, so
// that a plain build stays plain; handsdk sets the SDK up for the
// hand-instrumented peers.
package loadkit

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"
)

var (
	n    = flag.Int("n", 20000, "measured operations")
	warm = flag.Int("warmup", 2000, "operations before measuring")
	prof = flag.String("cpuprofile", "", "write a CPU profile of the measured operations to this file")
)

// Measure runs op -warmup times, then -n times, and prints "ns/op N
// cpu_ns/op M": the wall time per operation, and the CPU time (user +
// system, every thread of the process: the exporter's too) per operation,
// which a loaded machine disturbs less. With -cpuprofile it writes a CPU
// profile of the measured operations. It parses the flags unless the
// program has (a program with flags of its own defines them and parses
// first).
func Measure(op func()) {
	if !flag.Parsed() {
		flag.Parse()
	}
	for i := 0; i < *warm; i++ {
		op()
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		Check("cpuprofile", err)
		Check("cpuprofile", pprof.StartCPUProfile(f))
		defer f.Close()
	}
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < *n; i++ {
		op()
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	pprof.StopCPUProfile()
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Check exits, saying what failed, when err is not nil.
func Check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, what+":", err)
		os.Exit(1)
	}
}

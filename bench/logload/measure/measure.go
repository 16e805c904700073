// Package measure times a function called in a loop and prints one line:
//
//	name ns/op cpu-ns/op allocs/op B/op
//
// ns/op is wall time, cpu-ns/op the process's user + system CPU time
// (getrusage, so it includes the goroutines that export in the background)
// over the same loop, allocs/op and B/op from runtime.MemStats. The loop
// runs for BENCHTIME (a Go duration, 1s by default), after a warm-up of a
// tenth of that. With CPUPROFILE=path, the timed loop of each call is
// profiled into path.<name>.
package measure

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"
)

// Run times f and prints its line to stdout.
func Run(name string, f func()) {
	d := time.Second
	if v, err := time.ParseDuration(os.Getenv("BENCHTIME")); err == nil && v > 0 {
		d = v
	}
	loop(f, d/10) // warm-up: pools, caches, the first batches exported
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	if p := os.Getenv("CPUPROFILE"); p != "" {
		if out, err := os.Create(p + "." + name); err == nil {
			pprof.StartCPUProfile(out)
			defer out.Close()
			defer pprof.StopCPUProfile()
		}
	}
	c0 := cpu()
	t0 := time.Now()
	n := loop(f, d)
	wall := time.Since(t0)
	c1 := cpu()
	runtime.ReadMemStats(&m1)
	fmt.Printf("%s %.1f %.1f %.2f %.1f\n", name,
		float64(wall.Nanoseconds())/float64(n),
		float64((c1-c0).Nanoseconds())/float64(n),
		float64(m1.Mallocs-m0.Mallocs)/float64(n),
		float64(m1.TotalAlloc-m0.TotalAlloc)/float64(n))
}

// loop calls f in batches of 1000 until d has passed, and returns how many
// times it called it.
func loop(f func(), d time.Duration) int {
	n := 0
	for start := time.Now(); time.Since(start) < d; {
		for range 1000 {
			f()
		}
		n += 1000
	}
	return n
}

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

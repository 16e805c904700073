// Package glsbench holds the benchmarks of otelgen's goroutine-local storage
// (GLS), in bench_test.go. bench/gls.sh builds its test twice, with and
// without the overlay that patches the runtime, and compares the two.
package glsbench

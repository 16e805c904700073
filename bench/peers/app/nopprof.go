//go:build !pprof

package app

func startPprof() {}

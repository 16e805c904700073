package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"
)

// exitInterrupted is the exit status after an interrupt: 128 plus the
// signal's number, as a shell reports a process it killed (130 for SIGINT).
func exitInterrupted(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

// interruptible returns a context that SIGINT or SIGTERM cancels, and a
// function that returns the signal received, or nil. After the first
// signal the default handling is back, so a second one kills at once.
func interruptible() (ctx context.Context, got func() os.Signal, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var mu sync.Mutex
	var sig os.Signal
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			mu.Lock()
			sig = s
			mu.Unlock()
			cancel()
		case <-done:
		}
	}()
	got = func() os.Signal {
		mu.Lock()
		defer mu.Unlock()
		return sig
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel()
		})
	}
	return ctx, got, stop
}

// progressDelay is how long a run goes before progress lines appear on
// stderr: quick runs print none. OTELGEN_PROGRESS_AFTER (a duration, or
// "off") sets it; the script tests turn progress off, so that a slow machine
// does not change what a script sees.
func progressDelay() (time.Duration, bool) {
	v := os.Getenv("OTELGEN_PROGRESS_AFTER")
	if v == "off" {
		return 0, false
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return d, true
	}
	return 2 * time.Second, true
}

// progress prints the stage a run is in, as "otelgen: loading packages
// (go list)...", once the run has taken longer than a delay: the stage in
// progress when the delay ends, and every stage after it.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	stage string // the stage in progress
	shown bool   // stage has been printed
	late  bool   // the delay has passed
	done  bool
	timer *time.Timer
}

// newProgress starts the clock. A nil *progress prints nothing.
func newProgress(w io.Writer) *progress {
	d, ok := progressDelay()
	if !ok {
		return nil
	}
	p := &progress{w: w}
	p.timer = time.AfterFunc(d, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.late = true
		p.show()
	})
	return p
}

// set begins a stage.
func (p *progress) set(stage string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if stage == p.stage {
		return
	}
	p.stage, p.shown = stage, false
	p.show()
}

func (p *progress) show() {
	if p.late && !p.done && !p.shown && p.stage != "" {
		fmt.Fprintf(p.w, "otelgen: %s...\n", strings.TrimSuffix(p.stage, "..."))
		p.shown = true
	}
}

// stop ends the run: nothing more is printed.
func (p *progress) stop() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = true
	p.timer.Stop()
}

// fn is the progress function for rewriter.Options, or nil.
func (p *progress) fn() func(string) {
	if p == nil {
		return nil
	}
	return p.set
}

package sdk

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/otelgen/otelgen/hook"
)

// The SDK flushes on SIGINT and SIGTERM without changing how the program
// reacts to them. It listens for them itself; when one arrives and the
// program has not asked for it (through signal.Notify, which otelgen
// watches), the SDK shuts down and re-raises the signal with its default
// action, so the process ends as it would have. When the program has asked
// for it, the program decides: the SDK only flushes, and shuts down when main
// returns or os.Exit is called.

var (
	mu sync.Mutex
	// wanted counts, per signal, the program's channels registered for it;
	// all counts the program's channels registered for every signal.
	wanted = map[os.Signal]map[chan<- os.Signal]bool{}
	all    = map[chan<- os.Signal]bool{}
	ours   chan os.Signal
)

var terminating = []os.Signal{os.Interrupt, syscall.SIGTERM}

func watchSignals() {
	// A signal ignored from the start (nohup, a shell's background job)
	// must stay ignored: Notify would make the process receive it.
	var sigs []os.Signal
	for _, sig := range terminating {
		if !signal.Ignored(sig) {
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return
	}
	ours = make(chan os.Signal, 1)
	signal.Notify(ours, sigs...)
	go func() {
		for sig := range ours {
			if programWants(sig) {
				Flush()
				continue
			}
			Shutdown()
			// Stop listening to every signal, not only this one: this
			// goroutine ends, and a signal sent to a channel nobody
			// reads would be lost rather than end the process.
			signal.Stop(ours)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Signal(sig)
			}
			return
		}
	}()
}

func programWants(sig os.Signal) bool {
	mu.Lock()
	defer mu.Unlock()
	return len(all) > 0 || len(wanted[sig]) > 0
}

// NotifyBefore records the program's own signal.Notify calls.
func NotifyBefore(c *hook.Call, ch *chan<- os.Signal, sigs *[]os.Signal) {
	if *ch == nil || (ours != nil && *ch == (chan<- os.Signal)(ours)) {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if len(*sigs) == 0 {
		all[*ch] = true
		return
	}
	for _, s := range *sigs {
		if wanted[s] == nil {
			wanted[s] = map[chan<- os.Signal]bool{}
		}
		wanted[s][*ch] = true
	}
}

// StopBefore records the program's signal.Stop calls.
func StopBefore(c *hook.Call, ch *chan<- os.Signal) {
	mu.Lock()
	defer mu.Unlock()
	delete(all, *ch)
	for _, m := range wanted {
		delete(m, *ch)
	}
}

// Command golden calls the instrumented functions on fresh goroutines (small
// stacks), then grows its own stack, collects garbage and reads what the
// hooks kept.
package main

import (
	"fmt"
	"runtime"

	"example.com/golden/deep"
	"example.com/golden/hooks"
)

func main() {
	for _, tag := range []string{"first", "second"} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			n, t := deep.Walk(2000, tag)
			fmt.Println("Walk:", n, t)
		}()
		<-done
	}
	fmt.Println("Sum:", deep.Sum(2, 3))

	// Other goroutines grow their stacks, and may reuse what Walk's freed.
	for i := 0; i < 8; i++ {
		done := make(chan struct{})
		go func() { defer close(done); deep.Grow(500) }()
		<-done
	}
	deep.Grow(3000)
	runtime.GC()
	runtime.GC()

	// Cleared records: the calls ended.
	fmt.Printf("kept after the calls: fn %q, tag %q, result %d\n",
		hooks.KeptCall.Function(), *hooks.KeptTag, *hooks.KeptResult)
}

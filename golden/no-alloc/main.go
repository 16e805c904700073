// Command golden calls the instrumented functions, and counts the heap
// allocations of a call with its hooks bound: there must be none.
package main

import (
	"fmt"
	"testing"

	"example.com/golden/calc"
)

var xs = []int{1, 2, 3}

func main() {
	fmt.Println(calc.Scale(xs, 10))
	fmt.Println(calc.Join("ab", "cd", "-"))
	fmt.Println(calc.Join("", "cd", "-"))
	fmt.Println(calc.Clamp(12, 0, 10))

	var sink int
	fmt.Println("allocs per Scale:", testing.AllocsPerRun(100, func() { sink += calc.Scale(xs, 3) }))
	fmt.Println("allocs per Join:", testing.AllocsPerRun(100, func() {
		s, _ := calc.Join("ab", "", "-")
		sink += len(s)
	}))
	fmt.Println("allocs per Clamp:", testing.AllocsPerRun(100, func() { sink += calc.Clamp(sink, 0, 10) }))
	fmt.Println("allocs per Tick:", testing.AllocsPerRun(100, calc.Tick))
}

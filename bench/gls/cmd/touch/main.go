// Command touch calls target.Touch, so that the module has a main package
// whose program the rule with needs: gls applies to.
package main

import "example.com/glsbench/target"

func main() { target.Touch() }

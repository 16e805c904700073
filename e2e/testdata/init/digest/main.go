// Command digest prints the SHA3-256 digest of each argument, and the
// argument HTML-escaped; given two, it says whether their digests are the
// same. Its go.mod requires golang.org/x/crypto, golang.org/x/net and
// github.com/google/go-cmp at versions older than those in otelgen's
// dependency graph, and otelgen's tool imports no package of them.
package main

import (
	"fmt"
	"os"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/sha3"
	"golang.org/x/net/html"
)

func main() {
	var sums [][32]byte
	for _, a := range os.Args[1:] {
		sums = append(sums, digest(a))
		fmt.Printf("%x  %s\n", sums[len(sums)-1], html.EscapeString(a))
	}
	if len(sums) == 2 {
		fmt.Println("same:", cmp.Equal(sums[0], sums[1]))
	}
}

func digest(s string) [32]byte {
	return sha3.Sum256([]byte(s))
}

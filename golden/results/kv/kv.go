// Package kv is the code that otelgen instruments.
package kv

import "strings"

// Split cuts "key=value" in two. Its results are unnamed.
func Split(s string) (string, string) {
	k, v, _ := strings.Cut(s, Separator())
	return k, v
}

// Separator has a single unnamed result, without parentheses.
func Separator() string {
	return "="
}

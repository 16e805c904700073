// Package text is the code that otelgen instruments.
package text

import "strings"

// Upper upper-cases s.
func Upper(s string) string {
	return strings.ToUpper(s)
}

// Lower lower-cases s.
func Lower(s string) string {
	return strings.ToLower(s)
}

// Title upper-cases the first letter of s. No rule targets it, nor anything
// below it: the trampolines appended to the file make a hunk of their own.
func Title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

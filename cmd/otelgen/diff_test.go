package main

import "testing"

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"origin/main": "origin/main", "HEAD~1": "HEAD~1", "a b": "'a b'", "it's": `'it'\''s'`} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

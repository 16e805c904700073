// Package store is the code that otelgen instruments.
package store

// Store ignores what it is given.
type Store struct{ Name string }

// Get has an unnamed receiver and unnamed parameters.
func (Store) Get(string, int) bool {
	return false
}

// Put has a blank receiver and a blank parameter.
func (_ *Store) Put(_ string, value int) int {
	return value
}

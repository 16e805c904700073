//go:build !unix

package readfile

import "os"

// ReadFile returns the content of file name, as os.ReadFile does.
func ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

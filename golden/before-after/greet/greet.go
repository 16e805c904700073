// Package greet is the code that otelgen instruments.
package greet

// Hello returns a greeting for name.
func Hello(name string) string {
	return "hello, " + name
}

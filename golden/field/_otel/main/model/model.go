// Package model is the code that otelgen instruments.
package model

// Request is a struct written over several lines.
type Request struct {
	Method string
	Path   string // a comment on the last field stays there
otelgen_span any; }

// Point is a struct written on one line.
type Point struct{ X, Y int ; otelgen_tag string; }

// Package app is the code that otelgen adds files to.
package app

// Banner is shown at start.
var Banner = "golden app"

// Info describes the app.
type Info struct{}

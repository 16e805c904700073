// Command golden calls the instrumented code. It does not import the hooks:
// otelgen adds a file to this package that binds them.
package main

import "example.com/golden/work"

func main() {
	work.Run("job-1")
}

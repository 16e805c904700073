// Command golden shows what the added files changed. Without _otel/, it
// prints the banner alone.
package main

import (
	"fmt"

	"example.com/golden/app"
)

func main() {
	fmt.Println(app.Banner)
	var info any = app.Info{}
	if v, ok := info.(interface{ Version() string }); ok {
		fmt.Println("version", v.Version())
	}
}

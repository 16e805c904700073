// Package all imports every built-in hook package. The otelgen command
// imports it, so that a module that adds otelgen as a tool
// (go get -tool github.com/otelgen/otelgen/cmd/otelgen) also requires, and
// vendors, everything the injected code imports. Importing a hook package
// starts nothing.
package all

import (
	_ "github.com/otelgen/otelgen/rules/nethttp"
	_ "github.com/otelgen/otelgen/rules/otelsdk"
	_ "github.com/otelgen/otelgen/rules/sdk"
)

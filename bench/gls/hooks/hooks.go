// Package hooks holds the hook of the rule in ../otelgen.yaml.
package hooks

import "github.com/otelgen/otelgen/hook"

// TouchBefore is the before hook of target.Touch. It does nothing.
func TouchBefore(c *hook.Call) {}

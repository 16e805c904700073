// Package hooks holds the hook functions that otelgen.yaml binds.
package hooks

import (
	"fmt"

	"github.com/otelgen/otelgen/hook"
)

// TraceBefore is the outer rule's before hook. It changes the argument.
func TraceBefore(c *hook.Call, job *string) {
	fmt.Println("trace before", *job)
	*job += "+traced"
	c.Data = "trace data"
}

// TraceAfter is the outer rule's after hook. Run has no results.
func TraceAfter(c *hook.Call) {
	fmt.Println("trace after:", c.Data)
}

// AuditBefore is the inner rule's before hook: it sees the argument as
// TraceBefore left it.
func AuditBefore(c *hook.Call, job *string) {
	fmt.Println("audit before", *job)
	c.Data = "audit data"
}

// AuditAfter is the inner rule's after hook.
func AuditAfter(c *hook.Call) {
	fmt.Println("audit after:", c.Data)
}

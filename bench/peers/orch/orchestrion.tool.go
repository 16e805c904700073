//go:build tools

// The integrations orchestrion weaves in, listed by hand: `orchestrion pin`
// would list every integration of dd-trace-go (orchestrion/all/v2), and it
// is refused here. The tracer (started at the top of main) and net/http's
// server and client, nothing else, as otelgen's net/http rules do.
package tools

import (
	_ "github.com/DataDog/dd-trace-go/contrib/net/http/v2" // integration
	_ "github.com/DataDog/dd-trace-go/v2/ddtrace/tracer"   // integration
	_ "github.com/DataDog/orchestrion"                     // integration
)

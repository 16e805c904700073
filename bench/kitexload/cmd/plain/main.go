// Command plain is the Kitex benchmark's program as its authors wrote it:
// no OpenTelemetry. Built with go build it is the baseline; built with
// otelgen's overlay, the otelgen configuration.
package main

import "example.com/kitexload/load"

func main() { load.Run(nil, nil) }

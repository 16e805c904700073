// Command get runs a client-go Get of a configmap in a loop against the
// API server at $K8S_HOST, with no instrumentation of its own:
// bench/clientgo.sh builds it plain and with otelgen.
package main

import "example.com/k8sload/loop"

func main() { loop.Run(nil) }

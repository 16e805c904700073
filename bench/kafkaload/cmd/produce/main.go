// Command produce produces records with ProduceSync and consumes them on a
// second client, with no instrumentation of its own: bench/kafka.sh builds
// it plain and with otelgen.
package main

import "example.com/kafkaload/loop"

func main() { loop.Run(nil) }

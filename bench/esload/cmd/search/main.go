// Command search runs a search in a loop against the Elasticsearch API at
// $ES_URL, with no instrumentation of its own: bench/elasticsearch.sh
// builds it plain and with otelgen.
package main

import "example.com/esload/loop"

func main() { loop.Run(nil) }

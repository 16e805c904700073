// Command find runs FindOne in a loop against $MONGO_URI, with no
// instrumentation of its own: bench/mongo.sh builds it plain and with
// otelgen.
package main

import "example.com/mongoload/loop"

func main() { loop.Run() }

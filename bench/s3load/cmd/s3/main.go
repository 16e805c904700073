// Command s3 runs S3 PutObject and GetObject in a loop against the
// endpoint $S3_ENDPOINT, with no instrumentation of its own:
// bench/awssdk.sh builds it plain and with otelgen.
package main

import "example.com/s3load/loop"

func main() { loop.Run() }

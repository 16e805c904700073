// Command get runs GETs in a loop against $REDIS_ADDR, with no
// instrumentation of its own: bench/redis.sh builds it plain and with
// otelgen.
package main

import "example.com/redisload/loop"

func main() { loop.Run(nil) }

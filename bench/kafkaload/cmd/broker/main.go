// Command broker runs franz-go's kfake, a Kafka wire-protocol cluster
// written in Go, as one broker on a loopback port with the topic "bench"
// of one partition, for bench/kafka.sh. It runs in a process of its own
// so that the broker's CPU time is not counted as the load program's. It
// prints "kfake: listening on ADDR" and serves until it is killed.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

func main() {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, "bench"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "kfake:", err)
		os.Exit(1)
	}
	fmt.Println("kfake: listening on", c.ListenAddrs()[0])
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	c.Close()
}

// Command kafka constructs a segmentio/kafka-go Writer for a broker that
// does not exist, writes nothing, closes it and prints ok.
package main

import (
	"fmt"
	"os"

	"github.com/segmentio/kafka-go"
)

func main() {
	w := &kafka.Writer{
		Addr:     kafka.TCP("127.0.0.1:1"),
		Topic:    "corpus",
		Balancer: &kafka.LeastBytes{},
	}
	if err := w.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("ok")
}

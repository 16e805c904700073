package main

import (
	"flag"
	"fmt"
	"runtime"
)

func init() {
	commands = append(commands, &command{
		name:    "version",
		summary: "print otelgen's version",
		help:    "Version prints otelgen's version and the Go it was built with.",
		run: func(c *cli, fs *flag.FlagSet, args []string) int {
			fmt.Fprintf(c.stdout, "otelgen %s (%s)\n", version(), runtime.Version())
			return exitOK
		},
	})
}

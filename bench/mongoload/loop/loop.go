// Package loop is the measured loop of bench/mongo.sh: a FindOne of one
// document by _id through the MongoDB Go driver v1, again and again, on
// one client.
package loop

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Run parses the flags, connects to $MONGO_URI with opts applied after the
// URI (the caller's monitor, for one), stores one document, runs -warmup
// then -n FindOne calls of it with context.Background() (each command a
// root span for a tracer), and prints "ns/op N cpu_ns/op M": the wall time
// per call, and the CPU time (user + system, every thread of the process:
// the exporter's too) per call, which a loaded machine disturbs less.
// With -cpuprofile it writes a CPU profile of the measured calls.
func Run(opts ...*options.ClientOptions) {
	n := flag.Int("n", 20000, "measured FindOne calls")
	warm := flag.Int("warmup", 2000, "calls before measuring")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the measured calls to this file")
	flag.Parse()
	ctx := context.Background()
	all := append([]*options.ClientOptions{options.Client().ApplyURI(os.Getenv("MONGO_URI"))}, opts...)
	client, err := mongo.Connect(ctx, all...)
	check("connect", err)
	defer client.Disconnect(ctx)
	coll := client.Database("bench").Collection("items")
	_, err = coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: 1}}, bson.D{{Key: "v", Value: "value"}}, options.Replace().SetUpsert(true))
	check("replace", err)
	filter := bson.D{{Key: "_id", Value: 1}}
	find := func() {
		var doc struct {
			V string `bson:"v"`
		}
		if err := coll.FindOne(ctx, filter).Decode(&doc); err != nil || doc.V != "value" {
			fmt.Fprintln(os.Stderr, "FindOne:", doc.V, err)
			os.Exit(1)
		}
	}
	for i := 0; i < *warm; i++ {
		find()
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		check("cpuprofile", err)
		check("cpuprofile", pprof.StartCPUProfile(f))
		defer f.Close()
	}
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < *n; i++ {
		find()
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	pprof.StopCPUProfile()
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, what+":", err)
		os.Exit(1)
	}
}

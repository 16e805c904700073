// Package loop is the measured loop of bench/kafka.sh: one client produces
// small records with ProduceSync, one at a time, while a second client
// consumes them (PollFetches, EachRecord), both on the broker at
// $KAFKA_ADDR, topic "bench".
package loop

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Run parses the flags, makes the producing and the consuming client with
// the options extra added (the hand-written instrumentation's hooks),
// produces -warmup records and waits until they are consumed, then does
// the same with -n records, timed, and prints "ns/op N cpu_ns/op M": the
// wall time per record (produced and consumed), and the CPU time (user +
// system, every thread of the process: the exporter's too) per record,
// which a loaded machine disturbs less. It returns, rather than exit, so
// that the SDK flushes what it holds. With -cpuprofile FILE it writes a
// CPU profile of the timed part.
func Run(extra []kgo.Opt) {
	n := flag.Int("n", 10000, "measured records")
	warm := flag.Int("warmup", 1000, "records before measuring")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the measured part to this file")
	size := flag.Int("size", 100, "bytes of each record's value")
	flag.Parse()
	addr := os.Getenv("KAFKA_ADDR")
	ctx := context.Background()

	prod, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(addr), kgo.ClientID("kafkaload-producer"), kgo.DefaultProduceTopic("bench"),
	}, extra...)...)
	check("producer", err)
	defer prod.Close()
	cons, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(addr), kgo.ClientID("kafkaload-consumer"), kgo.ConsumeTopics("bench"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
	}, extra...)...)
	check("consumer", err)
	defer cons.Close()

	// The consumer runs on a goroutine of its own, as in a service, and
	// reports how many records it has taken.
	var consumed atomic.Int64
	wake := make(chan struct{}, 1)
	go func() {
		var next int64
		for {
			fs := cons.PollFetches(ctx)
			if fs.IsClientClosed() {
				return
			}
			fs.EachError(func(t string, p int32, err error) { check("fetch "+t+" "+strconv.Itoa(int(p)), err) })
			// The records come in the order they were produced, keyed
			// 0, 1, ...: a topic that was not empty fails here.
			fs.EachRecord(func(r *kgo.Record) {
				if want := strconv.FormatInt(next, 10); string(r.Key) != want || len(r.Value) != *size {
					check("consume", fmt.Errorf("record %q of %d bytes, want %s of %d (is the broker fresh?)", r.Key, len(r.Value), want, *size))
				}
				next++
			})
			consumed.Store(next)
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}()
	value := make([]byte, *size)
	for i := range value {
		value[i] = 'a' + byte(i%26)
	}
	batch := func(from, count int) {
		for i := from; i < from+count; i++ {
			r := &kgo.Record{Key: []byte(strconv.Itoa(i)), Value: value}
			check("produce", prod.ProduceSync(ctx, r).FirstErr())
		}
		deadline := time.After(30 * time.Second)
		for consumed.Load() < int64(from+count) {
			select {
			case <-wake:
			case <-deadline:
				check("consume", fmt.Errorf("%d of %d records after 30 s", consumed.Load(), from+count))
			}
		}
	}
	batch(0, *warm)
	if *prof != "" {
		f, err := os.Create(*prof)
		check("cpuprofile", err)
		check("cpuprofile", pprof.StartCPUProfile(f))
	}
	cpu0 := cpuTime()
	start := time.Now()
	batch(*warm, *n)
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	if *prof != "" {
		pprof.StopCPUProfile()
	}
	fmt.Printf("ns/op %d cpu_ns/op %d\n", wall.Nanoseconds()/int64(*n), cpu.Nanoseconds()/int64(*n))
}

func check(what string, err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "kafkaload:", what+":", err)
		os.Exit(1)
	}
}

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

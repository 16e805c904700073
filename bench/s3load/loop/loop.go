// Package loop is the measured loop of bench/awssdk.sh: S3 PutObject and
// GetObject of one small object through the AWS SDK for Go v2, one after
// the other, again and again, on one client.
package loop

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The bucket and key the loop writes and reads; the script starts a
// server of its own, so no other program shares them.
const (
	bucket = "bench"
	key    = "items/one.txt"
)

// Run parses the flags, makes an S3 client of the endpoint $S3_ENDPOINT
// (path-style, static credentials) from s3.Options with opts applied (the
// caller's middleware, for one), makes the bucket, then runs -warmup then
// -n calls with context.Background() (each call a root span for a
// tracer): PutObject of a 100-byte object at even i, GetObject of it,
// reading the whole body, at odd i. It prints "ns/op N cpu_ns/op M": the
// wall time per call, and the CPU time (user + system, every thread of the
// process: the exporter's too) per call, which a loaded machine disturbs
// less. With -cpuprofile it writes a CPU profile of the measured calls.
func Run(opts ...func(*s3.Options)) {
	n := flag.Int("n", 20000, "measured calls (half PutObject, half GetObject)")
	warm := flag.Int("warmup", 2000, "calls before measuring")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the measured calls to this file")
	flag.Parse()
	client := s3.New(s3.Options{
		Region:       "eu-west-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDBENCH", "bench-secret", ""),
		BaseEndpoint: aws.String(os.Getenv("S3_ENDPOINT")),
		UsePathStyle: true,
	}, opts...)
	ctx := context.Background()
	_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	var owned *types.BucketAlreadyOwnedByYou
	var exists *types.BucketAlreadyExists
	if err != nil && !errors.As(err, &owned) && !errors.As(err, &exists) {
		check("CreateBucket", err)
	}
	body := bytes.Repeat([]byte("v"), 100)
	call := func(i int) {
		if i%2 == 0 {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
				Body: bytes.NewReader(body)})
			check("PutObject", err)
			return
		}
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		check("GetObject", err)
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		check("GetObject body", err)
		if !bytes.Equal(got, body) {
			check("GetObject", fmt.Errorf("got %d bytes, want the %d put", len(got), len(body)))
		}
	}
	for i := 0; i < *warm; i++ {
		call(i)
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		check("cpuprofile", err)
		check("cpuprofile", pprof.StartCPUProfile(f))
		defer f.Close()
	}
	cpu0 := cpuTime()
	start := time.Now()
	// From an even i, so that a run with -warmup 0 -n 1 puts before it
	// gets.
	for i := 0; i < *n; i++ {
		call(i)
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

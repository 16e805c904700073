// Package loop is the measured loop of bench/awssdk.sh: S3 PutObject and
// GetObject of one small object through the AWS SDK for Go v2, one after
// the other, again and again, on one client.
package loop

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"example.com/loadkit"
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
		loadkit.Check("CreateBucket", err)
	}
	body := bytes.Repeat([]byte("v"), 100)
	call := func(i int) {
		if i%2 == 0 {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
				Body: bytes.NewReader(body)})
			loadkit.Check("PutObject", err)
			return
		}
		out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		loadkit.Check("GetObject", err)
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		loadkit.Check("GetObject body", err)
		if !bytes.Equal(got, body) {
			loadkit.Check("GetObject", fmt.Errorf("got %d bytes, want the %d put", len(got), len(body)))
		}
	}
	// One count over the warm-up and the measured calls, from 0: a run
	// with -warmup 0 -n 1 puts before it gets.
	i := 0
	loadkit.Measure(func() { call(i); i++ })
}

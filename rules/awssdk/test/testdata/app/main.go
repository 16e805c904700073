// The test program of rules/awssdk: S3 calls of the AWS SDK for Go v2 against
// the server whose endpoint the test passes in S3_ENDPOINT, none of it
// knowing OpenTelemetry. It uses no other service: its build must not get
// SQS or DynamoDB through otelgen.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// secret is in the object's body, the message bodies and the secret access
// key: no span may carry it.
const secret = "s3cr3t-planted-value"

var creds = credentials.NewStaticCredentialsProvider("AKIDTEST", secret, "")

func main() {
	var err error
	switch os.Args[1] {
	case "s3":
		err = runS3()
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("done")
	// Wait for the test to close stdin, so that the SDK flushes at exit.
	io.Copy(io.Discard, bufio.NewReader(os.Stdin))
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return fmt.Sprintf("%T", err)
}

func runS3() error {
	endpoint := os.Getenv("S3_ENDPOINT")
	ctx := context.Background()

	// A client made from the default configuration...
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("eu-west-1"), config.WithCredentialsProvider(creds))
	if err != nil {
		return err
	}
	fromDefault := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	// ... one from an aws.Config built by hand ...
	byHand := s3.NewFromConfig(aws.Config{Region: "us-east-2", Credentials: creds}, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
	// ... and one from Options alone.
	fromOptions := s3.New(s3.Options{
		Region: "us-west-1", Credentials: creds, BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
	})

	if _, err := byHand.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("photos")}); err != nil {
		return err
	}

	// A server whose handler uses the client with the request's context,
	// and once with no context of its own.
	mux := http.NewServeMux()
	mux.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		_, err := fromDefault.PutObject(r.Context(), &s3.PutObjectInput{
			Bucket: aws.String("photos"), Key: aws.String("cats/tom.txt"),
			Body: strings.NewReader("body " + secret),
		})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		out, err := fromDefault.GetObject(r.Context(), &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("cats/tom.txt")})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		body, _ := io.ReadAll(out.Body)
		out.Body.Close()
		fmt.Println("got", len(body), "bytes")
		if _, err := fromDefault.HeadBucket(context.TODO(), &s3.HeadBucketInput{Bucket: aws.String("photos")}); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(l, mux)
	resp, err := http.Get("http://" + l.Addr().String() + "/upload")
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Println("upload", resp.StatusCode)

	_, err = fromOptions.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("x")})
	fmt.Println("missing bucket:", apiCode(err))

	list, err := byHand.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("photos")})
	if err != nil {
		return err
	}
	fmt.Println("listed", len(list.Contents))

	// A presigned URL is signed, not sent: no span.
	presigned, err := s3.NewPresignClient(byHand).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("photos"), Key: aws.String("cats/tom.txt")})
	if err != nil {
		return err
	}
	fmt.Println("presigned", presigned.Method)
	return nil
}

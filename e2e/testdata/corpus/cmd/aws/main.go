// Command aws loads an AWS SDK v2 configuration with static credentials,
// builds an S3 client, makes no request, and prints ok.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")),
		// Not the machine's ~/.aws: the program must not depend on it.
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	client := s3.NewFromConfig(cfg)
	if client.Options().Region != "us-east-1" {
		fmt.Fprintln(os.Stderr, "region:", client.Options().Region)
		os.Exit(1)
	}
	fmt.Println("ok")
}

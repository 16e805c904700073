// The test program of rules/awssdk: SQS calls of the AWS SDK for Go v2
// against the server whose endpoint the test passes in SQS_ENDPOINT, none
// of it knowing OpenTelemetry. It uses the SDK of October 2023 (service/sqs
// v1.26.0, the last release that speaks SQS's query protocol, which GoAws
// serves), the oldest that rules/awssdk supports.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
)

// secret is in the object's body, the message bodies and the secret access
// key: no span may carry it.
const secret = "s3cr3t-planted-value"

var creds = credentials.NewStaticCredentialsProvider("AKIDTEST", secret, "")

func main() {
	var err error
	switch os.Args[1] {
	case "sqs":
		err = runSQS()
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

func runSQS() error {
	endpoint := os.Getenv("SQS_ENDPOINT")
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("eu-west-1"), config.WithCredentialsProvider(creds))
	if err != nil {
		return err
	}
	client := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(endpoint) })

	q, err := client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("orders")})
	if err != nil {
		return err
	}
	attr := func(v string) sqstypes.MessageAttributeValue {
		return sqstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(v)}
	}
	// One attribute of the program's own: the trace context fits beside it.
	mine := map[string]sqstypes.MessageAttributeValue{"user": attr("ada")}
	sent, err := client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: q.QueueUrl, MessageBody: aws.String("one " + secret), MessageAttributes: mine,
	})
	if err != nil {
		return err
	}
	fmt.Println("sent", *sent.MessageId, "program's attributes", len(mine))

	// A batch of two: the second message has all ten attributes SQS allows,
	// and goes without trace context.
	full := map[string]sqstypes.MessageAttributeValue{}
	for i := range 10 {
		full[fmt.Sprintf("a%d", i)] = attr("v")
	}
	_, err = client.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: q.QueueUrl, Entries: []sqstypes.SendMessageBatchRequestEntry{
		{Id: aws.String("b1"), MessageBody: aws.String("two")},
		{Id: aws.String("b2"), MessageBody: aws.String("three"), MessageAttributes: full},
	}})
	if err != nil {
		return err
	}

	got, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: []string{"user"},
	})
	if err != nil {
		return err
	}
	for _, m := range got.Messages {
		tp := ""
		if v, ok := m.MessageAttributes["traceparent"]; ok {
			tp = *v.StringValue
		}
		fmt.Printf("received %q traceparent=%s attributes=%d\n", strings.TrimSuffix(*m.Body, " "+secret), tp, len(m.MessageAttributes))
	}

	_, err = client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(strings.Replace(*q.QueueUrl, "orders", "missing", 1)), MessageBody: aws.String("lost"),
	})
	fmt.Println("missing queue:", apiCode(err))
	return nil
}

package test

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/otelgen/otelgen/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

const (
	scope     = "github.com/otelgen/otelgen/rules/awssdk"
	httpScope = "github.com/otelgen/otelgen/rules/nethttp"
	secret    = "s3cr3t-planted-value" // as in testdata/app
)

// run builds the program of module app (with opts), runs it in mode with
// env until it has made its calls and ended, and returns its stdout.
func run(t *testing.T, app string, env []string, mode string, opts ...testkit.Option) string {
	t.Helper()
	bin := testkit.Build(t, app, opts...)
	p := testkit.Start(t, bin, env, mode)
	p.WaitLine(t, "done")
	p.Stdin.Close()
	out, state := p.Wait(t)
	if !state.Success() {
		t.Fatalf("app %s ended with %v\n%s\nstderr:\n%s", mode, state, out, p.Stderr())
	}
	return out
}

func wantOutput(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("the app printed\n%s\nwant it to contain %q", out, w)
		}
	}
}

func byScope(spans []testkit.Span, name string) []testkit.Span {
	var out []testkit.Span
	for _, s := range spans {
		if s.Scope == name {
			out = append(out, s)
		}
	}
	return out
}

// sdkCall returns the only span of the operation with these attributes,
// checks what every span of an AWS call carries, and that the one HTTP
// request it made is its child: the HTTP span is never a root of its own.
func sdkCall(t *testing.T, spans []testkit.Span, service, op string, extra ...testkit.Match) testkit.Span {
	t.Helper()
	ms := append([]testkit.Match{testkit.Name(service + "." + op)}, extra...)
	s := testkit.One(t, spans, ms...)
	if s.Scope != scope {
		t.Errorf("span %q has scope %q", s.GetName(), s.Scope)
	}
	testkit.WantAttrs(t, s, map[string]any{
		"rpc.system":     "aws-api",
		"rpc.service":    service,
		"rpc.method":     op,
		"server.address": "127.0.0.1",
	})
	if _, ok := s.Attr("server.port").(int64); !ok {
		t.Errorf("span %q has no server.port", s.GetName())
	}
	if _, ok := s.Attr("http.response.status_code").(int64); !ok {
		t.Errorf("span %q has no http.response.status_code", s.GetName())
	}
	testkit.One(t, spans, testkit.Kind(testkit.Client), testkit.ChildOf(s),
		testkit.Where("scope "+httpScope, func(h testkit.Span) bool { return h.Scope == httpScope }))
	return s
}

// noSecret checks that no attribute of any span or event holds the secret
// that the program put in the object, the messages and its credentials.
func noSecret(t *testing.T, spans []testkit.Span) {
	t.Helper()
	for _, s := range spans {
		for k, v := range s.Attrs() {
			if strings.Contains(fmt.Sprint(v), secret) {
				t.Errorf("span %q has %s=%v", s.GetName(), k, v)
			}
		}
		for _, ev := range s.GetEvents() {
			for k, v := range testkit.Attrs(ev.GetAttributes()) {
				if strings.Contains(fmt.Sprint(v), secret) {
					t.Errorf("span %q event %q has %s=%v", s.GetName(), ev.GetName(), k, v)
				}
			}
		}
	}
}

// TestS3 checks the spans of S3 calls against GoFakeS3, made by clients
// from config.LoadDefaultConfig, from an aws.Config built by hand and from
// s3.Options alone: names, kinds, attributes, the HTTP span of each call
// under it, the parent of calls made in an instrumented handler (with the
// request's context, and with context.TODO()), the error of a call to a
// bucket that does not exist, and no span for a presigned URL.
func TestS3(t *testing.T) {
	endpoint := startS3(t)
	r := testkit.StartReceiver(t)
	out := run(t, "testdata/app", testkit.Env(r, "S3_ENDPOINT="+endpoint), "s3")
	wantOutput(t, out, "upload 204", "missing bucket: NoSuchBucket", "listed 1", "presigned GET")

	// CreateBucket, PutObject, GetObject, HeadBucket, GetObject,
	// ListObjectsV2; their six HTTP requests; the program's request to its
	// server and the server's span.
	spans := r.WaitSpans(t, 14)
	aws := byScope(spans, scope)
	if len(aws) != 6 {
		t.Fatalf("%d AWS SDK spans, want 6:\n%s", len(aws), testkit.Dump(spans))
	}
	for _, s := range aws {
		if s.GetKind() != testkit.Client {
			t.Errorf("span %q is %s, want CLIENT", s.GetName(), s.GetKind())
		}
	}

	create := sdkCall(t, spans, "S3", "CreateBucket")
	testkit.WantRoot(t, create)
	testkit.WantAttrs(t, create, map[string]any{"aws.s3.bucket": "photos", "cloud.region": "us-east-2", "http.response.status_code": int64(200)})
	testkit.WantStatus(t, create, testkit.Unset)

	// The handler's calls are in the request's trace.
	srv := testkit.One(t, spans, testkit.Kind(testkit.Server), testkit.Name("GET /upload"))
	put := sdkCall(t, spans, "S3", "PutObject")
	testkit.WantChildOf(t, put, srv)
	testkit.WantAttrs(t, put, map[string]any{
		"aws.s3.bucket": "photos", "aws.s3.key": "cats/tom.txt", "cloud.region": "eu-west-1", "http.response.status_code": int64(200),
	})
	if id, _ := put.Attr("aws.request_id").(string); id == "" {
		t.Errorf("PutObject has no aws.request_id: %v", put.Attrs())
	}
	get := sdkCall(t, spans, "S3", "GetObject", testkit.ChildOf(srv))
	testkit.WantAttrs(t, get, map[string]any{"aws.s3.bucket": "photos", "aws.s3.key": "cats/tom.txt"})
	head := sdkCall(t, spans, "S3", "HeadBucket") // made with context.TODO(): the goroutine's span
	testkit.WantChildOf(t, head, srv)

	// NoSuchBucket: an error status, the service's error code as error.type.
	missing := sdkCall(t, spans, "S3", "GetObject", testkit.Attr("aws.s3.bucket", "no-such-bucket"))
	testkit.WantRoot(t, missing)
	testkit.WantStatus(t, missing, testkit.Error)
	testkit.WantAttrs(t, missing, map[string]any{
		"error.type": "NoSuchBucket", "http.response.status_code": int64(404), "cloud.region": "us-west-1",
	})
	testkit.WantException(t, missing, "*s3shared.ResponseError", "NoSuchBucket")

	list := sdkCall(t, spans, "S3", "ListObjectsV2")
	testkit.WantRoot(t, list)
	noSecret(t, spans)
}

// TestSQS checks the spans of SQS calls against GoAws, made with the
// oldest SDK that the rule supports, whose operations' contexts do not
// carry their service's name yet, and the trace context that SendMessage
// and SendMessageBatch put in the messages: the message that
// ReceiveMessage returns carries its sender's span context next to the
// program's own attribute (the program reads it), the receive span links
// to it, a batch entry that has the ten attributes SQS allows is sent as it
// is, and a call to a queue that does not exist fails with the queue's
// error code. GoAws drops the attributes of batch entries: the test reads
// those in the requests it got.
func TestSQS(t *testing.T) {
	endpoint, requests := startSQS(t)
	r := testkit.StartReceiver(t)
	out := run(t, "testdata/sqsapp", testkit.Env(r, "SQS_ENDPOINT="+endpoint), "sqs")
	wantOutput(t, out, "program's attributes 1", "missing queue: AWS.SimpleQueueService.NonExistentQueue")

	spans := r.WaitSpans(t, 10)
	aws := byScope(spans, scope)
	if len(aws) != 5 {
		t.Fatalf("%d AWS SDK spans, want 5:\n%s", len(aws), testkit.Dump(spans))
	}
	queueURL := endpoint + "/100010001000/orders"
	queue := map[string]any{
		"aws.sqs.queue.url":          queueURL,
		"messaging.system":           "aws_sqs",
		"messaging.destination.name": "orders",
		"cloud.region":               "eu-west-1",
	}

	create := sdkCall(t, spans, "SQS", "CreateQueue", testkit.Kind(testkit.Client))
	testkit.WantRoot(t, create)

	send := sdkCall(t, spans, "SQS", "SendMessage", testkit.Kind(testkit.Producer), testkit.Attr("aws.sqs.queue.url", queueURL))
	testkit.WantAttrs(t, send, queue)
	testkit.WantAttrs(t, send, map[string]any{"messaging.operation.type": "send", "messaging.operation.name": "SendMessage"})
	if id, _ := send.Attr("messaging.message.id").(string); id == "" || !strings.Contains(out, "sent "+id) {
		t.Errorf("SendMessage has messaging.message.id %q; the app printed\n%s", id, out)
	}
	batch := sdkCall(t, spans, "SQS", "SendMessageBatch", testkit.Kind(testkit.Producer))
	testkit.WantAttrs(t, batch, queue)
	testkit.WantAttrs(t, batch, map[string]any{"messaging.operation.type": "send", "messaging.batch.message_count": int64(2)})

	recv := sdkCall(t, spans, "SQS", "ReceiveMessage", testkit.Kind(testkit.Consumer))
	testkit.WantAttrs(t, recv, queue)
	testkit.WantAttrs(t, recv, map[string]any{"messaging.operation.type": "receive", "messaging.batch.message_count": int64(3)})
	testkit.WantRoot(t, recv)
	// The creation context of the message that has one: SendMessage's span.
	testkit.WantLinks(t, recv, send)

	// The program received the context in the message's attributes, next
	// to its own attribute, which it asked for by name.
	traceparent := func(s testkit.Span) string { return "00-" + s.TraceID() + "-" + s.ID() + "-01" }
	wantOutput(t, out, fmt.Sprintf("received %q traceparent=%s attributes=2", "one", traceparent(send)))

	// The batch as sent: the first entry with the batch span's context, the
	// second with the program's ten attributes and nothing else.
	forms := requests.actions("SendMessageBatch")
	if len(forms) != 1 {
		t.Fatalf("%d SendMessageBatch requests, want 1", len(forms))
	}
	entry := func(i int) map[string]string {
		attrs := map[string]string{}
		for j := 1; ; j++ {
			p := fmt.Sprintf("SendMessageBatchRequestEntry.%d.MessageAttribute.%d.", i, j)
			name := forms[0].Get(p + "Name")
			if name == "" {
				return attrs
			}
			attrs[name] = forms[0].Get(p+"Value.DataType") + ":" + forms[0].Get(p+"Value.StringValue")
		}
	}
	if got, want := entry(1), map[string]string{"traceparent": "String:" + traceparent(batch)}; !maps.Equal(got, want) {
		t.Errorf("the batch's first entry has attributes %v, want %v", got, want)
	}
	if got := entry(2); len(got) != 10 || got["traceparent"] != "" {
		t.Errorf("the batch's second entry has attributes %v, want the program's ten", got)
	}

	lost := sdkCall(t, spans, "SQS", "SendMessage", testkit.Kind(testkit.Producer), testkit.Attr("messaging.destination.name", "missing"))
	testkit.WantStatus(t, lost, testkit.Error)
	testkit.WantAttrs(t, lost, map[string]any{"error.type": "AWS.SimpleQueueService.NonExistentQueue", "http.response.status_code": int64(400)})
	noSecret(t, spans)
}

// TestRace runs the S3 calls in a program built with -race.
func TestRace(t *testing.T) {
	endpoint := startS3(t)
	r := testkit.StartReceiver(t)
	run(t, "testdata/app", testkit.Env(r, "S3_ENDPOINT="+endpoint), "s3", testkit.Race())
	spans := r.WaitSpans(t, 14)
	if n := len(byScope(spans, scope)); n != 6 {
		t.Errorf("%d AWS SDK spans, want 6:\n%s", n, testkit.Dump(spans))
	}
}

// TestDisabled checks that OTEL_GO_DISABLED_INSTRUMENTATIONS=awssdk leaves
// the SDK uninstrumented: no span of its own, and its HTTP requests traced
// by net/http alone, each a root.
func TestDisabled(t *testing.T) {
	endpoint := startS3(t)
	r := testkit.StartReceiver(t)
	run(t, "testdata/app", testkit.Env(r, "S3_ENDPOINT="+endpoint, "OTEL_GO_DISABLED_INSTRUMENTATIONS=awssdk"), "s3")
	spans := r.WaitSpans(t, 8)
	if n := len(byScope(spans, scope)); n != 0 {
		t.Errorf("%d AWS SDK spans, want none:\n%s", n, testkit.Dump(spans))
	}
	if n := len(byScope(spans, httpScope)); n != 8 {
		t.Errorf("%d net/http spans, want 8:\n%s", n, testkit.Dump(spans))
	}
}

// TestNoServiceModules checks that the hook module requires no service
// module of the SDK: a program that uses S3 alone must not get SQS or
// DynamoDB through otelgen.
func TestNoServiceModules(t *testing.T) {
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^\s*github\.com/aws/aws-sdk-go-v2/\S+`).FindAllString(string(gomod), -1); len(m) > 0 {
		t.Errorf("rules/awssdk requires %v", m)
	}
}

package awssdk

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// The shapes of the service types that the hooks read by reflection, by the
// names of their fields, as the service modules (which this module must
// not require) define them.
type (
	messageAttributeValue struct {
		DataType    *string
		StringValue *string
		BinaryValue []byte
	}
	sendMessageInput struct {
		QueueUrl          *string
		MessageBody       *string
		MessageAttributes map[string]messageAttributeValue
	}
	batchEntry struct {
		Id                *string
		MessageAttributes map[string]messageAttributeValue
	}
	sendMessageBatchInput struct {
		QueueUrl *string
		Entries  []batchEntry
	}
	receiveMessageInput struct {
		QueueUrl              *string
		MessageAttributeNames []string
	}
	batchGetItemInput struct {
		RequestItems map[string][]int
	}
	getItemInput struct {
		TableName *string
	}
)

func ptr(s string) *string { return &s }

func record(t *testing.T) *tracetest.SpanRecorder {
	sr := tracetest.NewSpanRecorder()
	tp, prop := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr)))
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	t.Cleanup(func() { otel.SetTracerProvider(tp); otel.SetTextMapPropagator(prop) })
	return sr
}

// operation runs an operation of service whose input is params through a
// stack that DecorateHandlerBefore instrumented, to a handler that answers
// status, and returns the input that reached the handler.
func operation(t *testing.T, service, op string, params any, status int) any {
	t.Helper()
	stack := middleware.NewStack(op, smithyhttp.NewStackRequest)
	if err := stack.Initialize.Add(&awsmiddleware.RegisterServiceMetadata{ServiceID: service, Region: "eu-west-1"}, middleware.Before); err != nil {
		t.Fatal(err)
	}
	with := []middleware.Middleware{stack}
	DecorateHandlerBefore(nil, nil, &with)
	var got any
	stack.Serialize.Add(middleware.SerializeMiddlewareFunc("keep", func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
		got = in.Parameters
		req := in.Request.(*smithyhttp.Request)
		req.URL.Scheme, req.URL.Host = "https", "sqs.eu-west-1.amazonaws.com"
		return next.HandleSerialize(ctx, in)
	}), middleware.After)
	h := middleware.DecorateHandler(middleware.HandlerFunc(func(ctx context.Context, in any) (any, middleware.Metadata, error) {
		return &smithyhttp.Response{Response: &http.Response{StatusCode: status, Header: http.Header{}}}, middleware.Metadata{}, nil
	}), with...)
	if _, _, err := h.Handle(context.Background(), params); err != nil {
		t.Fatal(err)
	}
	return got
}

func attrs(kvs []attribute.KeyValue) map[string]any {
	m := map[string]any{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.AsInterface()
	}
	return m
}

func TestSpan(t *testing.T) {
	sr := record(t)
	operation(t, "DynamoDB", "GetItem", &getItemInput{TableName: ptr("users")}, 200)
	operation(t, "DynamoDB", "BatchGetItem", &batchGetItemInput{RequestItems: map[string][]int{"b": nil, "a": nil}}, 200)
	spans := sr.Ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2", len(spans))
	}
	get, batch := spans[0], spans[1]
	if get.Name() != "DynamoDB.GetItem" || get.SpanKind() != trace.SpanKindClient {
		t.Errorf("span %q of kind %v", get.Name(), get.SpanKind())
	}
	a := attrs(get.Attributes())
	for k, v := range map[string]any{
		"rpc.system": "aws-api", "rpc.service": "DynamoDB", "rpc.method": "GetItem", "cloud.region": "eu-west-1",
		"server.address": "sqs.eu-west-1.amazonaws.com", "server.port": int64(443),
		"aws.dynamodb.table_names": []string{"users"},
	} {
		if !reflect.DeepEqual(a[k], v) {
			t.Errorf("%s=%#v, want %#v", k, a[k], v)
		}
	}
	if got := attrs(batch.Attributes())["aws.dynamodb.table_names"]; !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("BatchGetItem has aws.dynamodb.table_names %v", got)
	}
}

func TestSkipped(t *testing.T) {
	for name, id := range map[string]string{"otelaws": otelawsID, "presign": presignID} {
		stack := middleware.NewStack("GetObject", smithyhttp.NewStackRequest)
		noop := middleware.FinalizeMiddlewareFunc(id, func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			return next.HandleFinalize(ctx, in)
		})
		if id == otelawsID {
			stack.Initialize.Add(middleware.InitializeMiddlewareFunc(id, func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
		} else {
			stack.Finalize.Add(noop, middleware.After)
		}
		DecorateHandlerBefore(nil, nil, &[]middleware.Middleware{stack})
		if _, ok := stack.Initialize.Get(spanID); ok {
			t.Errorf("%s: the stack got otelgen's middleware", name)
		}
	}
	// A second DecorateHandler of one stack adds nothing more.
	stack := middleware.NewStack("GetObject", smithyhttp.NewStackRequest)
	DecorateHandlerBefore(nil, nil, &[]middleware.Middleware{stack})
	DecorateHandlerBefore(nil, nil, &[]middleware.Middleware{stack})
	if n := len(stack.Initialize.List()); n != 1 {
		t.Errorf("%d Initialize middleware, want 1", n)
	}
}

func TestSQSInject(t *testing.T) {
	sr := record(t)
	mine := map[string]messageAttributeValue{"user": {DataType: ptr("String"), StringValue: ptr("ada")}}
	full := map[string]messageAttributeValue{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		full[k] = messageAttributeValue{DataType: ptr("String"), StringValue: ptr("v")}
	}
	in := &sendMessageInput{QueueUrl: ptr("https://sqs.eu-west-1.amazonaws.com/1/orders"), MessageAttributes: mine}
	sent := operation(t, "SQS", "SendMessage", in, 200).(*sendMessageInput)
	span := sr.Ended()[0]
	if span.SpanKind() != trace.SpanKindProducer || attrs(span.Attributes())["messaging.destination.name"] != "orders" {
		t.Errorf("SendMessage span: %v %v", span.SpanKind(), span.Attributes())
	}
	want := "00-" + span.SpanContext().TraceID().String() + "-" + span.SpanContext().SpanID().String() + "-01"
	if tp := sent.MessageAttributes["traceparent"]; len(sent.MessageAttributes) != 2 || *tp.DataType != "String" || *tp.StringValue != want {
		t.Errorf("sent attributes %v, want user and traceparent %s", sent.MessageAttributes, want)
	}
	if len(in.MessageAttributes) != 1 || len(mine) != 1 {
		t.Error("the program's input was changed")
	}

	batch := &sendMessageBatchInput{QueueUrl: in.QueueUrl, Entries: []batchEntry{{Id: ptr("1")}, {Id: ptr("2"), MessageAttributes: full}}}
	sentBatch := operation(t, "SQS", "SendMessageBatch", batch, 200).(*sendMessageBatchInput)
	if _, ok := sentBatch.Entries[0].MessageAttributes["traceparent"]; !ok || len(sentBatch.Entries[1].MessageAttributes) != 10 {
		t.Errorf("sent batch %v", sentBatch.Entries)
	}
	if batch.Entries[0].MessageAttributes != nil || len(full) != 10 {
		t.Error("the program's batch was changed")
	}

	recv := &receiveMessageInput{QueueUrl: in.QueueUrl, MessageAttributeNames: []string{"user"}}
	asked := operation(t, "SQS", "ReceiveMessage", recv, 200).(*receiveMessageInput)
	names := slices.Sorted(slices.Values(asked.MessageAttributeNames))
	if !reflect.DeepEqual(names, []string{"baggage", "traceparent", "tracestate", "user"}) || len(recv.MessageAttributeNames) != 1 {
		t.Errorf("ReceiveMessage asked for %v", asked.MessageAttributeNames)
	}
	all := &receiveMessageInput{QueueUrl: in.QueueUrl, MessageAttributeNames: []string{"All"}}
	if got := operation(t, "SQS", "ReceiveMessage", all, 200); got != any(all) {
		t.Errorf("ReceiveMessage of All got a new input %v", got)
	}
}

// panicking is a TracerProvider whose spans cannot start.
type panicking struct{ embedded.TracerProvider }

func (panicking) Tracer(string, ...trace.TracerOption) trace.Tracer { return panickingTracer{} }

type panickingTracer struct{ embedded.Tracer }

func (panickingTracer) Start(context.Context, string, ...trace.SpanStartOption) (context.Context, trace.Span) {
	panic("tracer broken")
}

// TestPanic checks that the operation runs as if uninstrumented when the
// middleware's own work panics.
func TestPanic(t *testing.T) {
	tp := otel.GetTracerProvider()
	otel.SetTracerProvider(panicking{})
	t.Cleanup(func() { otel.SetTracerProvider(tp) })
	in := &getItemInput{TableName: ptr("users")}
	if got := operation(t, "DynamoDB", "GetItem", in, 200); got != any(in) {
		t.Errorf("the operation got %v", got)
	}
}

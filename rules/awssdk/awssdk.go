// Package awssdk holds the hook of the AWS SDK for Go v2 rule: a CLIENT span
// "{Service}.{Operation}" for every API call of every service client, with
// the attributes of the AWS SDK semantic conventions (rpc.system aws-api,
// rpc.service, rpc.method, cloud.region, aws.request_id, server.address,
// the HTTP status and error.type) and the service-specific ones this
// package knows: S3's bucket and key, DynamoDB's table names, SQS's queue
// URL and messaging attributes. For SQS it also puts the trace context in
// the messages that SendMessage and SendMessageBatch send, and links the
// span of ReceiveMessage to the context of each message received.
//
// The spans come from otelgen's own middleware, which the hook adds to the
// middleware stack of each operation when the service client hands the
// complete stack to smithy-go's DecorateHandler. That is where every call
// of every client passes, whatever made its configuration, after the
// program's APIOptions. The middleware wraps the whole operation (retries
// included) and the request's context carries its span down to the HTTP
// client, so that the net/http CLIENT span of each attempt is its child.
//
// This package imports only the SDK's core module and smithy-go, which
// every service module requires: service-specific fields are read from the
// operation's input and output structs by reflection, by their names in the
// API, so that a program that uses S3 alone does not get the SQS or
// DynamoDB modules through otelgen.
package awssdk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	gls "github.com/otelgen/otelgen/gls-runtime"
	"github.com/otelgen/otelgen/hook"
	"github.com/otelgen/otelgen/rules/sdk"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the spans.
const ScopeName = "github.com/otelgen/otelgen/rules/awssdk"

// The IDs of otelgen's middleware in a stack.
const (
	spanID     = "otelgen.AWSSpan"
	endpointID = "otelgen.AWSEndpoint"
)

// The stack middleware IDs that DecorateHandlerBefore looks for.
const (
	// otelaws.AppendMiddlewares adds it: the program traces its calls itself.
	otelawsID = "OTelInitializeMiddlewareAfter"
	// A presigner's stack signs a request and returns it, sending nothing.
	presignID = "PresignHTTPRequest"
	// Where SDK releases before the operation's context carried the service
	// ID keep it (and the client's region).
	serviceMetadataID = "RegisterServiceMetadata"
)

type tracerOf struct {
	tp     trace.TracerProvider
	tracer trace.Tracer
}

var current atomic.Pointer[tracerOf]

// tracer is the tracer of the global TracerProvider, made again when the
// program installs its own.
func tracer() trace.Tracer {
	tp := otel.GetTracerProvider()
	if t := current.Load(); t != nil && t.tp == tp {
		return t.tracer
	}
	t := &tracerOf{tp: tp, tracer: tp.Tracer(ScopeName)}
	current.Store(t)
	return t.tracer
}

// DecorateHandlerBefore adds otelgen's middleware to the stack of an
// operation that a service client is about to run: the client calls
// DecorateHandler(handler, stack) once per operation, with the stack
// complete. The other calls of DecorateHandler (a stack decorating its own
// steps) are left alone.
func DecorateHandlerBefore(_ *hook.Call, _ *middleware.Handler, with *[]middleware.Middleware) {
	if sdk.Disabled() || len(*with) != 1 {
		return
	}
	stack, ok := (*with)[0].(*middleware.Stack)
	if !ok || stack == nil {
		return
	}
	instrument(stack)
}

// instrument adds the span middleware first in the Initialize step, so that
// it wraps the whole operation, and the endpoint middleware last in the
// Finalize step, where the request has its resolved endpoint.
func instrument(stack *middleware.Stack) {
	if _, ok := stack.Initialize.Get(spanID); ok {
		return
	}
	if _, ok := stack.Initialize.Get(otelawsID); ok {
		return
	}
	if _, ok := stack.Finalize.Get(presignID); ok {
		return
	}
	m := &spanMiddleware{operation: stack.ID()}
	if md, ok := stack.Initialize.Get(serviceMetadataID); ok {
		if r, ok := md.(*awsmiddleware.RegisterServiceMetadata); ok {
			m.service, m.region = r.ServiceID, r.Region
		}
	}
	if err := stack.Initialize.Add(m, middleware.Before); err != nil {
		return
	}
	_ = stack.Finalize.Add(endpointMiddleware{}, middleware.After)
}

// callKey marks the context of an operation under otelgen's span; its value
// is the *call.
type callKey struct{}

// spanMiddleware makes the span of one operation.
type spanMiddleware struct {
	operation string
	// From the stack's RegisterServiceMetadata, when it has one.
	service, region string
}

func (*spanMiddleware) ID() string { return spanID }

// HandleInitialize runs the operation under its span. The middleware's own
// work before and after is recovered from a panic; the operation's is not
// its business.
func (m *spanMiddleware) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	out middleware.InitializeOutput, md middleware.Metadata, err error,
) {
	c := m.start(ctx, &in)
	if c == nil {
		return next.HandleInitialize(ctx, in)
	}
	done := false
	defer func() {
		if !done { // the operation panicked
			c.abort()
		}
	}()
	out, md, err = next.HandleInitialize(c.ctx, in)
	done = true
	c.end(out.Result, md, err)
	return out, md, err
}

// call is one operation under its span.
type call struct {
	ctx     context.Context
	span    trace.Span
	saved   gls.Token
	service string
	op      string
}

// start starts the span of an operation as a child of the span in its
// context, else of the goroutine's, and, for SQS, gives it a copy of the
// input that carries the trace context. It returns nil for a call that is
// not an AWS service's (a smithy client of another kind) or when it fails.
func (m *spanMiddleware) start(ctx context.Context, in *middleware.InitializeInput) (c *call) {
	if sdk.Disabled() {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			if c != nil {
				c.abort()
			}
			c = nil
		}
	}()
	service := m.service
	if service == "" {
		service = awsmiddleware.GetServiceID(ctx)
	}
	op := m.operation
	if op == "" {
		op = awsmiddleware.GetOperationName(ctx)
	}
	if service == "" || op == "" {
		return nil
	}
	region := m.region
	if region == "" {
		region = awsmiddleware.GetRegion(ctx)
	}
	attrs := make([]attribute.KeyValue, 0, 12)
	attrs = append(attrs,
		attribute.String("rpc.system", "aws-api"),
		attribute.String("rpc.service", service),
		attribute.String("rpc.method", op),
	)
	if region != "" {
		attrs = append(attrs, semconv.CloudRegion(region))
	}
	kind := trace.SpanKindClient
	input := structOf(in.Parameters)
	switch service {
	case "S3":
		attrs = s3Attrs(attrs, input)
	case "DynamoDB":
		attrs = dynamoDBAttrs(attrs, input)
	case "SQS":
		attrs, kind = sqsAttrs(attrs, op, input)
	}
	saved := gls.Save()
	sctx, span := tracer().Start(gls.Fill(ctx), service+"."+op,
		trace.WithSpanKind(kind), trace.WithAttributes(attrs...))
	c = &call{span: span, saved: saved, service: service, op: op}
	c.ctx = context.WithValue(sctx, callKey{}, c)
	if service == "SQS" {
		if p, ok := sqsInject(sctx, op, in.Parameters); ok {
			in.Parameters = p
		}
	}
	return c
}

// end ends the span with the outcome of the operation: the HTTP status, the
// request IDs, and the error.
func (c *call) end(result any, md middleware.Metadata, err error) {
	defer gls.Restore(c.saved)
	defer c.span.End()
	defer func() { _ = recover() }()
	span := c.span
	attrs := make([]attribute.KeyValue, 0, 6)
	status := 0
	var raw *smithyhttp.Response
	if r, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok && r != nil && r.Response != nil {
		raw = r
		status = r.StatusCode
	}
	var se interface{ HTTPStatusCode() int }
	if errors.As(err, &se) {
		status = se.HTTPStatusCode()
	}
	if status > 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(status))
	}
	if id := requestID(md, err); id != "" {
		attrs = append(attrs, semconv.AWSRequestID(id))
	}
	if c.service == "S3" {
		var he interface{ ServiceHostID() string }
		id := ""
		if errors.As(err, &he) {
			id = he.ServiceHostID()
		} else if raw != nil {
			id = raw.Header.Get("X-Amz-Id-2")
		}
		if id != "" {
			attrs = append(attrs, semconv.AWSExtendedRequestID(id))
		}
	}
	if err == nil && c.service == "SQS" {
		attrs = sqsResult(attrs, span, c.op, structOf(result))
	}
	if err != nil {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errorType(err)))
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.SetAttributes(attrs...)
}

// abort ends the span of an operation that panicked.
func (c *call) abort() {
	defer gls.Restore(c.saved)
	c.span.SetStatus(codes.Error, "panic")
	c.span.End()
}

func requestID(md middleware.Metadata, err error) string {
	if id, ok := awsmiddleware.GetRequestIDMetadata(md); ok && id != "" {
		return id
	}
	var re interface{ ServiceRequestID() string }
	if errors.As(err, &re) {
		return re.ServiceRequestID()
	}
	return ""
}

// errorType is the error.type of an operation's error: the service's error
// code ("NoSuchBucket", "AWS.SimpleQueueService.NonExistentQueue"), else
// the error's Go type.
func errorType(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() != "" {
		return ae.ErrorCode()
	}
	var ce *smithy.CanceledError
	if errors.As(err, &ce) {
		return "canceled"
	}
	return fmt.Sprintf("%T", err)
}

// endpointMiddleware puts the address of the endpoint that a request goes
// to, resolved by then, on the operation's span; each attempt's.
type endpointMiddleware struct{}

func (endpointMiddleware) ID() string { return endpointID }

func (endpointMiddleware) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	if c, ok := ctx.Value(callKey{}).(*call); ok {
		c.endpoint(in.Request)
	}
	return next.HandleFinalize(ctx, in)
}

func (c *call) endpoint(request any) {
	defer func() { _ = recover() }()
	req, ok := request.(*smithyhttp.Request)
	if !ok || req == nil || req.URL == nil {
		return
	}
	c.span.SetAttributes(serverAttrs(req.URL)...)
}

// serverAttrs are server.address and server.port of a URL.
func serverAttrs(u *url.URL) []attribute.KeyValue {
	host := u.Hostname()
	if host == "" {
		return nil
	}
	attrs := []attribute.KeyValue{semconv.ServerAddress(host)}
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		switch u.Scheme {
		case "http":
			port = 80
		case "https":
			port = 443
		}
	}
	if port > 0 {
		attrs = append(attrs, semconv.ServerPort(port))
	}
	return attrs
}

// structOf is the struct that p points to (an operation's input or output),
// or the zero Value.
func structOf(p any) reflect.Value {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.Elem()
}

// stringField is the value of the string or *string field name of struct v.
func stringField(v reflect.Value, name string) (string, bool) {
	if !v.IsValid() {
		return "", false
	}
	f := v.FieldByName(name)
	if f.Kind() == reflect.Pointer && !f.IsNil() {
		f = f.Elem()
	}
	if f.Kind() != reflect.String {
		return "", false
	}
	return f.String(), true
}

// intField is the value of the integer or pointer-to-integer field name of
// struct v.
func intField(v reflect.Value, name string) (int64, bool) {
	if !v.IsValid() {
		return 0, false
	}
	f := v.FieldByName(name)
	if f.Kind() == reflect.Pointer && !f.IsNil() {
		f = f.Elem()
	}
	switch f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return f.Int(), true
	}
	return 0, false
}

// s3Attrs are the attributes of an S3 operation's input.
func s3Attrs(attrs []attribute.KeyValue, in reflect.Value) []attribute.KeyValue {
	if s, ok := stringField(in, "Bucket"); ok && s != "" {
		attrs = append(attrs, semconv.AWSS3Bucket(s))
	}
	if s, ok := stringField(in, "Key"); ok && s != "" {
		attrs = append(attrs, semconv.AWSS3Key(s))
	}
	if s, ok := stringField(in, "CopySource"); ok && s != "" {
		attrs = append(attrs, semconv.AWSS3CopySource(s))
	}
	if s, ok := stringField(in, "UploadId"); ok && s != "" {
		attrs = append(attrs, semconv.AWSS3UploadID(s))
	}
	if n, ok := intField(in, "PartNumber"); ok && n > 0 {
		attrs = append(attrs, semconv.AWSS3PartNumber(int(n)))
	}
	return attrs
}

// dynamoDBAttrs are the attributes of a DynamoDB operation's input: the
// tables it names, in TableName or as the keys of RequestItems (the batch
// operations).
func dynamoDBAttrs(attrs []attribute.KeyValue, in reflect.Value) []attribute.KeyValue {
	if !in.IsValid() {
		return attrs
	}
	var tables []string
	if s, ok := stringField(in, "TableName"); ok && s != "" {
		tables = append(tables, s)
	}
	if items := in.FieldByName("RequestItems"); items.Kind() == reflect.Map && items.Type().Key().Kind() == reflect.String {
		keys := items.MapKeys()
		names := make([]string, 0, len(keys))
		for _, k := range keys {
			names = append(names, k.String())
		}
		slices.Sort(names)
		tables = append(tables, names...)
	}
	if len(tables) > 0 {
		attrs = append(attrs, semconv.AWSDynamoDBTableNames(tables...))
	}
	return attrs
}

// queueName is the name of a queue: the last segment of its URL.
func queueName(queueURL string) string {
	u, err := url.Parse(queueURL)
	if err != nil {
		return ""
	}
	p := strings.TrimSuffix(u.Path, "/")
	return p[strings.LastIndexByte(p, '/')+1:]
}

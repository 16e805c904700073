package awssdk

import (
	"context"
	"reflect"
	"slices"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// maxMessageAttributes is how many message attributes SQS accepts on one
// message. A message that has them all gets no trace context: SQS would
// refuse it.
const maxMessageAttributes = 10

// sqsAttrs are the attributes of an SQS operation's input, and the span's
// kind. SendMessage and SendMessageBatch are PRODUCER spans, since their
// context is the one the messages carry (the creation context, in the
// messaging conventions); ReceiveMessage is a CONSUMER span of operation
// type receive. Names stay "SQS.{Operation}", as the AWS SDK conventions
// require.
func sqsAttrs(attrs []attribute.KeyValue, op string, in reflect.Value) ([]attribute.KeyValue, trace.SpanKind) {
	kind := trace.SpanKindClient
	q, ok := stringField(in, "QueueUrl")
	if !ok || q == "" {
		return attrs, kind
	}
	attrs = append(attrs, semconv.AWSSQSQueueURL(q), semconv.MessagingSystemAWSSQS)
	if name := queueName(q); name != "" {
		attrs = append(attrs, semconv.MessagingDestinationName(name))
	}
	switch op {
	case "SendMessage", "SendMessageBatch":
		kind = trace.SpanKindProducer
		attrs = append(attrs, semconv.MessagingOperationName(op), semconv.MessagingOperationTypeSend)
		if op == "SendMessageBatch" {
			if e := in.FieldByName("Entries"); e.Kind() == reflect.Slice {
				attrs = append(attrs, semconv.MessagingBatchMessageCount(e.Len()))
			}
		}
	case "ReceiveMessage":
		kind = trace.SpanKindConsumer
		attrs = append(attrs, semconv.MessagingOperationName(op), semconv.MessagingOperationTypeReceive)
	case "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch":
		attrs = append(attrs, semconv.MessagingOperationName(op), semconv.MessagingOperationTypeSettle)
	}
	return attrs, kind
}

// sqsInject returns a copy of the input of SendMessage or SendMessageBatch
// whose messages carry the trace context of ctx in their attributes, as
// many of the propagator's fields as fit, traceparent first; and a copy of
// the input of ReceiveMessage that asks for those attributes too, so that
// the messages received carry their context to the program. The program's
// input, maps and slices are not written to: the SDK's caller keeps them.
func sqsInject(ctx context.Context, op string, params any) (any, bool) {
	in := structOf(params)
	if !in.IsValid() {
		return nil, false
	}
	switch op {
	case "SendMessage":
		attrs := in.FieldByName("MessageAttributes")
		if !attrs.IsValid() || attrs.Kind() != reflect.Map {
			return nil, false
		}
		carrier := injectCarrier(ctx)
		with, ok := withContext(attrs, carrier)
		if !ok {
			return nil, false
		}
		cp := reflect.New(in.Type())
		cp.Elem().Set(in)
		cp.Elem().FieldByName("MessageAttributes").Set(with)
		return cp.Interface(), true
	case "SendMessageBatch":
		entries := in.FieldByName("Entries")
		if !entries.IsValid() || entries.Kind() != reflect.Slice || entries.Len() == 0 {
			return nil, false
		}
		carrier := injectCarrier(ctx)
		out := reflect.MakeSlice(entries.Type(), entries.Len(), entries.Len())
		reflect.Copy(out, entries)
		changed := false
		for i := range out.Len() {
			e := out.Index(i)
			if e.Kind() != reflect.Struct {
				return nil, false
			}
			attrs := e.FieldByName("MessageAttributes")
			if !attrs.IsValid() || attrs.Kind() != reflect.Map {
				return nil, false
			}
			if with, ok := withContext(attrs, carrier); ok {
				attrs.Set(with)
				changed = true
			}
		}
		if !changed {
			return nil, false
		}
		cp := reflect.New(in.Type())
		cp.Elem().Set(in)
		cp.Elem().FieldByName("Entries").Set(out)
		return cp.Interface(), true
	case "ReceiveMessage":
		names := in.FieldByName("MessageAttributeNames")
		if !names.IsValid() || names.Type() != reflect.TypeFor[[]string]() {
			return nil, false
		}
		have := names.Interface().([]string)
		if slices.Contains(have, "All") || slices.Contains(have, ".*") {
			return nil, false
		}
		want := slices.Clip(slices.Clone(have))
		for _, f := range otel.GetTextMapPropagator().Fields() {
			if !slices.Contains(want, f) {
				want = append(want, f)
			}
		}
		if len(want) == len(have) {
			return nil, false
		}
		cp := reflect.New(in.Type())
		cp.Elem().Set(in)
		cp.Elem().FieldByName("MessageAttributeNames").Set(reflect.ValueOf(want))
		return cp.Interface(), true
	}
	return nil, false
}

// injectCarrier holds the fields that the global propagator writes for
// ctx, traceparent first.
func injectCarrier(ctx context.Context) []field {
	m := propagation.MapCarrier{}
	otel.GetTextMapPropagator().Inject(ctx, m)
	fields := make([]field, 0, len(m))
	if v, ok := m["traceparent"]; ok {
		fields = append(fields, field{"traceparent", v})
	}
	keys := m.Keys()
	slices.Sort(keys)
	for _, k := range keys {
		if k != "traceparent" {
			fields = append(fields, field{k, m[k]})
		}
	}
	return fields
}

type field struct{ key, value string }

// withContext returns a copy of attrs, a message's
// map[string]types.MessageAttributeValue, with the fields added as String
// attributes while the message has room for them. A field the message has
// already (the program propagates by hand) keeps the program's value.
func withContext(attrs reflect.Value, fields []field) (reflect.Value, bool) {
	t := attrs.Type()
	if t.Key().Kind() != reflect.String || t.Elem().Kind() != reflect.Struct || len(fields) == 0 {
		return reflect.Value{}, false
	}
	dataType, ok1 := t.Elem().FieldByName("DataType")
	stringValue, ok2 := t.Elem().FieldByName("StringValue")
	strPtr := reflect.TypeFor[*string]()
	if !ok1 || !ok2 || dataType.Type != strPtr || stringValue.Type != strPtr {
		return reflect.Value{}, false
	}
	n := attrs.Len()
	var add []field
	for _, f := range fields {
		if n >= maxMessageAttributes {
			break
		}
		if attrs.Len() > 0 && attrs.MapIndex(reflect.ValueOf(f.key).Convert(t.Key())).IsValid() {
			continue
		}
		add = append(add, f)
		n++
	}
	if len(add) == 0 {
		return reflect.Value{}, false
	}
	out := reflect.MakeMapWithSize(t, n)
	iter := attrs.MapRange()
	for iter.Next() {
		out.SetMapIndex(iter.Key(), iter.Value())
	}
	for _, f := range add {
		v := reflect.New(t.Elem()).Elem()
		s, value := "String", f.value
		v.FieldByIndex(dataType.Index).Set(reflect.ValueOf(&s))
		v.FieldByIndex(stringValue.Index).Set(reflect.ValueOf(&value))
		out.SetMapIndex(reflect.ValueOf(f.key).Convert(t.Key()), v)
	}
	return out, true
}

// sqsResult adds what an SQS operation's output tells: the ID of the message
// SendMessage sent; for ReceiveMessage, how many messages came, and a link
// from the span to the context each message carries (the span of the
// SendMessage that sent it), which the program finds in the message's
// attributes when it processes the message.
func sqsResult(attrs []attribute.KeyValue, span trace.Span, op string, out reflect.Value) []attribute.KeyValue {
	if !out.IsValid() {
		return attrs
	}
	switch op {
	case "SendMessage":
		if id, ok := stringField(out, "MessageId"); ok && id != "" {
			attrs = append(attrs, semconv.MessagingMessageID(id))
		}
	case "ReceiveMessage":
		msgs := out.FieldByName("Messages")
		if msgs.Kind() != reflect.Slice {
			return attrs
		}
		attrs = append(attrs, semconv.MessagingBatchMessageCount(msgs.Len()))
		if msgs.Len() == 1 {
			if id, ok := stringField(msgs.Index(0), "MessageId"); ok && id != "" {
				attrs = append(attrs, semconv.MessagingMessageID(id))
			}
		}
		prop := otel.GetTextMapPropagator()
		for i := range msgs.Len() {
			m := msgs.Index(i)
			if m.Kind() != reflect.Struct {
				continue
			}
			a := m.FieldByName("MessageAttributes")
			if a.Kind() != reflect.Map || a.Len() == 0 || a.Type().Key().Kind() != reflect.String {
				continue
			}
			sc := trace.SpanContextFromContext(prop.Extract(context.Background(), attrCarrier{a}))
			if sc.IsValid() {
				span.AddLink(trace.Link{SpanContext: sc})
			}
		}
	}
	return attrs
}

// attrCarrier reads the String attributes of a received message.
type attrCarrier struct{ m reflect.Value }

func (c attrCarrier) Get(key string) string {
	v := c.m.MapIndex(reflect.ValueOf(key).Convert(c.m.Type().Key()))
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return ""
	}
	s, _ := stringField(v, "StringValue")
	return s
}

func (attrCarrier) Set(string, string) {}

func (c attrCarrier) Keys() []string {
	keys := make([]string, 0, c.m.Len())
	for _, k := range c.m.MapKeys() {
		keys = append(keys, k.String())
	}
	return keys
}

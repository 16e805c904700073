// The test program of rules/grpc: a gRPC server (the interop TestService,
// which has unary and all three streaming kinds) on loopback, with a
// recovery interceptor of its own, and clients that call it. It knows
// nothing of OpenTelemetry, except in mode "otelgrpc", where it traces
// its server and client by hand with the contrib instrumentation.
//
//	app [calls|streams|otelgrpc|crash]
//
// It prints "done" when its calls are over, and returns at EOF on stdin.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"sync"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/baggage"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	testgrpc "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
)

type service struct {
	testgrpc.UnimplementedTestServiceServer
	addr string
}

// EmptyCall prints the baggage member "user" it received.
func (s *service) EmptyCall(ctx context.Context, _ *testgrpc.Empty) (*testgrpc.Empty, error) {
	fmt.Printf("EmptyCall user=%s\n", baggage.FromContext(ctx).Member("user").Value())
	return &testgrpc.Empty{}, nil
}

// UnaryCall answers with the status the request asks for; body "panic"
// panics, and body "nested" makes a call of its own without a context, on
// a ClientConn made with grpc.Dial.
func (s *service) UnaryCall(ctx context.Context, req *testgrpc.SimpleRequest) (*testgrpc.SimpleResponse, error) {
	switch body := string(req.GetPayload().GetBody()); body {
	case "panic":
		panic("handler panics")
	case "nested":
		conn, err := grpc.Dial(s.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		if _, err := testgrpc.NewTestServiceClient(conn).EmptyCall(context.Background(), &testgrpc.Empty{}); err != nil {
			return nil, err
		}
	}
	if st := req.GetResponseStatus(); st != nil && st.GetCode() != 0 {
		return nil, status.Error(codes.Code(st.GetCode()), st.GetMessage())
	}
	return &testgrpc.SimpleResponse{Payload: req.GetPayload()}, nil
}

// StreamingOutputCall sends one message per response parameter.
func (s *service) StreamingOutputCall(req *testgrpc.StreamingOutputCallRequest, stream grpc.ServerStreamingServer[testgrpc.StreamingOutputCallResponse]) error {
	for range req.GetResponseParameters() {
		if err := stream.Send(&testgrpc.StreamingOutputCallResponse{Payload: req.GetPayload()}); err != nil {
			return err
		}
	}
	return nil
}

// StreamingInputCall sums the sizes of the payloads it receives.
func (s *service) StreamingInputCall(stream grpc.ClientStreamingServer[testgrpc.StreamingInputCallRequest, testgrpc.StreamingInputCallResponse]) error {
	n := 0
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stream.SendAndClose(&testgrpc.StreamingInputCallResponse{AggregatedPayloadSize: int32(n)})
		}
		if err != nil {
			return err
		}
		n += len(req.GetPayload().GetBody())
	}
}

// FullDuplexCall answers every message with its payload.
func (s *service) FullDuplexCall(stream grpc.BidiStreamingServer[testgrpc.StreamingOutputCallRequest, testgrpc.StreamingOutputCallResponse]) error {
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&testgrpc.StreamingOutputCallResponse{Payload: req.GetPayload()}); err != nil {
			return err
		}
	}
}

// recovery is the program's own recovery interceptor: a panic becomes an
// Internal error.
func recovery(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Printf("recovered %v\n", v)
			err = status.Errorf(codes.Internal, "recovered: %v", v)
		}
	}()
	return handler(ctx, req)
}

func payload(s string) *testgrpc.Payload { return &testgrpc.Payload{Body: []byte(s)} }

func main() {
	mode := "calls"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	var srvOpts []grpc.ServerOption
	if mode != "crash" {
		srvOpts = append(srvOpts, grpc.ChainUnaryInterceptor(recovery))
	}
	cliOpts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if mode == "otelgrpc" {
		srvOpts = append(srvOpts, grpc.StatsHandler(otelgrpc.NewServerHandler()))
		cliOpts = append(cliOpts, grpc.WithStatsHandler(otelgrpc.NewClientHandler()))
	}
	srv := grpc.NewServer(srvOpts...)
	testgrpc.RegisterTestServiceServer(srv, &service{addr: ln.Addr().String()})
	go srv.Serve(ln)
	fmt.Println("listening", ln.Addr())

	conn, err := grpc.NewClient(ln.Addr().String(), cliOpts...)
	if err != nil {
		log.Fatal(err)
	}
	c := testgrpc.NewTestServiceClient(conn)
	switch mode {
	case "calls":
		calls(conn, ln.Addr().String())
	case "streams":
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() { streams(c) })
		}
		wg.Wait()
	case "crash":
		// No recovery interceptor: the handler's panic ends the program.
		c.UnaryCall(context.Background(), &testgrpc.SimpleRequest{Payload: payload("panic")})
		select {}
	case "otelgrpc":
		if _, err := c.UnaryCall(context.Background(), &testgrpc.SimpleRequest{Payload: payload("hi")}); err != nil {
			log.Fatal(err)
		}
	}
	conn.Close()
	fmt.Println("done")
	io.Copy(io.Discard, os.Stdin)
	// GracefulStop waits for the handlers' goroutines, which report a
	// call's end (and end its SERVER span) after the client has its
	// answer; Stop does not, and main could return, flushing the spans,
	// before the last one ended.
	srv.GracefulStop()
}

// calls makes the unary calls, then one call of each streaming kind.
func calls(conn *grpc.ClientConn, addr string) {
	c := testgrpc.NewTestServiceClient(conn)
	m, _ := baggage.NewMember("user", "ada")
	bag, _ := baggage.New(m)
	ctx := baggage.ContextWithBaggage(context.Background(), bag)
	if _, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{Payload: payload("nested")}); err != nil {
		log.Fatal(err)
	}
	for _, code := range []codes.Code{codes.NotFound, codes.Internal} {
		_, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{
			Payload:        payload(code.String()),
			ResponseStatus: &testgrpc.EchoStatus{Code: int32(code), Message: "asked for " + code.String()},
		})
		fmt.Println("UnaryCall", status.Code(err))
	}
	_, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{Payload: payload("panic")})
	fmt.Println("UnaryCall", status.Code(err))
	_, err = c.UnimplementedCall(ctx, &testgrpc.Empty{})
	fmt.Println("UnimplementedCall", status.Code(err))
	// A method the server does not know: gRPC answers without a handler.
	err = conn.Invoke(ctx, "/grpc.testing.TestService/NoSuchMethod", &testgrpc.Empty{}, &testgrpc.Empty{})
	fmt.Println("NoSuchMethod", status.Code(err))

	// A ClientConn made by grpc.DialContext.
	dialed, err := grpc.DialContext(ctx, addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := testgrpc.NewTestServiceClient(dialed).EmptyCall(ctx, &testgrpc.Empty{}); err != nil {
		log.Fatal(err)
	}
	dialed.Close()
	streams(c)
}

// streams makes one call of each streaming kind, three messages each.
func streams(c testgrpc.TestServiceClient) {
	ctx := context.Background()
	params := make([]*testgrpc.ResponseParameters, 3)
	for i := range params {
		params[i] = &testgrpc.ResponseParameters{Size: 1}
	}
	out, err := c.StreamingOutputCall(ctx, &testgrpc.StreamingOutputCallRequest{ResponseParameters: params, Payload: payload("x")})
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for {
		if _, err := out.Recv(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			log.Fatal(err)
		}
		n++
	}

	in, err := c.StreamingInputCall(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for range 3 {
		if err := in.Send(&testgrpc.StreamingInputCallRequest{Payload: payload("abc")}); err != nil {
			log.Fatal(err)
		}
	}
	sum, err := in.CloseAndRecv()
	if err != nil {
		log.Fatal(err)
	}

	bidi, err := c.FullDuplexCall(ctx)
	if err != nil {
		log.Fatal(err)
	}
	var got []string
	for _, s := range []string{"a", "b", "c"} {
		if err := bidi.Send(&testgrpc.StreamingOutputCallRequest{Payload: payload(s)}); err != nil {
			log.Fatal(err)
		}
		resp, err := bidi.Recv()
		if err != nil {
			log.Fatal(err)
		}
		got = append(got, string(resp.GetPayload().GetBody()))
	}
	bidi.CloseSend()
	if _, err := bidi.Recv(); !errors.Is(err, io.EOF) {
		log.Fatal("bidi: ", err)
	}
	fmt.Printf("streams out=%d in=%d bidi=%s\n", n, sum.GetAggregatedPayloadSize(), strings.Join(got, ""))
}

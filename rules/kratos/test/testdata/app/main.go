// Command app is the Kratos integration's test program. It knows nothing
// of OpenTelemetry. It runs a Kratos gRPC server with a hand-written
// helloworld.v1.Greeter service (no protoc: wrapperspb messages and a
// grpc.ServiceDesc written out), and a Kratos HTTP server whose routes are
// registered by hand the way protoc-gen-go-http's code registers them:
//
//	GET /helloworld/{name}  operation /helloworld.v1.Greeter/SayHello: calls
//	                        SayHello over gRPC with a Kratos client conn
//	GET /users/{name}       operation /helloworld.v1.Users/Get: "ghost" is a
//	                        Kratos NotFound error, "flaky" ServiceUnavailable
//	GET /panic              panics below Kratos' recovery middleware
//	/health                 a plain net/http handler (Server.HandleFunc)
//
// SayHello panics for "panic" and answers NotFound for "ghost". Both servers
// use Kratos' recovery middleware. Then it calls them with Kratos' HTTP
// client and gRPC client conn, prints each outcome, prints "done", and
// returns at EOF on stdin.
//
//	app [tracing]
//
// With "tracing", servers and clients also use Kratos' own tracing
// middleware, as a program that traces itself with Kratos does.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/go-kratos/kratos/v2/errors"
	"github.com/go-kratos/kratos/v2/middleware"
	"github.com/go-kratos/kratos/v2/middleware/recovery"
	"github.com/go-kratos/kratos/v2/middleware/tracing"
	kgrpc "github.com/go-kratos/kratos/v2/transport/grpc"
	khttp "github.com/go-kratos/kratos/v2/transport/http"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const sayHello = "/helloworld.v1.Greeter/SayHello"

// GreeterServer is the service, as protoc-gen-go-grpc would declare it.
type GreeterServer interface {
	SayHello(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error)
}

var greeterDesc = grpc.ServiceDesc{
	ServiceName: "helloworld.v1.Greeter",
	HandlerType: (*GreeterServer)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "SayHello", Handler: sayHelloHandler}},
	Metadata:    "helloworld.proto",
}

func sayHelloHandler(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	in := new(wrapperspb.StringValue)
	if err := dec(in); err != nil {
		return nil, err
	}
	handler := func(ctx context.Context, req any) (any, error) {
		return srv.(GreeterServer).SayHello(ctx, req.(*wrapperspb.StringValue))
	}
	if interceptor == nil {
		return handler(ctx, in)
	}
	return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: sayHello}, handler)
}

type greeter struct{}

// SayHello prints the trace id Kratos' log valuer sees in its context.
func (greeter) SayHello(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
	fmt.Printf("SayHello %s trace=%v\n", in.GetValue(), tracing.TraceID()(ctx))
	switch in.GetValue() {
	case "panic":
		panic("greeter kaboom")
	case "ghost":
		return nil, errors.NotFound("USER_NOT_FOUND", "no greeting for ghost")
	}
	return wrapperspb.String("hello " + in.GetValue()), nil
}

func main() {
	traced := len(os.Args) > 1 && os.Args[1] == "tracing"
	ctx := context.Background()
	srvMW := []middleware.Middleware{recovery.Recovery()}
	var cliMW []middleware.Middleware
	if traced {
		srvMW = append(srvMW, tracing.Server())
		cliMW = append(cliMW, tracing.Client())
	}

	gln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	gs := kgrpc.NewServer(kgrpc.Listener(gln), kgrpc.Middleware(srvMW...))
	gs.RegisterService(&greeterDesc, greeter{})
	go gs.Start(ctx)
	conn, err := kgrpc.DialInsecure(ctx, kgrpc.WithEndpoint(gln.Addr().String()), kgrpc.WithMiddleware(cliMW...))
	if err != nil {
		log.Fatal(err)
	}

	hln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	hs := khttp.NewServer(khttp.Listener(hln), khttp.Middleware(srvMW...))
	r := hs.Route("/")
	r.GET("/helloworld/{name}", func(c khttp.Context) error {
		khttp.SetOperation(c, sayHello)
		h := c.Middleware(func(ctx context.Context, req any) (any, error) {
			out := new(wrapperspb.StringValue)
			err := conn.Invoke(ctx, sayHello, wrapperspb.String(req.(string)), out)
			return out.GetValue(), err
		})
		out, err := h(c, c.Vars().Get("name"))
		if err != nil {
			return err
		}
		return c.Result(200, map[string]any{"message": out})
	})
	r.GET("/users/{name}", func(c khttp.Context) error {
		khttp.SetOperation(c, "/helloworld.v1.Users/Get")
		h := c.Middleware(func(_ context.Context, req any) (any, error) {
			switch req.(string) {
			case "ghost":
				return nil, errors.NotFound("USER_NOT_FOUND", "no user ghost")
			case "flaky":
				return nil, errors.ServiceUnavailable("USERS_DOWN", "the user store is down")
			}
			return req, nil
		})
		out, err := h(c, c.Vars().Get("name"))
		if err != nil {
			return err
		}
		return c.Result(200, map[string]any{"user": out})
	})
	r.GET("/panic", func(c khttp.Context) error {
		h := c.Middleware(func(context.Context, any) (any, error) { panic("route kaboom") })
		_, err := h(c, nil)
		return err
	})
	hs.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	go hs.Start(ctx)

	hc, err := khttp.NewClient(ctx, khttp.WithEndpoint("http://"+hln.Addr().String()), khttp.WithMiddleware(cliMW...))
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range []struct{ path, op, tpl string }{
		{"/helloworld/ada", sayHello, "/helloworld/{name}"},
		{"/users/ghost", "/helloworld.v1.Users/Get", "/users/{name}"},
		{"/users/flaky", "/helloworld.v1.Users/Get", "/users/{name}"},
		{"/panic", "/panic", "/panic"},
	} {
		var reply map[string]any
		err := hc.Invoke(ctx, "GET", c.path, nil, &reply, khttp.Operation(c.op), khttp.PathTemplate(c.tpl))
		fmt.Printf("GET %s: %v %s\n", c.path, reply, outcome(err))
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+hln.Addr().String()+"/health", nil)
	if resp, err := hc.Do(req); err != nil {
		fmt.Printf("GET /health: %v\n", err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("GET /health: %d %s\n", resp.StatusCode, body)
	}
	for _, name := range []string{"ghost", "panic"} {
		out := new(wrapperspb.StringValue)
		err := conn.Invoke(ctx, sayHello, wrapperspb.String(name), out)
		fmt.Printf("SayHello(%s): %q %s\n", name, out.GetValue(), outcome(err))
	}
	fmt.Println("done")
	io.Copy(io.Discard, os.Stdin)
	conn.Close()
	gs.Stop(ctx)
	hs.Stop(ctx)
}

// outcome is a call's Kratos error as "code reason", or "ok".
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	e := errors.FromError(err)
	return fmt.Sprintf("%d %s", e.Code, e.Reason)
}

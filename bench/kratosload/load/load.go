// Package load is the Kratos benchmark's program: a Kratos HTTP server and
// a Kratos gRPC server on loopback, and CONNS goroutines calling one of
// them (-t http or -t grpc) with Kratos' own client, in the same process,
// for a given time. The service is the helloworld Greeter, written out by
// hand as rules/kratos/test/testdata/app does (no protoc): over gRPC a
// grpc.ServiceDesc of wrapperspb messages, over HTTP a route registered the
// way protoc-gen-go-http's code registers it. Both servers use Kratos'
// recovery middleware, as Kratos' project template does.
package load

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-kratos/kratos/v2/middleware"
	"github.com/go-kratos/kratos/v2/middleware/recovery"
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

func (greeter) SayHello(_ context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
	return wrapperspb.String("hello " + in.GetValue()), nil
}

// Run serves and loads itself, then prints one line:
//
//	requests N rps X cpu_us_per_req X cpu_util X calls_total N
//
// where the CPU time is the whole process's (server and client), user and
// system, over the measured seconds, cpu_util that time over the seconds
// (2 is both cores of a 2-core machine), and calls_total every call the
// process made, warm-up included. With -cpuprofile, the measured seconds
// are profiled. srvMW and cliMW are middleware that the servers and the
// clients use after their own (the servers' recovery; the clients have
// none).
func Run(srvMW, cliMW []middleware.Middleware) {
	tr := flag.String("t", "http", "transport to call over: http or grpc")
	conns := flag.Int("c", 16, "concurrent callers")
	dur := flag.Duration("d", 10*time.Second, "measured load")
	warm := flag.Duration("w", 2*time.Second, "load before measuring")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measured seconds to this file")
	flag.Parse()
	ctx := context.Background()
	srvMW = append([]middleware.Middleware{recovery.Recovery()}, srvMW...)

	var call func(context.Context) error
	switch *tr {
	case "grpc":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		gs := kgrpc.NewServer(kgrpc.Listener(ln), kgrpc.Middleware(srvMW...))
		gs.RegisterService(&greeterDesc, greeter{})
		go gs.Start(ctx)
		defer gs.Stop(ctx)
		conn, err := kgrpc.DialInsecure(ctx, kgrpc.WithEndpoint(ln.Addr().String()), kgrpc.WithMiddleware(cliMW...))
		if err != nil {
			log.Fatal(err)
		}
		defer conn.Close()
		req := wrapperspb.String("ada")
		call = func(ctx context.Context) error {
			return conn.Invoke(ctx, sayHello, req, new(wrapperspb.StringValue))
		}
	case "http":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		hs := khttp.NewServer(khttp.Listener(ln), khttp.Middleware(srvMW...))
		hs.Route("/").GET("/helloworld/{name}", func(c khttp.Context) error {
			khttp.SetOperation(c, sayHello)
			h := c.Middleware(func(ctx context.Context, req any) (any, error) {
				return greeter{}.SayHello(ctx, req.(*wrapperspb.StringValue))
			})
			out, err := h(c, wrapperspb.String(c.Vars().Get("name")))
			if err != nil {
				return err
			}
			return c.Result(200, map[string]any{"message": out.(*wrapperspb.StringValue).GetValue()})
		})
		go hs.Start(ctx)
		defer hs.Stop(ctx)
		// http.DefaultTransport keeps two idle connections per host: the
		// other callers would dial a connection per call.
		rt := http.DefaultTransport.(*http.Transport).Clone()
		rt.MaxIdleConnsPerHost = *conns
		hc, err := khttp.NewClient(ctx, khttp.WithEndpoint("http://"+ln.Addr().String()),
			khttp.WithTransport(rt), khttp.WithMiddleware(cliMW...))
		if err != nil {
			log.Fatal(err)
		}
		defer hc.Close()
		call = func(ctx context.Context) error {
			var reply map[string]any
			return hc.Invoke(ctx, "GET", "/helloworld/ada", nil, &reply,
				khttp.Operation(sayHello), khttp.PathTemplate("/helloworld/{name}"))
		}
	default:
		log.Fatalf("unknown transport %q", *tr)
	}
	if err := call(ctx); err != nil { // the server is up
		time.Sleep(100 * time.Millisecond)
		if err := call(ctx); err != nil {
			log.Fatal(err)
		}
	}

	var count, total atomic.Int64
	var measuring atomic.Bool
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range *conns {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := call(context.Background()); err != nil {
					log.Fatal(err)
				}
				total.Add(1)
				if measuring.Load() {
					count.Add(1)
				}
			}
		})
	}
	time.Sleep(*warm)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
	}
	cpu0 := cpuTime()
	t0 := time.Now()
	measuring.Store(true)
	time.Sleep(*dur)
	measuring.Store(false)
	elapsed := time.Since(t0)
	cpu := cpuTime() - cpu0
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	close(stop)
	wg.Wait()
	n := count.Load()
	fmt.Printf("requests %d rps %.0f cpu_us_per_req %.2f cpu_util %.2f calls_total %d\n", n, float64(n)/elapsed.Seconds(),
		float64(cpu.Microseconds())/float64(n), cpu.Seconds()/elapsed.Seconds(), total.Load())
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

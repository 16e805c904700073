// Package load is the gRPC benchmark's program: a TestService server on
// loopback and a client that calls its UnaryCall from CONNS goroutines over
// one ClientConn, in the same process, for a given time.
package load

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	testgrpc "google.golang.org/grpc/interop/grpc_testing"
)

type service struct {
	testgrpc.UnimplementedTestServiceServer
}

func (service) UnaryCall(_ context.Context, req *testgrpc.SimpleRequest) (*testgrpc.SimpleResponse, error) {
	return &testgrpc.SimpleResponse{Payload: req.GetPayload()}, nil
}

// Run serves and loads itself, then prints one line:
//
//	requests N rps X cpu_us_per_req X cpu_util X calls_total N
//
// where the CPU time is the whole process's (server and client), user and
// system, over the measured seconds, cpu_util that time over the seconds
// (2 is both cores of a 2-core machine), and calls_total every call the
// process made, warm-up included.
func Run(srvOpts []grpc.ServerOption, cliOpts []grpc.DialOption) {
	conns := flag.Int("c", 16, "concurrent callers")
	dur := flag.Duration("d", 10*time.Second, "measured load")
	warm := flag.Duration("w", 2*time.Second, "load before measuring")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := grpc.NewServer(srvOpts...)
	testgrpc.RegisterTestServiceServer(srv, service{})
	go srv.Serve(ln)
	defer srv.Stop()
	conn, err := grpc.NewClient(ln.Addr().String(), append(cliOpts, grpc.WithTransportCredentials(insecure.NewCredentials()))...)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	c := testgrpc.NewTestServiceClient(conn)
	req := &testgrpc.SimpleRequest{Payload: &testgrpc.Payload{Body: []byte("hello")}}

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
				if _, err := c.UnaryCall(context.Background(), req); err != nil {
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
	cpu0 := cpuTime()
	t0 := time.Now()
	measuring.Store(true)
	time.Sleep(*dur)
	measuring.Store(false)
	elapsed := time.Since(t0)
	cpu := cpuTime() - cpu0
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

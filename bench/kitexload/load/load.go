// Package load is the Kitex benchmark's program: a generic Kitex server of
// a small Thrift IDL parsed at run time (no generated code, as
// rules/kitex/test/testdata/app does) on loopback, and a generic client
// that calls its Echo method from CONNS goroutines over TTHeader, in the
// same process, for a given time.
package load

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/client/genericclient"
	"github.com/cloudwego/kitex/pkg/connpool"
	"github.com/cloudwego/kitex/pkg/generic"
	"github.com/cloudwego/kitex/pkg/transmeta"
	"github.com/cloudwego/kitex/server"
	"github.com/cloudwego/kitex/server/genericserver"
	"github.com/cloudwego/kitex/transport"
)

const idl = `namespace go greeter
struct Req { 1: string name }
struct Resp { 1: string msg }
service Greeter {
  Resp Echo(1: Req req)
}
`

type handler struct{}

func (*handler) GenericCall(_ context.Context, method string, request interface{}) (interface{}, error) {
	if method != "Echo" {
		return nil, fmt.Errorf("unknown method %s", method)
	}
	req, _ := request.(map[string]interface{})
	return map[string]interface{}{"msg": req["name"]}, nil
}

// Run serves and loads itself, then prints one line:
//
//	requests N rps X cpu_us_per_req X cpu_util X calls_total N
//
// where the CPU time is the whole process's (server and client), user and
// system, over the measured seconds, cpu_util that time over the seconds
// (2 is both cores of a 2-core machine), and calls_total every call the
// process made, warm-up included. With -cpuprofile, the measured seconds
// are profiled. srvOpts and cliOpts come after the program's own options
// (TTHeader, which carries Kitex's metainfo, on both sides; a
// long-connection pool that keeps a connection per caller).
func Run(srvOpts []server.Option, cliOpts []client.Option) {
	conns := flag.Int("c", 16, "concurrent callers")
	dur := flag.Duration("d", 10*time.Second, "measured load")
	warm := flag.Duration("w", 2*time.Second, "load before measuring")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measured seconds to this file")
	flag.Parse()

	g := thriftGeneric()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // Kitex listens itself
	tcp, _ := net.ResolveTCPAddr("tcp", addr)
	svr := genericserver.NewServer(&handler{}, g, append([]server.Option{
		server.WithServiceAddr(tcp),
		server.WithMetaHandler(transmeta.ServerTTHeaderHandler),
	}, srvOpts...)...)
	go func() {
		if err := svr.Run(); err != nil {
			log.Fatal(err)
		}
	}()
	defer svr.Stop()
	waitUp(addr)

	cli, err := genericclient.NewClient("greeter", g, append([]client.Option{
		client.WithHostPorts(addr),
		client.WithTransportProtocol(transport.TTHeader),
		client.WithMetaHandler(transmeta.ClientTTHeaderHandler),
		client.WithLongConnection(connpool.IdleConfig{
			MaxIdlePerAddress: *conns, MaxIdleGlobal: *conns, MaxIdleTimeout: time.Minute,
		}),
	}, cliOpts...)...)
	if err != nil {
		log.Fatal(err)
	}
	req := map[string]interface{}{"name": "hello"}

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
				if _, err := cli.GenericCall(context.Background(), "Echo", req); err != nil {
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

// thriftGeneric is the map generic of the IDL, parsed at run time.
func thriftGeneric() generic.Generic {
	p, err := generic.NewThriftContentProvider(idl, nil)
	if err != nil {
		log.Fatal(err)
	}
	g, err := generic.MapThriftGeneric(p)
	if err != nil {
		log.Fatal(err)
	}
	return g
}

// waitUp returns once addr accepts connections.
func waitUp(addr string) {
	for range 500 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	log.Fatalf("%s never listened", addr)
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

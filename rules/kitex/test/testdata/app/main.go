// Command app is the Kitex integration's test program. It knows nothing of
// OpenTelemetry. It serves the Thrift service of the IDL below with a
// generic server (no generated code: the IDL is parsed at run time, calls
// are maps), and calls it with generic clients over TTHeader, which carries
// Kitex's metainfo:
//
//	Greeter.Hello  calls Greeter.Echo with the handler's context
//	Greeter.Echo   answers the name
//	Greeter.Fail   returns an error
//	Greeter.Boom   panics; Kitex recovers it and the call fails
//
// It prints "done" after the calls (each call's outcome before it), and
// returns from main when its stdin ends.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/client/genericclient"
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
  Resp Hello(1: Req req)
  Resp Echo(1: Req req)
  Resp Fail(1: Req req)
  Resp Boom(1: Req req)
}
`

type handler struct{ cli genericclient.Client }

func (h *handler) GenericCall(ctx context.Context, method string, request interface{}) (interface{}, error) {
	req, _ := request.(map[string]interface{})
	name, _ := req["name"].(string)
	switch method {
	case "Hello":
		resp, err := h.cli.GenericCall(ctx, "Echo", map[string]interface{}{"name": name})
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{"msg": "hello, " + resp.(map[string]interface{})["msg"].(string)}, nil
	case "Echo":
		return map[string]interface{}{"msg": name}, nil
	case "Fail":
		return nil, errors.New("no such user")
	case "Boom":
		panic("handler exploded")
	}
	return nil, fmt.Errorf("unknown method %s", method)
}

func main() {
	g := thriftGeneric()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // Kitex listens itself
	tcp, _ := net.ResolveTCPAddr("tcp", addr)

	h := &handler{cli: newClient(g, addr)}
	svr := genericserver.NewServer(h, g, server.WithServiceAddr(tcp))
	go func() {
		if err := svr.Run(); err != nil {
			log.Fatal(err)
		}
	}()
	waitUp(addr)

	cli := newClient(g, addr)
	for _, m := range []string{"Hello", "Fail", "Boom"} {
		resp, err := cli.GenericCall(context.Background(), m, map[string]interface{}{"name": "ada"})
		fmt.Printf("%s: %v %v\n", m, resp, err)
	}
	fmt.Println("done")
	io.Copy(io.Discard, os.Stdin)
	svr.Stop()
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

// newClient is a generic client of the server at addr, over TTHeader.
func newClient(g generic.Generic, addr string) genericclient.Client {
	cli, err := genericclient.NewClient("greeter", g,
		client.WithHostPorts(addr),
		client.WithTransportProtocol(transport.TTHeader),
		client.WithMetaHandler(transmeta.ClientTTHeaderHandler))
	if err != nil {
		log.Fatal(err)
	}
	return cli
}

// waitUp returns once addr accepts connections.
func waitUp(addr string) {
	for i := 0; i < 500; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	log.Fatalf("%s never listened", addr)
}

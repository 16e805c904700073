// Command app is the fasthttp integration's test program. It knows nothing
// of OpenTelemetry. It runs three fasthttp servers, each listening its own
// way:
//
//	front    Server.Serve:               GET /hello calls greeter with
//	         Client.Do, and audit with fasthttp.Get from a goroutine
//	         (neither takes a context); GET /fail answers 503, GET /slow
//	         408 through fasthttp.TimeoutHandler, anything else 404
//	greeter  fasthttp.ServeConn, per accepted connection: GET /greeting
//	audit    fasthttp.ListenAndServe: GET /audit answers 204
//
// prints "listening URL" (front's), and returns from main when its stdin
// ends.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/valyala/fasthttp"
)

func main() {
	greeter := listen()
	go func() {
		for {
			c, err := greeter.Accept()
			if err != nil {
				return
			}
			go fasthttp.ServeConn(c, func(ctx *fasthttp.RequestCtx) {
				fmt.Fprintf(ctx, "hello, %s", ctx.QueryArgs().Peek("name"))
			})
		}
	}()

	// A free port for ListenAndServe, which listens itself.
	ln := listen()
	auditAddr := ln.Addr().String()
	ln.Close()
	go func() {
		log.Fatal(fasthttp.ListenAndServe(auditAddr, func(ctx *fasthttp.RequestCtx) {
			ctx.SetStatusCode(fasthttp.StatusNoContent)
		}))
	}()

	client := &fasthttp.Client{}
	slow := fasthttp.TimeoutHandler(func(ctx *fasthttp.RequestCtx) {
		time.Sleep(300 * time.Millisecond)
		ctx.SetBodyString("late")
	}, 50*time.Millisecond, "too slow")
	front := listen()
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		switch string(ctx.Path()) {
		case "/hello":
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			req.SetRequestURI("http://" + greeter.Addr().String() + "/greeting?name=ada&token=s3cret")
			if err := client.Do(req, resp); err != nil {
				ctx.Error(err.Error(), fasthttp.StatusBadGateway)
				return
			}
			done := make(chan error)
			go func() {
				_, _, err := fasthttp.Get(nil, "http://"+auditAddr+"/audit")
				done <- err
			}()
			if err := <-done; err != nil {
				ctx.Error(err.Error(), fasthttp.StatusBadGateway)
				return
			}
			ctx.Write(resp.Body())
		case "/slow":
			slow(ctx)
		case "/fail":
			ctx.Error("database down", fasthttp.StatusServiceUnavailable)
		default:
			ctx.Error("not found", fasthttp.StatusNotFound)
		}
	}}
	go srv.Serve(front)
	waitUp(auditAddr)
	fmt.Println("listening", "http://"+front.Addr().String())
	io.Copy(io.Discard, os.Stdin)
}

func listen() net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return ln
}

// waitUp returns once addr accepts connections.
func waitUp(addr string) {
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
}

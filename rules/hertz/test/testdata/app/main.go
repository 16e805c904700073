// Command app is the Hertz integration's test program. It knows nothing of
// OpenTelemetry. It runs two Hertz servers:
//
//	front  server.Default (recovery middleware), on netpoll:
//	       GET /users/:id calls back's /greeting with a Hertz client;
//	       GET /fail leaves an error in c.Errors and answers 503;
//	       GET /panic panics, and the recovery middleware answers 500;
//	       anything else 404
//	back   server.New, on Go's net (the standard transport):
//	       GET /greeting answers "hello, NAME"
//	bare   server.New, on netpoll, without the recovery middleware:
//	       GET /crash panics, and netpoll's worker pool logs the panic
//
// prints "bare URL" and "listening URL" (front's), and returns from main
// when its stdin ends.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"

	"github.com/cloudwego/hertz/pkg/app"
	"github.com/cloudwego/hertz/pkg/app/client"
	"github.com/cloudwego/hertz/pkg/app/server"
	"github.com/cloudwego/hertz/pkg/network/standard"
)

func main() {
	backLn := listen()
	back := server.New(server.WithListener(backLn), server.WithTransport(standard.NewTransporter), server.WithDisablePrintRoute(true))
	back.GET("/greeting", func(c context.Context, ctx *app.RequestContext) {
		ctx.String(200, "hello, %s", ctx.Query("name"))
	})
	go back.Spin()

	bareLn := listen()
	bare := server.New(server.WithListener(bareLn), server.WithDisablePrintRoute(true))
	bare.GET("/crash", func(c context.Context, ctx *app.RequestContext) {
		panic("crash without recovery")
	})
	go bare.Spin()

	cli, err := client.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	frontLn := listen()
	front := server.Default(server.WithListener(frontLn), server.WithDisablePrintRoute(true))
	front.GET("/users/:id", func(c context.Context, ctx *app.RequestContext) {
		url := "http://" + backLn.Addr().String() + "/greeting?name=" + ctx.Param("id") + "&token=s3cret"
		status, body, err := cli.Get(c, nil, url)
		if err != nil {
			ctx.String(502, err.Error())
			return
		}
		ctx.Data(status, "text/plain", body)
	})
	front.GET("/fail", func(c context.Context, ctx *app.RequestContext) {
		ctx.Error(errors.New("database down"))
		ctx.String(503, "database down")
	})
	front.GET("/panic", func(c context.Context, ctx *app.RequestContext) {
		panic("handler exploded")
	})
	go front.Spin()
	fmt.Println("bare", "http://"+bareLn.Addr().String())
	fmt.Println("listening", "http://"+frontLn.Addr().String())
	io.Copy(io.Discard, os.Stdin)
}

func listen() net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	return ln
}

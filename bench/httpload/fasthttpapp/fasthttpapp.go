// Package fasthttpapp is the fasthttp server of the load benchmark
// (bench/fasthttp.sh): the same GET /hello/{name} as package app, routed by
// hand, since fasthttp has no router. It is a package of its own so that
// the other builds do not link fasthttp.
package fasthttpapp

import (
	"bytes"

	"github.com/valyala/fasthttp"

	"example.com/httpload/app"
)

var prefix = []byte("/hello/")

// Handle answers GET /hello/NAME (NAME without a slash) with a line of
// text, and anything else with 404.
func Handle(ctx *fasthttp.RequestCtx) {
	path := ctx.Path()
	name, ok := bytes.CutPrefix(path, prefix)
	if !ctx.IsGet() || !ok || len(name) == 0 || bytes.IndexByte(name, '/') >= 0 {
		ctx.Error("404 page not found", fasthttp.StatusNotFound)
		return
	}
	ctx.SetContentType("text/plain; charset=utf-8")
	ctx.WriteString("hello, ")
	ctx.Write(name)
	ctx.WriteString("\n")
}

// Serve serves h with a fasthttp Server on app.Listen's listener until the
// process ends.
func Serve(h fasthttp.RequestHandler) error {
	ln, err := app.Listen()
	if err != nil {
		return err
	}
	srv := &fasthttp.Server{Handler: h, Name: "httpload"}
	return srv.Serve(ln)
}

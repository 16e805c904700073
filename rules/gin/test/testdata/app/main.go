// Command app is the gin integration's test program. It knows nothing of
// OpenTelemetry. It serves, through gin with gin.Recovery:
//
//	GET /users/:id  calls GET /ping on itself with http.Get (no context)
//	GET /ping       answers "pong"
//	GET /fail       aborts with status 500 and an error (c.AbortWithError)
//	GET /bad        leaves an error in c.Errors and answers 400
//	GET /panic      panics; gin.Recovery answers 500
//	GET /traced     answers "traced", behind otelgin's middleware
//
// prints "listening URL", and returns from main when its stdin ends.
package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	self := "http://" + ln.Addr().String()

	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/users/:id", func(c *gin.Context) {
		resp, err := http.Get(self + "/ping")
		if err != nil {
			c.String(http.StatusBadGateway, err.Error())
			return
		}
		defer resp.Body.Close()
		pong, _ := io.ReadAll(resp.Body)
		c.String(http.StatusOK, "user %s: %s", c.Param("id"), pong)
	})
	r.GET("/ping", func(c *gin.Context) { c.String(http.StatusOK, "pong") })
	r.GET("/fail", func(c *gin.Context) {
		c.AbortWithError(http.StatusInternalServerError, errors.New("database down"))
	})
	r.GET("/bad", func(c *gin.Context) {
		c.Error(errors.New("no such user"))
		c.String(http.StatusBadRequest, "bad request")
	})
	r.GET("/panic", func(c *gin.Context) { panic("kaboom") })
	r.GET("/traced", otelgin.Middleware("app"), func(c *gin.Context) { c.String(http.StatusOK, "traced") })

	go http.Serve(ln, r)
	fmt.Println("listening", self)
	io.Copy(io.Discard, os.Stdin)
}

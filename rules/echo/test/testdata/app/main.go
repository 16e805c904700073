// Command app is the echo integration's test program. It knows nothing of
// OpenTelemetry. It serves, through echo with middleware.Recover:
//
//	GET /users/:id  calls GET /ping on itself with http.Get (no context)
//	GET /ping       answers "pong"
//	GET /fail       returns echo.NewHTTPError(503, "database down")
//	GET /panic      panics; middleware.Recover hands it to echo's error handler
//
// prints "listening URL", and returns from main when its stdin ends.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	self := "http://" + ln.Addr().String()

	e := echo.New()
	e.Use(middleware.Recover())
	e.GET("/users/:id", func(c echo.Context) error {
		resp, err := http.Get(self + "/ping")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		pong, _ := io.ReadAll(resp.Body)
		return c.String(http.StatusOK, fmt.Sprintf("user %s: %s", c.Param("id"), pong))
	})
	e.GET("/ping", func(c echo.Context) error { return c.String(http.StatusOK, "pong") })
	e.GET("/fail", func(c echo.Context) error {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "database down")
	})
	e.GET("/panic", func(c echo.Context) error { panic("kaboom") })

	go http.Serve(ln, e)
	fmt.Println("listening", self)
	io.Copy(io.Discard, os.Stdin)
}

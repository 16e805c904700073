// Command app is the fiber integration's test program. It knows nothing of
// OpenTelemetry. It serves, through fiber v2 with the recover middleware:
//
//	GET /users/:id      calls GET /ping on itself with fasthttp.Get (no context)
//	GET /ping           answers "pong"
//	GET /api/items/:id  a route of the group /api
//	GET /fail           returns fiber.NewError(503, "database down")
//	GET /panic          panics; the recover middleware makes it an error
//
// prints "listening URL", and returns from main when its stdin ends.
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"os"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/valyala/fasthttp"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	self := "http://" + ln.Addr().String()

	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(recover.New())
	app.Get("/users/:id", func(c *fiber.Ctx) error {
		status, pong, err := fasthttp.Get(nil, self+"/ping")
		if err != nil {
			return err
		}
		if status != fiber.StatusOK {
			return fiber.NewError(fiber.StatusBadGateway, "ping answered "+fmt.Sprint(status))
		}
		return c.SendString(fmt.Sprintf("user %s: %s", c.Params("id"), pong))
	})
	app.Get("/ping", func(c *fiber.Ctx) error { return c.SendString("pong") })
	api := app.Group("/api")
	api.Get("/items/:id", func(c *fiber.Ctx) error { return c.SendString("item " + c.Params("id")) })
	app.Get("/fail", func(c *fiber.Ctx) error {
		return fiber.NewError(fiber.StatusServiceUnavailable, "database down")
	})
	app.Get("/panic", func(c *fiber.Ctx) error { panic("kaboom") })

	go app.Listener(ln)
	fmt.Println("listening", self)
	io.Copy(io.Discard, os.Stdin)
}

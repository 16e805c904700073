// Package fiberapp is the fiber v2 server of the load benchmark
// (bench/fiber.sh): the same GET /hello/{name} as package app, routed by
// fiber. It is a package of its own so that the other builds do not link
// fiber.
package fiberapp

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"example.com/httpload/app"
)

// App answers GET /hello/:name with a line of text, after the given
// middleware (otelfiber's, in cmd/otelfiber) and the recover middleware,
// as gin's benchmark server does after gin.Recovery.
func App(middleware ...fiber.Handler) *fiber.App {
	a := fiber.New(fiber.Config{DisableStartupMessage: true})
	for _, m := range middleware {
		a.Use(m)
	}
	a.Use(recover.New())
	a.Get("/hello/:name", func(c *fiber.Ctx) error {
		return c.SendString("hello, " + c.Params("name") + "\n")
	})
	return a
}

// Serve serves a on app.Listen's listener until the process ends.
func Serve(a *fiber.App) error {
	ln, err := app.Listen()
	if err != nil {
		return err
	}
	return a.Listener(ln)
}

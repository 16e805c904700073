// Package ginapp is the gin server of the load benchmark (bench/gin.sh):
// the same GET /hello/{name} as package app, routed by gin. It is a package
// of its own so that the net/http builds do not link gin.
package ginapp

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Engine answers GET /hello/:name with a line of text, after the given
// middleware (otelgin's, in cmd/otelgin) and gin.Recovery.
func Engine(middleware ...gin.HandlerFunc) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(middleware...)
	e.Use(gin.Recovery())
	e.GET("/hello/:name", func(c *gin.Context) {
		c.String(http.StatusOK, "hello, %s\n", c.Param("name"))
	})
	return e
}

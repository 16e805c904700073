// Command gin serves one request with a gin engine, through httptest, and
// prints ok when the handler answered it.
package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/ping/:name", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"hello": c.Param("name")}) })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/ping/otel", nil))
	if w.Code != http.StatusOK || w.Body.String() != `{"hello":"otel"}` {
		fmt.Fprintf(os.Stderr, "%d %s\n", w.Code, w.Body)
		os.Exit(1)
	}
	fmt.Println("ok")
}

// Package hooks holds the hooks of the build benchmark's rules. They count,
// and otherwise leave the calls alone.
package hooks

import (
	"net/http"
	"sync/atomic"

	"github.com/otelgen/otelgen/hook"
)

// Calls counts hook calls.
var Calls atomic.Int64

// DoBefore is the before hook of net/http.(*Client).Do.
func DoBefore(c *hook.Call, cl *http.Client, req **http.Request) { Calls.Add(1) }

// DoAfter is the after hook of net/http.(*Client).Do.
func DoAfter(c *hook.Call, resp **http.Response, err *error) { Calls.Add(1) }

// NewStringAfter is the after hook of github.com/google/uuid.NewString.
func NewStringAfter(c *hook.Call, s *string) { Calls.Add(1) }

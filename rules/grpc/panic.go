package grpc

import (
	"context"
	"runtime"

	"google.golang.org/grpc"
)

// unaryPanics sees a unary handler's panic before the program's recovery
// interceptor (or the runtime) does, records it on the call's SERVER span,
// and panics again with the same value: a recovery interceptor recovers
// what it recovered before, with the handler's frames still on the stack.
// Only a panic that nothing recovers reads differently: Go prints a value
// raised again as "panic: v [recovered, repanicked]".
func unaryPanics(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	call, _ := ctx.Value(serverKey{}).(*serverCall)
	if call == nil {
		return handler(ctx, req)
	}
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil { // nil: runtime.Goexit, which goes on
			call.recordPanic(v)
			panic(v)
		}
	}()
	resp, err := handler(ctx, req)
	returned = true
	return resp, err
}

// streamPanics is unaryPanics for streaming handlers.
func streamPanics(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	call, _ := ss.Context().Value(serverKey{}).(*serverCall)
	if call == nil {
		return handler(srv, ss)
	}
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			call.recordPanic(v)
			panic(v)
		}
	}()
	err := handler(srv, ss)
	returned = true
	return err
}

// stack is the goroutine's stack, for exception.stacktrace; taken while the
// panic is in flight, it goes down to the frame that panicked.
func stack() string {
	buf := make([]byte, 16<<10)
	return string(buf[:runtime.Stack(buf, false)])
}

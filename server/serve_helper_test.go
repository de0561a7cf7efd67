package server

import (
	"context"
	"net"
	"testing"
	"time"
)

// serveUntilCleanup runs s.Serve on ln in the background until the test ends; the
// test then fails if Serve returns an error or has not returned within wait.
func serveUntilCleanup(t testing.TB, s *Server, ln net.Listener, wait time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(wait):
			t.Errorf("Serve did not return within %v", wait)
		}
	})
}

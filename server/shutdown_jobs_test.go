package server

import (
	"testing"
	"time"
)

// TestGracefulShutdownWaitsForCaptureJobs: a capture job answered 202 before the
// shutdown still runs against an open store, and Serve closes the store only after it.
func TestGracefulShutdownWaitsForCaptureJobs(t *testing.T) {
	ts := startServer(t, Config{})
	release, ran := make(chan struct{}), make(chan int, 1)
	_, err := ts.s.captures.start("F", "rollback", nil, 1, func() (int, []*Problem) {
		<-release
		ts.store.mu.Lock()
		ran <- ts.store.closed
		ts.store.mu.Unlock()
		return 1, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.cancel()
	select {
	case err := <-ts.done:
		t.Fatalf("Serve returned (%v) while a capture job was running", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if closed := <-ran; closed != 0 {
		t.Fatal("the store was closed under a running capture job")
	}
	select {
	case err := <-ts.done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the capture job finished")
	}
	ts.done <- nil // for the cleanup
	ts.store.mu.Lock()
	defer ts.store.mu.Unlock()
	if ts.store.closed != 1 {
		t.Errorf("store closed %d times", ts.store.closed)
	}
}

// TestGracefulShutdownGivesUpOnCaptureJobsAfterTheTimeout: a job that does not
// finish holds the shutdown for ShutdownTimeout, no longer; Serve says so.
func TestGracefulShutdownGivesUpOnCaptureJobsAfterTheTimeout(t *testing.T) {
	ts := startServer(t, Config{ShutdownTimeout: 50 * time.Millisecond})
	release := make(chan struct{})
	defer close(release)
	if _, err := ts.s.captures.start("F", "rollback", nil, 1, func() (int, []*Problem) { <-release; return 0, nil }); err != nil {
		t.Fatal(err)
	}
	ts.cancel()
	select {
	case err := <-ts.done:
		if err == nil {
			t.Fatal("Serve reported a clean shutdown with a capture job unfinished")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not give up on the capture job")
	}
	ts.done <- nil // for the cleanup
}

package server

import (
	"testing"
	"time"
)

// Capture jobs beyond the queue, or beyond the events it may hold, are refused
// with 503 and Retry-After; one job is always let in, however large.
func TestCaptureJobsBoundTheirQueue(t *testing.T) {
	js := newCaptureJobs(1, 1)
	release := make(chan struct{})
	block := func() (int, []*Problem) { <-release; return 0, nil }
	if _, err := js.start("F", "rollback", nil, maxPendingEvents*2, block); err != nil {
		t.Fatalf("the first job, however large: %v", err)
	}
	if _, err := js.start("F", "rollback", nil, 1, block); err == nil {
		t.Fatal("a job beyond the pending events was let in")
	} else if p, ok := err.(*Problem); !ok || p.Status != 503 || p.Header.Get("Retry-After") == "" {
		t.Fatalf("refusal: %v", err)
	}
	close(release)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		js.mu.Lock()
		done := js.pending == 0
		js.mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the released job is still pending after 10 s")
		}
	}
	for i := range 2 {
		if _, err := js.start("F", "rollback", nil, 1, func() (int, []*Problem) { return 0, nil }); err != nil {
			t.Fatalf("job %d after the queue drained: %v", i, err)
		}
	}
}

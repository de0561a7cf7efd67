package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Capture jobs (the REST binding's /capture/{captureID}) live in memory: a job is
// worth asking about for minutes, not across restarts, and the events a job stored
// are on the ledger whatever happens to the job's record. Finished jobs are kept
// for captureJobTTL, and at most maxCaptureJobs are kept at all (the oldest
// finished ones go first), so memory stays bounded however many documents arrive.
// After a restart a job's ID answers 404; its events are found by query.
const (
	captureJobTTL  = time.Hour
	maxCaptureJobs = 10000
	// captureWorkers jobs append at once: more would only queue in the ledger's
	// appender, which commits one group at a time.
	captureWorkers = 2
	// captureQueue jobs may wait for a worker; beyond that capture answers 503
	// with Retry-After rather than holding documents in memory without bound.
	captureQueue = 256
	// maxPendingEvents bounds the parsed events waiting in jobs (a few KiB each),
	// whatever the size of the documents; one job is always let in.
	maxPendingEvents = 50000
)

// A captureJob is the state of one capture, as GET /epcis/capture/{id} answers it
// (the OpenAPI document's CaptureJob schema).
type captureJob struct {
	ID         string     `json:"captureID"`
	CreatedAt  time.Time  `json:"createdAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
	Running    bool       `json:"running"`
	Success    bool       `json:"success"`
	Behaviour  string     `json:"captureErrorBehaviour"`
	Errors     []*Problem `json:"errors"`
	// Captured counts the events stored (or found already stored) so far; an
	// extension of the standard members.
	Captured int `json:"captured"`

	firm string // the caller's firm: only it (and regulators, admins) may read the job
}

// captureJobs holds the jobs and bounds how many run and wait.
type captureJobs struct {
	mu      sync.Mutex
	jobs    map[string]*captureJob
	order   []string // IDs in creation order, for eviction
	pending int      // jobs submitted and not finished
	events  int      // events in those jobs
	slots   chan struct{}
	queue   int
	// finished is closed (and replaced) each time a job finishes, for drain.
	finished chan struct{}
}

// newCaptureJobs returns an empty job table running at most workers jobs at once
// with at most queue more waiting.
func newCaptureJobs(workers, queue int) *captureJobs {
	return &captureJobs{jobs: map[string]*captureJob{}, slots: make(chan struct{}, workers), queue: queue,
		finished: make(chan struct{})}
}

// drain waits until no job is running or waiting, or until ctx ends. Graceful
// shutdown calls it after the last request and before closing the ledger, so the
// documents of accepted (202) captures reach the ledger instead of failing
// half-stored against a closed store.
func (js *captureJobs) drain(ctx context.Context) error {
	for {
		js.mu.Lock()
		n, finished := js.pending, js.finished
		js.mu.Unlock()
		if n == 0 {
			return nil
		}
		select {
		case <-finished:
		case <-ctx.Done():
			return fmt.Errorf("server: %d capture jobs unfinished at shutdown: %w", n, ctx.Err())
		}
	}
}

// start registers a new running job for firm and runs work on it in the background,
// at most captureWorkers at a time. events is how many events work holds; work
// returns the events captured and the problems met; the job succeeds when there
// are none.
func (js *captureJobs) start(firm, behaviour string, initial []*Problem, events int, work func() (int, []*Problem)) (*captureJob, error) {
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	job := &captureJob{ID: "cap" + hex.EncodeToString(id), CreatedAt: time.Now().UTC(), Running: true,
		Success: len(initial) == 0, Behaviour: behaviour, Errors: initial, firm: firm}
	if job.Errors == nil {
		job.Errors = []*Problem{}
	}
	js.mu.Lock()
	if js.pending >= js.queue+cap(js.slots) || (js.pending > 0 && js.events+events > maxPendingEvents) {
		js.mu.Unlock()
		return nil, NewProblem(http.StatusServiceUnavailable, ImplementationException,
			"too many capture jobs are waiting; retry shortly").WithHeader("Retry-After", "1")
	}
	js.pending++
	js.events += events
	js.evictLocked(job.CreatedAt)
	js.jobs[job.ID] = job
	js.order = append(js.order, job.ID)
	js.mu.Unlock()

	go func() {
		js.slots <- struct{}{}
		n, probs := work()
		<-js.slots
		now := time.Now().UTC()
		js.mu.Lock()
		job.Captured = n
		job.Errors = append(job.Errors, probs...)
		job.Success = len(job.Errors) == 0
		job.Running = false
		job.FinishedAt = &now
		js.pending--
		js.events -= events
		close(js.finished)
		js.finished = make(chan struct{})
		js.mu.Unlock()
	}()
	return job, nil
}

// evictLocked drops finished jobs past their TTL, and the oldest finished jobs while
// there are too many.
func (js *captureJobs) evictLocked(now time.Time) {
	keep := js.order[:0]
	excess := len(js.order) + 1 - maxCaptureJobs
	for _, id := range js.order {
		j := js.jobs[id]
		if !j.Running && (now.Sub(*j.FinishedAt) > captureJobTTL || excess > 0) {
			delete(js.jobs, id)
			excess--
			continue
		}
		keep = append(keep, id)
	}
	js.order = keep
}

// get returns a copy of job id as the caller may see it: nil when there is none,
// or it belongs to another firm and the caller does not act for every firm.
func (js *captureJobs) get(id string, caller Caller) *captureJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok || RequireFirm(caller, j.firm) != nil {
		return nil
	}
	c := *j
	c.Errors = append([]*Problem{}, j.Errors...)
	return &c
}

// list returns copies of the jobs the caller may see, newest first, starting after
// the job with ID after ("" for the newest), at most n; more reports whether
// further jobs follow.
func (js *captureJobs) list(caller Caller, after string, n int) (jobs []*captureJob, more bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	skipping := after != ""
	for i := len(js.order) - 1; i >= 0; i-- {
		id := js.order[i]
		if skipping {
			skipping = id != after
			continue
		}
		j := js.jobs[id]
		if RequireFirm(caller, j.firm) != nil {
			continue
		}
		if len(jobs) == n {
			return jobs, true
		}
		c := *j
		c.Errors = append([]*Problem{}, j.Errors...)
		jobs = append(jobs, &c)
	}
	return jobs, false
}

package webhooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// DefaultSchedule is the delay before each retry: 2 s doubling to 32 s, so six
// attempts over about a minute.
var DefaultSchedule = []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second}

// DefaultTimeout bounds one attempt.
const DefaultTimeout = 10 * time.Second

// A Sender delivers notifications to hooks in the background, retrying with the
// delays of Schedule and recording every attempt in Store. Its zero fields mean the
// defaults (http.DefaultClient's transport with DefaultTimeout, DefaultSchedule).
// Stop it before closing the store its Store is on.
type Sender struct {
	Store    *Store
	Client   *http.Client
	Schedule []time.Duration
	Log      *slog.Logger

	wg       sync.WaitGroup
	initOnce sync.Once
	ctx      context.Context // cancelled by Stop: ends attempts in flight and retry waits
	cancel   context.CancelFunc
}

// Send records a pending delivery of body to hook about topic and starts delivering
// it; it returns the delivery as first recorded.
func (s *Sender) Send(topic, event string, h *Hook, body []byte) (*Delivery, error) {
	d := &Delivery{ID: newID(), Topic: topic, Firm: h.Firm, Hook: h.ID, URL: h.URL, Status: StatusPending,
		Attempts: []Attempt{}, Body: body}
	if err := s.Store.SaveDelivery(d); err != nil {
		return nil, err
	}
	first := *d
	s.init()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.deliver(d, event, h.Secret)
	}()
	return &first, nil
}

// Wait blocks until every delivery started has succeeded or run out of attempts.
func (s *Sender) Wait() { s.wg.Wait() }

// Stop ends the deliveries still under way and waits for them: an attempt in flight
// is cancelled and not counted, and no retry is made. Each such delivery stays
// recorded as pending, with the time its next attempt was due. A server calls it
// at shutdown, so that no delivery writes to the store after it is closed.
func (s *Sender) Stop() {
	s.init()
	s.cancel()
	s.wg.Wait()
}

func (s *Sender) init() {
	s.initOnce.Do(func() { s.ctx, s.cancel = context.WithCancel(context.Background()) })
}

func (s *Sender) deliver(d *Delivery, event, secret string) {
	schedule := s.Schedule
	if schedule == nil {
		schedule = DefaultSchedule
	}
	sig := Sign(secret, d.Body)
	for i := 0; ; i++ {
		a := s.attempt(d, event, sig)
		stopped := s.ctx.Err() != nil
		if !stopped || a.Error == "" {
			d.Attempts = append(d.Attempts, a)
			d.Next = nil
		}
		switch {
		case stopped && a.Error != "":
			if d.Next == nil { // stopped before the first attempt ended: due now
				next := a.At
				d.Next = &next
			}
		case a.Error == "":
			d.Status = StatusDelivered
		case i >= len(schedule):
			d.Status = StatusFailed
		default:
			next := time.Now().Add(schedule[i]).UTC()
			d.Next = &next
		}
		if err := s.Store.SaveDelivery(d); err != nil && s.Log != nil {
			s.Log.Warn("webhook delivery not recorded", slog.String("delivery", d.ID), slog.Any("err", err))
		}
		if d.Status != StatusPending {
			if s.Log != nil {
				s.Log.Info("webhook delivery finished", slog.String("delivery", d.ID), slog.String("firm", d.Firm),
					slog.String("status", d.Status), slog.Int("attempts", len(d.Attempts)))
			}
			return
		}
		if stopped {
			return
		}
		t := time.NewTimer(schedule[i])
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return
		}
	}
}

// attempt POSTs the body once.
func (s *Sender) attempt(d *Delivery, event, sig string) Attempt {
	client := s.Client
	if client == nil {
		// Redirects are not followed: the subscribed URL is the one a firm vouched for,
		// and a 3xx answer is a failed attempt like any other non-2xx.
		client = &http.Client{Timeout: DefaultTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	start := time.Now()
	a := Attempt{At: start.UTC()}
	ctx, cancel := context.WithTimeout(s.ctx, DefaultTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "traceledger-webhooks/1")
	req.Header.Set(HeaderEvent, event)
	req.Header.Set(HeaderDelivery, d.ID)
	req.Header.Set(HeaderSignature, sig)
	res, err := client.Do(req)
	a.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		a.Error = err.Error()
		return a
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	a.StatusCode = res.StatusCode
	if res.StatusCode < 200 || res.StatusCode > 299 {
		a.Error = fmt.Sprintf("HTTP %d", res.StatusCode)
	}
	return a
}

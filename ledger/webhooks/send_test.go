package webhooks

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"traceledger/fixtures/memkv"
)

// receiver answers the statuses in order (the last one from then on) and counts
// requests whose signature verifies under secret.
func receiver(t *testing.T, secret string, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n, signed atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if Verify(secret, b, r.Header.Get(HeaderSignature)) && r.Header.Get(HeaderEvent) == "recall" &&
			r.Header.Get(HeaderDelivery) != "" && r.Header.Get("Content-Type") == "application/json" {
			signed.Add(1)
		}
		i := int(n.Add(1)) - 1
		st := statuses[min(i, len(statuses)-1)]
		if st/100 == 3 {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(st)
	}))
	t.Cleanup(srv.Close)
	return srv, &signed
}

func TestSenderRetriesWithBackoff(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		want     []int
		status   string
	}{
		{"fails twice then succeeds", []int{500, 503, 200}, []int{500, 503, 200}, StatusDelivered},
		{"succeeds at once", []int{202}, []int{202}, StatusDelivered},
		{"never succeeds: attempts run out", []int{500}, []int{500, 500, 500, 500}, StatusFailed},
		{"a client error is no success either", []int{404}, []int{404, 404, 404, 404}, StatusFailed},
		{"redirects are not followed", []int{307, 200}, []int{307, 200}, StatusDelivered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, signed := receiver(t, "s3cret-s3cret-s3cret", tc.statuses...)
			st := NewStore(memkv.New())
			hk, err := st.Register("F1", srv.URL+"/hook", "s3cret-s3cret-s3cret")
			if err != nil {
				t.Fatal(err)
			}
			schedule := []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}
			s := &Sender{Store: st, Schedule: schedule}
			start := time.Now()
			d, err := s.Send("R1", "recall", hk, []byte(`{"recallID":"R1"}`))
			if err != nil || d.Status != StatusPending {
				t.Fatalf("%+v %v", d, err)
			}
			s.Wait()
			took := time.Since(start)
			ds, err := st.Deliveries("R1")
			if err != nil || len(ds) != 1 {
				t.Fatalf("%v %v", ds, err)
			}
			got := ds[0]
			var codes []int
			for _, a := range got.Attempts {
				codes = append(codes, a.StatusCode)
			}
			if got.Status != tc.status || !slices.Equal(codes, tc.want) || got.Next != nil {
				t.Errorf("status %s codes %v next %v, want %s %v", got.Status, codes, got.Next, tc.status, tc.want)
			}
			if int(signed.Load()) != len(tc.want) {
				t.Errorf("%d of %d requests signed", signed.Load(), len(tc.want))
			}
			var wait time.Duration
			for _, d := range schedule[:len(tc.want)-1] {
				wait += d
			}
			if took < wait {
				t.Errorf("took %v, less than the backoff %v", took, wait)
			}
		})
	}
}

func TestSenderRecordsUnreachableReceivers(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	st := NewStore(memkv.New())
	hk, _ := st.Register("F1", url, "")
	s := &Sender{Store: st, Schedule: []time.Duration{time.Millisecond}}
	if _, err := s.Send("R2", "recall", hk, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	ds, _ := st.Deliveries("R2")
	if len(ds) != 1 || ds[0].Status != StatusFailed || len(ds[0].Attempts) != 2 ||
		ds[0].Attempts[0].StatusCode != 0 || ds[0].Attempts[0].Error == "" {
		t.Errorf("%+v", ds[0])
	}
}

// Stop cancels an attempt in flight (not counted) and a retry wait, and returns at
// once; both deliveries stay pending with their next attempt's time.
func TestSenderStopEndsDeliveriesUnderWay(t *testing.T) {
	arrived := make(chan struct{}, 1)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // then the server notices the client hang up
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(hang.Close)
	fail, _ := receiver(t, "", 500)
	st := NewStore(memkv.New())
	s := &Sender{Store: st, Schedule: []time.Duration{time.Hour}}
	for _, url := range []string{hang.URL, fail.URL} {
		hk, err := st.Register("F1", url, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Send("R3", "recall", hk, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	<-arrived
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		ds, err := st.Deliveries("R3")
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(ds, func(d *Delivery) bool { return d.URL == fail.URL }); i >= 0 && len(ds[i].Attempts) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the failing receiver's first attempt was not recorded: %+v", ds)
		}
	}
	stopped := make(chan struct{})
	go func() { s.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not return while a delivery was in flight and another waiting to retry")
	}
	ds, err := st.Deliveries("R3")
	if err != nil || len(ds) != 2 {
		t.Fatalf("%v %v", ds, err)
	}
	for _, d := range ds {
		want := 0
		if d.URL == fail.URL {
			want = 1
		}
		if d.Status != StatusPending || len(d.Attempts) != want || d.Next == nil {
			t.Errorf("%s: status %s, %d attempts, next %v; want pending, %d attempts, a next time", d.URL, d.Status, len(d.Attempts), d.Next, want)
		}
		if d.URL == fail.URL && d.Next != nil && time.Until(*d.Next) < 59*time.Minute {
			t.Errorf("next attempt at %v, want an hour after the first", d.Next)
		}
	}
}

package webhooks

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// A KV is the key-value space the store keeps its records in; *ledger.Meta
// satisfies it.
type KV interface {
	Get(key []byte) (value []byte, found bool, err error)
	Put(key, value []byte) error
	Iterate(prefix []byte, fn func(key, value []byte) error) error
}

// Key prefixes of the store's records.
const (
	prefixHook     = "webhook/h/" // webhook/h/{firm}/{hook ID} -> Hook
	prefixDelivery = "webhook/d/" // webhook/d/{topic}/{delivery ID} -> Delivery
)

// ErrNotFound is returned for a hook that does not exist (or was deleted).
var ErrNotFound = errors.New("webhooks: no such webhook")

// A Hook is one firm's subscription: where to POST notifications and the secret
// that signs them.
type Hook struct {
	ID      string    `json:"id"`                // random hex; names the hook in the API
	Firm    string    `json:"firm"`              // USCC of the subscribing firm: only its notices go here
	URL     string    `json:"url"`               // absolute http or https URL, checked by CheckURL
	Secret  string    `json:"secret,omitempty"`  // HMAC-SHA256 key of the signature header
	Created time.Time `json:"created"`           // when it was registered, UTC
	Deleted bool      `json:"deleted,omitempty"` // unsubscribed: kept for the record, no longer notified
}

// An Attempt is one try of a delivery: when, how long, the HTTP status answered (0
// when none) and the error, if it failed.
type Attempt struct {
	At         time.Time `json:"at"`
	DurationMS float64   `json:"durationMs"`
	StatusCode int       `json:"statusCode"`
	Error      string    `json:"error,omitempty"`
}

// Delivery states.
const (
	StatusPending   = "pending"   // attempts remain
	StatusDelivered = "delivered" // a 2xx answer came
	StatusFailed    = "failed"    // every attempt failed
)

// A Delivery is one notification to one hook, with every attempt so far.
type Delivery struct {
	ID       string          `json:"id"`                    // random hex; sent in HeaderDelivery
	Topic    string          `json:"topic"`                 // what it is about (a recall ID)
	Firm     string          `json:"firm"`                  // the hook's firm
	Hook     string          `json:"hook"`                  // the hook's ID
	URL      string          `json:"url"`                   // the hook's URL when the delivery was made
	Status   string          `json:"status"`                // StatusPending, StatusDelivered or StatusFailed
	Attempts []Attempt       `json:"attempts"`              // oldest first
	Next     *time.Time      `json:"nextAttempt,omitempty"` // when the next attempt is due, while pending
	Body     json.RawMessage `json:"-"`                     // the signed payload, in memory only: not stored
}

// A Store keeps hooks and deliveries in a KV. It is safe for concurrent use.
type Store struct {
	kv  KV
	now func() time.Time
	mu  sync.Mutex // serialises read-modify-write of one record
}

// NewStore returns a Store over kv.
func NewStore(kv KV) *Store { return &Store{kv: kv, now: time.Now} }

// newID returns a random identifier of 16 hex digits.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// CheckURL says what is wrong with a webhook URL: it must be an absolute http or
// https URL with a host and no user information or fragment.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("not a URL: %v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return errors.New("want an http or https URL")
	case u.Host == "":
		return errors.New("the URL has no host")
	case u.User != nil:
		return errors.New("the URL must not carry user information")
	case u.Fragment != "":
		return errors.New("the URL must not have a fragment")
	}
	return nil
}

// Register subscribes firm's URL. An empty secret gets a random one (returned in the
// Hook, the only time the API shows it).
func (s *Store) Register(firm, rawURL, secret string) (*Hook, error) {
	if firm == "" || strings.Contains(firm, "/") {
		return nil, fmt.Errorf("webhooks: firm %q: not a firm code", firm)
	}
	if err := CheckURL(rawURL); err != nil {
		return nil, fmt.Errorf("webhooks: url: %w", err)
	}
	if secret == "" {
		var b [24]byte
		_, _ = rand.Read(b[:])
		secret = hex.EncodeToString(b[:])
	}
	h := &Hook{ID: newID(), Firm: firm, URL: rawURL, Secret: secret, Created: s.now().UTC()}
	if err := s.put(prefixHook+firm+"/"+h.ID, h); err != nil {
		return nil, err
	}
	return h, nil
}

// Hooks returns firm's live hooks, oldest first.
func (s *Store) Hooks(firm string) ([]*Hook, error) {
	var out []*Hook
	err := s.kv.Iterate([]byte(prefixHook+firm+"/"), func(_, v []byte) error {
		var h Hook
		if err := json.Unmarshal(v, &h); err != nil {
			return fmt.Errorf("webhooks: stored hook: %w", err)
		}
		if !h.Deleted {
			out = append(out, &h)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

// Delete unsubscribes one of firm's hooks. The record stays, marked deleted (the
// KV has no delete), so deliveries made to it keep their context.
func (s *Store) Delete(firm, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := prefixHook + firm + "/" + id
	var h Hook
	found, err := s.get(key, &h)
	if err != nil {
		return err
	}
	if !found || h.Deleted || strings.Contains(id, "/") {
		return ErrNotFound
	}
	h.Deleted = true
	return s.put(key, &h)
}

// SaveDelivery records d (a new delivery or one with a new attempt).
func (s *Store) SaveDelivery(d *Delivery) error {
	return s.put(prefixDelivery+d.Topic+"/"+d.ID, d)
}

// Deliveries returns the deliveries about topic, by firm then ID.
func (s *Store) Deliveries(topic string) ([]*Delivery, error) {
	var out []*Delivery
	err := s.kv.Iterate([]byte(prefixDelivery+topic+"/"), func(_, v []byte) error {
		var d Delivery
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("webhooks: stored delivery: %w", err)
		}
		out = append(out, &d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Firm != out[j].Firm {
			return out[i].Firm < out[j].Firm
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func (s *Store) get(key string, v any) (bool, error) {
	b, found, err := s.kv.Get([]byte(key))
	if err != nil || !found {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("webhooks: stored %s: %w", key, err)
	}
	return true, nil
}

func (s *Store) put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := s.kv.Put([]byte(key), b); err != nil {
		return fmt.Errorf("webhooks: %w", err)
	}
	return nil
}

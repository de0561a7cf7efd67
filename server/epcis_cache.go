package server

import "sync"

// An eventCache keeps the JSON of events answered by ID. Ledger entries never
// change, and an ID always names the same entry (a hash ID its event, a capturer's
// ID the first entry given it), so an entry's answer is rendered once and served
// from memory after: GET /epcis/events/{eventID} then costs neither the two store
// reads of the lookup nor parsing and writing the event. The cache holds at most
// max events; when full it drops one at random (map order), which keeps the hot
// ones with high probability without LRU bookkeeping on every hit.
type eventCache struct {
	mu  sync.RWMutex
	m   map[string][]byte
	max int
}

// eventCacheSize bounds the cache: about 8 MiB of typical 1 KiB events.
const eventCacheSize = 8192

// newEventCache returns an empty cache of at most max events.
func newEventCache(max int) *eventCache { return &eventCache{m: make(map[string][]byte), max: max} }

// get returns the cached JSON of the event with id.
func (c *eventCache) get(id string) ([]byte, bool) {
	c.mu.RLock()
	b, ok := c.m[id]
	c.mu.RUnlock()
	return b, ok
}

// put caches the JSON of the event with id.
func (c *eventCache) put(id string, js []byte) {
	if len(id) > 1024 {
		return // not worth a slot; and IDs that long are not hash IDs
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[id] = js
}

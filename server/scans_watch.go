package server

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// The scan watch is the counterfeit signal of codes scanned in implausibly many places.
// A genuine instance (a serialised item or a logistic unit) is in one place at a time
// and moves along its journey at the speed of trucks; a copied label is scanned
// wherever the copies are. So:
//
//	A code is flagged when, within the last Window (24 h), it was scanned from more
//	than PlacesPerInstance (5) distinct places if it names an instance (/21/ serial,
//	/00/ SSCC), or more than PlacesPerLot (500) distinct places if it names a lot
//	(a lot is thousands of packs in many shops; only a flood is suspicious).
//	Product-class codes (a bare GTIN) are never flagged.
//
// A place is the site GLN an authenticated inspector gives with a scan (?site=), else
// the client address of the request. Counts live in memory only, bounded: at most
// MaxCodes codes (100,000; the codes first seen longest ago are forgotten first) and, per code, one
// more place than the flagging limit (enough to know the limit is passed). A restart
// forgets them, which errs on the side of not flagging.
type scanWatch struct {
	window            time.Duration
	placesPerInstance int
	placesPerLot      int
	maxCodes          int

	mu    sync.Mutex
	codes map[string]*codeScans
	// lru lists the codes in the order they were first seen, for eviction.
	lru []string
}

// codeScans holds the last scan time of each distinct place of one code.
type codeScans struct {
	places map[string]time.Time
	last   time.Time
}

// Defaults of the scan watch.
const (
	watchWindow            = 24 * time.Hour
	watchPlacesPerInstance = 5
	watchPlacesPerLot      = 500
	watchMaxCodes          = 100_000
)

func newScanWatch() *scanWatch {
	return &scanWatch{
		window: watchWindow, placesPerInstance: watchPlacesPerInstance, placesPerLot: watchPlacesPerLot,
		maxCodes: watchMaxCodes, codes: map[string]*codeScans{},
	}
}

// limit returns the flagging limit for a canonical code, 0 when it is never flagged.
func (w *scanWatch) limit(code string) int {
	switch {
	case strings.Contains(code, "/21/") || strings.Contains(code, "/00/"):
		return w.placesPerInstance
	case strings.Contains(code, "/10/"):
		return w.placesPerLot
	}
	return 0
}

// observe records a scan of code from place at now and returns how many distinct
// places scanned it within the window, and whether that is more than plausible.
func (w *scanWatch) observe(code, place string, now time.Time) (places int, flagged bool) {
	lim := w.limit(code)
	if lim == 0 {
		return 0, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	cs := w.codes[code]
	if cs == nil {
		w.evict()
		cs = &codeScans{places: map[string]time.Time{}}
		w.codes[code] = cs
		w.lru = append(w.lru, code)
	}
	cs.last = now
	for p, t := range cs.places {
		if now.Sub(t) > w.window {
			delete(cs.places, p)
		}
	}
	if _, seen := cs.places[place]; seen || len(cs.places) <= lim {
		cs.places[place] = now
	}
	return len(cs.places), len(cs.places) > lim
}

// peek returns the count observe would report without recording a scan.
func (w *scanWatch) peek(code string, now time.Time) (places int, flagged bool) {
	lim := w.limit(code)
	if lim == 0 {
		return 0, false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	cs := w.codes[code]
	if cs == nil {
		return 0, false
	}
	for _, t := range cs.places {
		if now.Sub(t) <= w.window {
			places++
		}
	}
	return places, places > lim
}

// evict makes room for one more code when the watch is full by forgetting the eighth
// of the codes that were first seen longest ago. Callers hold mu.
func (w *scanWatch) evict() {
	if len(w.codes) < w.maxCodes {
		return
	}
	// Compact the list of codes already forgotten, then drop from its head.
	live := w.lru[:0]
	for _, c := range w.lru {
		if _, ok := w.codes[c]; ok {
			live = append(live, c)
		}
	}
	w.lru = live
	drop := len(w.lru) / 8 // amortise: free an eighth at once
	if drop == 0 {
		drop = 1
	}
	for _, c := range w.lru[:drop] {
		delete(w.codes, c)
	}
	w.lru = append(w.lru[:0], w.lru[drop:]...)
}

// reason explains a flag for people.
func (w *scanWatch) reason(places int) string {
	return fmt.Sprintf("scanned from %d distinct places within %s: more than a genuine item travels", places, w.window)
}

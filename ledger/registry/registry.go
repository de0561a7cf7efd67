package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"traceledger/ledger"
)

// Errors of lookups and registrations.
var (
	// ErrNotFound is wrapped by ErrUnknownFirm and ErrUnknownProduct.
	ErrNotFound = errors.New("registry: not registered")
	// ErrUnknownFirm is returned for a USCC, GLN or code no registered firm has.
	ErrUnknownFirm = fmt.Errorf("%w: no such firm", ErrNotFound)
	// ErrUnknownProduct is returned for a GTIN no product has.
	ErrUnknownProduct = fmt.Errorf("%w: no such product", ErrNotFound)
	// ErrExists is wrapped by the FieldError of a registration that is already made.
	ErrExists = errors.New("registry: already registered")
	// ErrConflict is wrapped by the FieldError of a registration that claims a
	// company prefix or GLN another firm holds.
	ErrConflict = errors.New("registry: held by another firm")
)

// A Registry is the register of firms and products kept on a ledger. Its methods
// are safe for concurrent use; writes are serialized.
type Registry struct {
	log *ledger.Log

	wmu sync.Mutex // serializes registrations and updates

	mu       sync.RWMutex
	loaded   bool
	firms    map[string]*Firm    // by USCC
	byGLN    map[string]string   // site and party GLN -> USCC
	byPrefix map[string]string   // company prefix -> USCC
	products map[string]*Product // by GTIN-14
	lengths  []int               // distinct prefix lengths, longest first
}

// New returns the registry kept on l, which must have been opened with an
// Indexer made by Indexer. The records are read on first use.
func New(l *ledger.Log) *Registry {
	return &Registry{log: l}
}

// load reads every registry record of the log, once.
func (r *Registry) load() error {
	r.mu.RLock()
	ok := r.loaded
	r.mu.RUnlock()
	if ok {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.loaded {
		return nil
	}
	r.firms, r.byGLN, r.byPrefix = map[string]*Firm{}, map[string]string{}, map[string]string{}
	r.products = map[string]*Product{}
	entries, err := r.log.History(RegistryCode)
	if err != nil && !errors.Is(err, ledger.ErrUnknownCode) {
		return fmt.Errorf("registry: reading the records: %w", err)
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if err := r.apply(entries[i]); err != nil {
			return err
		}
	}
	r.loaded = true
	return nil
}

// apply brings the state up to date with one record entry; r.mu is held.
func (r *Registry) apply(e *ledger.Entry) error {
	rec, err := ParseRecord(e.Event)
	if err != nil {
		return fmt.Errorf("registry: entry %d: %w", e.Index, err)
	}
	if p := rec.Product; p != nil {
		p.Registered, p.Entry, p.RecordID = e.RecordTime, e.Index, e.EventID
		r.products[p.GTIN] = p
		return nil
	}
	f := rec.Firm
	if old := r.firms[f.USCC]; old != nil {
		f.Registered = old.Registered
		r.unindex(old)
	} else {
		f.Registered = e.RecordTime
	}
	f.Updated, f.Entry, f.RecordID, f.Reason = e.RecordTime, e.Index, e.EventID, rec.Reason
	r.firms[f.USCC] = f
	for _, s := range f.Sites {
		r.byGLN[s.GLN] = f.USCC
	}
	if f.PartyGLN != "" {
		r.byGLN[f.PartyGLN] = f.USCC
	}
	for _, p := range f.Prefixes {
		r.byPrefix[p] = f.USCC
		if !slices.Contains(r.lengths, len(p)) {
			r.lengths = append(r.lengths, len(p))
			sort.Sort(sort.Reverse(sort.IntSlice(r.lengths)))
		}
	}
	return nil
}

// unindex removes a firm's GLNs and prefixes from the lookup maps; r.mu is held.
func (r *Registry) unindex(f *Firm) {
	for _, s := range f.Sites {
		delete(r.byGLN, s.GLN)
	}
	if f.PartyGLN != "" {
		delete(r.byGLN, f.PartyGLN)
	}
	for _, p := range f.Prefixes {
		delete(r.byPrefix, p)
	}
}

// Firm returns the current state of the firm with Unified Social Credit Code
// uscc, or ErrUnknownFirm.
func (r *Registry) Firm(uscc string) (*Firm, error) {
	if err := r.load(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	f := r.firms[uscc]
	if f == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownFirm, uscc)
	}
	return f.clone(), nil
}

// firm returns the shared current state of a firm, or nil. States are never
// modified once applied (a change replaces the pointer), so the caller may read
// it without the lock but must not modify it.
func (r *Registry) firm(uscc string) (*Firm, error) {
	if err := r.load(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.firms[uscc], nil
}

// Firms returns every registered firm, ordered by USCC.
func (r *Registry) Firms() ([]*Firm, error) {
	if err := r.load(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Firm, 0, len(r.firms))
	for _, f := range r.firms {
		out = append(out, f.clone())
	}
	slices.SortFunc(out, func(a, b *Firm) int { return strings.Compare(a.USCC, b.USCC) })
	return out, nil
}

// FirmAtGLN returns the firm with the site or party GLN gln, written as 13 digits
// or as a location or party code (Digital Link AI 414 or 417, SGLN or PGLN URI).
func (r *Registry) FirmAtGLN(gln string) (*Firm, error) {
	g, err := glnOf(gln)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	if err := r.load(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	f := r.firms[r.byGLN[g]]
	if f == nil {
		return nil, fmt.Errorf("%w: no firm has GLN %s", ErrUnknownFirm, g)
	}
	return f.clone(), nil
}

// FirmForCode returns the firm whose GS1 company prefix a code is under: a GTIN,
// lot, serial, SSCC, GLN or any GS1 key, written as a Digital Link URI, an EPC
// URI or bare digits (GTIN, GLN, SSCC).
func (r *Registry) FirmForCode(code string) (*Firm, error) {
	digits, _, err := keyDigits(code)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	if err := r.load(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if f := r.firms[r.ownerOf(digits)]; f != nil {
		return f.clone(), nil
	}
	return nil, fmt.Errorf("%w: no firm has the company prefix of %s", ErrUnknownFirm, code)
}

// ownerOf returns the USCC of the firm holding the longest prefix of digits, or "";
// r.mu is held.
func (r *Registry) ownerOf(digits string) string {
	for _, n := range r.lengths {
		if n <= len(digits) {
			if u, ok := r.byPrefix[digits[:n]]; ok {
				return u
			}
		}
	}
	return ""
}

// Product returns the product with GTIN gtin (8 to 14 digits, or a Digital Link
// or EPC URI of the product or of one of its lots or serials), or
// ErrUnknownProduct.
func (r *Registry) Product(gtin string) (*Product, error) {
	g, err := NormalizeGTIN("gtin", gtin)
	if err != nil {
		_, key, kerr := keyDigits(gtin)
		if kerr != nil || key.AI != "01" {
			return nil, fmt.Errorf("registry: %w", err)
		}
		g = key.Value
	}
	if err := r.load(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	p := r.products[g]
	if p == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownProduct, g)
	}
	c := *p
	return &c, nil
}

// Products returns every registered product, ordered by GTIN.
func (r *Registry) Products() ([]*Product, error) {
	if err := r.load(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Product, 0, len(r.products))
	for _, p := range r.products {
		c := *p
		out = append(out, &c)
	}
	slices.SortFunc(out, func(a, b *Product) int { return strings.Compare(a.GTIN, b.GTIN) })
	return out, nil
}

// CheckFirm returns nil when uscc is a valid Unified Social Credit Code of a
// registered firm, else a *FieldError about "firm" saying why. It makes the
// registry the server's FirmChecker for new API keys.
func (r *Registry) CheckFirm(uscc string) error {
	if err := checkUSCC("firm", uscc); err != nil {
		return err
	}
	if _, err := r.Firm(uscc); err != nil {
		if errors.Is(err, ErrNotFound) {
			return &FieldError{Field: "firm", Message: "firm " + uscc + " is not registered", Err: ErrUnknownFirm}
		}
		return err
	}
	return nil
}

// actorKey is the context key of the acting firm.
type actorKey struct{}

// WithActor returns ctx naming the firm (USCC) on whose authority registrations
// and changes made with it are recorded: the Record's By.
func WithActor(ctx context.Context, uscc string) context.Context {
	return context.WithValue(ctx, actorKey{}, uscc)
}

// actor returns the acting firm of ctx, or "".
func actor(ctx context.Context) string {
	s, _ := ctx.Value(actorKey{}).(string)
	return s
}

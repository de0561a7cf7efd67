package registry

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"traceledger/ledger"
)

// RegisterFirm records a new firm on the ledger. Its fields are checked (USCC
// check characters, region code, company prefixes of 4 to 12 digits, GLN check
// digits); its prefixes and GLNs must not be held by another firm (a *FieldError
// wrapping ErrConflict) and its USCC not registered yet (wrapping ErrExists).
// An empty Status means StatusPending: a regulator approves it with UpdateFirm.
func (r *Registry) RegisterFirm(ctx context.Context, f Firm) error {
	f = *f.clone()
	if f.Status == "" {
		f.Status = StatusPending
	}
	// Empty lists are recorded as [] rather than null, so readers need no case for null.
	if f.Prefixes == nil {
		f.Prefixes = []string{}
	}
	if f.Sites == nil {
		f.Sites = []Site{}
	}
	if err := checkFirm(&f); err != nil {
		return err
	}
	r.wmu.Lock()
	defer r.wmu.Unlock()
	if err := r.load(); err != nil {
		return err
	}
	if _, err := r.Firm(f.USCC); err == nil {
		return &FieldError{Field: "uscc", Message: "firm " + f.USCC + " is already registered", Err: ErrExists}
	}
	if err := r.checkClaims(&f); err != nil {
		return err
	}
	return r.append(ctx, &Record{Type: TypeFirmRegistration, By: actor(ctx), Firm: &f}, f.USCC)
}

// checkClaims refuses prefixes and GLNs that another firm holds.
func (r *Registry) checkClaims(f *Firm) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for i, p := range f.Prefixes {
		for q, owner := range r.byPrefix {
			if owner != f.USCC && (len(p) <= len(q) && q[:len(p)] == p || len(q) < len(p) && p[:len(q)] == q) {
				return &FieldError{Field: fmt.Sprintf("prefixes[%d]", i),
					Message: "company prefix " + p + " overlaps prefix " + q + " of firm " + owner, Err: ErrConflict}
			}
		}
	}
	claim := func(field, gln string) error {
		if owner, ok := r.byGLN[gln]; ok && owner != f.USCC {
			return &FieldError{Field: field, Message: "GLN " + gln + " belongs to firm " + owner, Err: ErrConflict}
		}
		return nil
	}
	if f.PartyGLN != "" {
		if err := claim("partyGLN", f.PartyGLN); err != nil {
			return err
		}
	}
	for i, s := range f.Sites {
		if err := claim(fmt.Sprintf("sites[%d].gln", i), s.GLN); err != nil {
			return err
		}
		if s.GLN == f.PartyGLN {
			return fieldErr(fmt.Sprintf("sites[%d].gln", i), "GLN %s is the firm's party GLN, not a site", s.GLN)
		}
	}
	return nil
}

// An Update changes a registered firm. Zero fields leave the firm as it is.
type Update struct {
	// Status is the new status ("" keeps it).
	Status Status
	// Blacklisted, when not nil, puts the firm on the blacklist or takes it off.
	Blacklisted *bool
	// Reason says why; it is recorded with the change.
	Reason string
	// Name is a new legal name ("" keeps it).
	Name string
	// Prefixes, when not nil, replace the company prefixes.
	Prefixes []string
	// Sites, when not nil, replace the sites.
	Sites []Site
}

// UpdateFirm records a change to a registered firm and returns its new state.
// A change that changes nothing records nothing and returns the firm as it is.
func (r *Registry) UpdateFirm(ctx context.Context, uscc string, u Update) (*Firm, error) {
	if err := checkText("reason", u.Reason, maxReason, false); err != nil {
		return nil, err
	}
	r.wmu.Lock()
	defer r.wmu.Unlock()
	old, err := r.Firm(uscc)
	if err != nil {
		return nil, err
	}
	f := old.clone()
	if u.Status != "" {
		f.Status = u.Status
	}
	if u.Blacklisted != nil {
		f.Blacklisted = *u.Blacklisted
	}
	if u.Name != "" {
		f.Name = u.Name
	}
	if u.Prefixes != nil {
		f.Prefixes = slices.Clone(u.Prefixes)
	}
	if u.Sites != nil {
		f.Sites = slices.Clone(u.Sites)
	}
	if err := checkFirm(f); err != nil {
		return nil, err
	}
	if sameState(old, f) {
		return old, nil
	}
	if err := r.checkClaims(f); err != nil {
		return nil, err
	}
	stored := *f
	stored.Registered, stored.Updated, stored.Entry, stored.RecordID, stored.Reason = zeroFirm.Registered,
		zeroFirm.Updated, 0, "", ""
	rec := &Record{Type: TypeFirmUpdate, Prev: old.RecordID, By: actor(ctx), Reason: u.Reason, Firm: &stored}
	if err := r.append(ctx, rec, uscc); err != nil {
		return nil, err
	}
	return r.Firm(uscc)
}

var zeroFirm Firm

// sameState reports whether two firm states have the same recorded fields.
func sameState(a, b *Firm) bool {
	x, y := *a, *b
	for _, f := range []*Firm{&x, &y} {
		f.Registered, f.Updated, f.Entry, f.RecordID, f.Reason = zeroFirm.Registered, zeroFirm.Updated, 0, "", ""
	}
	return reflect.DeepEqual(x, y)
}

// RegisterProduct records a new product on the ledger. The GTIN (8 to 14 digits,
// stored as 14) must have a valid check digit and be under a company prefix of
// its owner, a registered firm; a GTIN registered already is refused (a
// *FieldError wrapping ErrExists).
func (r *Registry) RegisterProduct(ctx context.Context, p Product) error {
	g, err := NormalizeGTIN("gtin", p.GTIN)
	if err != nil {
		return err
	}
	p.GTIN = g
	p.Registered, p.Entry, p.RecordID = zeroFirm.Registered, 0, ""
	if err := checkProduct(&p); err != nil {
		return err
	}
	r.wmu.Lock()
	defer r.wmu.Unlock()
	owner, err := r.Firm(p.Owner)
	if err != nil {
		return &FieldError{Field: "owner", Message: "firm " + p.Owner + " is not registered", Err: ErrUnknownFirm}
	}
	if !ownsDigits(owner.Prefixes, g[1:]) {
		return fieldErr("gtin", "GTIN %s is not under a company prefix of firm %s (%v)", g, owner.USCC, owner.Prefixes)
	}
	if _, err := r.Product(g); err == nil {
		return &FieldError{Field: "gtin", Message: "GTIN " + g + " is already registered", Err: ErrExists}
	}
	return r.append(ctx, &Record{Type: TypeProductRegistration, By: actor(ctx), Product: &p}, p.Owner)
}

// append writes one record, submitted as firm, and applies it to the state.
func (r *Registry) append(ctx context.Context, rec *Record, firm string) error {
	b, err := rec.Marshal()
	if err != nil {
		return err
	}
	res, err := r.log.Append(ctx, ledger.Record{Event: b, Firm: firm})
	if err != nil {
		return fmt.Errorf("registry: recording %s: %w", rec.Type, err)
	}
	e, err := r.log.Get(res[0].Index)
	if err != nil {
		return fmt.Errorf("registry: reading back entry %d: %w", res[0].Index, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.apply(e)
}

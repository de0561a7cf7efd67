package registry

import (
	"slices"
	"time"
)

// A Status is where a firm stands with the regulator.
type Status string

// The statuses of a firm. Only an approved firm's producer and inspector keys may
// capture events.
const (
	// StatusPending is a registered firm the regulator has not approved yet.
	StatusPending Status = "pending"
	// StatusApproved is a firm that may record events.
	StatusApproved Status = "approved"
	// StatusSuspended is a firm whose right to record events is suspended.
	StatusSuspended Status = "suspended"
)

// valid reports whether s is one of the statuses.
func (s Status) valid() bool {
	return s == StatusPending || s == StatusApproved || s == StatusSuspended
}

// A Firm is a registered business (DESIGN.md journey 1): its real name, where it
// is registered, the GS1 company prefixes it may commission goods under and the
// sites where it records events.
type Firm struct {
	// USCC is the Unified Social Credit Code (GB 32100), check characters included.
	USCC string `json:"uscc"`
	// Name is the legal name as registered.
	Name string `json:"name"`
	// NameEN is an English rendering of the name, if any.
	NameEN string `json:"nameEN,omitempty"`
	// Region is the GB/T 2260 administrative division code of the registering office.
	Region string `json:"region"`
	// Prefixes are the firm's GS1 company prefixes (4 to 12 digits).
	Prefixes []string `json:"prefixes"`
	// PartyGLN identifies the firm itself (AI 417) as owner of goods, if it has one.
	PartyGLN string `json:"partyGLN,omitempty"`
	// Sites are the firm's physical locations.
	Sites []Site `json:"sites"`
	// Status is where the firm stands with the regulator.
	Status Status `json:"status"`
	// Blacklisted marks a firm on the regulator's public blacklist.
	Blacklisted bool `json:"blacklisted,omitempty"`

	// Registered is the record time of the firm's registration (from the ledger).
	Registered time.Time `json:"-"`
	// Updated is the record time of the firm's newest registry record.
	Updated time.Time `json:"-"`
	// Entry is the log index of the firm's newest registry record.
	Entry int64 `json:"-"`
	// RecordID is the ID of the firm's newest registry record.
	RecordID string `json:"-"`
	// Reason is the reason given with the newest change, if any.
	Reason string `json:"-"`
}

// A Site is one physical location of a firm, identified by its GLN.
type Site struct {
	// GLN is the site's 13-digit Global Location Number.
	GLN string `json:"gln"`
	// Name is what the firm calls the site.
	Name string `json:"name,omitempty"`
	// Address is the site's postal address.
	Address string `json:"address,omitempty"`
}

// HasSite reports whether gln is one of the firm's sites.
func (f *Firm) HasSite(gln string) bool {
	return slices.ContainsFunc(f.Sites, func(s Site) bool { return s.GLN == gln })
}

// clone returns a deep copy, so that callers never share the registry's state.
func (f *Firm) clone() *Firm {
	c := *f
	c.Prefixes = slices.Clone(f.Prefixes)
	c.Sites = slices.Clone(f.Sites)
	return &c
}

// A Category is the category pass rates of product sampling are measured in
// (DESIGN.md journey 5).
type Category string

// The product categories.
const (
	CategoryFarmProduce  Category = "farm_produce"
	CategoryManufactured Category = "manufactured"
)

// A Product is a registered trade item: a GTIN, what it is and the firm that owns
// it (whose company prefix the GTIN is under).
type Product struct {
	// GTIN is the 14-digit Global Trade Item Number.
	GTIN string `json:"gtin"`
	// Description says what the product is (FSMA 204's product description).
	Description string `json:"description"`
	// Name is the name printed on the pack, if it differs.
	Name string `json:"name,omitempty"`
	// Category is CategoryFarmProduce or CategoryManufactured.
	Category Category `json:"category"`
	// UOM is the UN/CEFACT Rec. 20 unit lots are counted in (KGM, LTR, EA...).
	UOM string `json:"uom"`
	// Owner is the USCC of the brand owner.
	Owner string `json:"owner"`

	// Registered is the record time of the product's registration.
	Registered time.Time `json:"-"`
	// Entry is the log index of the product's registry record.
	Entry int64 `json:"-"`
	// RecordID is the ID of the product's registry record.
	RecordID string `json:"-"`
}

package lotrecord

// A Directory answers who and what the codes on the ledger belong to: the firm and
// product registry. The builder asks it for the product of a GTIN, the firm of a
// submitting USCC and the firm and site of a GLN. Every method reports false when it
// does not know the answer; a record is then built without that part.
type Directory interface {
	// Product returns the registered product with the 14-digit GTIN.
	Product(gtin string) (*Product, bool)
	// Firm returns the registered firm with the Unified Social Credit Code.
	Firm(uscc string) (*Firm, bool)
	// FirmAtGLN returns the firm one of whose sites (or whose party GLN) gln is.
	FirmAtGLN(gln string) (*Firm, bool)
}

// A Product is what a record shows of a registered trade item.
type Product struct {
	GTIN        string `json:"gtin"`
	Description string `json:"description"`
	// Name is the name printed on the pack (often Chinese), if it differs.
	Name     string `json:"name,omitempty"`
	Category string `json:"category,omitempty"`
	UOM      string `json:"uom,omitempty"`
	// Owner is the USCC of the brand owner.
	Owner string `json:"owner,omitempty"`
}

// A Firm is what a record shows of a registered firm: its real name and code.
type Firm struct {
	// USCC is the Unified Social Credit Code (GB 32100): the real-name identity.
	USCC string `json:"uscc"`
	// Name is the legal name as registered; NameEN an English rendering, if any.
	Name   string `json:"name"`
	NameEN string `json:"nameEN,omitempty"`
	Region string `json:"region,omitempty"`
	// PartyGLN identifies the firm itself (AI 417), if it has one.
	PartyGLN string `json:"-"`
	Sites    []Site `json:"-"`
	// Blacklisted marks a firm on the regulator's public blacklist.
	Blacklisted bool `json:"blacklisted,omitempty"`
}

// A Site is one physical location of a firm.
type Site struct {
	GLN     string
	Name    string
	Address string
}

// Site returns the firm's site with gln, if it has one.
func (f *Firm) Site(gln string) (Site, bool) {
	for _, s := range f.Sites {
		if s.GLN == gln {
			return s, true
		}
	}
	return Site{}, false
}

// noDirectory knows nothing: records are built from the ledger alone.
type noDirectory struct{}

func (noDirectory) Product(string) (*Product, bool) { return nil, false }
func (noDirectory) Firm(string) (*Firm, bool)       { return nil, false }
func (noDirectory) FirmAtGLN(string) (*Firm, bool)  { return nil, false }

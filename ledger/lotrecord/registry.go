package lotrecord

import "traceledger/ledger/registry"

// FromRegistry returns the Directory of the firm and product registry on the ledger.
// A lookup that fails for any reason (not registered, or the registry unreadable)
// reports false: a record is then shown without that name rather than not at all.
func FromRegistry(r *registry.Registry) Directory { return registryDirectory{r} }

type registryDirectory struct{ r *registry.Registry }

func (d registryDirectory) Product(gtin string) (*Product, bool) {
	p, err := d.r.Product(gtin)
	if err != nil || p == nil {
		return nil, false
	}
	return &Product{GTIN: p.GTIN, Description: p.Description, Name: p.Name, Category: string(p.Category),
		UOM: p.UOM, Owner: p.Owner}, true
}

func (d registryDirectory) Firm(uscc string) (*Firm, bool) { return firmOf(d.r.Firm(uscc)) }

func (d registryDirectory) FirmAtGLN(gln string) (*Firm, bool) { return firmOf(d.r.FirmAtGLN(gln)) }

func firmOf(f *registry.Firm, err error) (*Firm, bool) {
	if err != nil || f == nil {
		return nil, false
	}
	out := &Firm{USCC: f.USCC, Name: f.Name, NameEN: f.NameEN, Region: f.Region, PartyGLN: f.PartyGLN,
		Blacklisted: f.Blacklisted}
	for _, s := range f.Sites {
		out.Sites = append(out.Sites, Site{GLN: s.GLN, Name: s.Name, Address: s.Address})
	}
	return out, true
}

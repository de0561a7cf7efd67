package recall

import (
	"strings"

	"traceledger/ledger/registry"
)

// RegistryDirectory is the Directory of a registry of firms and products: the firm
// registered with a location's GLN, the site's name, the product's description. The
// command line and the server hand it to a Tracer and to Scope.WriteCSV.
type RegistryDirectory struct{ Registry *registry.Registry }

// FirmAt returns the USCC of the firm with the location's GLN, "" when none has it.
func (d RegistryDirectory) FirmAt(location string) string {
	f, err := d.Registry.FirmAtGLN(location)
	if err != nil {
		return ""
	}
	return f.USCC
}

// LocationName returns the registered name of the site, "" when unknown.
func (d RegistryDirectory) LocationName(location string) string {
	f, err := d.Registry.FirmAtGLN(location)
	if err != nil {
		return ""
	}
	g, _, _ := strings.Cut(gln(location), ".")
	for _, s := range f.Sites {
		if s.GLN == g {
			return s.Name
		}
	}
	if f.PartyGLN == g {
		return f.Name
	}
	return ""
}

// ProductDescription returns the registered description of a GTIN, "" when unknown.
func (d RegistryDirectory) ProductDescription(gtin string) string {
	p, err := d.Registry.Product(gtin)
	if err != nil {
		return ""
	}
	return p.Description
}

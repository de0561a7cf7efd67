package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"traceledger/fixtures"
	"traceledger/ledger"
	"traceledger/ledger/registry"
	"traceledger/server"
)

// A demoKey is an API key serve --demo created, with whom it is for.
type demoKey struct {
	Role server.Role
	Firm *fixtures.Firm
	Key  string
	ID   string
}

// loadDemo loads fixtures' demo supply chain into an empty store: it registers
// every firm (approved, on the regulator's authority) and product, captures the
// events as their recorders did, one batch per run of consecutive events by the
// same firm (each checked against the ownership policy first, so the demo shows
// only what a real key could capture), and creates the demo's API keys: one
// producer key per farm, plant, distribution centre and retailer, an inspector
// key for the lab, and a regulator and an admin key for the market regulator.
// It returns the keys, which exist nowhere else in plain text.
func loadDemo(ctx context.Context, l *ledger.Log, reg *registry.Registry, keys server.KeyStore) ([]demoKey, error) {
	d := fixtures.Demo()
	var regulator *fixtures.Firm
	for i := range d.Firms {
		if d.Firms[i].Role == fixtures.RoleRegulator {
			regulator = &d.Firms[i]
		}
	}
	if regulator == nil {
		return nil, fmt.Errorf("demo: the demo chain has no regulator")
	}
	actx := registry.WithActor(ctx, regulator.USCC)
	for i := range d.Firms {
		if err := reg.RegisterFirm(actx, demoRegistration(&d.Firms[i])); err != nil {
			return nil, fmt.Errorf("demo: registering %s: %w", d.Firms[i].NameEN, err)
		}
	}
	for i := range d.Products {
		p := &d.Products[i]
		err := reg.RegisterProduct(actx, registry.Product{GTIN: p.GTIN, Description: p.Description, Name: p.Name,
			Category: registry.Category(p.Category), UOM: p.UOM, Owner: p.Owner})
		if err != nil {
			return nil, fmt.Errorf("demo: registering product %s: %w", p.GTIN, err)
		}
	}
	for start := 0; start < len(d.Events); {
		firm := d.Firm(d.Recorders[start])
		end := start
		for end < len(d.Events) && d.Recorders[end] == firm.USCC {
			if err := reg.CheckCapture(firm.USCC, string(demoRole(firm.Role)), d.Events[end]); err != nil {
				return nil, fmt.Errorf("demo: event %d by %s: %w", end, firm.NameEN, err)
			}
			end++
		}
		if _, err := l.Capture(ctx, firm.USCC, d.Events[start:end]...); err != nil {
			return nil, fmt.Errorf("demo: capturing events %d-%d by %s: %w", start, end-1, firm.NameEN, err)
		}
		start = end
	}
	var out []demoKey
	add := func(f *fixtures.Firm, role server.Role) error {
		key, info, err := keys.Create(f.USCC, role)
		if err != nil {
			return fmt.Errorf("demo: creating the %s key of %s: %w", role, f.NameEN, err)
		}
		out = append(out, demoKey{Role: role, Firm: f, Key: key, ID: info.ID})
		return nil
	}
	for i := range d.Firms {
		if err := add(&d.Firms[i], demoRole(d.Firms[i].Role)); err != nil {
			return nil, err
		}
	}
	if err := add(regulator, server.RoleAdmin); err != nil {
		return nil, err
	}
	return out, nil
}

// demoRegistration is the registration of a fixture firm, approved.
func demoRegistration(f *fixtures.Firm) registry.Firm {
	r := registry.Firm{USCC: f.USCC, Name: f.Name, NameEN: f.NameEN, Region: f.Region, Prefixes: f.Prefixes,
		PartyGLN: f.PartyGLN, Status: registry.StatusApproved}
	for _, s := range f.Sites {
		r.Sites = append(r.Sites, registry.Site{GLN: s.GLN, Name: s.Name, Address: s.Address})
	}
	return r
}

// demoRole is the API key role of a fixture firm: labs inspect, the regulator
// regulates, everyone else produces (fixtures.Role's documentation).
func demoRole(r fixtures.Role) server.Role {
	switch r {
	case fixtures.RoleLab:
		return server.RoleInspector
	case fixtures.RoleRegulator:
		return server.RoleRegulator
	}
	return server.RoleProducer
}

// printDemoKeys prints the demo keys as a table, with how to use them.
func printDemoKeys(w io.Writer, keys []demoKey, baseURL string) error {
	fmt.Fprintln(w, "Demo API keys (shown this once; the store keeps only their hashes):")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tFIRM (USCC)\tNAME\tKEY")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s (%s)\t%s\n", k.Role, k.Firm.USCC, k.Firm.NameEN, k.Firm.Role, k.Key)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	_, err := fmt.Fprintf(w, "Send one as: curl -H 'Authorization: Bearer KEY' %s/api/v1/...\n", baseURL)
	return err
}

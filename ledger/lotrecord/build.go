package lotrecord

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"traceledger/ledger"
	"traceledger/scanner"
)

// ErrUnknown means the code is not on the ledger and neither is anything it could
// fall back to (its lot or GTIN), nor does the directory know its product or location:
// the resolver answers 404.
var ErrUnknown = errors.New("unknown code")

// A Ledger is what the builder reads: the per-product chains, the genealogy edges (to
// find the logistic units that carried a code) and proofs. *ledger.Log satisfies it.
type Ledger interface {
	History(code string) ([]*ledger.Entry, error)
	EdgesFrom(code string) ([]ledger.IndexedEdge, error)
	Prove(code string) (*ledger.Bundle, error)
	VerifierKey() string
}

// Limits of the walk to containers: a lot may be packed on many pallets, and each of
// those inside a container, but a consumer page needs the first few.
const (
	maxContainers     = 16
	maxContainerDepth = 3
)

// A Builder assembles records. The zero Directory is allowed: records then lack
// product and firm names. It is safe for concurrent use.
type Builder struct {
	Log Ledger
	Dir Directory
	// Now is the clock used to expand two-digit years of scanned dates; time.Now when nil.
	Now func() time.Time
}

// Build assembles the record of the code d names (a parsed Digital Link or element
// string with a primary key), walking up from an instance to its lot and GTIN, and from
// a lot to its GTIN, when the more specific code is not on the ledger. It returns
// ErrUnknown when nothing is known, and scanner.ErrNoPrimaryKey for data without a
// primary key.
func (b *Builder) Build(d scanner.Data) (*Record, error) {
	pk, ok := d.PrimaryKey()
	if !ok {
		return nil, scanner.ErrNoPrimaryKey
	}
	dir := b.Dir
	if dir == nil {
		dir = noDirectory{}
	}
	levels := Levels(d)
	rec := &Record{Journey: []Step{}, Inspections: []Inspection{}}
	switch pk.AI {
	case "01":
		rec.GTIN = pk.Value
		rec.Lot, rec.Serial = value(d, "10"), value(d, "21")
	case "00":
		rec.SSCC = pk.Value
	case "414":
		rec.GLN = pk.Value
	}
	rec.Requested, rec.Kind = levels[0].Code, levels[0].Kind

	// Walk up to the first level with events on the ledger.
	var hist []*ledger.Entry
	at := -1
	for i, lv := range levels {
		h, err := b.history(lv.Code)
		if err != nil {
			return nil, fmt.Errorf("lotrecord: history of %s: %w", lv.Code, err)
		}
		if len(h) > 0 {
			hist, at = h, i
			break
		}
	}
	var product *Product
	if rec.GTIN != "" {
		product, _ = dir.Product(rec.GTIN)
	}
	switch {
	case at >= 0:
	case rec.GTIN != "" && product != nil:
		at = len(levels) - 1 // the product class is registered
	case pk.AI == "414":
		if _, ok := dir.FirmAtGLN(pk.Value); !ok {
			return nil, ErrUnknown
		}
		at = len(levels) - 1
	default:
		return nil, ErrUnknown
	}
	rec.Code = levels[at].Code
	if at > 0 {
		rec.Fallback = levels[at].Kind
		rec.FallbackReason = fmt.Sprintf("%s is not on the ledger; showing its %s %s", rec.Requested, strings.ReplaceAll(levels[at].Kind, "_", " "), rec.Code)
	}
	if rec.Kind == KindInstance && at > 0 {
		rec.Counterfeit.NeverIssued = true
		rec.Counterfeit.Flag(fmt.Sprintf("serial %s of GTIN %s was never issued: no event on the ledger commissions it", rec.Serial, rec.GTIN))
	}
	rec.Product = product
	if rec.Kind == KindLocation {
		if f, ok := dir.FirmAtGLN(pk.Value); ok {
			rec.Origin = b.place(dir, pk.Value)
			rec.Producer = f
		}
	}

	a := &assembly{b: b, dir: dir, rec: rec, seen: map[string]bool{}}
	if err := a.own(rec.Code, hist); err != nil {
		return nil, err
	}
	if err := a.containers(rec.Code); err != nil {
		return nil, err
	}
	if rec.Kind == KindInstance && at == 0 && a.lotNumber != "" && rec.Lot == "" {
		rec.Lot = a.lotNumber
	}
	if rec.Kind == KindInstance && at == 0 && rec.Lot != "" {
		if err := a.lotOfInstance(dl("01", rec.GTIN, "10", rec.Lot)); err != nil {
			return nil, err
		}
	}
	a.finish(d)
	if len(hist) > 0 {
		rec.Verification = b.verify(rec.Code, len(hist))
	}
	return rec, nil
}

// A Level is one code a scanned identifier may be recorded under on the ledger.
type Level struct {
	Kind string // KindInstance, KindLot, KindProduct, ...
	Code string // canonical Digital Link
}

// Levels returns the codes the identifier in d may be on the ledger under, most
// specific first, as the resolver walks up: an instance (/01/{gtin}/21/{serial}), its
// lot when d names one (/01/{gtin}/10/{lot}), then the GTIN; a lot, then its GTIN; a
// location with its extension, then without. Key qualifiers the ledger does not key
// codes by (consumer product variant, AI 22) are dropped. d must have a primary key.
func Levels(d scanner.Data) []Level {
	pk, ok := d.PrimaryKey()
	if !ok {
		return nil
	}
	var levels []Level
	switch pk.AI {
	case "01":
		g := pk.Value
		if s := value(d, "21"); s != "" {
			levels = append(levels, Level{KindInstance, dl("01", g, "21", s)})
		}
		if l := value(d, "10"); l != "" {
			levels = append(levels, Level{KindLot, dl("01", g, "10", l)})
		}
		levels = append(levels, Level{KindProduct, dl("01", g)})
	case "00":
		levels = []Level{{KindUnit, dl("00", pk.Value)}}
	case "414":
		if ext := value(d, "254"); ext != "" {
			levels = append(levels, Level{KindLocation, dl("414", pk.Value, "254", ext)})
		}
		levels = append(levels, Level{KindLocation, dl("414", pk.Value)})
	default:
		levels = []Level{{KindOther, dl(pk.AI, pk.Value)}}
	}
	return levels
}

// value returns the first value of ai in d, "" when there is none.
func value(d scanner.Data, ai string) string {
	for _, e := range d.Elements {
		if e.AI == ai {
			return e.Value
		}
	}
	return ""
}

// history is Log.History with a code that has no entries giving none.
func (b *Builder) history(code string) ([]*ledger.Entry, error) {
	h, err := b.Log.History(code)
	if errors.Is(err, ledger.ErrUnknownCode) {
		return nil, nil
	}
	return h, err
}

// dl returns the canonical Digital Link of key/qualifier pairs.
func dl(kv ...string) string {
	d := scanner.Data{}
	for i := 0; i+1 < len(kv); i += 2 {
		d.Elements = append(d.Elements, scanner.Element{AI: kv[i], Value: kv[i+1]})
	}
	s, err := d.DigitalLink("")
	if err != nil {
		// The values came out of a parsed Digital Link, so they have a URI form; keep a
		// plain path otherwise so the lookup simply finds nothing.
		return scanner.CanonicalStem + "/" + strings.Join(kv, "/")
	}
	return s
}

// verify proves the code's chain against the latest checkpoint and checks the proof
// bundle as an outside verifier would, with the log's verifier key.
func (b *Builder) verify(code string, chain int) Verification {
	bundle, err := b.Log.Prove(code)
	if err != nil {
		return Verification{Error: err.Error()}
	}
	raw, err := json.Marshal(bundle)
	if err != nil {
		return Verification{Error: err.Error()}
	}
	vb, err := ledger.CheckBundle(raw, b.Log.VerifierKey())
	if err != nil {
		return Verification{Error: err.Error()}
	}
	v := Verification{Verified: true, CheckpointSize: vb.Checkpoint.Size, Entries: len(vb.Entries)}
	if len(vb.Entries) < chain {
		v.Verified = false
		v.Error = fmt.Sprintf("the proof covers %d of the chain's %d entries", len(vb.Entries), chain)
	}
	return v
}

// place returns the location gln with its site name and firm, as far as known.
func (b *Builder) place(dir Directory, gln string) *Place {
	p := &Place{GLN: gln}
	if f, ok := dir.FirmAtGLN(gln); ok {
		p.Firm = f
		if s, ok := f.Site(gln); ok {
			p.Name = s.Name
		}
	}
	return p
}

// glnOf returns the GLN of a location Digital Link (/414/{gln}[/254/{ext}]).
func glnOf(loc string) string {
	_, p, ok := strings.Cut(loc, "/414/")
	if !ok {
		return ""
	}
	gln, _, _ := strings.Cut(p, "/")
	return gln
}

// containsCode reports whether code is among codes.
func containsCode(codes []string, code string) bool { return slices.Contains(codes, code) }

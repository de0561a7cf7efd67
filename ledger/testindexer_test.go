package ledger

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// The tests' events are lines of "tag value" (tags: id, given, p product,
// l location, s bizStep, d disposition, t RFC 3339 time, e "from to kind" edge,
// pad), so the test Indexer is cheap and the log is tested without any event
// model.

// testIndexer is the Indexer of the test events.
func testIndexer(event []byte) (IndexKeys, error) {
	var k IndexKeys
	for line := range bytes.Lines(event) {
		tag, val, _ := strings.Cut(strings.TrimRight(string(line), "\n"), " ")
		switch tag {
		case "id":
			k.EventID = val
		case "given":
			k.GivenID = val
		case "p":
			k.Products = append(k.Products, val)
		case "l":
			k.Locations = append(k.Locations, val)
		case "s":
			k.BizStep = val
		case "d":
			k.Disposition = val
		case "t":
			t, err := time.Parse(time.RFC3339Nano, val)
			if err != nil {
				return k, fmt.Errorf("event time: %w", err)
			}
			k.EventTime = t
		case "e":
			f := strings.Fields(val)
			if len(f) != 3 {
				return k, fmt.Errorf("edge %q: want from to kind", val)
			}
			k.Edges = append(k.Edges, Edge{From: f[0], To: f[1], Kind: f[2]})
		case "pad", "":
		default:
			return k, fmt.Errorf("unknown tag %q", tag)
		}
	}
	return k, nil
}

// testEvent builds a test event touching the given products.
type testEvent struct {
	ID, Given, BizStep, Disposition string
	Products, Locations             []string
	Time                            time.Time
	Edges                           []Edge
	Pad                             int
}

func (e testEvent) bytes() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "id %s\n", e.ID)
	if e.Given != "" {
		fmt.Fprintf(&b, "given %s\n", e.Given)
	}
	for _, p := range e.Products {
		fmt.Fprintf(&b, "p %s\n", p)
	}
	for _, l := range e.Locations {
		fmt.Fprintf(&b, "l %s\n", l)
	}
	if e.BizStep != "" {
		fmt.Fprintf(&b, "s %s\n", e.BizStep)
	}
	if e.Disposition != "" {
		fmt.Fprintf(&b, "d %s\n", e.Disposition)
	}
	if !e.Time.IsZero() {
		fmt.Fprintf(&b, "t %s\n", e.Time.Format(time.RFC3339Nano))
	}
	for _, ed := range e.Edges {
		fmt.Fprintf(&b, "e %s %s %s\n", ed.From, ed.To, ed.Kind)
	}
	if e.Pad > 0 {
		fmt.Fprintf(&b, "pad %s\n", strings.Repeat("x", e.Pad))
	}
	return []byte(b.String())
}

func (e testEvent) record() Record {
	return Record{Event: e.bytes(), Firm: "firm-" + e.BizStep}
}

// synthetic returns the i-th event of a synthetic supply chain of about 400
// bytes: lots of 10 GTINs, each event touching one lot (and every 4th a second),
// at one of 20 sites, with a transformation edge every 8th event.
func synthetic(i int) Record {
	lot := fmt.Sprintf("https://id.gs1.org/01/0950600013%04d/10/L%d", i%10, i/50)
	e := testEvent{
		ID:          fmt.Sprintf("ni:///sha-256;%064x?ver=CBV2.0", i),
		BizStep:     []string{"commissioning", "shipping", "receiving", "inspecting"}[i%4],
		Disposition: []string{"active", "in_transit", "in_progress", "conformant"}[i%4],
		Products:    []string{lot},
		Locations:   []string{fmt.Sprintf("https://id.gs1.org/414/95060001%05d", i%20)},
		Time:        time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Pad:         120,
	}
	if i%4 == 0 {
		e.Products = append(e.Products, fmt.Sprintf("https://id.gs1.org/00/3950600010000%05d", i/4%100000))
	}
	if i%8 == 0 {
		e.Edges = []Edge{{From: lot, To: fmt.Sprintf("https://id.gs1.org/01/09506000139998/10/M%d", i/8), Kind: EdgeTransform}}
	}
	return Record{Event: e.bytes(), Firm: fmt.Sprintf("91350100M000%06d", i%7)}
}

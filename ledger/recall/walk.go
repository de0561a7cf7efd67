package recall

import (
	"cmp"
	"slices"
	"traceledger/ledger/epcis"
)

// Edge kinds of a Trace (the `traceledger trace` JSON contract). Edges point the way
// the events assert them (as epcis.Edge does): from an input to an output
// (transformation), from a child to its parent (aggregation), from a lot to an instance
// commissioned as part of it (commissioning), and from moved goods to the location they
// were shipped to (shipping) or received from (receiving).
const (
	KindTransformation = "transformation"
	KindAggregation    = "aggregation"
	KindCommissioning  = "commissioning"
	KindShipping       = "shipping"
	KindReceiving      = "receiving"
)

// A TraceEdge is one genealogy step a walk crossed, with the event that asserts it.
type TraceEdge struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Kind    string `json:"kind"`
	EventID string `json:"eventID"`
}

// graph is what a walk found: the codes visited in breadth-first order with the code
// each was reached from, the edges crossed, and the locations and firms met.
type graph struct {
	w         *walk
	origins   []string
	depth     map[string]int
	order     []string
	pred      map[string]string
	edges     map[TraceEdge]bool
	locations map[string]bool
	firms     map[string]bool
	// inputs[code] is set when a back walk found where code came from (roots have none).
	inputs    map[string]bool
	truncated bool
	queue     []string
}

func (t *Tracer) newGraph(origins []string) *graph {
	g := &graph{w: t.newWalk(), depth: map[string]int{}, pred: map[string]string{},
		edges: map[TraceEdge]bool{}, locations: map[string]bool{}, firms: map[string]bool{},
		inputs: map[string]bool{}}
	for _, o := range origins {
		if _, ok := g.depth[o]; !ok {
			g.origins = append(g.origins, o)
			g.depth[o] = 0
			g.order = append(g.order, o)
			g.queue = append(g.queue, o)
		}
	}
	return g
}

// edge records an edge crossed by s.
func (g *graph) edge(from, to, kind string, s *step) {
	g.edges[TraceEdge{From: from, To: to, Kind: kind, EventID: s.eventID}] = true
}

// visit queues code, reached from `from`, unless it was seen or a bound is reached.
func (g *graph) visit(code, from string) {
	if code == "" {
		return
	}
	if _, ok := g.depth[code]; ok {
		return
	}
	d := g.depth[from] + 1
	if d > g.w.t.maxDepth() || len(g.order) >= g.w.t.maxCodes() {
		g.truncated = true
		return
	}
	g.depth[code] = d
	g.pred[code] = from
	g.order = append(g.order, code)
	g.queue = append(g.queue, code)
}

// run pops codes breadth first and expands each with expand.
func (g *graph) run(expand func(code string) error) error {
	for len(g.queue) > 0 {
		code := g.queue[0]
		g.queue = g.queue[1:]
		if err := expand(code); err != nil {
			return err
		}
	}
	return nil
}

// path returns the codes from an origin to code's predecessor (empty for an origin).
func (g *graph) path(code string) []string {
	var p []string
	for c, ok := g.pred[code]; ok; c, ok = g.pred[c] {
		p = append(p, c)
	}
	slices.Reverse(p)
	if p == nil {
		p = []string{}
	}
	return p
}

// Back walks from code to where it came from (see the package comment).
func (t *Tracer) Back(code string) (*Trace, error) {
	if code == "" {
		return nil, ErrNoCode
	}
	g := t.newGraph([]string{code})
	if err := g.run(g.expandBack); err != nil {
		return nil, err
	}
	return g.trace(true), nil
}

// expandBack follows the entries of code that say where it came from.
func (g *graph) expandBack(code string) error {
	ss, err := g.w.stepsOf(code)
	if err != nil {
		return err
	}
	for _, s := range ss {
		if _, ok := s.makes(code); ok {
			g.made(code, code, s)
			if lot := s.lotOf[code]; lot != "" && lot != code {
				g.edge(lot, code, KindCommissioning, s)
				g.inputs[code] = true
				g.visit(lot, code)
			}
		}
		if s.packs() && s.parent == code {
			for _, c := range s.children {
				g.edge(c.code, code, KindAggregation, s)
				g.inputs[code] = true
				g.visit(c.code, code)
			}
		}
		if s.isReceipt() {
			if _, ok := find(s.moved(), code); ok {
				if err := g.receivedFrom(code, s); err != nil {
					return err
				}
			}
		}
	}
	if isLot(code) {
		// A lot made as instances (cheese wheels under one lot number) was made by the
		// events that made its instances: their inputs are the lot's inputs. The
		// instances themselves are the lot, not upstream of it, and are not listed.
		members, err := g.w.membersOf(code)
		if err != nil {
			return err
		}
		for _, m := range members {
			ms, err := g.w.stepsOf(m)
			if err != nil {
				return err
			}
			for _, s := range ms {
				if _, ok := s.makes(m); ok {
					g.made(code, m, s)
				}
			}
		}
	}
	return nil
}

// made records, for a back walk, that step s made `made` (code itself, or an instance
// of the lot code): the inputs of s are upstream of code, and where it happened and
// who recorded it are where code came from.
func (g *graph) made(code, made string, s *step) {
	if s.location != "" {
		g.locations[s.location] = true
	}
	if s.firm != "" {
		g.firms[s.firm] = true
	}
	for _, in := range s.inputs {
		g.edge(in.code, made, KindTransformation, s)
		if made != code {
			g.edge(in.code, code, KindTransformation, s)
		}
		g.inputs[code] = true
		g.visit(in.code, code)
	}
}

// receivedFrom records the sources a receipt of code names.
func (g *graph) receivedFrom(code string, s *step) error {
	locs := locations(s.sources)
	for _, l := range locs {
		g.edge(code, l, KindReceiving, s)
		g.locations[l] = true
		f, err := g.w.firmAt(l)
		if err != nil {
			return err
		}
		if f != "" {
			g.firms[f] = true
		}
	}
	if len(locs) == 0 {
		for _, sd := range s.sources {
			g.edge(code, sd.Value, KindReceiving, s)
		}
	}
	return nil
}

// Forward walks from codes to everything made from them, every unit that contains
// them, and every place they were shipped to or received at (see the package comment).
func (t *Tracer) Forward(codes ...string) (*Trace, error) {
	g, err := t.forward(codes)
	if err != nil {
		return nil, err
	}
	return g.trace(false), nil
}

func (t *Tracer) forward(codes []string) (*graph, error) {
	if len(codes) == 0 {
		return nil, ErrNoCode
	}
	g := t.newGraph(codes)
	if err := g.run(g.expandForward); err != nil {
		return nil, err
	}
	return g, nil
}

// expandForward follows the entries of code that say where it went.
func (g *graph) expandForward(code string) error {
	ss, err := g.w.stepsOf(code)
	if err != nil {
		return err
	}
	for _, s := range ss {
		switch {
		case s.typ == epcis.TransformationEvent:
			if _, ok := find(s.inputs, code); !ok {
				break
			}
			for _, out := range s.outputs {
				g.edge(code, out.code, KindTransformation, s)
				g.visit(out.code, code)
				if lot := s.lotOf[out.code]; lot != "" {
					g.edge(lot, out.code, KindCommissioning, s)
					g.visit(lot, out.code)
				}
			}
		case s.packs():
			if _, ok := find(s.children, code); ok {
				g.edge(code, s.parent, KindAggregation, s)
				g.visit(s.parent, code)
			}
		}
		if !s.isShipment() && !s.isReceipt() {
			continue
		}
		if _, ok := find(s.moved(), code); !ok {
			continue
		}
		if s.isShipment() {
			dests := locations(s.dests)
			for _, d := range dests {
				g.edge(code, d, KindShipping, s)
				g.locations[d] = true
			}
			if len(dests) == 0 {
				for _, sd := range s.dests {
					g.edge(code, sd.Value, KindShipping, s)
				}
			}
			continue
		}
		for _, src := range s.sources {
			if sd := src.Value; isLocation(sd) || len(locations(s.sources)) == 0 {
				g.edge(code, sd, KindReceiving, s)
			}
		}
		if at := receiptLocation(s); at != "" {
			g.locations[at] = true
			g.w.noteFirm(at, s.firm)
		}
	}
	if isLot(code) {
		members, err := g.w.membersOf(code)
		if err != nil {
			return err
		}
		for _, m := range members {
			g.edge(code, m, KindCommissioning, &step{eventID: g.w.commissioningID(m)})
			g.visit(m, code)
		}
	}
	return nil
}

// commissioningID returns the event ID of the event that made instance m, if read.
func (w *walk) commissioningID(m string) string {
	ss, err := w.stepsOf(m)
	if err != nil {
		return ""
	}
	for _, s := range ss {
		if _, ok := s.makes(m); ok {
			return s.eventID
		}
	}
	return ""
}

// receiptLocation is where a receipt happened: its business location, else the
// location in its destination list.
func receiptLocation(s *step) string {
	if s.location != "" {
		return s.location
	}
	if ls := locations(s.dests); len(ls) > 0 {
		return ls[0]
	}
	return ""
}

// A Trace is the result of a walk, in the JSON form of `traceledger trace --json`:
// the origin, every lot or instance reached (origin excluded), the root sources (back
// walks: lots and instances with no recorded inputs), the logistic units, locations
// and firms (USCC) met, and every edge crossed. Lists are sorted.
type Trace struct {
	Origin        string      `json:"origin"`
	Lots          []string    `json:"lots"`
	Roots         []string    `json:"roots"`
	LogisticUnits []string    `json:"logisticUnits"`
	Locations     []string    `json:"locations"`
	Firms         []string    `json:"firms"`
	Edges         []TraceEdge `json:"edges"`
	// Paths gives, for every code reached, the codes from the origin to it (origin
	// first, the code itself excluded).
	Paths map[string][]string `json:"-"`
	// Truncated is set when a bound stopped the walk before it was complete.
	Truncated bool `json:"-"`
}

// trace assembles the walk's result.
func (g *graph) trace(back bool) *Trace {
	t := &Trace{Origin: g.origins[0], Lots: []string{}, Roots: []string{}, LogisticUnits: []string{},
		Locations: []string{}, Firms: []string{}, Edges: []TraceEdge{}, Paths: map[string][]string{},
		Truncated: g.truncated}
	origin := map[string]bool{}
	for _, o := range g.origins {
		origin[o] = true
	}
	for _, c := range g.order {
		if back && isTradeItem(c) && !g.inputs[c] {
			t.Roots = append(t.Roots, c)
		}
		if origin[c] {
			continue
		}
		t.Paths[c] = g.path(c)
		switch {
		case isTradeItem(c):
			t.Lots = append(t.Lots, c)
		case isUnit(c):
			t.LogisticUnits = append(t.LogisticUnits, c)
		}
	}
	for l := range g.locations {
		t.Locations = append(t.Locations, l)
	}
	firms := g.firms
	if !back {
		for _, l := range t.Locations {
			if f, err := g.w.firmAt(l); err == nil && f != "" {
				firms[f] = true
			}
		}
	}
	for f := range firms {
		t.Firms = append(t.Firms, f)
	}
	for e := range g.edges {
		t.Edges = append(t.Edges, e)
	}
	slices.Sort(t.Lots)
	slices.Sort(t.Roots)
	slices.Sort(t.LogisticUnits)
	slices.Sort(t.Locations)
	slices.Sort(t.Firms)
	slices.SortFunc(t.Edges, func(a, b TraceEdge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.EventID, b.EventID))
	})
	return t
}

package epcis

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// oracleKeys is Keys as first written (a map for the products, a slice per group):
// the allocation-lean Keys must give the same.
func oracleKeys(e *Event) Keys {
	var k Keys
	seen := map[string]bool{}
	classes := func(qs []Quantity) []string {
		out := make([]string, 0, len(qs))
		for _, q := range qs {
			if q.EPCClass != "" {
				out = append(out, q.EPCClass)
			}
		}
		return out
	}
	add := func(ids ...[]string) []string {
		var got []string
		for _, list := range ids {
			for _, id := range list {
				c := canonicalOrSelf(id)
				got = append(got, c)
				if !seen[c] {
					seen[c] = true
					k.Products = append(k.Products, c)
				}
			}
		}
		return got
	}
	var parent []string
	if e.ParentID != "" {
		parent = add([]string{e.ParentID})
	}
	goods := add(e.EPCList, classes(e.QuantityList))
	children := add(e.ChildEPCs, classes(e.ChildQuantityList))
	inputs := add(e.InputEPCList, classes(e.InputQuantityList))
	outputs := add(e.OutputEPCList, classes(e.OutputQuantityList))
	if e.ReadPoint != nil && e.ReadPoint.ID != "" {
		k.ReadPoint = canonicalOrSelf(e.ReadPoint.ID)
	}
	if e.BizLocation != nil && e.BizLocation.ID != "" {
		k.BizLocation = canonicalOrSelf(e.BizLocation.ID)
	}
	for _, s := range e.SourceList {
		k.Sources = append(k.Sources, SourceDest{SourceDestTypes.BareOrURI(s.Type), canonicalOrSelf(s.Value)})
	}
	for _, d := range e.DestinationList {
		k.Destinations = append(k.Destinations, SourceDest{SourceDestTypes.BareOrURI(d.Type), canonicalOrSelf(d.Value)})
	}
	k.BizStep = BizSteps.BareOrURI(e.BizStep)
	k.Disposition = Dispositions.BareOrURI(e.Disposition)
	if pd := e.PersistentDisposition; pd != nil {
		for _, s := range pd.Set {
			k.PersistentSet = append(k.PersistentSet, Dispositions.BareOrURI(s))
		}
		for _, s := range pd.Unset {
			k.PersistentUnset = append(k.PersistentUnset, Dispositions.BareOrURI(s))
		}
	}
	if t, err := ParseTime(e.EventTime); err == nil {
		k.EventTime = t
	}
	k.EventID = e.EventID
	switch e.Type {
	case TransformationEvent:
		for _, in := range inputs {
			for _, out := range outputs {
				k.Edges = append(k.Edges, Edge{in, out, EdgeTransformation})
			}
		}
	case AggregationEvent:
		if len(parent) == 1 && (e.Action == ActionAdd || e.Action == ActionObserve) {
			for _, c := range children {
				k.Edges = append(k.Edges, Edge{c, parent[0], EdgeAggregation})
			}
		}
	}
	moved := append(append(append([]string{}, parent...), goods...), children...)
	switch k.BizStep {
	case "shipping":
		for _, g := range moved {
			for _, d := range k.Destinations {
				k.Edges = append(k.Edges, Edge{g, d.Value, EdgeShipped})
			}
		}
	case "receiving":
		for _, g := range moved {
			for _, s := range k.Sources {
				k.Edges = append(k.Edges, Edge{g, s.Value, EdgeReceived})
			}
		}
	}
	// Instances an ADD or a transformation makes belong to the lot its ILMD names.
	var made []string
	switch {
	case e.Type == TransformationEvent:
		made = outputs
	case e.Type == ObjectEvent && e.Action == ActionAdd:
		made = goods
	}
	if lotNumber := oracleLotNumber(e.ILMD); lotNumber != "" {
		for _, id := range made {
			if p, ok := strings.CutPrefix(id, "https://id.gs1.org/01/"); ok && len(p) > 18 && p[14:18] == "/21/" {
				if lot := lotDL(p[:14], lotNumber); lot != "" {
					k.Edges = append(k.Edges, Edge{id, lot, EdgeLotMember})
				}
			}
		}
	}
	return k
}

// oracleLotNumber is ilmdLotNumber as first written: the local name by
// strings.LastIndexAny, the value by encoding/json.
func oracleLotNumber(ilmd []Field) string {
	for _, f := range ilmd {
		local := f.Name
		if i := strings.LastIndexAny(local, ":#/"); i >= 0 {
			local = local[i+1:]
		}
		if local != "lotNumber" {
			continue
		}
		var v string
		if json.Unmarshal(f.Value, &v) == nil && v != "" {
			return v
		}
	}
	return ""
}

// TestILMDLotNumber: the lot number is read as the oracle reads it, whatever the
// prefix, separator and JSON form of the value.
func TestILMDLotNumber(t *testing.T) {
	names := []string{"cbvmda:lotNumber", "lotNumber", "xlotNumber", "a/lotNumber", "urn:epcglobal:cbv:mda#lotNumber",
		"lotNumber:x", "ex:lotnumber", ":lotNumber", "ex:a:lotNumber", "ex:lotNumberX"}
	values := []string{`"L1"`, `""`, `"a\u0041"`, `1`, "\"\xff\"", `null`, `"a b"`, `["L1"]`, `"é"`}
	for _, n := range names {
		for _, v := range values {
			for _, ilmd := range [][]Field{{{n, json.RawMessage(v)}}, {{n, json.RawMessage(v)}, {"ex:lotNumber", json.RawMessage(`"L2"`)}}} {
				if got, want := ilmdLotNumber(ilmd), oracleLotNumber(ilmd); got != want {
					t.Errorf("%s: %s: lot number %q, the oracle reads %q", n, v, got, want)
				}
			}
		}
	}
}

func checkKeys(t testing.TB, name string, e *Event) {
	t.Helper()
	if got, want := e.Keys(), oracleKeys(e); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: Keys\n got %+v\nwant %+v", name, got, want)
	}
}

func TestKeysMatchOracle(t *testing.T) {
	for _, be := range benchEvents {
		checkKeys(t, be.name, mustEvent(t, benchEvent(be.tmpl, 1)))
	}
	many := &Event{Type: AggregationEvent, Action: ActionAdd, ParentID: "urn:epc:id:sscc:0614141.1234567890",
		BizStep: "shipping", DestinationList: []SourceDest{{"location", "urn:epc:id:sgln:0614141.00001.0"}}}
	for i := range 40 {
		many.ChildEPCs = append(many.ChildEPCs, "https://id.gs1.org/01/09520123456788/21/"+string(rune('A'+i%20))+string(rune('a'+i%7)))
	}
	checkKeys(t, "many children", many)
	for name, e := range sharedEvents(t) {
		checkKeys(t, name, e)
	}
}

func FuzzKeysMatchOracle(f *testing.F) {
	for _, be := range benchEvents {
		f.Add([]byte(benchEvent(be.tmpl, 1)))
	}
	f.Add([]byte(lotEvent))
	seedFiles(f, "*.jsonld")
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			return
		}
		for _, e := range doc.Events {
			checkKeys(t, "event", e)
		}
	})
}

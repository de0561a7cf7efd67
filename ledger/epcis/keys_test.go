package epcis

import (
	"reflect"
	"testing"
	"time"
)

func TestKeys(t *testing.T) {
	const (
		flour = "https://id.gs1.org/01/06901234123456/10/FLOUR-7"
		egg   = "https://id.gs1.org/01/06901234543216/10/EGG-2"
		cake  = "https://id.gs1.org/01/06901234999990/10/CAKE-1"
		site  = "https://id.gs1.org/414/6901234000016"
	)
	k := mustEvent(t, lotEvent).Keys()
	if want := []string{flour, egg, cake}; !reflect.DeepEqual(k.Products, want) {
		t.Errorf("Products = %v, want %v", k.Products, want)
	}
	if k.ReadPoint != site || k.BizStep != "commissioning" || k.Disposition != "active" {
		t.Errorf("ReadPoint %q BizStep %q Disposition %q", k.ReadPoint, k.BizStep, k.Disposition)
	}
	if want := time.Date(2026, 3, 1, 0, 30, 0, 5e8, time.UTC); !k.EventTime.Equal(want) {
		t.Errorf("EventTime = %v, want %v", k.EventTime, want)
	}
	wantEdges := []Edge{{flour, cake, EdgeTransformation}, {egg, cake, EdgeTransformation}}
	if !reflect.DeepEqual(k.Edges, wantEdges) {
		t.Errorf("Edges = %v, want %v", k.Edges, wantEdges)
	}

	for _, tc := range []struct {
		name, doc string
		edges     []Edge
		persist   []string
	}{
		{"aggregation ADD: child -> parent", `{"type":"AggregationEvent","action":"ADD","parentID":"urn:epc:id:sscc:6901234.0000000001",
			"childEPCs":["urn:epc:id:sgtin:6901234.012345.1"],"childQuantityList":[{"epcClass":"urn:epc:class:lgtin:6901234.012345.L1","quantity":2}]}`,
			[]Edge{{"https://id.gs1.org/01/06901234123456/21/1", "https://id.gs1.org/00/069012340000000016", EdgeAggregation},
				{"https://id.gs1.org/01/06901234123456/10/L1", "https://id.gs1.org/00/069012340000000016", EdgeAggregation}}, nil},
		{"aggregation DELETE: no edge", `{"type":"AggregationEvent","action":"DELETE","parentID":"urn:epc:id:sscc:6901234.0000000001",
			"childEPCs":["urn:epc:id:sgtin:6901234.012345.1"]}`, nil, nil},
		{"shipping: goods -> destination", `{"type":"ObjectEvent","action":"OBSERVE","bizStep":"urn:epcglobal:cbv:bizstep:shipping",
			"epcList":["urn:epc:id:sscc:6901234.0000000001"],"destinationList":[{"type":"location","destination":"urn:epc:id:sgln:6901234.00002.0"}]}`,
			[]Edge{{"https://id.gs1.org/00/069012340000000016", "https://id.gs1.org/414/6901234000023", EdgeShipped}}, nil},
		{"receiving: goods -> source", `{"type":"ObjectEvent","action":"OBSERVE","bizStep":"receiving",
			"quantityList":[{"epcClass":"https://id.gs1.org/01/06901234123456/10/L1"}],"sourceList":[{"type":"owning_party","source":"urn:epc:id:pgln:6901234.00002"}]}`,
			[]Edge{{"https://id.gs1.org/01/06901234123456/10/L1", "https://id.gs1.org/417/6901234000023", EdgeReceived}}, nil},
		{"recall", `{"type":"ObjectEvent","action":"OBSERVE","disposition":"recalled","persistentDisposition":{"set":["cbv:Disp-recalled"]},
			"quantityList":[{"epcClass":"https://id.gs1.org/01/06901234123456/10/L1"}]}`, nil, []string{"recalled"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := mustEvent(t, tc.doc).Keys()
			if !reflect.DeepEqual(k.Edges, tc.edges) {
				t.Errorf("Edges = %v, want %v", k.Edges, tc.edges)
			}
			if !reflect.DeepEqual(k.PersistentSet, tc.persist) {
				t.Errorf("PersistentSet = %v, want %v", k.PersistentSet, tc.persist)
			}
		})
	}
}

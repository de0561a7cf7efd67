package epcis

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestKeysLinkILMDInstancesToTheirLot(t *testing.T) {
	lotNumber := func(v string) []Field {
		b, _ := json.Marshal(v)
		return []Field{{Name: "cbvmda:lotNumber", Value: b}}
	}
	const (
		i1  = "https://id.gs1.org/01/09506000134352/21/S1"
		i2  = "https://id.gs1.org/01/09506000134352/21/S2"
		lot = "https://id.gs1.org/01/09506000134352/10/L%2F7"
		in  = "https://id.gs1.org/01/09506000134369/10/IN"
	)
	member := func(inst string) Edge { return Edge{inst, lot, EdgeLotMember} }
	for _, tc := range []struct {
		name string
		ev   Event
		want []Edge
	}{
		{"ADD commissions instances into the lot", Event{Type: ObjectEvent, Action: ActionAdd,
			EPCList: []string{i1, "urn:epc:id:sgtin:9506000.013435.S2"}, ILMD: lotNumber("L/7")},
			[]Edge{member(i1), member(i2)}},
		{"OBSERVE does not", Event{Type: ObjectEvent, Action: ActionObserve,
			EPCList: []string{i1}, ILMD: lotNumber("L/7")}, nil},
		{"no lotNumber, no edge", Event{Type: ObjectEvent, Action: ActionAdd, EPCList: []string{i1}}, nil},
		{"a lot in the epcList is no member", Event{Type: ObjectEvent, Action: ActionAdd,
			QuantityList: []Quantity{{EPCClass: in}}, ILMD: lotNumber("L/7")}, nil},
		{"transformation outputs, not inputs", Event{Type: TransformationEvent,
			InputQuantityList: []Quantity{{EPCClass: in}}, OutputEPCList: []string{i1}, ILMD: lotNumber("L/7")},
			[]Edge{{in, i1, EdgeTransformation}, member(i1)}},
		{"a lot number outside CSET 82 makes no lot", Event{Type: ObjectEvent, Action: ActionAdd,
			EPCList: []string{i1}, ILMD: lotNumber("L\u00e9")}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.ev.Keys().Edges
			if !slices.Equal(got, tc.want) {
				t.Errorf("edges\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

package epcis

import (
	"strings"
	"testing"
)

// event builds a valid ObjectEvent with one member replaced or added (value "" removes
// it), so each case changes exactly one thing.
func event(member, value string) string {
	m := map[string]string{
		"type":                `"ObjectEvent"`,
		"eventTime":           `"2026-03-01T08:30:00+08:00"`,
		"eventTimeZoneOffset": `"+08:00"`,
		"action":              `"OBSERVE"`,
		"epcList":             `["urn:epc:id:sgtin:6901234.012345.1001"]`,
		"bizStep":             `"shipping"`,
	}
	if value == "" {
		delete(m, member)
	} else {
		m[member] = value
	}
	var b strings.Builder
	b.WriteString(`{"@context":[{"ex":"https://ex.example/"}]`)
	for _, k := range []string{"type", "eventTime", "eventTimeZoneOffset", "action", "epcList", "bizStep",
		"disposition", "quantityList", "parentID", "readPoint", "sourceList", "persistentDisposition",
		"ilmd", "ex:note", "bogus", "eventID", "certificationInfo"} {
		if v, ok := m[k]; ok {
			b.WriteString(`,"` + k + `":` + v)
		}
	}
	b.WriteString("}")
	return b.String()
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name, member, value string
		field, msg          string // "" when valid
	}{
		{"valid", "type", `"ObjectEvent"`, "", ""},
		{"bizStep as URN", "bizStep", `"urn:epcglobal:cbv:bizstep:shipping"`, "", ""},
		{"bizStep as web URI", "bizStep", `"https://ref.gs1.org/cbv/BizStep-shipping"`, "", ""},
		{"bizStep as CURIE", "bizStep", `"cbv:BizStep-shipping"`, "", ""},
		{"custom bizStep URI", "bizStep", `"https://example.com/steps/frying"`, "", ""},
		{"unknown bare bizStep", "bizStep", `"foo"`, "bizStep", `unknown CBV bizStep "foo"`},
		{"recall is a disposition", "disposition", `"recalled"`, "", ""},
		{"no recalling bizStep", "bizStep", `"recalling"`, "bizStep", "unknown CBV bizStep"},
		{"unknown disposition", "disposition", `"in_transport"`, "disposition", "unknown CBV disposition"},
		{"persistent disposition", "persistentDisposition", `{"set":["recalled"],"unset":["bogus"]}`, "persistentDisposition.unset[0]", "unknown CBV disposition"},
		{"bad action", "action", `"CREATE"`, "action", "is not ADD, OBSERVE or DELETE"},
		{"missing action", "action", "", "action", "missing"},
		{"missing time", "eventTime", "", "eventTime", "missing"},
		{"time without offset", "eventTime", `"2026-03-01T08:30:00"`, "eventTime", "RFC 3339"},
		{"date only", "eventTime", `"2026-03-01"`, "eventTime", "RFC 3339"},
		{"bad offset", "eventTimeZoneOffset", `"+8:00"`, "eventTimeZoneOffset", "±hh:mm"},
		{"offset out of range", "eventTimeZoneOffset", `"+15:00"`, "eventTimeZoneOffset", "±hh:mm"},
		{"bad check digit", "epcList", `["https://id.gs1.org/01/06901234123457/21/1"]`, "epcList[0]", "invalid check digit"},
		{"bad EPC URI", "epcList", `["urn:epc:id:sgtin:6901234.012345"]`, "epcList[0]", "invalid GS1 identifier"},
		{"non-GS1 URI allowed", "epcList", `["urn:example:thing:1"]`, "", ""},
		{"not a URI", "epcList", `["just words"]`, "epcList[0]", "not a URI"},
		{"epcList not array", "epcList", `"urn:epc:id:sgtin:6901234.012345.1001"`, "epcList", "want an array"},
		{"nothing observed", "epcList", "", "epcList", "needs a non-empty epcList or quantityList"},
		{"quantity as text", "quantityList", `[{"epcClass":"urn:epc:class:lgtin:6901234.012345.L1","quantity":"ten"}]`, "quantityList[0].quantity", "want a number"},
		{"negative quantity", "quantityList", `[{"epcClass":"urn:epc:class:lgtin:6901234.012345.L1","quantity":-1}]`, "quantityList[0].quantity", "negative"},
		{"bad uom", "quantityList", `[{"epcClass":"urn:epc:class:lgtin:6901234.012345.L1","quantity":1,"uom":"kilo"}]`, "quantityList[0].uom", "Rec. 20"},
		{"unknown quantity member", "quantityList", `[{"epcClass":"urn:epc:class:lgtin:6901234.012345.L1","weight":1}]`, "quantityList[0].weight", "unknown field"},
		{"parentID on ObjectEvent", "parentID", `"urn:epc:id:sscc:6901234.0000000001"`, "parentID", "not allowed"},
		{"readPoint without id", "readPoint", `{}`, "readPoint.id", "missing"},
		{"bad source type", "sourceList", `[{"type":"place","source":"urn:epc:id:pgln:6901234.00001"}]`, "sourceList[0].type", "unknown CBV source/destination type"},
		{"ilmd without namespace", "ilmd", `{"materialType":"soil"}`, "ilmd.materialType", "unknown field"},
		{"extension kept", "ex:note", `{"ex:a":[1,2]}`, "", ""},
		{"unknown standard-looking field", "bogus", `1`, "bogus", "unknown field"},
		{"eventID any URI", "eventID", `"urn:uuid:6f1c9b3a-0000-4000-8000-000000000000"`, "", ""},
		{"certificationInfo object", "certificationInfo", `[{"gs1:x":1}]`, "certificationInfo[0]", "want a string"},
		{"unknown type", "type", `"ThingEvent"`, "type", "unknown event type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEvent(t, event(tc.member, tc.value))
			err := e.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			ve, ok := err.(ValidationError)
			if !ok {
				t.Fatalf("Validate = %v, want a ValidationError naming %q", err, tc.field)
			}
			for _, fe := range ve {
				if fe.Field == tc.field && strings.Contains(fe.Message, tc.msg) {
					return
				}
			}
			t.Fatalf("Validate = %v, want %q: ...%s...", err, tc.field, tc.msg)
		})
	}
}

func TestDocumentValidateNamesEventIndex(t *testing.T) {
	doc, err := ParseDocument([]byte(`{"@context":"x","type":"EPCISDocument","epcisBody":{"eventList":[` +
		event("type", `"ObjectEvent"`) + `,` + event("bizStep", `"foo"`) + `]}}`))
	if err != nil {
		t.Fatal(err)
	}
	err = doc.Validate()
	if err == nil || err.Error() != `"eventList[1].bizStep": unknown CBV bizStep "foo" (use a CBV 2.0 value or a custom URI)` {
		t.Fatalf("Validate = %v", err)
	}
}

func TestShapePerEventType(t *testing.T) {
	base := `"eventTime":"2026-03-01T08:30:00Z","eventTimeZoneOffset":"+00:00"`
	for _, tc := range []struct{ name, doc, field string }{
		{"aggregation ADD needs parent", `{"type":"AggregationEvent",` + base + `,"action":"ADD","childEPCs":["urn:epc:id:sgtin:6901234.012345.1"]}`, "parentID"},
		{"aggregation ADD needs children", `{"type":"AggregationEvent",` + base + `,"action":"ADD","parentID":"urn:epc:id:sscc:6901234.0000000001"}`, "childEPCs"},
		{"aggregation OBSERVE", `{"type":"AggregationEvent",` + base + `,"action":"OBSERVE","childEPCs":["urn:epc:id:sgtin:6901234.012345.1"]}`, ""},
		{"transaction needs bizTransaction", `{"type":"TransactionEvent",` + base + `,"action":"ADD","epcList":["urn:epc:id:sgtin:6901234.012345.1"]}`, "bizTransactionList"},
		{"transformation has no action", `{"type":"TransformationEvent",` + base + `,"action":"ADD","inputEPCList":["urn:epc:id:sgtin:6901234.012345.1"]}`, "action"},
		{"transformation needs io", `{"type":"TransformationEvent",` + base + `}`, "inputEPCList"},
		{"association", `{"type":"AssociationEvent",` + base + `,"action":"ADD","parentID":"urn:epc:id:grai:6901234.00001.1","childEPCs":["urn:epc:id:giai:6901234.1"]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mustEvent(t, tc.doc).Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), `"`+tc.field+`"`) {
				t.Fatalf("Validate = %v, want a fault in %s", err, tc.field)
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	e := mustEvent(b, lotEvent)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

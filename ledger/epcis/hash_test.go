package epcis

import (
	"strings"
	"testing"
)

// referenceEvent is the event of CBV 2.0's reference example (ReferenceEventHashAlgorithm
// in the reference implementation), written differently: Digital Links instead of EPC
// URIs, UTC instead of +01:00, the CBV 1.x URN of the bizStep, a more precise
// timestamp, members and list items in another order, numbers with redundant digits.
const referenceEvent = `{
  "@context": [{"ex": "https://ns.example.com/epcis/"}],
  "ex:myField3": {"ex:mySubField3": ["1", "3"]},
  "readPoint": {"id": "https://example.com/414/4012345000115/254/987"},
  "bizStep": "urn:epcglobal:cbv:bizstep:departing",
  "action": "OBSERVE",
  "epcList": ["https://id.gs1.org/00/040123450000002225", "https://id.gs1.org/00/040123450000003338",
              "https://id.gs1.org/00/040123450000001112"],
  "eventTimeZoneOffset": "+01:00",
  "eventTime": "2020-03-04T10:00:30.0001Z",
  "eventID": "urn:uuid:11111111-2222-3333-4444-555555555555",
  "recordTime": "2024-01-01T00:00:00Z",
  "ex:myField2": "0.0",
  "ex:myField1": {"ex:mySubField2": "5", "ex:mySubField1": "2"},
  "type": "ObjectEvent"
}`

// The official hash and pre-hash of that event (hash-vectors.tsv, row
// ReferenceEventHashAlgorithm.jsonld 0), kept here so the suite checks the rules without
// ../shared.
const (
	referencePreHash = "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00" +
		"epcListepc=https://id.gs1.org/00/040123450000001112epc=https://id.gs1.org/00/040123450000002225" +
		"epc=https://id.gs1.org/00/040123450000003338action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departing" +
		"readPointid=https://id.gs1.org/414/4012345000115/254/987" +
		"{https://ns.example.com/epcis/}myField1{https://ns.example.com/epcis/}mySubField1=2" +
		"{https://ns.example.com/epcis/}mySubField2=5{https://ns.example.com/epcis/}myField2=0" +
		"{https://ns.example.com/epcis/}myField3{https://ns.example.com/epcis/}mySubField3=1" +
		"{https://ns.example.com/epcis/}mySubField3=3"
	referenceHash = "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0"
)

// lotEvent is our own: a TransformationEvent turning two input lots into one output
// lot, with a persistent disposition, ILMD and a source/destination, in EPC URIs.
const lotEvent = `{
  "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", {"tl": "https://traceledger.example/ns/"}],
  "type": "TransformationEvent",
  "eventTime": "2026-03-01T08:30:00.5+08:00",
  "eventTimeZoneOffset": "+08:00",
  "inputQuantityList": [
    {"epcClass": "urn:epc:class:lgtin:6901234.012345.FLOUR-7", "quantity": 25.50, "uom": "KGM"},
    {"epcClass": "urn:epc:class:lgtin:6901234.054321.EGG-2", "quantity": 120}
  ],
  "outputQuantityList": [{"epcClass": "https://id.gs1.org/01/06901234999990/10/CAKE-1", "quantity": 300}],
  "bizStep": "commissioning",
  "disposition": "active",
  "readPoint": {"id": "urn:epc:id:sgln:6901234.00001.0"},
  "ilmd": {"tl:bestBefore": "2026-03-15", "tl:inspection": {"tl:result": "conformant", "tl:sample": 5}}
}`

// lotPreHash is written out by hand from the rules (CBV 2.0 section 8.9): UTC with
// milliseconds, lots as Digital Links (check digits computed), quantities without
// redundant zeros, inputs sorted, CBV values as web URIs, ILMD after the standard fields
// with the namespace expanded and its members sorted.
const lotPreHash = "eventType=TransformationEventeventTime=2026-03-01T00:30:00.500ZeventTimeZoneOffset=+08:00" +
	"inputQuantityListquantityElementepcClass=https://id.gs1.org/01/06901234123456/10/FLOUR-7quantity=25.5uom=KGM" +
	"quantityElementepcClass=https://id.gs1.org/01/06901234543216/10/EGG-2quantity=120" +
	"outputQuantityListquantityElementepcClass=https://id.gs1.org/01/06901234999990/10/CAKE-1quantity=300" +
	"bizStep=https://ref.gs1.org/cbv/BizStep-commissioningdisposition=https://ref.gs1.org/cbv/Disp-active" +
	"readPointid=https://id.gs1.org/414/6901234000016" +
	"ilmd{https://traceledger.example/ns/}bestBefore=2026-03-15{https://traceledger.example/ns/}inspection" +
	"{https://traceledger.example/ns/}result=conformant{https://traceledger.example/ns/}sample=5"

func mustEvent(t testing.TB, s string) *Event {
	t.Helper()
	e, err := ParseEvent([]byte(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestOwnHashVectors(t *testing.T) {
	for _, tc := range []struct {
		name, doc, pre, hash string
	}{
		{"reference event rewritten", referenceEvent, referencePreHash, referenceHash},
		{"lot transformation", lotEvent, lotPreHash, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustEvent(t, tc.doc)
			if err := e.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if got := e.PreHash(); got != tc.pre {
				t.Errorf("pre-hash\n got %s\nwant %s", got, tc.pre)
			}
			if tc.hash != "" && e.HashID() != tc.hash {
				t.Errorf("hash %s, want %s", e.HashID(), tc.hash)
			}
			if !strings.HasPrefix(e.HashID(), "ni:///sha-256;") || !strings.HasSuffix(e.HashID(), "?ver=CBV2.0") {
				t.Errorf("hash %s is not a CBV 2.0 ni URI", e.HashID())
			}
		})
	}
}

// TestHashIgnoresIdentityAndRecordTime pins down what the hash leaves out: eventID,
// recordTime and errorDeclaration (a declared error or a wrong eventID never changes an
// event's identity).
func TestHashIgnoresIdentityAndRecordTime(t *testing.T) {
	a := mustEvent(t, lotEvent)
	b := mustEvent(t, lotEvent)
	b.EventID = "ni:///sha-256;0000?ver=CBV2.0"
	b.RecordTime = "2030-01-01T00:00:00Z"
	b.ErrorDeclaration = &ErrorDeclaration{DeclarationTime: "2030-01-01T00:00:00Z", Reason: "incorrect_data"}
	if a.HashID() != b.HashID() {
		t.Errorf("hash changed with eventID/recordTime/errorDeclaration:\n%s\n%s", a.PreHash(), b.PreHash())
	}
	b.Disposition = "recalled"
	if a.HashID() == b.HashID() {
		t.Error("hash did not change with the disposition")
	}
}

func TestHashNumberAndTime(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"150", "150"}, {"150.0", "150"}, {"+150", "150"}, {"0150.50", "150.5"}, {"1e2", "100"},
		{"0.00001", "1e-05"}, {"12.1", "12.1"}, {"abc", "abc"}, {"0x10", "0x10"}, {"2019-10-21", "2019-10-21"},
	} {
		if got := hashNumber(tc.in); got != tc.want {
			t.Errorf("hashNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"2020-03-04T11:00:30+01:00", "2020-03-04T10:00:30.000Z"},
		{"2020-03-04T10:00:30.1234567Z", "2020-03-04T10:00:30.123Z"},
		{"2023-02-02T11:04:03.1415Z", "2023-02-02T11:04:03.142Z"},  // 141500 µs: half to even
		{"2023-02-02T11:04:03.1425Z", "2023-02-02T11:04:03.142Z"},  // 142500 µs: half to even
		{"2023-02-02T11:04:03.14251Z", "2023-02-02T11:04:03.143Z"}, // above half
		{"not a time", "not a time"},
	} {
		if got := hashTime(tc.in); got != tc.want {
			t.Errorf("hashTime(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkHashID(b *testing.B) {
	e := mustEvent(b, lotEvent)
	b.ReportAllocs()
	for b.Loop() {
		e.HashID()
	}
}

func BenchmarkParseValidate(b *testing.B) {
	data := []byte(lotEvent)
	b.ReportAllocs()
	for b.Loop() {
		e, err := ParseEvent(data, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := e.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

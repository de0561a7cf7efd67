package server

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"traceledger/ledger/epcis"
)

// The query tests' hand-built events: nine events over two producers' goods, each
// with something that sets it apart, captured by the regulator in two halves with
// a pause between (for recordTime).
const (
	qA1   = "urn:epc:id:sgtin:0614141.107346.1"
	qA2   = "urn:epc:id:sgtin:0614141.107346.2"
	qB1   = "urn:epc:id:sgtin:4012345.012345.B1"
	qP1   = "urn:epc:id:sscc:0614141.1234567890"
	qLotX = "urn:epc:class:lgtin:0614141.107346.LOTX"
	qLotY = "urn:epc:class:lgtin:4012345.012345.LOTY"
	qL1   = "urn:epc:id:sgln:0614141.00777.0"
	qL2   = "urn:epc:id:sgln:4012345.00000.0"
	qG1   = "urn:epc:id:giai:0614141.ASSET1"
)

var queryEvents = []string{
	`"type":"ObjectEvent","action":"ADD","epcList":["` + qA1 + `","` + qA2 + `"],"bizStep":"commissioning","disposition":"active","readPoint":{"id":"` + qL1 + `"},"bizLocation":{"id":"` + qL1 + `"}`,
	`"type":"ObjectEvent","action":"OBSERVE","epcList":["` + qA1 + `"],"bizStep":"urn:epcglobal:cbv:bizstep:shipping","disposition":"https://ref.gs1.org/cbv/Disp-in_transit","readPoint":{"id":"` + qL1 + `"},"bizLocation":{"id":"` + qL2 + `"}`,
	`"type":"AggregationEvent","action":"ADD","parentID":"` + qP1 + `","childEPCs":["` + qA1 + `","` + qA2 + `"],"childQuantityList":[{"epcClass":"` + qLotX + `","quantity":4,"uom":"KGM"}],"bizStep":"packing","disposition":"in_progress","readPoint":{"id":"` + qL2 + `"}`,
	`"type":"TransformationEvent","inputEPCList":["` + qA2 + `"],"inputQuantityList":[{"epcClass":"` + qLotX + `","quantity":10,"uom":"KGM"}],"outputEPCList":["` + qB1 + `"],"outputQuantityList":[{"epcClass":"` + qLotY + `","quantity":5}],"transformationID":"urn:uuid:7e1b0e28-8a55-4c5b-9d6e-2f0c8d6b1a01","bizStep":"commissioning","bizLocation":{"id":"` + qL2 + `"}`,
	`"type":"TransactionEvent","action":"ADD","parentID":"` + qP1 + `","epcList":["` + qA1 + `"],"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:0614141000005:PO-1"}],"bizStep":"shipping","disposition":"in_transit","bizLocation":{"id":"` + qL2 + `"}`,
	`"type":"AssociationEvent","action":"ADD","parentID":"` + qG1 + `","childEPCs":["` + qB1 + `"],"bizStep":"assembling","disposition":"active","readPoint":{"id":"` + qL2 + `"}`,
	`"type":"ObjectEvent","action":"OBSERVE","epcList":["` + qB1 + `"],"bizStep":"inspecting","errorDeclaration":{"declarationTime":"2025-03-02T00:00:00Z","reason":"incorrect_data","correctiveEventIDs":["urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"]}`,
	`"type":"ObjectEvent","action":"DELETE","quantityList":[{"epcClass":"urn:epc:idpat:sgtin:4012345.099999.*","quantity":3,"uom":"KGM"}],"bizStep":"decommissioning","disposition":"recalled","persistentDisposition":{"set":["recalled"],"unset":["active"]}`,
	`"type":"ObjectEvent","action":"OBSERVE","eventID":"urn:uuid:6c2a3b7e-1111-4c5b-9d6e-2f0c8d6b1a08","epcList":["` + qB1 + `"],"bizStep":"receiving","disposition":"in_progress","readPoint":{"id":"` + qL1 + `"}`,
}

var queryT0 = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

// queryEvent is hand-built event i as a bare event: it happens at queryT0 + i hours.
func queryEvent(i int) string {
	return fmt.Sprintf(`{"@context":["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],%s,"eventTime":%q,"eventTimeZoneOffset":"+00:00"}`,
		queryEvents[i], queryT0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339))
}

// loadQueryEvents captures the hand-built set and returns the events' hash IDs and
// a record time between the first five and the last four.
func loadQueryEvents(t *testing.T, es *epcisServer) ([]string, time.Time) {
	t.Helper()
	ids := make([]string, len(queryEvents))
	var mid time.Time
	for i := range queryEvents {
		if i == 5 {
			time.Sleep(5 * time.Millisecond)
			mid = time.Now().UTC()
			time.Sleep(5 * time.Millisecond)
		}
		res, b := es.do("POST", "/epcis/events", "regulator", []byte(queryEvent(i)))
		if res.StatusCode != 201 {
			t.Fatalf("event %d: %d %s", i, res.StatusCode, b)
		}
		id, err := url.PathUnescape(strings.TrimPrefix(res.Header.Get("Location"), "/epcis/events/"))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids, mid
}

// positions names query answers by their place in queryEvents.
func positions(t *testing.T, evs []*epcis.Event, ids []string) string {
	t.Helper()
	var out []string
	for _, ev := range evs {
		i := slices.Index(ids, ev.EventID)
		if i < 0 {
			t.Fatalf("answer with unknown eventID %q", ev.EventID)
		}
		out = append(out, fmt.Sprint(i))
	}
	return strings.Join(out, ",")
}

// Every query parameter of the binding, over HTTP, keeps exactly the hand-built
// events it should, each answered with its hash ID, through every page.
func TestEPCISQueryEveryParameter(t *testing.T) {
	es := startEPCIS(t, Config{})
	ids, mid := loadQueryEvents(t, es)
	tm := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
	ev := func(h int) string { return tm(queryT0.Add(time.Duration(h) * time.Hour)) }
	for _, tc := range []struct {
		params []string
		want   string
	}{
		{nil, "0,1,2,3,4,5,6,7,8"},
		{[]string{"eventType", "AggregationEvent|TransformationEvent"}, "2,3"},
		{[]string{"eventType", "TransactionEvent|AssociationEvent"}, "4,5"},
		{[]string{"GE_eventTime", ev(2), "LT_eventTime", ev(4)}, "2,3"},
		{[]string{"GE_eventTime", "2025-03-01T14:00:00+01:00"}, "5,6,7,8"},
		{[]string{"GE_recordTime", tm(mid)}, "5,6,7,8"},
		{[]string{"LT_recordTime", tm(mid)}, "0,1,2,3,4"},
		{[]string{"EQ_action", "OBSERVE"}, "1,6,8"},
		{[]string{"EQ_action", "ADD|DELETE"}, "0,2,4,5,7"},
		{[]string{"EQ_bizStep", "shipping"}, "1,4"},
		{[]string{"EQ_bizStep", "https://ref.gs1.org/cbv/BizStep-commissioning|urn:epcglobal:cbv:bizstep:receiving"}, "0,3,8"},
		{[]string{"EQ_disposition", "in_transit|recalled"}, "1,4,7"},
		{[]string{"EQ_persistentDisposition_set", "recalled"}, "7"},
		{[]string{"EQ_readPoint", qL1}, "0,1,8"},
		{[]string{"EQ_readPoint", "https://id.gs1.org/414/0614141007776"}, "0,1,8"},
		{[]string{"EQ_bizLocation", qL2}, "1,3,4"},
		{[]string{"MATCH_epc", qA1}, "0,1,2,4"},
		{[]string{"MATCH_epc", "https://example.com/01/10614141073464/21/2"}, "0,2"},
		{[]string{"MATCH_epc", "urn:epc:idpat:sgtin:4012345.*.*"}, "5,6,8"},
		{[]string{"MATCH_anyEPC", qB1}, "3,5,6,8"},
		{[]string{"MATCH_anyEPC", qP1 + "|" + qA2}, "0,2,3,4"},
		{[]string{"MATCH_epcClass", qLotX}, "2"},
		{[]string{"MATCH_epcClass", "urn:epc:idpat:sgtin:4012345.099999.*"}, "7"},
		{[]string{"MATCH_anyEPCClass", qLotX}, "2,3"},
		{[]string{"MATCH_anyEPCClass", "https://id.gs1.org/01/04012345123456/10/LOTY"}, "3"},
		{[]string{"MATCH_parentID", qP1}, "2,4"},
		{[]string{"MATCH_parentID", "urn:epc:idpat:giai:0614141.*"}, "5"},
		{[]string{"MATCH_inputEPC", qA2}, "3"},
		{[]string{"MATCH_inputEPCClass", qLotX}, "3"},
		{[]string{"MATCH_outputEPC", qB1}, "3"},
		{[]string{"MATCH_outputEPCClass", qLotY}, "3"},
		{[]string{"EQ_eventID", ids[4] + "|urn:uuid:6c2a3b7e-1111-4c5b-9d6e-2f0c8d6b1a08"}, "4,8"},
		{[]string{"EXISTS_errorDeclaration", "true"}, "6"},
		{[]string{"EQ_errorReason", "incorrect_data"}, "6"},
		{[]string{"EQ_transformationID", "urn:uuid:7e1b0e28-8a55-4c5b-9d6e-2f0c8d6b1a01"}, "3"},
		{[]string{"GE_quantity", "5", "LT_quantity", "10"}, "3"},
		{[]string{"orderBy", "eventTime"}, "8,7,6,5,4,3,2,1,0"},
		{[]string{"orderBy", "eventTime", "orderDirection", "ASC", "EQ_action", "OBSERVE"}, "1,6,8"},
		{[]string{"orderBy", "recordTime", "orderDirection", "DESC", "EQ_bizStep", "commissioning|shipping"}, "4,3,1,0"},
		{[]string{"orderBy", "eventTime", "eventCountLimit", "2"}, "8,7"},
		{[]string{"orderBy", "eventTime", "orderDirection", "ASC", "eventCountLimit", "3", "MATCH_anyEPC", qA1}, "0,1,2"},
		{[]string{"maxEventCount", "2", "EQ_bizStep", "shipping"}, "1,4"},
		{[]string{"EQ_bizStep", "commissioning", "EQ_readPoint", qL1}, "0"},
	} {
		for _, per := range []string{"1", "2", "100"} {
			raw := escapedQuery(append(tc.params, "perPage", per)...)
			got := es.queryAll(raw, "producerA")
			if s := positions(t, got, ids); s != tc.want {
				t.Errorf("%s: got [%s], want [%s]", raw, s, tc.want)
			}
			for _, e := range got {
				if e.HashID() != e.EventID || e.RecordTime == "" {
					t.Errorf("%s: event %q hashes to %q, recordTime %q", raw, e.EventID, e.HashID(), e.RecordTime)
				}
			}
		}
	}
}

// Pages link to the next with Link rel="next" and a token that works only for its
// own query; the last page has no link.
func TestEPCISQueryPages(t *testing.T) {
	es := startEPCIS(t, Config{MaxEventCount: 4})
	ids, _ := loadQueryEvents(t, es)
	evs, next, res, _ := es.query("", "producerA")
	if len(evs) != 4 || next == "" || res.Header.Get("GS1-EPCIS-Version") != "2.0.0" {
		t.Fatalf("first page with the server's cap of 4: %d events, next %q", len(evs), next)
	}
	// perPage over the cap is capped
	evs, next, _, _ = es.query("perPage=50", "producerA")
	if len(evs) != 4 || !strings.Contains(next, "perPage=50") || !strings.Contains(next, "nextPageToken=") {
		t.Fatalf("perPage=50: %d events, next %q", len(evs), next)
	}
	evs2, next2, _, _ := es.query(next, "producerA")
	_, next3, _, _ := es.query(next2, "producerA")
	if positions(t, append(evs, evs2...), ids) != "0,1,2,3,4,5,6,7" || next2 == "" || next3 != "" {
		t.Fatalf("pages: %s, next %q, %q", positions(t, append(evs, evs2...), ids), next2, next3)
	}
	// a token with another query, or edited, is a QueryParameterException
	v, _ := url.ParseQuery(next)
	tok := v.Get("nextPageToken")
	for _, raw := range []string{
		escapedQuery("EQ_action", "ADD", "nextPageToken", tok),
		escapedQuery("perPage", "50", "nextPageToken", tok[:len(tok)-2]+"AA"),
		escapedQuery("perPage", "50", "nextPageToken", "hello"),
	} {
		_, _, res, b := es.query(raw, "producerA")
		if p := problemOf(t, b); res.StatusCode != 400 || p.Type != QueryParameterException || p.Field != "nextPageToken" {
			t.Errorf("%s: %d %s", raw, res.StatusCode, b)
		}
	}
}

// A bad query is a 400 QueryParameterException naming the parameter; one with
// more results than its maxEventCount a 413 QueryTooLargeException.
func TestEPCISQueryBadParameters(t *testing.T) {
	es := startEPCIS(t, Config{})
	loadQueryEvents(t, es)
	for _, tc := range []struct{ raw, field string }{
		{"colour=red", "colour"},
		{"EQ_bizStep=shiping", "EQ_bizStep"},
		{"EQ_action=MOVE", "EQ_action"},
		{"GE_eventTime=yesterday", "GE_eventTime"},
		{"MATCH_epc=urn:epc:id:sgtin:0614141.107346", "MATCH_epc"},
		{"orderBy=bizStep", "orderBy"},
		{"eventCountLimit=2", "eventCountLimit"},
		{"orderBy=eventTime&eventCountLimit=2&maxEventCount=3", "eventCountLimit"},
		{"perPage=0", "perPage"},
		{"perPage=many", "perPage"},
		{"WD_readPoint=" + url.QueryEscape(qL1), "WD_readPoint"},
	} {
		_, _, res, b := es.query(tc.raw, "producerA")
		if p := problemOf(t, b); res.StatusCode != 400 || p.Type != QueryParameterException || p.Field != tc.field {
			t.Errorf("%s: %d %s", tc.raw, res.StatusCode, b)
		}
	}
	_, _, res, b := es.query("maxEventCount=3&EQ_action=ADD", "producerA")
	if p := problemOf(t, b); res.StatusCode != 413 || p.Type != QueryTooLargeException {
		t.Errorf("maxEventCount exceeded: %d %s", res.StatusCode, b)
	}
	_, _, res, b = es.query("", "producerA")
	if res.StatusCode != 200 {
		t.Fatal(res.StatusCode)
	}
	res, b = es.do("GET", "/epcis/events", "producerA", nil, "GS1-EPC-Format", "Always_EPC_URN")
	if p := problemOf(t, b); res.StatusCode != 406 || p.Type != NotAcceptableException {
		t.Errorf("EPC URNs asked for: %d %s", res.StatusCode, b)
	}
}

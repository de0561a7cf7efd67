package epcisquery

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

// runAll runs a query to the end, page by page, and returns the hits' positions.
func runAll(t *testing.T, src Source, ids []string, raw string, perPage int) (string, []string) {
	t.Helper()
	vals, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(vals)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var got []string
	var plans []string
	var after *Cursor
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatalf("%s: no end of pages", raw)
		}
		if after != nil { // every page goes through the token's text form
			after, err = ParseCursor(q, after.Token(q))
			if err != nil {
				t.Fatal(err)
			}
		}
		p, err := Run(src, q, after, perPage, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		plans = append(plans, p.Plan)
		if s := names(p.Hits, ids); s != "" {
			got = append(got, s)
		}
		if p.Next == nil {
			break
		}
		after = p.Next
	}
	return strings.Join(got, ","), plans
}

// Every supported query parameter keeps exactly the events it should, whatever
// form its values are written in, and the index the plan starts from is the one
// that narrows most.
func TestQueryParametersSelectExactly(t *testing.T) {
	l, ids := handLog(t)
	rec := func(min int) string {
		return url.QueryEscape(recordT0.Add(time.Duration(min) * time.Minute).Format(time.RFC3339))
	}
	ev := func(h int) string {
		return url.QueryEscape(eventT0.Add(time.Duration(h) * time.Hour).Format(time.RFC3339))
	}
	for _, tc := range []struct {
		query string
		want  string // positions in handEvents, in result order
		plan  string // the first page's plan, when it matters
	}{
		{"", "0,1,2,3,4,5,6,7,8", "scan"},
		{"eventType=AggregationEvent|TransformationEvent", "2,3", ""},
		{"eventType=AssociationEvent", "5", ""},
		{"GE_eventTime=" + ev(2) + "&LT_eventTime=" + ev(4), "2,3", "eventTime"},
		{"GE_eventTime=2025-03-01T10:00:00.000%2B01:00", "1,2,3,4,5,6,7,8", ""},       // 09:00Z
		{"LT_eventTime=2025-03-01T09:30:00 01:00", "0", ""},                           // unencoded '+'
		{"GE_recordTime=" + rec(4) + "&LT_recordTime=" + rec(6), "2,3", "recordTime"}, // event i recorded at minute i+2
		{"GE_recordTime=" + rec(10), "8", "recordTime"},
		{"EQ_action=OBSERVE", "1,6,8", ""},
		{"EQ_action=ADD|DELETE", "0,2,4,5,7", ""},
		{"EQ_bizStep=shipping", "1,4", "bizStep"},
		{"EQ_bizStep=https://ref.gs1.org/cbv/BizStep-commissioning|cbv:BizStep-receiving", "0,3,8", "bizStep"},
		{"EQ_disposition=in_transit|urn:epcglobal:cbv:disp:recalled", "1,4,7", "disposition"},
		{"EQ_persistentDisposition_set=recalled", "7", ""},
		{"EQ_persistentDisposition_unset=active", "7", ""},
		{"EQ_readPoint=" + glnL1, "0,1,8", "readPoint"},
		{"EQ_readPoint=https://id.gs1.org/414/0614141007776", "0,1,8", "readPoint"},
		{"EQ_bizLocation=" + glnL2, "1,3,4", "bizLocation"},
		{"EQ_transformationID=urn:uuid:7e1b0e28-8a55-4c5b-9d6e-2f0c8d6b1a01", "3", ""},
		{"MATCH_epc=" + sgtinA1, "0,1,2,4", "MATCH_epc"},
		{"MATCH_epc=https://example.com/01/10614141073464/21/2", "0,2", "MATCH_epc"},
		{"MATCH_epc=urn:epc:idpat:sgtin:0614141.107346.*", "0,1,2,4", ""},
		{"MATCH_epc=urn:epc:idpat:sgtin:4012345.*.*", "5,6,8", ""}, // childEPCs count
		{"MATCH_parentID=" + ssccP1, "2,4", "MATCH_parentID"},
		{"MATCH_parentID=urn:epc:idpat:sscc:0614141.*", "2,4", ""},
		{"MATCH_parentID=urn:epc:idpat:giai:0614141.*", "5", ""},
		{"MATCH_inputEPC=" + sgtinA2, "3", ""},
		{"MATCH_outputEPC=" + sgtinB1, "3", ""},
		{"MATCH_anyEPC=" + sgtinB1, "3,5,6,8", "MATCH_anyEPC"},
		{"MATCH_anyEPC=" + ssccP1 + "|" + sgtinA2, "0,2,3,4", ""},
		{"MATCH_epcClass=" + lotX, "2", ""},
		{"MATCH_epcClass=" + classZ, "7", ""},
		{"MATCH_epcClass=urn:epc:idpat:sgtin:0614141.107346.*", "2", ""},
		{"MATCH_inputEPCClass=" + lotX, "3", ""},
		{"MATCH_outputEPCClass=" + lotY, "3", ""},
		{"MATCH_anyEPCClass=" + lotX, "2,3", ""},
		{"MATCH_anyEPCClass=https://id.gs1.org/01/04012345123456/10/LOTY", "3", ""},
		{"GE_quantity=5&LT_quantity=10", "3", ""},
		{"EQ_quantity=3", "7", ""},
		{"GT_quantity=4", "3", ""},
		{"LE_quantity=4", "2,7", ""},
		{"EQ_eventID=urn:uuid:6c2a3b7e-1111-4c5b-9d6e-2f0c8d6b1a08", "8", "eventID"},
		{"EQ_eventID=" + url.QueryEscape(ids[4]) + "|urn:uuid:none", "4", "eventID"},
		{"EXISTS_errorDeclaration=true", "6", ""},
		{"EXISTS_errorDeclaration", "6", ""},
		{"EXISTS_errorDeclaration=false", "0,1,2,3,4,5,6,7,8", ""},
		{"EQ_errorReason=incorrect_data", "6", ""},
		{"EQ_correctiveEventID=urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8", "6", ""},
		{"GE_errorDeclarationTime=2025-03-02T00:00:00Z", "6", ""},
		{"LT_errorDeclarationTime=2025-03-02T00:00:00Z", "", ""},
		// combinations: the most selective index leads, the others filter
		{"EQ_bizStep=commissioning&EQ_readPoint=" + glnL1, "0", ""},
		{"EQ_bizStep=shipping|commissioning|packing&MATCH_parentID=" + ssccP1, "2,4", ""},
		// order
		{"orderBy=eventTime", "8,7,6,5,4,3,2,1,0", "eventTime"},
		{"orderBy=eventTime&orderDirection=ASC", "0,1,2,3,4,5,6,7,8", "eventTime"},
		{"orderBy=recordTime&orderDirection=DESC", "8,7,6,5,4,3,2,1,0", "scan"},
		{"orderBy=recordTime&orderDirection=ASC&EQ_action=OBSERVE", "1,6,8", ""},
		{"orderBy=eventTime&EQ_bizStep=shipping|receiving", "8,4,1", "bizStep (set)"},
		{"orderBy=eventTime&orderDirection=DESC&eventCountLimit=2", "8,7", ""},
		{"orderBy=eventTime&orderDirection=ASC&eventCountLimit=3&EQ_action=OBSERVE|ADD", "0,1,2", ""},
		{"orderBy=recordTime&eventCountLimit=1&MATCH_anyEPC=" + sgtinB1, "8", ""},
		{"maxEventCount=3&EQ_bizStep=shipping", "1,4", ""},
	} {
		for _, per := range []int{1, 2, 100} {
			got, plans := runAll(t, l, ids, tc.query, per)
			if got != tc.want {
				t.Errorf("%s (perPage %d): got [%s], want [%s] (plans %v)", tc.query, per, got, tc.want, plans)
			}
			if tc.plan != "" && plans[0] != tc.plan {
				t.Errorf("%s: plan %q, want %q", tc.query, plans[0], tc.plan)
			}
		}
	}
}

// maxEventCount refuses a query with more results than it allows, and only then.
func TestMaxEventCountIsQueryTooLarge(t *testing.T) {
	l, _ := handLog(t)
	q, err := Parse(url.Values{"maxEventCount": {"3"}, "EQ_action": {"ADD"}})
	if err != nil {
		t.Fatal(err)
	}
	var tl *TooLargeError
	if _, err := Run(l, q, nil, 10, Limits{}); !errors.As(err, &tl) || tl.Max != 3 {
		t.Fatalf("5 results with maxEventCount=3: %v", err)
	}
	q, _ = Parse(url.Values{"maxEventCount": {"5"}, "EQ_action": {"ADD"}})
	p, err := Run(l, q, nil, 2, Limits{})
	if err != nil || len(p.Hits) != 2 || p.Next == nil {
		t.Fatalf("5 results with maxEventCount=5, perPage 2: %v, %+v", err, p)
	}
}

// A page stops early with a cursor when the candidates it may examine run out, and
// the pages still add up to the whole answer.
func TestBudgetEndsPagesEarlyWithoutLosingEvents(t *testing.T) {
	l, ids := handLog(t)
	q, _ := Parse(url.Values{"EQ_action": {"DELETE"}})
	var got string
	var after *Cursor
	pages := 0
	for {
		p, err := Run(l, q, after, 5, Limits{Budget: 2})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got += names(p.Hits, ids)
		if p.Next == nil {
			break
		}
		after = p.Next
	}
	if got != "7" || pages < 4 {
		t.Fatalf("got %q in %d pages", got, pages)
	}
}

func TestBadParametersNameThemselves(t *testing.T) {
	for _, tc := range []struct{ query, param string }{
		{"EQ_bizStep=shiping", "EQ_bizStep"},
		{"EQ_disposition=", "EQ_disposition"},
		{"EQ_action=MOVE", "EQ_action"},
		{"eventType=ThingEvent", "eventType"},
		{"GE_eventTime=yesterday", "GE_eventTime"},
		{"GE_eventTime=2025-01-01T00:00:00", "GE_eventTime"},
		{"LT_recordTime=2025-01-01T00:00:00Z&LT_recordTime=2025-01-02T00:00:00Z", "LT_recordTime"},
		{"MATCH_epc=urn:epc:id:sgtin:0614141.107346", "MATCH_epc"},
		{"MATCH_epc=https://id.gs1.org/01/10614141073465/21/1", "MATCH_epc"},
		{"MATCH_epc=urn:epc:idpat:sgtin:0614141.*.7", "MATCH_epc"},
		{"MATCH_epc=urn:epc:idpat:sgtin:0614141.10734.*", "MATCH_epc"},
		{"MATCH_epc=urn:epc:idpat:gdti:0614141.*.*", "MATCH_epc"},
		{"EQ_readPoint=warehouse", "EQ_readPoint"},
		{"GE_quantity=lots", "GE_quantity"},
		{"EXISTS_errorDeclaration=yes", "EXISTS_errorDeclaration"},
		{"orderBy=bizStep", "orderBy"},
		{"orderBy=eventTime&orderDirection=UP", "orderDirection"},
		{"orderDirection=ASC", "orderDirection"},
		{"eventCountLimit=3", "eventCountLimit"},
		{"orderBy=eventTime&eventCountLimit=0", "eventCountLimit"},
		{"orderBy=eventTime&eventCountLimit=2&maxEventCount=3", "eventCountLimit"},
		{"maxEventCount=-1", "maxEventCount"},
		{"EQ_bizstep=shipping", "EQ_bizstep"},
		{"colour=red", "colour"},
		{"WD_readPoint=urn:epc:id:sgln:0614141.00777.0", "WD_readPoint"},
		{"EQ_sensorReport_type=Temperature", "EQ_sensorReport_type"},
		{"EQ_action=" + strings.Repeat("ADD|", 64) + "ADD", "EQ_action"},
	} {
		vals, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(vals)
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != tc.param {
			t.Errorf("%s: %v, want a ParamError about %s", tc.query, err, tc.param)
		}
	}
}

func TestCursorsAreBoundToTheirQuery(t *testing.T) {
	q1, _ := Parse(url.Values{"EQ_action": {"ADD"}})
	q2, _ := Parse(url.Values{"EQ_action": {"OBSERVE"}})
	tok := (&Cursor{Order: IndexAsc, Index: 7, Returned: 3}).Token(q1)
	c, err := ParseCursor(q1, tok)
	if err != nil || c.Index != 7 || c.Returned != 3 || c.Order != IndexAsc {
		t.Fatalf("round trip: %+v %v", c, err)
	}
	if _, err := ParseCursor(q2, tok); err == nil {
		t.Error("a token of another query was accepted")
	}
	b := []byte(tok)
	b[5] ^= 1
	if _, err := ParseCursor(q1, string(b)); err == nil {
		t.Error("an edited token was accepted")
	}
	for _, bad := range []string{"", "!!", "AAAA", tok + "A"} {
		if _, err := ParseCursor(q1, bad); err == nil {
			t.Errorf("token %q accepted", bad)
		}
	}
}

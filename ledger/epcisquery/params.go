package epcisquery

import (
	"crypto/sha256"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"traceledger/ledger/epcis"
)

// A Query is a parsed SimpleEventQuery: every constraint of the URI query string
// in canonical form. An empty list or zero value means "no constraint".
type Query struct {
	EventTypes []string

	GEEventTime, LTEventTime   time.Time
	GERecordTime, LTRecordTime time.Time

	Actions         []string
	BizSteps        []string // bare CBV words or URIs
	Dispositions    []string
	PersistentSet   []string
	PersistentUnset []string
	ReadPoints      []string // canonical identifiers
	BizLocations    []string
	TransformIDs    []string

	EPC, ParentID, InputEPC, OutputEPC, AnyEPC           []Pattern
	EPCClass, InputEPCClass, OutputEPCClass, AnyEPCClass []Pattern
	Quantity                                             []Comparison
	EventIDs                                             []string
	ErrorDeclaration                                     bool
	GEErrorDeclarationTime, LTErrorDeclarationTime       time.Time
	ErrorReasons, CorrectiveEventIDs                     []string

	// OrderBy is "", "eventTime" or "recordTime"; Descending applies when it is set
	// (EPCIS's default direction is DESC).
	OrderBy    string
	Descending bool
	// EventCountLimit keeps only the first N results (0: all); MaxEventCount makes
	// a query with more results than it fail (0: no limit).
	EventCountLimit int
	MaxEventCount   int

	// hash identifies the query's constraints (not its paging), binding cursors.
	hash [8]byte
}

// A Comparison is one quantity constraint (EQ_, GT_, GE_, LT_ or LE_quantity).
type Comparison struct {
	Op    string // "EQ", "GT", "GE", "LT", "LE"
	Value float64
}

// A ParamError is a query parameter that is unknown, unsupported or malformed:
// the REST binding's QueryParameterException.
type ParamError struct {
	Param string
	Msg   string
}

// Error names the parameter and what is wrong with it.
func (e *ParamError) Error() string { return "query parameter " + e.Param + ": " + e.Msg }

// PagingParams are the REST binding's paging parameters, which Parse leaves to the
// caller: they choose the page, not the events.
var PagingParams = []string{"perPage", "nextPageToken"}

// unsupported are standard SimpleEventQuery parameters (or families, by prefix)
// this server does not evaluate: master-data hierarchies (WD_), sensor data,
// and user extension fields. They are refused by name rather than ignored, since
// ignoring a constraint would return events the caller excluded.
var unsupported = []string{"WD_readPoint", "WD_bizLocation", "GE_startTime", "LT_startTime", "GE_endTime",
	"LT_endTime", "EQ_type", "EQ_deviceID", "EQ_dataProcessingMethod", "EQ_microorganism",
	"EQ_chemicalSubstance", "EQ_bizRules", "EQ_stringValue", "EQ_hexBinaryValue", "EQ_uriValue",
	"EQ_booleanValue", "EQ_sensorMetadata_", "EQ_sensorReport_", "EXISTS_sensorMetadata_",
	"EXISTS_sensorReport_", "EQ_bizTransaction_", "EQ_source_", "EQ_destination_", "EQ_ILMD_",
	"EXISTS_ILMD_", "EQ_INNER_", "EXISTS_INNER_", "HASATTR_", "EQATTR_", "EQ_value", "GT_", "GE_", "LT_", "LE_",
	"EQ_", "EXISTS_", "GS1-"}

// maxValues bounds the values of one parameter, so that one URI cannot fan out into
// thousands of index scans.
const maxValues = 64

// Parse reads a SimpleEventQuery from URI query parameters. Multi-valued
// parameters are pipe-separated ("shipping|receiving") and may also be repeated.
// Identifiers may be EPC URIs or GS1 Digital Link URIs on any stem; CBV values bare
// words, CBV URNs, web URIs or CURIEs. Paging parameters are skipped. The first
// problem is returned as a *ParamError.
func Parse(params url.Values) (*Query, error) {
	q := &Query{Descending: true}
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names) // the first error is the same every time
	h := sha256.New()
	for _, name := range names {
		raw := params[name]
		if slices.Contains(PagingParams, name) {
			continue
		}
		fmt.Fprintf(h, "%q=%q;", name, raw)
		if err := q.set(name, raw); err != nil {
			return nil, err
		}
	}
	copy(q.hash[:], h.Sum(nil))
	if q.EventCountLimit > 0 && q.MaxEventCount > 0 {
		return nil, &ParamError{"eventCountLimit", "eventCountLimit and maxEventCount exclude each other"}
	}
	if q.EventCountLimit > 0 && q.OrderBy == "" {
		return nil, &ParamError{"eventCountLimit", "eventCountLimit needs orderBy"}
	}
	if _, dir := params["orderDirection"]; dir && q.OrderBy == "" {
		return nil, &ParamError{"orderDirection", "orderDirection needs orderBy"}
	}
	return q, nil
}

// set applies one parameter.
func (q *Query) set(name string, raw []string) error {
	list := func() ([]string, error) { return splitValues(name, raw) }
	one := func() (string, error) {
		if len(raw) != 1 {
			return "", &ParamError{name, "give it once"}
		}
		return raw[0], nil
	}
	var err error
	switch name {
	case "eventType":
		var vs []string
		if vs, err = list(); err == nil {
			for _, v := range vs {
				switch v {
				case epcis.ObjectEvent, epcis.AggregationEvent, epcis.TransformationEvent, epcis.TransactionEvent, epcis.AssociationEvent:
				default:
					return &ParamError{name, fmt.Sprintf("%q is not an EPCIS event type", v)}
				}
			}
			q.EventTypes = vs
		}
	case "GE_eventTime":
		q.GEEventTime, err = timeParam(name, raw)
	case "LT_eventTime":
		q.LTEventTime, err = timeParam(name, raw)
	case "GE_recordTime":
		q.GERecordTime, err = timeParam(name, raw)
	case "LT_recordTime":
		q.LTRecordTime, err = timeParam(name, raw)
	case "GE_errorDeclarationTime":
		q.GEErrorDeclarationTime, err = timeParam(name, raw)
	case "LT_errorDeclarationTime":
		q.LTErrorDeclarationTime, err = timeParam(name, raw)
	case "EQ_action":
		var vs []string
		if vs, err = list(); err == nil {
			for _, v := range vs {
				if v != epcis.ActionAdd && v != epcis.ActionObserve && v != epcis.ActionDelete {
					return &ParamError{name, fmt.Sprintf("%q is not ADD, OBSERVE or DELETE", v)}
				}
			}
			q.Actions = vs
		}
	case "EQ_bizStep":
		q.BizSteps, err = vocabParam(name, raw, epcis.BizSteps)
	case "EQ_disposition":
		q.Dispositions, err = vocabParam(name, raw, epcis.Dispositions)
	case "EQ_persistentDisposition_set":
		q.PersistentSet, err = vocabParam(name, raw, epcis.Dispositions)
	case "EQ_persistentDisposition_unset":
		q.PersistentUnset, err = vocabParam(name, raw, epcis.Dispositions)
	case "EQ_errorReason":
		q.ErrorReasons, err = vocabParam(name, raw, epcis.ErrorReasons)
	case "EQ_readPoint":
		q.ReadPoints, err = idParam(name, raw)
	case "EQ_bizLocation":
		q.BizLocations, err = idParam(name, raw)
	case "EQ_transformationID":
		q.TransformIDs, err = list()
	case "EQ_eventID":
		q.EventIDs, err = list()
	case "EQ_correctiveEventID":
		q.CorrectiveEventIDs, err = list()
	case "MATCH_epc":
		q.EPC, err = patternParam(name, raw)
	case "MATCH_parentID":
		q.ParentID, err = patternParam(name, raw)
	case "MATCH_inputEPC":
		q.InputEPC, err = patternParam(name, raw)
	case "MATCH_outputEPC":
		q.OutputEPC, err = patternParam(name, raw)
	case "MATCH_anyEPC":
		q.AnyEPC, err = patternParam(name, raw)
	case "MATCH_epcClass":
		q.EPCClass, err = patternParam(name, raw)
	case "MATCH_inputEPCClass":
		q.InputEPCClass, err = patternParam(name, raw)
	case "MATCH_outputEPCClass":
		q.OutputEPCClass, err = patternParam(name, raw)
	case "MATCH_anyEPCClass":
		q.AnyEPCClass, err = patternParam(name, raw)
	case "EQ_quantity", "GT_quantity", "GE_quantity", "LT_quantity", "LE_quantity":
		var v string
		if v, err = one(); err == nil {
			f, perr := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return &ParamError{name, fmt.Sprintf("%q is not a number", v)}
			}
			q.Quantity = append(q.Quantity, Comparison{Op: name[:2], Value: f})
		}
	case "EXISTS_errorDeclaration":
		var v string
		if v, err = one(); err == nil {
			switch v {
			case "", "true":
				q.ErrorDeclaration = true
			case "false":
			default:
				return &ParamError{name, fmt.Sprintf("%q is not true or false", v)}
			}
		}
	case "orderBy":
		var v string
		if v, err = one(); err == nil {
			if v != "eventTime" && v != "recordTime" {
				return &ParamError{name, fmt.Sprintf("%q: this server orders by eventTime or recordTime only", v)}
			}
			q.OrderBy = v
		}
	case "orderDirection":
		var v string
		if v, err = one(); err == nil {
			switch v {
			case "ASC":
				q.Descending = false
			case "DESC":
				q.Descending = true
			default:
				return &ParamError{name, fmt.Sprintf("%q is not ASC or DESC", v)}
			}
		}
	case "eventCountLimit":
		q.EventCountLimit, err = countParam(name, raw)
	case "maxEventCount":
		q.MaxEventCount, err = countParam(name, raw)
	default:
		for _, u := range unsupported {
			if name == u || (strings.HasSuffix(u, "_") && strings.HasPrefix(name, u)) {
				return &ParamError{name, "this server does not support this query parameter"}
			}
		}
		return &ParamError{name, "unknown query parameter"}
	}
	return err
}

// splitValues splits pipe-separated values (of every repetition of the parameter)
// and refuses empty ones.
func splitValues(name string, raw []string) ([]string, error) {
	var out []string
	for _, r := range raw {
		for _, v := range strings.Split(r, "|") {
			if v == "" {
				return nil, &ParamError{name, "empty value"}
			}
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, &ParamError{name, "no value"}
	}
	if len(out) > maxValues {
		return nil, &ParamError{name, fmt.Sprintf("%d values; at most %d", len(out), maxValues)}
	}
	return out, nil
}

// timeParam reads an EPCIS timestamp. A "+" in a time zone offset arrives as a
// space when the client did not percent-encode it; it is read back as "+".
func timeParam(name string, raw []string) (time.Time, error) {
	if len(raw) != 1 {
		return time.Time{}, &ParamError{name, "give it once"}
	}
	t, err := epcis.ParseTime(strings.ReplaceAll(raw[0], " ", "+"))
	if err != nil {
		return time.Time{}, &ParamError{name, fmt.Sprintf("%q is not an RFC 3339 date-time with a time zone", raw[0])}
	}
	return t, nil
}

// vocabParam reads CBV values: standard ones in any form become bare words, custom
// ones must be URIs (a bare unknown word is a typo, not a value that can exist).
func vocabParam(name string, raw []string, voc *epcis.Vocabulary) ([]string, error) {
	vs, err := splitValues(name, raw)
	if err != nil {
		return nil, err
	}
	for i, v := range vs {
		if _, ok := voc.Check(v); !ok {
			return nil, &ParamError{name, fmt.Sprintf("%q is neither a CBV %s nor a URI", v, voc.Name)}
		}
		vs[i] = voc.BareOrURI(v)
	}
	return vs, nil
}

// idParam reads location identifiers as the ledger stores them: GS1 ones as
// canonical Digital Link URIs, others as written.
func idParam(name string, raw []string) ([]string, error) {
	vs, err := splitValues(name, raw)
	if err != nil {
		return nil, err
	}
	for i, v := range vs {
		c, err := canonical(v)
		if err != nil {
			return nil, &ParamError{name, err.Error()}
		}
		vs[i] = c
	}
	return vs, nil
}

// canonical is an identifier's canonical form: epcis.CanonicalID for GS1 ones.
func canonical(v string) (string, error) {
	dl, ok, err := epcis.CanonicalID(v)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid identifier: %v", v, err)
	}
	if !ok {
		if !strings.Contains(v, ":") {
			return "", fmt.Errorf("%q is not a URI", v)
		}
		return v, nil
	}
	return dl, nil
}

// countParam reads a positive integer.
func countParam(name string, raw []string) (int, error) {
	if len(raw) != 1 {
		return 0, &ParamError{name, "give it once"}
	}
	n, err := strconv.Atoi(raw[0])
	if err != nil || n < 1 {
		return 0, &ParamError{name, fmt.Sprintf("%q is not a positive integer", raw[0])}
	}
	return n, nil
}

package server

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// linksetSchema is the part of GS1's linkset JSON schema (draft-07) that the tests
// check, read from the schema file itself: the required members, the allowed members
// and the patterns. Go's regexp has no lookahead, so the pattern of relation-type keys
// is read without its leading "(?!(anchor|itemDescription))", which only excludes the
// two named members (checked first).
type linksetSchema struct {
	topRequired, ctxRequired, targetRequired []string
	topAllowed, targetAllowed                []string
	anchor, relKey, href, hreflang, mtype    *regexp.Regexp
}

func loadLinksetSchema(t *testing.T) *linksetSchema {
	t.Helper()
	raw, err := os.ReadFile(testenv.Shared(t, "testdata/gs1-resolver/gs1-linkset-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	type node struct {
		Type                 string           `json:"type"`
		Pattern              string           `json:"pattern"`
		Required             []string         `json:"required"`
		Properties           map[string]*node `json:"properties"`
		PatternProperties    map[string]*node `json:"patternProperties"`
		Items                *node            `json:"items"`
		AdditionalProperties *bool            `json:"additionalProperties"`
	}
	var root node
	if err := json.Unmarshal(raw, &root); err != nil {
		t.Fatal(err)
	}
	ctx := root.Properties["linkset"].Items
	if len(ctx.PatternProperties) != 1 {
		t.Fatalf("schema: %d pattern properties", len(ctx.PatternProperties))
	}
	s := &linksetSchema{topRequired: root.Required, ctxRequired: ctx.Required}
	for k := range root.Properties {
		s.topAllowed = append(s.topAllowed, k)
	}
	for pat, rel := range ctx.PatternProperties {
		pat = strings.TrimPrefix(pat, "(?!(anchor|itemDescription))")
		s.relKey = regexp.MustCompile(pat)
		target := rel.Items
		s.targetRequired = target.Required
		for k := range target.Properties {
			s.targetAllowed = append(s.targetAllowed, k)
		}
		s.href = regexp.MustCompile(target.Properties["href"].Pattern)
		s.hreflang = regexp.MustCompile(target.Properties["hreflang"].Items.Pattern)
		s.mtype = regexp.MustCompile(target.Properties["type"].Pattern)
	}
	s.anchor = regexp.MustCompile(ctx.Properties["anchor"].Pattern)
	return s
}

// check validates a linkset document against the schema.
func (s *linksetSchema) check(t *testing.T, doc []byte) {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		t.Fatalf("linkset: %v", err)
	}
	for _, r := range s.topRequired {
		if _, ok := top[r]; !ok {
			t.Errorf("linkset lacks %q", r)
		}
	}
	for k := range top {
		if !slices.Contains(s.topAllowed, k) {
			t.Errorf("linkset has member %q", k)
		}
	}
	var ctxs []map[string]json.RawMessage
	if err := json.Unmarshal(top["linkset"], &ctxs); err != nil || len(ctxs) == 0 {
		t.Fatalf("linkset member: %v", err)
	}
	for _, ctx := range ctxs {
		for _, r := range s.ctxRequired {
			if _, ok := ctx[r]; !ok {
				t.Errorf("context object lacks %q", r)
			}
		}
		var anchor, desc string
		if json.Unmarshal(ctx["anchor"], &anchor) != nil || !s.anchor.MatchString(anchor) {
			t.Errorf("anchor %s", ctx["anchor"])
		}
		if json.Unmarshal(ctx["itemDescription"], &desc) != nil || desc == "" {
			t.Errorf("itemDescription %s", ctx["itemDescription"])
		}
		for k, v := range ctx {
			if k == "anchor" || k == "itemDescription" {
				continue
			}
			if !s.relKey.MatchString(k) || strings.HasPrefix(k, "gs1:") {
				t.Errorf("relation type %q", k)
			}
			var targets []map[string]any
			if err := json.Unmarshal(v, &targets); err != nil || len(targets) == 0 {
				t.Errorf("%s: not an array of target objects: %s", k, v)
			}
			for _, tg := range targets {
				for _, r := range s.targetRequired {
					if _, ok := tg[r]; !ok {
						t.Errorf("%s: target lacks %q", k, r)
					}
				}
				for m, val := range tg {
					if !slices.Contains(s.targetAllowed, m) {
						t.Errorf("%s: target has member %q", k, m)
					}
					switch m {
					case "href":
						if h, _ := val.(string); !s.href.MatchString(h) {
							t.Errorf("%s: href %v", k, val)
						}
					case "title":
						if h, _ := val.(string); h == "" {
							t.Errorf("%s: empty title", k)
						}
					case "type":
						if h, _ := val.(string); !s.mtype.MatchString(h) {
							t.Errorf("%s: type %v", k, val)
						}
					case "hreflang":
						langs, ok := val.([]any)
						if !ok {
							t.Errorf("%s: hreflang not an array", k)
						}
						for _, l := range langs {
							if h, _ := l.(string); !s.hreflang.MatchString(h) {
								t.Errorf("%s: hreflang %v", k, l)
							}
						}
					}
				}
			}
		}
	}
}

// The schema check itself must fail on what the schema forbids.
func TestLinksetSchemaCheckRejects(t *testing.T) {
	s := loadLinksetSchema(t)
	for _, bad := range []string{
		`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134352","itemDescription":"x","gs1:pip":[{"href":"https://e.org/","title":"t"}]}]}`,
		`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134352","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://e.org/"}]}]}`,
		`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134352","https://gs1.org/voc/pip":[{"href":"https://e.org/","title":"t"}]}]}`,
		`{"linkset":[{"anchor":"https://id.gs1.org/01/09506000134352","itemDescription":"x","https://gs1.org/voc/pip":[{"href":"https://e.org/","title":"t","hreflang":"en"}]}],"x":1}`,
	} {
		ft := &testing.T{}
		done := make(chan struct{})
		go func() { defer close(done); s.check(ft, []byte(bad)) }()
		<-done
		if !ft.Failed() {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestLinkContextJSONOrder(t *testing.T) {
	lc := linkContext{Anchor: "https://x.example/01/09506000134352", ItemDescription: "Rice & more", Links: []typedLink{
		{Rel: linkDefault, Href: "https://x.example/p?a=1&b=2", Title: "P", Type: mediaHTML, Hreflang: []string{"en"}},
		{Rel: linkPIP, Href: "https://x.example/p", Title: "P"},
		{Rel: linkDefault, Href: "https://x.example/q", Title: "Q"},
	}}
	b, err := jsonBytes(linkset{Linkset: []linkContext{lc}})
	if err != nil {
		t.Fatal(err)
	}
	b = b[:len(b)-1] // the encoder's newline
	want := `{"linkset":[{"anchor":"https://x.example/01/09506000134352","itemDescription":"Rice & more",` +
		`"https://gs1.org/voc/defaultLink":[{"href":"https://x.example/p?a=1&b=2","title":"P","type":"text/html","hreflang":["en"]},{"href":"https://x.example/q","title":"Q"}],` +
		`"https://gs1.org/voc/pip":[{"href":"https://x.example/p","title":"P"}]}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestLinkHeaderQuotes(t *testing.T) {
	got := linkHeader([]typedLink{
		{Rel: linkPIP, Href: "https://x.example/p", Title: `Say "hi", \ bye`, Type: mediaHTML, Hreflang: []string{"en", "fr"}},
		{Rel: "linkset", Href: "https://x.example/l", Title: "L\r\nInjected: x"},
	})
	want := `<https://x.example/p>; rel="https://gs1.org/voc/pip"; type="text/html"; hreflang="en"; hreflang="fr"; title="Say \"hi\", \\ bye", ` +
		`<https://x.example/l>; rel="linkset"; title="LInjected: x"`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

package server

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"traceledger/ledger/lotrecord"
)

// templates holds the server-rendered pages: plain, mobile-friendly HTML with no
// scripts (a later issue styles them).
//
//go:embed templates/*.html
var templates embed.FS

// recordPage is the consumer page of a code (DESIGN.md journey 3): product, real-name
// producer, origin, dates, recall banner, counterfeit warning, inspections, journey
// and whether the record verifies.
var recordPage = template.Must(template.New("record.html").Funcs(template.FuncMap{
	"firmArgs": func(f *lotrecord.Firm, lang string) map[string]any { return map[string]any{"Firm": f, "Lang": lang} },
	// num writes a measured value or limit as people write it: 340939157, not 3.40939157e+08.
	"num": func(v any) string {
		switch x := v.(type) {
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		case *float64:
			if x != nil {
				return strconv.FormatFloat(*x, 'f', -1, 64)
			}
		}
		return ""
	},
}).ParseFS(templates, "templates/record.html"))

// pageLabels are the page's words in one language.
type pageLabels struct {
	Recalled, RecallID, Via, Counterfeit, Product, Lot, Serial, Producer, USCC, Origin, Made,
	Expiry, Quantity, Status, Active, Verified, Yes, No, Entries, Inspections, Conformant,
	NonConformant, Item, Value, Limits, None, Journey, Links string
}

var labels = map[string]pageLabels{
	"en": {Recalled: "RECALLED", RecallID: "recall", Via: "via", Counterfeit: "Warning: this code may be counterfeit",
		Product: "Product", Lot: "Lot", Serial: "Serial", Producer: "Producer", USCC: "Unified Social Credit Code",
		Origin: "Made at", Made: "Production date", Expiry: "Expiry", Quantity: "Quantity", Status: "Status",
		Active: "active", Verified: "Record verified", Yes: "yes", No: "no", Entries: "entries",
		Inspections: "Inspections", Conformant: "Conformant", NonConformant: "Non-conformant", Item: "Test item",
		Value: "Value", Limits: "Limits", None: "none", Journey: "Journey", Links: "Links"},
	"zh": {Recalled: "已召回", RecallID: "召回编号", Via: "经由", Counterfeit: "警告：此码可能是假冒的",
		Product: "产品", Lot: "批号", Serial: "序列号", Producer: "生产者", USCC: "统一社会信用代码",
		Origin: "产地", Made: "生产日期", Expiry: "保质期至", Quantity: "数量", Status: "状态",
		Active: "正常", Verified: "记录已验证", Yes: "是", No: "否", Entries: "条记录",
		Inspections: "检验结果", Conformant: "合格", NonConformant: "不合格", Item: "检验项目",
		Value: "结果", Limits: "标准限值", None: "无", Journey: "流通记录", Links: "链接"},
}

// pageLang picks the page language: ?lang=, else Accept-Language (zh or en), else en.
func pageLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		if _, ok := labels[strings.ToLower(l)]; ok {
			return strings.ToLower(l)
		}
	}
	ranges := parseWeighted(r.Header.Get("Accept-Language"))
	zq, _ := langQ(ranges, []string{"zh"})
	eq, _ := langQ(ranges, []string{"en"})
	if zq > eq {
		return "zh"
	}
	return "en"
}

// page answers the consumer page of a resolved code in lang, with the scan watch's
// signal; the page of an unflagged record is rendered once per language and kept with
// the cached record (consumer scans are the resolver's busiest traffic).
func (h *resolverHandler) page(c echo.Context, cr *cachedRecord, place, lang string) error {
	c.Response().Header().Set("Content-Language", lang)
	rec := h.withScans(cr.rec, place)
	if rec == cr.rec {
		if b, ok := cr.pages.Load(lang); ok {
			return c.HTMLBlob(http.StatusOK, b.([]byte))
		}
	}
	b, err := renderPage(rec, cr.links, lang)
	if err != nil {
		return Internal(err)
	}
	if rec == cr.rec {
		cr.pages.Store(lang, b)
	}
	return c.HTMLBlob(http.StatusOK, b)
}

// renderPage renders the consumer page.
func renderPage(rec *lotrecord.Record, links []typedLink, lang string) ([]byte, error) {
	title := rec.Requested
	switch {
	case rec.Product != nil && lang == "zh" && rec.Product.Name != "":
		title = rec.Product.Name
	case rec.Product != nil:
		title = rec.Product.Description
	case rec.Origin != nil && rec.Origin.Name != "":
		title = rec.Origin.Name
	}
	var b bytes.Buffer
	err := recordPage.Execute(&b, map[string]any{"Rec": rec, "Links": links, "Lang": lang, "L": labels[lang], "Title": title})
	return b.Bytes(), err
}

// servePage answers GET /page/{DL path}: the consumer page, the target of gs1:pip.
func (h *resolverHandler) servePage(c echo.Context) error {
	path := strings.TrimPrefix(c.Request().URL.EscapedPath(), "/page")
	r, err := h.resolve(c, path)
	if err != nil {
		return err
	}
	place := ""
	if c.Request().Method == http.MethodGet {
		place = "ip:" + c.RealIP()
	}
	return h.page(c, r.cachedRecord, place, pageLang(c.Request()))
}

// serveRecord answers GET /api/v1/records/{DL path}: the record as JSON, the target
// of gs1:recallStatus and gs1:certificationInfo.
func (h *resolverHandler) serveRecord(c echo.Context) error {
	path := strings.TrimPrefix(c.Request().URL.EscapedPath(), "/api/v1/records")
	r, err := h.resolve(c, path)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Link", r.header)
	return h.recordJSON(c, r.cachedRecord, "")
}

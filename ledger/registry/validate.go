package registry

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"traceledger/scanner"
)

// A FieldError says which field of a registration is wrong and why, naming the
// field by its JSON member ("uscc", "sites[1].gln", "prefixes[0]").
type FieldError struct {
	Field   string
	Message string
	// Err is ErrExists or ErrConflict when the field clashes with the registry
	// rather than being malformed, else nil.
	Err error
}

// Error gives the field and what is wrong with it.
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Unwrap returns the sentinel the error is an instance of, if any.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, a ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, a...)}
}

// Limits of free-text fields, so that a registration stays a small ledger entry.
const (
	maxName     = 200
	maxAddress  = 300
	maxReason   = 1000
	maxPrefixes = 64
	maxSites    = 1000
)

// provinces are the first two digits of every GB/T 2260 division code in force:
// the provinces, autonomous regions and municipalities, and Taiwan, Hong Kong
// and Macao.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true,
}

// checkText checks a free-text field: valid UTF-8, no control characters, at most
// max characters, and not empty when required.
func checkText(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return fieldErr(field, "is required")
	case !utf8.ValidString(s):
		return fieldErr(field, "is not valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		return fieldErr(field, "is longer than %d characters", max)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return fieldErr(field, "holds a control character")
	}
	return nil
}

// checkUSCC checks a Unified Social Credit Code, with the scanner's message naming
// the position and rule.
func checkUSCC(field, code string) error {
	if err := scanner.ValidateUSCC(code); err != nil {
		return &FieldError{Field: field, Message: err.Error()}
	}
	return nil
}

// checkDigits checks that s is n digits ending in a valid GS1 check digit.
func checkDigits(field, what, s string, n int) error {
	if len(s) != n || strings.Trim(s, "0123456789") != "" {
		return fieldErr(field, "%q is not a %s: want %d digits", s, what, n)
	}
	if c := scanner.CheckDigit(s[:n-1]); c != s[n-1] {
		return fieldErr(field, "%s %s has check digit %c, want %c", what, s, s[n-1], c)
	}
	return nil
}

// checkRegion checks a GB/T 2260 administrative division code: six digits whose
// first two name a province-level division.
func checkRegion(field, r string) error {
	if len(r) != 6 || strings.Trim(r, "0123456789") != "" {
		return fieldErr(field, "%q is not a GB/T 2260 division code: want 6 digits", r)
	}
	if !provinces[r[:2]] {
		return fieldErr(field, "%q does not start with a GB/T 2260 province code", r)
	}
	return nil
}

// checkFirm checks a firm's own fields (not how they relate to other firms).
func checkFirm(f *Firm) error {
	if err := checkUSCC("uscc", f.USCC); err != nil {
		return err
	}
	if err := checkText("name", f.Name, maxName, true); err != nil {
		return err
	}
	if err := checkText("nameEN", f.NameEN, maxName, false); err != nil {
		return err
	}
	if err := checkRegion("region", f.Region); err != nil {
		return err
	}
	if len(f.Prefixes) > maxPrefixes {
		return fieldErr("prefixes", "more than %d company prefixes", maxPrefixes)
	}
	for i, p := range f.Prefixes {
		field := fmt.Sprintf("prefixes[%d]", i)
		if len(p) < 4 || len(p) > 12 || strings.Trim(p, "0123456789") != "" {
			return fieldErr(field, "%q is not a GS1 company prefix: want 4 to 12 digits", p)
		}
		for j, q := range f.Prefixes[:i] {
			if strings.HasPrefix(p, q) || strings.HasPrefix(q, p) {
				return fieldErr(field, "%s overlaps prefixes[%d] %s", p, j, q)
			}
		}
	}
	if f.PartyGLN != "" {
		if err := checkDigits("partyGLN", "GLN", f.PartyGLN, 13); err != nil {
			return err
		}
	}
	if len(f.Sites) > maxSites {
		return fieldErr("sites", "more than %d sites", maxSites)
	}
	for i, s := range f.Sites {
		field := fmt.Sprintf("sites[%d]", i)
		if err := checkDigits(field+".gln", "GLN", s.GLN, 13); err != nil {
			return err
		}
		for j, t := range f.Sites[:i] {
			if t.GLN == s.GLN {
				return fieldErr(field+".gln", "GLN %s is also sites[%d]", s.GLN, j)
			}
		}
		if err := checkText(field+".name", s.Name, maxName, false); err != nil {
			return err
		}
		if err := checkText(field+".address", s.Address, maxAddress, false); err != nil {
			return err
		}
	}
	if !f.Status.valid() {
		return fieldErr("status", "%q is not a status: want pending, approved or suspended", f.Status)
	}
	return nil
}

// NormalizeGTIN returns the 14-digit form of a GTIN-8, -12, -13 or -14 (left
// padded with zeros), or an error naming field when it is not one or its check
// digit is wrong.
func NormalizeGTIN(field, gtin string) (string, error) {
	g, err := scanner.GTIN14(gtin)
	if err != nil {
		return "", fieldErr(field, "%s", err.Error())
	}
	return g, nil
}

// checkUOM checks a UN/CEFACT Recommendation 20 unit code: 2 or 3 upper-case
// letters or digits.
func checkUOM(field, u string) error {
	if len(u) < 2 || len(u) > 3 || strings.Trim(u, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
		return fieldErr(field, "%q is not a UN/CEFACT Rec. 20 unit code (KGM, LTR, EA, ...)", u)
	}
	return nil
}

// checkProduct checks a product's own fields; p.GTIN must be normalized.
func checkProduct(p *Product) error {
	if err := checkText("description", p.Description, maxName, true); err != nil {
		return err
	}
	if err := checkText("name", p.Name, maxName, false); err != nil {
		return err
	}
	if p.Category != CategoryFarmProduce && p.Category != CategoryManufactured {
		return fieldErr("category", "%q is not a category: want farm_produce or manufactured", p.Category)
	}
	if err := checkUOM("uom", p.UOM); err != nil {
		return err
	}
	return checkUSCC("owner", p.Owner)
}

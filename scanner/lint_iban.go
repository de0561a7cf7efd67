package scanner

import "strconv"

// lintIBAN checks a (8007) International Bank Account Number (ISO 13616-1): letters
// and digits only, a country with an IBAN and that country's IBAN length as the SWIFT
// IBAN registry gives them, and the mod-97 check digits in positions 3-4.
var lintIBAN = Linter{Name: "iban", Check: checkIBAN}

// ibanLengths is the length of an IBAN for each country of the SWIFT IBAN registry
// (release 99, 2025), keyed by ISO 3166 alpha-2 code ("XK" is Kosovo's code there).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

func checkIBAN(v string) *LintError {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return &LintError{Pos: i, Message: "invalid IBAN character " + quoteByte(c) + " (digits and capital letters only)"}
		}
	}
	if len(v) < 5 {
		return &LintError{Pos: 0, Message: "too short for an IBAN"}
	}
	want, ok := ibanLengths[v[:2]]
	if !ok {
		return &LintError{Pos: 0, Message: "no IBAN for country " + v[:2]}
	}
	if len(v) != want {
		return &LintError{Pos: 0, Message: "an IBAN of " + v[:2] + " has " + strconv.Itoa(want) + " characters, got " + strconv.Itoa(len(v))}
	}
	if c := v[2]; c < '0' || c > '9' {
		return &LintError{Pos: 2, Message: "IBAN check digits must be digits"}
	}
	if c := v[3]; c < '0' || c > '9' {
		return &LintError{Pos: 3, Message: "IBAN check digits must be digits"}
	}
	// Move the country code and check digits to the end, letters to 10..35, and take the
	// number mod 97: a valid IBAN leaves 1.
	sum := 0
	for i := 0; i < len(v); i++ {
		c := v[(i+4)%len(v)]
		if c <= '9' {
			sum = (sum*10 + int(c-'0')) % 97
		} else {
			sum = (sum*100 + int(c-'A'+10)) % 97
		}
	}
	if sum != 1 || v[2:4] == "00" || v[2:4] == "01" || v[2:4] == "99" {
		return &LintError{Pos: 2, Message: "invalid IBAN check digits " + v[2:4]}
	}
	return nil
}

package scanner

import (
	"errors"
	"strings"
	"testing"

	"traceledger/fixtures/testenv"
)

// The valid codes below were computed with an independent implementation of GB 32100 and
// GB 11714 (not this file's), chosen to reach the edge cases: a final check value of 31
// written '0', an embedded organisation check of 10 ('X') and 11 ('0'), letters in
// positions 1 and 2, and a code quoted in a public bug report (12440600MB2C07549J).
var usccCases = []struct {
	code    string
	wantErr error // nil when valid
	wantPos int
}{
	{"12440600MB2C07549J", nil, 0},
	{"N3320583NDBMWCY760", nil, 0}, // check value 31 -> '0'
	{"52110105HN2J1K6FXJ", nil, 0}, // embedded organisation check 'X'
	{"92440300G06YYGB402", nil, 0}, // embedded organisation check '0'
	{"53110105YBK02U6K9Y", nil, 0},

	{"", ErrFirmCodeLength, 0},
	{"12440600MB2C07549", ErrFirmCodeLength, 0},
	{"12440600MB2C07549JJ", ErrFirmCodeLength, 0},
	{"12440600MB2C0754-9J", ErrFirmCodeLength, 0},
	{"12440600MI2C07549J", ErrFirmCodeCharset, 10}, // I is excluded
	{"12440600MB2C07549O", ErrFirmCodeCharset, 18}, // O is excluded
	{"S2440600MB2C07549J", ErrFirmCodeCharset, 1},  // S is excluded
	{"12440600MB2V07549J", ErrFirmCodeCharset, 12}, // V is excluded
	{"1244060ZMB2C07549J", ErrFirmCodeCharset, 8},  // Z is excluded
	{"12440600mb2c07549j", ErrFirmCodeCharset, 9},  // lower case
	{"12440600MB2C 7549J", ErrFirmCodeCharset, 13},
	{"1244A600MB2C07549J", ErrFirmCodeCharset, 5}, // division code must be digits
	{"12440600MB2C07549K", ErrFirmCodeCheck, 18},
	{"12440601MB2C07549J", ErrFirmCodeCheck, 18},   // one digit changed
	{"21440600MB2C07549J", ErrFirmCodeCheck, 18},   // adjacent transposition
	{"12440600MB2C07548F", ErrEmbeddedOrgCode, 17}, // final check recomputed over a bad organisation code
}

func TestValidateUSCC(t *testing.T) {
	for _, tc := range usccCases {
		err := ValidateUSCC(tc.code)
		if tc.wantErr == nil {
			if err != nil {
				t.Errorf("ValidateUSCC(%q) = %v, want nil", tc.code, err)
			}
			continue
		}
		var fe *FirmCodeError
		if !errors.As(err, &fe) || !errors.Is(err, tc.wantErr) {
			t.Errorf("ValidateUSCC(%q) = %v, want a *FirmCodeError wrapping %v", tc.code, err, tc.wantErr)
			continue
		}
		if fe.Position != tc.wantPos {
			t.Errorf("ValidateUSCC(%q): position %d, want %d (%v)", tc.code, fe.Position, tc.wantPos, err)
		}
	}
}

func TestValidateUSCCMessageNamesBothCharacters(t *testing.T) {
	err := ValidateUSCC("12440600MB2C07549K")
	want := "USCC: position 18: check character is 'K', want 'J'"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

// The embedded-organisation-code check must not reject anything GB 32100 issues: every one
// of the 200 published codes passes the whole of ValidateUSCC.
func TestValidateUSCCPublishedCodes(t *testing.T) {
	codes := testenv.SharedLines(t, "testdata/cn-codes/uscc-python-stdnum-valid.txt")
	for _, code := range codes {
		if err := ValidateUSCC(code); err != nil {
			t.Errorf("published code %s: %v", code, err)
		}
	}
	if n := len(codes); n != 200 {
		t.Errorf("read %d codes, want 200", n)
	}
}

func TestUSCCCheckCharBuildsValidCodes(t *testing.T) {
	for _, tc := range usccCases {
		if tc.wantErr != nil {
			continue
		}
		got, err := USCCCheckChar(tc.code[:17])
		if err != nil || got != tc.code[17] {
			t.Errorf("USCCCheckChar(%q) = %q, %v; want %q", tc.code[:17], got, err, tc.code[17])
		}
	}
	for _, body := range []string{"", "12440600MB2C0754", "12440600MB2C07549J", "12440600MB2C0754I"} {
		if _, err := USCCCheckChar(body); err == nil {
			t.Errorf("USCCCheckChar(%q) = nil error, want one", body)
		}
	}
}

var orgCodeCases = []struct {
	code    string
	wantErr error
	wantPos int
}{
	{"D2143569X", nil, 0}, // check value 10 -> 'X'
	{"D2143569-X", nil, 0},
	{"123456788", nil, 0},
	{"12345678-8", nil, 0},
	{"000000000", nil, 0}, // check value 11 -> '0'
	{"MA2B3C4D1", nil, 0},
	{"ZZZZZZZZ3", nil, 0}, // GB 11714 allows every letter, unlike GB 32100
	{"0000000A2", nil, 0},

	{"", ErrFirmCodeLength, 0},
	{"12345678", ErrFirmCodeLength, 0},
	{"1234567888", ErrFirmCodeLength, 0},
	{"1234-5678-8", ErrFirmCodeLength, 0},
	{"12345678--8", ErrFirmCodeLength, 0},
	{"1234567-88", ErrFirmCodeLength, 0},
	{"d2143569X", ErrFirmCodeCharset, 1},
	{"D21435_9X", ErrFirmCodeCharset, 7},
	{"D2143569x", ErrFirmCodeCharset, 9},
	{"D2143569-Y", ErrFirmCodeCharset, 10},
	{"D2143569K", ErrFirmCodeCharset, 9},
	{"D21435690", ErrFirmCodeCheck, 9},
	{"D2143569-0", ErrFirmCodeCheck, 10},
	{"123456789", ErrFirmCodeCheck, 9},
	{"213456788", ErrFirmCodeCheck, 9},
}

func TestValidateOrgCode(t *testing.T) {
	for _, tc := range orgCodeCases {
		err := ValidateOrgCode(tc.code)
		if tc.wantErr == nil {
			if err != nil {
				t.Errorf("ValidateOrgCode(%q) = %v, want nil", tc.code, err)
			}
			continue
		}
		var fe *FirmCodeError
		if !errors.As(err, &fe) || !errors.Is(err, tc.wantErr) {
			t.Errorf("ValidateOrgCode(%q) = %v, want a *FirmCodeError wrapping %v", tc.code, err, tc.wantErr)
			continue
		}
		if fe.Position != tc.wantPos {
			t.Errorf("ValidateOrgCode(%q): position %d, want %d (%v)", tc.code, fe.Position, tc.wantPos, err)
		}
	}
}

func TestValidateOrgCodeMessage(t *testing.T) {
	err := ValidateOrgCode("D2143569-0")
	want := "organisation code: position 10: check character is '0', want 'X'"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

// Every valid USCC carries a valid organisation code in positions 9-17.
func TestUSCCEmbedsOrgCode(t *testing.T) {
	for _, tc := range usccCases {
		if tc.wantErr != nil {
			continue
		}
		if err := ValidateOrgCode(tc.code[8:17]); err != nil {
			t.Errorf("%s: embedded %s: %v", tc.code, tc.code[8:17], err)
		}
	}
}

func FuzzValidateUSCC(f *testing.F) {
	for _, tc := range usccCases {
		f.Add(tc.code)
	}
	f.Fuzz(func(t *testing.T, code string) {
		err := ValidateUSCC(code)
		if err == nil {
			// Independent restatement of the rules for anything accepted.
			if len(code) != 18 {
				t.Fatalf("accepted %q of length %d", code, len(code))
			}
			sum := 0
			for i := 0; i < 17; i++ {
				v := strings.IndexByte(usccAlphabet, code[i])
				if v < 0 {
					t.Fatalf("accepted %q with %q", code, code[i])
				}
				w := 1
				for k := 0; k < i; k++ {
					w = w * 3 % 31
				}
				sum += v * w
			}
			if usccAlphabet[(31-sum%31)%31] != code[17] {
				t.Fatalf("accepted %q with a wrong check character", code)
			}
			if ValidateOrgCode(code[8:17]) != nil {
				t.Fatalf("accepted %q with a bad embedded organisation code", code)
			}
			return
		}
		var fe *FirmCodeError
		if !errors.As(err, &fe) || fe.Err == nil || fe.Position < 0 || fe.Position > len(code) {
			t.Fatalf("ValidateUSCC(%q) = %#v", code, err)
		}
		if len(code) == 18 && fe.Err == ErrFirmCodeCheck {
			// Fixing the check character must make the final check pass.
			c, cerr := USCCCheckChar(code[:17])
			if cerr != nil {
				t.Fatal(cerr)
			}
			if err := ValidateUSCC(code[:17] + string(c)); errors.Is(err, ErrFirmCodeCheck) {
				t.Fatalf("%q with check %q still fails: %v", code, c, err)
			}
		}
	})
}

func FuzzValidateOrgCode(f *testing.F) {
	for _, tc := range orgCodeCases {
		f.Add(tc.code)
	}
	f.Fuzz(func(t *testing.T, code string) {
		err := ValidateOrgCode(code)
		if err == nil {
			s := strings.Replace(code, "-", "", 1)
			if len(s) != 9 || (len(code) == 10 && code[8] != '-') {
				t.Fatalf("accepted %q", code)
			}
			c, cerr := OrgCodeCheckChar(s[:8])
			if cerr != nil || c != s[8] {
				t.Fatalf("accepted %q: check %q, %v", code, c, cerr)
			}
			return
		}
		var fe *FirmCodeError
		if !errors.As(err, &fe) || fe.Err == nil || fe.Position < 0 || fe.Position > len(code) {
			t.Fatalf("ValidateOrgCode(%q) = %#v", code, err)
		}
	})
}

func BenchmarkValidateUSCC(b *testing.B) {
	for b.Loop() {
		if err := ValidateUSCC("12440600MB2C07549J"); err != nil {
			b.Fatal(err)
		}
	}
}

package scanner

import (
	"strconv"
	"time"
)

// Date and time linters (GS1 General Specifications 7.12). Dates with a two-digit year
// get their century from GS1's sliding window relative to the current year; day "00"
// means "unspecified day" only in the AIs whose linter is yymmd0 (e.g. (17) expiry).

var (
	lintYYMMD0   = Linter{Name: "yymmd0", Check: func(v string) *LintError { return checkYYMMDD(v, true) }}
	lintYYMMDD   = Linter{Name: "yymmdd", Check: func(v string) *LintError { return checkYYMMDD(v, false) }}
	lintYYYYMMD0 = Linter{Name: "yyyymmd0", Check: func(v string) *LintError { return checkYYYYMMDD(v, true) }}
	lintYYYYMMDD = Linter{Name: "yyyymmdd", Check: func(v string) *LintError { return checkYYYYMMDD(v, false) }}
	lintYYMMDDHH = Linter{Name: "yymmddhh", Check: checkYYMMDDHH}
	lintHHMI     = Linter{Name: "hhmi", Check: checkHHMI}
	// hhmm is the Syntax Engine's older name for hhmi.
	lintHHMM = Linter{Name: "hhmm", Check: checkHHMI}
	lintHH   = Linter{Name: "hh", Check: func(v string) *LintError { return checkRange2(v, 23, "hour") }}
	lintMI   = Linter{Name: "mi", Check: func(v string) *LintError { return checkRange2(v, 59, "minute") }}
	lintMM   = Linter{Name: "mm", Check: func(v string) *LintError { return checkRange2(v, 59, "minute") }}
	lintSS   = Linter{Name: "ss", Check: func(v string) *LintError { return checkRange2(v, 59, "second") }}
	// mmoptss is minutes with optional seconds: MM or MMSS.
	lintMMOptSS = Linter{Name: "mmoptss", Check: checkMMOptSS}
)

// CenturyYear expands a two-digit year to four digits by the GS1 rule (General
// Specifications 7.12): taking the current year's century, a year more than 50 years
// ahead of now belongs to the previous century, and one 50 or more years behind to the
// next, so that YY always lands within -49..+50 years of now.
func CenturyYear(yy, now int) int {
	century := now - now%100
	switch d := yy - now%100; {
	case d >= 51:
		return century - 100 + yy
	case d <= -50:
		return century + 100 + yy
	default:
		return century + yy
	}
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn is the number of days in month m (1-12) of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits2 is the value of the two digits at v[i:i+2], or -1.
func digits2(v string, i int) int {
	a, b := v[i], v[i+1]
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return -1
	}
	return int(a-'0')*10 + int(b-'0')
}

func nonDigitAt(v string) *LintError {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return &LintError{Pos: i, Message: "non-digit character " + quoteByte(v[i])}
		}
	}
	return nil
}

func wrongLength(v string, want int, what string) *LintError {
	return &LintError{Pos: 0, Message: what + " must be " + strconv.Itoa(want) + " digits, got " + strconv.Itoa(len(v))}
}

func checkYYMMDD(v string, day00 bool) *LintError {
	if len(v) != 6 {
		return wrongLength(v, 6, "date YYMMDD")
	}
	if e := nonDigitAt(v); e != nil {
		return e
	}
	yy, mm, dd := digits2(v, 0), digits2(v, 2), digits2(v, 4)
	// The century matters only for 29 February of a year divisible by 4 (2000 is a
	// leap year, 2100 is not), so the clock is read only then.
	year := 2000 + yy
	if mm == 2 && dd == 29 && yy%4 == 0 {
		year = CenturyYear(yy, time.Now().Year())
	}
	return checkMonthDay(year, mm, dd, 2, day00)
}

func checkYYYYMMDD(v string, day00 bool) *LintError {
	if len(v) != 8 {
		return wrongLength(v, 8, "date YYYYMMDD")
	}
	if e := nonDigitAt(v); e != nil {
		return e
	}
	year := digits2(v, 0)*100 + digits2(v, 2)
	return checkMonthDay(year, digits2(v, 4), digits2(v, 6), 4, day00)
}

// checkMonthDay checks month mm and day dd of year; at is where the month starts in
// the value.
func checkMonthDay(year, mm, dd, at int, day00 bool) *LintError {
	if mm < 1 || mm > 12 {
		return &LintError{Pos: at, Message: "month " + pad2(mm) + " out of range"}
	}
	if dd == 0 && day00 {
		return nil
	}
	if dd < 1 || dd > daysIn(year, mm) {
		return &LintError{Pos: at + 2, Message: "day " + pad2(dd) + " out of range for " + strconv.Itoa(year) + "-" + pad2(mm)}
	}
	return nil
}

func checkYYMMDDHH(v string) *LintError {
	if len(v) != 8 {
		return wrongLength(v, 8, "date and hour YYMMDDHH")
	}
	if e := checkYYMMDD(v[:6], false); e != nil {
		return e
	}
	if e := checkRange2(v[6:], 23, "hour"); e != nil {
		e.Pos += 6
		return e
	}
	return nil
}

func checkHHMI(v string) *LintError {
	if len(v) != 4 {
		return wrongLength(v, 4, "time HHMI")
	}
	if e := checkRange2(v[:2], 23, "hour"); e != nil {
		return e
	}
	if e := checkRange2(v[2:], 59, "minute"); e != nil {
		e.Pos += 2
		return e
	}
	return nil
}

func checkMMOptSS(v string) *LintError {
	if len(v) != 2 && len(v) != 4 {
		return &LintError{Pos: 0, Message: "minutes and optional seconds must be 2 or 4 digits, got " + strconv.Itoa(len(v))}
	}
	if e := checkRange2(v[:2], 59, "minute"); e != nil {
		return e
	}
	if len(v) == 4 {
		if e := checkRange2(v[2:], 59, "second"); e != nil {
			e.Pos += 2
			return e
		}
	}
	return nil
}

// checkRange2 checks that v is two digits from 00 to max.
func checkRange2(v string, max int, what string) *LintError {
	if len(v) != 2 {
		return wrongLength(v, 2, what)
	}
	if e := nonDigitAt(v); e != nil {
		return e
	}
	if n := digits2(v, 0); n > max {
		return &LintError{Pos: 0, Message: what + " " + v + " out of range"}
	}
	return nil
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

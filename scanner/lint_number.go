package scanner

// Linters on the meaning of numeric components: flags, counts, positions and
// coordinates.

var (
	lintYesNo         = Linter{Name: "yesno", Check: checkYesNo}
	lintNonZero       = Linter{Name: "nonzero", Check: checkNonZero}
	lintZero          = Linter{Name: "zero", Check: checkZero}
	lintNoZeroPrefix  = Linter{Name: "nozeroprefix", Check: checkNoZeroPrefix}
	lintWinding       = Linter{Name: "winding", Check: checkWinding}
	lintPieceOfTotal  = Linter{Name: "pieceoftotal", Check: checkPieceOfTotal}
	lintPosInSeqSlash = Linter{Name: "posinseqslash", Check: checkPosInSeqSlash}
	lintMediaType     = Linter{Name: "mediatype", Check: checkMediaType}
	lintLatitude      = Linter{Name: "latitude", Check: func(v string) *LintError { return checkCoordinate(v, 1800000000, "latitude") }}
	lintLongitude     = Linter{Name: "longitude", Check: func(v string) *LintError { return checkCoordinate(v, 3600000000, "longitude") }}
	lintLatLong       = Linter{Name: "latlong", Check: checkLatLong}
)

// checkYesNo accepts the flags of (4321)-(4323): 0 no, 1 yes.
func checkYesNo(v string) *LintError {
	if v != "0" && v != "1" {
		return &LintError{Pos: 0, Message: "must be 0 (no) or 1 (yes)"}
	}
	return nil
}

// checkNonZero rejects an all-zero number (the dimensions of (8001)).
func checkNonZero(v string) *LintError {
	if e := nonDigitAt(v); e != nil {
		return e
	}
	for i := 0; i < len(v); i++ {
		if v[i] != '0' {
			return nil
		}
	}
	return &LintError{Pos: 0, Message: "must not be zero"}
}

// checkZero requires "0": the filler digit in front of a (8003) GRAI.
func checkZero(v string) *LintError {
	if v != "0" {
		return &LintError{Pos: 0, Message: "must be 0"}
	}
	return nil
}

// checkNoZeroPrefix rejects a leading zero, which would be lost where the number is
// stored as an integer (the (8011) CPID serial).
func checkNoZeroPrefix(v string) *LintError {
	if e := nonDigitAt(v); e != nil {
		return e
	}
	if len(v) > 0 && v[0] == '0' {
		return &LintError{Pos: 0, Message: "must not start with 0"}
	}
	return nil
}

// checkWinding accepts the winding directions of (8001): 0 face out, 1 face in, 9
// undefined.
func checkWinding(v string) *LintError {
	if v != "0" && v != "1" && v != "9" {
		return &LintError{Pos: 0, Message: "winding direction must be 0, 1 or 9"}
	}
	return nil
}

// checkPieceOfTotal checks the NNTT piece number and total count of a (8006) ITIP:
// neither may be zero and the piece may not exceed the total.
func checkPieceOfTotal(v string) *LintError {
	if len(v) != 4 {
		return &LintError{Pos: 0, Message: "piece of total must be 4 digits"}
	}
	if e := nonDigitAt(v); e != nil {
		return e
	}
	piece, total := digits2(v, 0), digits2(v, 2)
	if piece == 0 {
		return &LintError{Pos: 0, Message: "piece number must not be 00"}
	}
	if total == 0 {
		return &LintError{Pos: 2, Message: "total count must not be 00"}
	}
	if piece > total {
		return &LintError{Pos: 0, Message: "piece number " + v[:2] + " exceeds total " + v[2:]}
	}
	return nil
}

// checkPosInSeqSlash checks "pos/end" (the (7258) birth sequence, e.g. "1/2"): two
// numbers without leading zeros, pos not beyond end.
func checkPosInSeqSlash(v string) *LintError {
	slash := 0
	for slash < len(v) && v[slash] >= '0' && v[slash] <= '9' {
		slash++
	}
	if slash == 0 || slash >= len(v)-1 || v[slash] != '/' {
		return &LintError{Pos: 0, Message: "must be position/total, e.g. 1/2"}
	}
	for i := slash + 1; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return &LintError{Pos: 0, Message: "must be position/total, e.g. 1/2"}
		}
	}
	pos, end := v[:slash], v[slash+1:]
	if pos[0] == '0' {
		return &LintError{Pos: 0, Message: "position must not be 0 or start with 0"}
	}
	if end[0] == '0' {
		return &LintError{Pos: slash + 1, Message: "total must not be 0 or start with 0"}
	}
	if len(pos) > len(end) || len(pos) == len(end) && pos > end {
		return &LintError{Pos: 0, Message: "position " + pos + " exceeds total " + end}
	}
	return nil
}

// checkMediaType accepts the AIDC media types of (7241): 01-10 as assigned by ICCBBA,
// and 80-99 for local or national use.
func checkMediaType(v string) *LintError {
	if len(v) == 2 {
		if n := digits2(v, 0); n >= 1 && n <= 10 || n >= 80 && n <= 99 {
			return nil
		}
	}
	return &LintError{Pos: 0, Message: "not an AIDC media type (01-10, 80-99): " + v}
}

// checkCoordinate checks a 10-digit (4309) coordinate: latitude is stored as
// (degrees + 90) x 10^7 (at most 1800000000), longitude as (degrees + 180) x 10^7
// (at most 3600000000).
func checkCoordinate(v string, max uint64, what string) *LintError {
	if len(v) != 10 {
		return wrongLength(v, 10, what)
	}
	if e := nonDigitAt(v); e != nil {
		return e
	}
	var n uint64
	for i := 0; i < len(v); i++ {
		n = n*10 + uint64(v[i]-'0')
	}
	if n > max {
		return &LintError{Pos: 0, Message: what + " out of range"}
	}
	return nil
}

// checkLatLong checks a latitude followed by a longitude, ten digits each.
func checkLatLong(v string) *LintError {
	if len(v) != 20 {
		return wrongLength(v, 20, "latitude and longitude")
	}
	if e := checkCoordinate(v[:10], 1800000000, "latitude"); e != nil {
		return e
	}
	if e := checkCoordinate(v[10:], 3600000000, "longitude"); e != nil {
		e.Pos += 10
		return e
	}
	return nil
}

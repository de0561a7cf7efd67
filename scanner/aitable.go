package scanner

import "strconv"

// The GS1 application identifier table, written from the GS1 General Specifications
// (section 3, "GS1 Application Identifier definitions", and figure 7.8.5-2 for the
// predefined lengths) and checked AI by AI against GS1's Barcode Syntax Dictionary
// (release 2026-01-27) in TestTableMatchesSyntaxDictionary.
//
// One line per AI or AI series, in the Syntax Dictionary's notation translated to Go:
//
//	def(code, flags, title, spec(components...), attributes...)
//	series(first, last, ...) the same for a run of AIs such as 3100-3105
//
// flags: "*" predefined length (no FNC1 separator after it), "?" allowed as a GS1
// Digital Link data attribute. Components: n(6) is N6, nv(8) is N..8, x/xv CSET 82,
// yv CSET 39, zv CSET 64, opt(c) an optional component; each takes its linters.
// Attributes: req(alternatives...) one requisite rule, ex(ais...) mutually exclusive
// AIs, dlpkey(qualifier sequences...) a Digital Link primary key.
func aiTable() []*AI {
	return joinAIs(
		def("00", "*?", "SSCC", spec(n(18, lintCsum, lintGCPPos2)), dlpkey()),
		def("01", "*?", "GTIN", spec(n(14, lintCsum, lintGCPPos2)), ex("255", "37"), dlpkey("22,10,21", "235")),
		def("02", "*?", "CONTENT", spec(n(14, lintCsum, lintGCPPos2)), ex("01", "03"), req("37")),
		def("03", "*", "MTO GTIN", spec(n(14, lintCsum, lintGCPPos2)), ex("01", "02", "37")),
		def("10", "?", "BATCH/LOT", spec(xv(20)), req("01", "02", "03", "8006", "8026")),
		def("11", "*?", "PROD DATE", spec(n(6, lintYYMMD0)), req("01", "02", "03", "8006", "8026")),
		def("12", "*?", "DUE DATE", spec(n(6, lintYYMMD0)), req("8020")),
		def("13", "*?", "PACK DATE", spec(n(6, lintYYMMD0)), req("01", "02", "03", "8006", "8026")),
		def("15", "*?", "BEST BEFORE or BEST BY", spec(n(6, lintYYMMD0)), req("01", "02", "03", "8006", "8026")),
		def("16", "*?", "SELL BY", spec(n(6, lintYYMMD0)), req("01", "02", "03", "8006", "8026")),
		def("17", "*?", "USE BY or EXPIRY", spec(n(6, lintYYMMD0)), req("01", "02", "03", "255", "8006", "8026")),
		def("20", "*?", "VARIANT", spec(n(2)), req("01", "02", "8006", "8026")),
		def("21", "", "SERIAL", spec(xv(20)), req("01", "03", "8006"), ex("235")),
		def("22", "", "CPV", spec(xv(20)), req("01")),
		def("235", "", "TPX", spec(xv(28)), req("01")),
		def("240", "?", "ADDITIONAL ID", spec(xv(30)), req("01", "02", "8006", "8026")),
		def("241", "?", "CUST. PART No.", spec(xv(30)), req("01", "02", "8006", "8026")),
		def("242", "?", "MTO VARIANT", spec(nv(6)), req("01", "02", "8006", "8026")),
		def("243", "?", "PCN", spec(xv(20)), req("01")),
		def("250", "?", "SECONDARY SERIAL", spec(xv(30)), req("01", "8006"), req("21")),
		def("251", "?", "REF. TO SOURCE", spec(xv(30)), req("01", "8006")),
		def("253", "?", "GDTI", spec(n(13, lintCsum, lintGCPPos1), opt(xv(17))), dlpkey()),
		def("254", "", "GLN EXTENSION COMPONENT", spec(xv(20)), req("414")),
		def("255", "?", "GCN", spec(n(13, lintCsum, lintGCPPos1), opt(nv(12))), dlpkey(), ex("01", "02", "415", "8006", "8020", "8026")),
		def("30", "?", "VAR. COUNT", spec(nv(8)), req("01", "02")),

		// Trade measures (31nn, 32nn, 35nn, 36nn) need a trade item; logistic measures
		// (33nn, 34nn and the "log" series) a logistic unit or trade item. The fourth
		// digit is the implied decimal point, so two decimal positions of one measure
		// exclude each other.
		measure("310", "NET WEIGHT (kg)", "01", "02"),
		measure("311", "LENGTH (m)", "01", "02"),
		measure("312", "WIDTH (m)", "01", "02"),
		measure("313", "HEIGHT (m)", "01", "02"),
		measure("314", "AREA (m²)", "01", "02"),
		measure("315", "NET VOLUME (l)", "01", "02"),
		measure("316", "NET VOLUME (m³)", "01", "02"),
		measure("320", "NET WEIGHT (lb)", "01", "02"),
		measure("321", "LENGTH (in)", "01", "02"),
		measure("322", "LENGTH (ft)", "01", "02"),
		measure("323", "LENGTH (yd)", "01", "02"),
		measure("324", "WIDTH (in)", "01", "02"),
		measure("325", "WIDTH (ft)", "01", "02"),
		measure("326", "WIDTH (yd)", "01", "02"),
		measure("327", "HEIGHT (in)", "01", "02"),
		measure("328", "HEIGHT (ft)", "01", "02"),
		measure("329", "HEIGHT (yd)", "01", "02"),
		measure("330", "GROSS WEIGHT (kg)", "00", "01"),
		measure("331", "LENGTH (m), log", "00", "01"),
		measure("332", "WIDTH (m), log", "00", "01"),
		measure("333", "HEIGHT (m), log", "00", "01"),
		measure("334", "AREA (m²), log", "00", "01"),
		measure("335", "VOLUME (l), log", "00", "01"),
		measure("336", "VOLUME (m³), log", "00", "01"),
		measure("337", "KG PER m²", "01"),
		measure("340", "GROSS WEIGHT (lb)", "00", "01"),
		measure("341", "LENGTH (in), log", "00", "01"),
		measure("342", "LENGTH (ft), log", "00", "01"),
		measure("343", "LENGTH (yd), log", "00", "01"),
		measure("344", "WIDTH (in), log", "00", "01"),
		measure("345", "WIDTH (ft), log", "00", "01"),
		measure("346", "WIDTH (yd), log", "00", "01"),
		measure("347", "HEIGHT (in), log", "00", "01"),
		measure("348", "HEIGHT (ft), log", "00", "01"),
		measure("349", "HEIGHT (yd), log", "00", "01"),
		measure("350", "AREA (in²)", "01", "02"),
		measure("351", "AREA (ft²)", "01", "02"),
		measure("352", "AREA (yd²)", "01", "02"),
		measure("353", "AREA (in²), log", "00", "01"),
		measure("354", "AREA (ft²), log", "00", "01"),
		measure("355", "AREA (yd²), log", "00", "01"),
		measure("356", "NET WEIGHT (tr oz)", "01", "02"),
		measure("357", "NET VOLUME (oz)", "01", "02"),
		measure("360", "NET VOLUME (qt (US))", "01", "02"),
		measure("361", "NET VOLUME (gal.)", "01", "02"),
		measure("362", "VOLUME (qt (US)), log", "00", "01"),
		measure("363", "VOLUME (gal (US)), log", "00", "01"),
		measure("364", "NET VOLUME (in³)", "01", "02"),
		measure("365", "NET VOLUME (ft³)", "01", "02"),
		measure("366", "NET VOLUME (yd³)", "01", "02"),
		measure("367", "VOLUME (in³), log", "00", "01"),
		measure("368", "VOLUME (ft³), log", "00", "01"),
		measure("369", "VOLUME (yd³), log", "00", "01"),

		def("37", "?", "COUNT", spec(nv(8)), req("00"), req("02", "8026")),
		series("3900", "3909", "?", "AMOUNT", spec(nv(15)), req("255", "8020"), ex("390n", "391n", "394n", "8111")),
		series("3910", "3919", "?", "AMOUNT", spec(n(3, lintISO4217), nv(15)), req("8020"), ex("391n")),
		series("3920", "3929", "?", "PRICE", spec(nv(15)), req("01"), req("30", "31nn", "32nn", "35nn", "36nn"), ex("392n", "393n")),
		series("3930", "3939", "?", "PRICE", spec(n(3, lintISO4217), nv(15)), req("30", "31nn", "32nn", "35nn", "36nn"), ex("393n")),
		series("3940", "3943", "?", "PRCNT OFF", spec(n(4)), req("255"), ex("394n", "8111")),
		series("3950", "3955", "?", "PRICE/UoM", spec(n(6)), req("30", "31nn", "32nn", "35nn", "36nn"), ex("392n", "393n", "395n", "8005")),
		def("400", "?", "ORDER NUMBER", spec(xv(30))),
		def("401", "?", "GINC", spec(xv(30, lintGCPPos1)), dlpkey()),
		def("402", "?", "GSIN", spec(n(17, lintCsum, lintGCPPos1)), dlpkey()),
		def("403", "?", "ROUTE", spec(xv(30)), req("00")),
		def("410", "*?", "SHIP TO LOC", spec(n(13, lintCsum, lintGCPPos1))),
		def("411", "*?", "BILL TO", spec(n(13, lintCsum, lintGCPPos1))),
		def("412", "*?", "PURCHASE FROM", spec(n(13, lintCsum, lintGCPPos1))),
		def("413", "*?", "SHIP FOR LOC", spec(n(13, lintCsum, lintGCPPos1))),
		def("414", "*?", "LOC No.", spec(n(13, lintCsum, lintGCPPos1)), dlpkey("254", "7040")),
		def("415", "*?", "PAY TO", spec(n(13, lintCsum, lintGCPPos1)), req("8020"), dlpkey("8020")),
		def("416", "*?", "PROD/SERV LOC", spec(n(13, lintCsum, lintGCPPos1))),
		def("417", "*?", "PARTY", spec(n(13, lintCsum, lintGCPPos1)), dlpkey("7040")),
		def("420", "?", "SHIP TO POST", spec(xv(20)), ex("421")),
		def("421", "?", "SHIP TO POST", spec(n(3, lintISO3166), xv(9)), ex("4307")),
		def("422", "?", "ORIGIN", spec(n(3, lintISO3166)), req("01", "02", "8006", "8026"), ex("426")),
		def("423", "?", "COUNTRY - INITIAL PROCESS", spec(countries()...), req("01", "02"), ex("426")),
		def("424", "?", "COUNTRY - PROCESS", spec(n(3, lintISO3166)), req("01", "02"), ex("426")),
		def("425", "?", "COUNTRY - DISASSEMBLY", spec(countries()...), req("01", "02"), ex("426")),
		def("426", "?", "COUNTRY - FULL PROCESS", spec(n(3, lintISO3166)), req("01", "02")),
		def("427", "?", "ORIGIN SUBDIVISION", spec(xv(3)), req("01", "02"), req("422")),
		def("4300", "?", "SHIP TO COMP", spec(xv(35, lintPcenc)), req("00")),
		def("4301", "?", "SHIP TO NAME", spec(xv(35, lintPcenc)), req("00")),
		def("4302", "?", "SHIP TO ADD1", spec(xv(70, lintPcenc)), req("00")),
		def("4303", "?", "SHIP TO ADD2", spec(xv(70, lintPcenc)), req("4302")),
		def("4304", "?", "SHIP TO SUB", spec(xv(70, lintPcenc)), req("00")),
		def("4305", "?", "SHIP TO LOC", spec(xv(70, lintPcenc)), req("00")),
		def("4306", "?", "SHIP TO REG", spec(xv(70, lintPcenc)), req("00")),
		def("4307", "?", "SHIP TO COUNTRY", spec(x(2, lintISO3166Alpha2)), req("00")),
		def("4308", "?", "SHIP TO PHONE", spec(xv(30)), req("00")),
		def("4309", "?", "SHIP TO GEO", spec(n(10, lintLatitude), n(10, lintLongitude)), req("00")),
		def("4310", "?", "RTN TO COMP", spec(xv(35, lintPcenc)), req("00")),
		def("4311", "?", "RTN TO NAME", spec(xv(35, lintPcenc)), req("00")),
		def("4312", "?", "RTN TO ADD1", spec(xv(70, lintPcenc)), req("00")),
		def("4313", "?", "RTN TO ADD2", spec(xv(70, lintPcenc)), req("4312")),
		def("4314", "?", "RTN TO SUB", spec(xv(70, lintPcenc)), req("00")),
		def("4315", "?", "RTN TO LOC", spec(xv(70, lintPcenc)), req("00")),
		def("4316", "?", "RTN TO REG", spec(xv(70, lintPcenc)), req("00")),
		def("4317", "?", "RTN TO COUNTRY", spec(x(2, lintISO3166Alpha2)), req("00")),
		def("4318", "?", "RTN TO POST", spec(xv(20)), req("00")),
		def("4319", "?", "RTN TO PHONE", spec(xv(30)), req("00")),
		def("4320", "?", "SRV DESCRIPTION", spec(xv(35, lintPcenc)), req("00")),
		def("4321", "?", "DANGEROUS GOODS", spec(n(1, lintYesNo)), req("00")),
		def("4322", "?", "AUTH TO LEAVE", spec(n(1, lintYesNo)), req("00")),
		def("4323", "?", "SIG REQUIRED", spec(n(1, lintYesNo)), req("00")),
		def("4324", "?", "NOT BEF DEL DT", spec(n(6, lintYYMMD0), n(4, lintHHMI)), req("00")),
		def("4325", "?", "NOT AFT DEL DT", spec(n(6, lintYYMMD0), n(4, lintHHMI)), req("00")),
		def("4326", "?", "REL DATE", spec(n(6, lintYYMMDD)), req("00")),
		def("4330", "?", "MAX TEMP F.", spec(n(6), opt(x(1, lintHyphen))), req("00"), ex("4331")),
		def("4331", "?", "MAX TEMP C.", spec(n(6), opt(x(1, lintHyphen))), req("00"), ex("4330")),
		def("4332", "?", "MIN TEMP F.", spec(n(6), opt(x(1, lintHyphen))), req("00"), ex("4333")),
		def("4333", "?", "MIN TEMP C.", spec(n(6), opt(x(1, lintHyphen))), req("00"), ex("4332")),
		def("7001", "?", "NSN", spec(n(13)), req("01", "02", "8006", "8026")),
		def("7002", "?", "MEAT CUT", spec(xv(30)), req("01", "02")),
		def("7003", "?", "EXPIRY TIME", spec(n(6, lintYYMMDD), n(4, lintHHMI)), req("01", "02")),
		def("7004", "?", "ACTIVE POTENCY", spec(nv(4)), req("01+10")),
		def("7005", "?", "CATCH AREA", spec(xv(12)), req("01", "02")),
		def("7006", "?", "FIRST FREEZE DATE", spec(n(6, lintYYMMDD)), req("01", "02")),
		def("7007", "?", "HARVEST DATE", spec(n(6, lintYYMMDD), opt(n(6, lintYYMMDD))), req("01", "02")),
		def("7008", "?", "AQUATIC SPECIES", spec(xv(3)), req("01", "02")),
		def("7009", "?", "FISHING GEAR TYPE", spec(xv(10)), req("01", "02")),
		def("7010", "?", "PROD METHOD", spec(xv(2)), req("01", "02")),
		def("7011", "?", "TEST BY DATE", spec(n(6, lintYYMMDD), opt(n(4, lintHHMI))), req("01", "02")),
		def("7020", "?", "REFURB LOT", spec(xv(20)), req("01", "8006"), req("416")),
		def("7021", "?", "FUNC STAT", spec(xv(20)), req("01", "8006")),
		def("7022", "?", "REV STAT", spec(xv(20)), req("7021")),
		def("7023", "?", "GIAI - ASSEMBLY", spec(xv(30, lintGCPPos1))),
		processors(),
		def("7040", "", "UIC+EXT", spec(n(1), x(1), x(1), x(1, lintImporterIdx))),
		def("7041", "", "UFRGT UNIT TYPE", spec(xv(4, lintPackageType)), req("00")),
		def("710", "?", "NHRN PZN", spec(xv(20)), req("01")),
		def("711", "?", "NHRN CIP", spec(xv(20)), req("01")),
		def("712", "?", "NHRN CN", spec(xv(20)), req("01")),
		def("713", "?", "NHRN DRN", spec(xv(20)), req("01")),
		def("714", "?", "NHRN AIM", spec(xv(20)), req("01")),
		def("715", "?", "NHRN NDC", spec(xv(20)), req("01")),
		def("716", "?", "NHRN AIC", spec(xv(20)), req("01")),
		def("717", "?", "NHRN SRN", spec(xv(20)), req("01")),
		certifications(),
		def("7240", "?", "PROTOCOL", spec(xv(20)), req("01", "8006")),
		def("7241", "?", "AIDC MEDIA TYPE", spec(n(2, lintMediaType)), req("8017", "8018")),
		def("7242", "?", "VCN", spec(xv(25)), req("8017", "8018")),
		def("7250", "?", "DOB", spec(n(8, lintYYYYMMDD)), req("8018"), ex("7251")),
		def("7251", "?", "DOB TIME", spec(n(8, lintYYYYMMDD), n(4, lintHHMI)), req("8018"), ex("7250")),
		def("7252", "?", "BIO SEX", spec(n(1, lintISO5218)), req("8018")),
		def("7253", "?", "FAMILY NAME", spec(xv(40, lintPcenc)), req("8017", "8018"), ex("7256", "7259")),
		def("7254", "?", "GIVEN NAME", spec(xv(40, lintPcenc)), req("8017", "8018"), ex("7256", "7259")),
		def("7255", "?", "SUFFIX", spec(xv(10)), req("8017", "8018"), ex("7256", "7259")),
		def("7256", "?", "FULL NAME", spec(xv(90, lintPcenc)), req("8017", "8018")),
		def("7257", "?", "PERSON ADDR", spec(xv(70, lintPcenc)), req("8018")),
		def("7258", "?", "BIRTH SEQUENCE", spec(x(3, lintPosInSeqSlash)), req("8018+7259")),
		def("7259", "?", "BABY", spec(xv(40, lintPcenc)), req("8018"), ex("7256")),
		def("8001", "?", "DIMENSIONS", spec(n(4, lintNonZero), n(5, lintNonZero), n(3, lintNonZero), n(1, lintWinding), n(1)), req("01")),
		def("8002", "?", "CMT No.", spec(xv(20))),
		def("8003", "?", "GRAI", spec(n(1, lintZero), n(13, lintCsum, lintGCPPos1), opt(xv(16))), dlpkey()),
		def("8004", "?", "GIAI", spec(xv(30, lintGCPPos1)), dlpkey("7040")),
		def("8005", "?", "PRICE PER UNIT", spec(n(6)), req("01", "02")),
		def("8006", "?", "ITIP", spec(n(14, lintCsum, lintGCPPos2), n(4, lintPieceOfTotal)), ex("01", "37"), dlpkey("22,10,21")),
		def("8007", "?", "IBAN", spec(xv(34, lintIBAN)), req("415")),
		def("8008", "?", "PROD TIME", spec(n(6, lintYYMMDD), n(2, lintHH), opt(n(2, lintMI)), opt(n(2, lintSS))), req("01", "02")),
		def("8009", "?", "OPTSEN", spec(xv(50)), req("00", "01")),
		def("8010", "?", "CPID", spec(yv(30, lintGCPPos1)), dlpkey("8011")),
		def("8011", "", "CPID SERIAL", spec(nv(12, lintNoZeroPrefix)), req("8010")),
		def("8012", "?", "VERSION", spec(xv(20)), req("01", "8006")),
		def("8013", "?", "GMN", spec(xv(25, lintCsumAlpha, lintGCPPos1)), dlpkey()),
		def("8014", "", "MUDI", spec(xv(25, lintCsumAlpha, lintGCPPos1, lintHasNonDigit)), req("01")),
		def("8017", "?", "GSRN - PROVIDER", spec(n(18, lintCsum, lintGCPPos1)), ex("8018"), dlpkey("8019")),
		def("8018", "?", "GSRN - RECIPIENT", spec(n(18, lintCsum, lintGCPPos1)), ex("8017"), dlpkey("8019")),
		def("8019", "", "SRIN", spec(nv(10)), req("8017", "8018")),
		def("8020", "", "REF No.", spec(xv(25)), req("415")),
		def("8026", "?", "ITIP CONTENT", spec(n(14, lintCsum, lintGCPPos2), n(4, lintPieceOfTotal)), req("37"), ex("02", "8006")),
		def("8030", "?", "DIGSIG", spec(zv(90)), req("00", "01+21", "253", "255", "8003", "8004", "8006+21", "8010+8011", "8017", "8018")),
		def("8040", "", "IMEI", spec(n(15)), req("01+21")),
		def("8041", "", "IMEI2", spec(n(15)), req("01+21+8040")),
		def("8042", "", "ESIM", spec(n(32)), req("01+21+8040")),
		def("8043", "", "PSIM", spec(n(18), opt(nv(2))), req("01+21+8040")),
		// The Syntax Dictionary gives (8110) and (8112) no data title; the General
		// Specifications list theirs as "-".
		def("8110", "?", "", spec(xv(70, lintCouponCode))),
		def("8111", "?", "POINTS", spec(n(4)), req("255")),
		def("8112", "?", "", spec(xv(70, lintCouponPosOffer))),
		def("8200", "", "PRODUCT URL", spec(xv(70)), req("01")),
		def("90", "?", "INTERNAL", spec(xv(30))),
		series("91", "99", "?", "INTERNAL", spec(xv(90))),
	)
}

// measure is one 31nn-36nn measure series: six AIs nnn0-nnn5 whose last digit is the
// number of decimal places, requiring one of reqs and excluding each other.
func measure(prefix, title string, reqs ...string) []*AI {
	return series(prefix+"0", prefix+"5", "*?", title, spec(n(6)), req(reqs...), ex(prefix+"n"))
}

// countries is the format of (423) and (425): one to five ISO 3166 country codes.
func countries() []Component {
	return []Component{
		n(3, lintISO3166),
		opt(n(3, lintISO3166)), opt(n(3, lintISO3166)), opt(n(3, lintISO3166)), opt(n(3, lintISO3166)),
	}
}

// processors is (7030)-(7039), "PROCESSOR # s": the ISO country (or 999) and the
// approval number of processing stage s.
func processors() []*AI {
	var all []*AI
	for s := '0'; s <= '9'; s++ {
		all = append(all, def("703"+string(s), "?", "PROCESSOR # "+string(s),
			spec(n(3, lintISO3166999), xv(27)), req("01", "02"))...)
	}
	return all
}

// certifications is (7230)-(7239), "CERT # 1" to "CERT # 10": a two-character
// certification scheme and the certificate reference.
func certifications() []*AI {
	var all []*AI
	for i := 0; i <= 9; i++ {
		all = append(all, def("723"+string(rune('0'+i)), "?", "CERT # "+strconv.Itoa(i+1),
			spec(x(2), xv(28)), req("01", "8004"))...)
	}
	return all
}

// An aiAttr sets one Syntax Dictionary attribute (req=, ex=, dlpkey) on an AI.
type aiAttr func(*AI)

// def is one AI; see aiTable for the notation. It returns a slice so that single AIs and
// series mix in one list.
func def(code, flags, title string, comps []Component, attrs ...aiAttr) []*AI {
	a := &AI{Code: code, Title: title, Components: comps}
	for _, f := range flags {
		switch f {
		case '*':
			a.Predefined = true
		case '?':
			a.DLAttribute = true
		default:
			panic("scanner: unknown AI flag " + string(f) + " on " + code)
		}
	}
	for _, set := range attrs {
		set(a)
	}
	return []*AI{a}
}

// series is def for each AI from first to last inclusive (same length, same prefix),
// e.g. 3100-3105 or 91-99. Each gets its own copy of the definition.
func series(first, last, flags, title string, comps []Component, attrs ...aiAttr) []*AI {
	var all []*AI
	for code := []byte(first); string(code) <= last; code[len(code)-1]++ {
		all = append(all, def(string(code), flags, title, comps, attrs...)...)
		if code[len(code)-1] == '9' {
			break
		}
	}
	return all
}

func joinAIs(groups ...[]*AI) []*AI {
	var all []*AI
	for _, g := range groups {
		all = append(all, g...)
	}
	return all
}

func spec(comps ...Component) []Component { return comps }

func newComponent(cs Charset, min, max int, ls []Linter) Component {
	return Component{Charset: cs, Min: min, Max: max, Linters: ls}
}

func n(length int, ls ...Linter) Component { return newComponent(Numeric, length, length, ls) }
func nv(max int, ls ...Linter) Component   { return newComponent(Numeric, 1, max, ls) }
func x(length int, ls ...Linter) Component { return newComponent(CSET82, length, length, ls) }
func xv(max int, ls ...Linter) Component   { return newComponent(CSET82, 1, max, ls) }
func yv(max int, ls ...Linter) Component   { return newComponent(CSET39, 1, max, ls) }
func zv(max int, ls ...Linter) Component   { return newComponent(CSET64, 1, max, ls) }
func opt(c Component) Component            { c.Optional = true; return c }

// req adds one requisite rule: at least one of the alternatives must be present.
func req(alternatives ...string) aiAttr {
	return func(a *AI) { a.Requires = append(a.Requires, alternatives) }
}

// ex adds AIs or "nnnn" patterns that must not appear with the AI.
func ex(ais ...string) aiAttr {
	return func(a *AI) { a.Excludes = append(a.Excludes, ais...) }
}

// dlpkey makes the AI a Digital Link primary key; each argument is one alternative
// ordered sequence of key qualifiers, comma-separated ("22,10,21").
func dlpkey(sequences ...string) aiAttr {
	return func(a *AI) {
		a.DLPrimaryKey = true
		for _, s := range sequences {
			var seq []string
			for start, i := 0, 0; i <= len(s); i++ {
				if i == len(s) || s[i] == ',' {
					seq = append(seq, s[start:i])
					start = i + 1
				}
			}
			a.DLQualifiers = append(a.DLQualifiers, seq)
		}
	}
}

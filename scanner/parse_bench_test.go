package scanner

import "testing"

// Benchmarks of the hot paths of scanning: every input form parsed and validated, and
// the Digital Link formatting that follows each scan. The target is the typical
// GS1 DataMatrix scan (4 AIs) under 2 µs and at most 4 allocations:
//
//	go test -run='^$' -bench=. -benchmem ./scanner/

const benchD2 = "]d2" + "0109520123456788" + "17251231" + "10ABC123\x1d" + "21SN00042"

func benchParse(b *testing.B, parse func(string, Options) (Data, error), in string) {
	b.Helper()
	if _, err := parse(in, Options{}); err != nil {
		b.Fatalf("%q: %v", in, err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := parse(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseScanDataD2(b *testing.B) { benchParse(b, ParseScanData, benchD2) }

func BenchmarkParseScanDataEAN13(b *testing.B) { benchParse(b, ParseScanData, "]E09520123456788") }

func BenchmarkParseBracketed(b *testing.B) {
	benchParse(b, ParseBracketed, "(01)09520123456788(17)251231(10)ABC123(21)SN00042")
}

func BenchmarkParseUnbracketed(b *testing.B) {
	benchParse(b, ParseUnbracketed, "^010952012345678817251231"+"10ABC123^21SN00042")
}

func BenchmarkParseDigitalLink(b *testing.B) {
	benchParse(b, ParseDigitalLink, "https://id.gs1.org/01/09520123456788/10/ABC123/21/SN00042?17=251231")
}

func BenchmarkParseDispatch(b *testing.B) { benchParse(b, Parse, benchD2) }

func BenchmarkParseInvalid(b *testing.B) {
	in := "]d2" + "0109520123456789" + "17251301" + "10ABC~123"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseScanData(in, Options{}); err == nil {
			b.Fatal("want errors")
		}
	}
}

func BenchmarkDigitalLinkFormat(b *testing.B) {
	d, err := ParseScanData(benchD2, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.DigitalLink(""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBracketedFormat(b *testing.B) {
	d, err := ParseScanData(benchD2, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = d.Bracketed()
	}
}

package server

import (
	"math/big"
	"strings"
	"testing"
)

// Vectors of compressed GS1 Digital Links with the data they stand for, as GS1's
// compression examples and other implementations give them.
func TestDecompressPath(t *testing.T) {
	for _, tt := range []struct{ compressed, want string }{
		{"/AN2yxDhfaiaw", "/00/998440410914660971"},
		{"/AQnYUc1gmg", "/01/05412345000013"},
		{"/AQnYUc1gmiCNV4JG", "/01/05412345000013/10/ABC123"},
		{"/AQnYUc1gmiCNV4JGQhcNT6K6c", "/01/05412345000013/10/ABC123/21/72292641703"},
		{"/AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ", "/01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703"},
		{"/AQnYUc1gmiCNV4JGRNoBLG-nvPe2p_Ho", "/01/05412345000013/22/AJY3095721P49/10/ABC123"},
		{"/AQnYUc1gmkax7ipGrOHDPC5YNI8hMz", "/01/05412345000013/235/8TFV883a904GH%263"},
		{"/QVSaVjC_dA", "/415/5060917510004"},
		{"/gBe1ajAd9ATDmAGXPRfk", "/8017/817019610850151481/8019/4003812"},
		{"/gBhbV6rzBENPk", "/8018/411369833821910265"},
		{"/gASXYNWjFkzaNWbdk5YQWjFNHkcODNm", "/8004/0541234537290A41%26GHpp33"},
	} {
		got, err := decompressPath(tt.compressed)
		if err != nil || got != tt.want {
			t.Errorf("decompressPath(%s) = %s, %v; want %s", tt.compressed, got, err, tt.want)
		}
	}
	for _, bad := range []string{"/", "/a.b", "/01/05412345000013/10/ABC", "/AQ", "/_____________"} {
		if got, err := decompressPath(bad); err == nil {
			t.Errorf("decompressPath(%s) = %s", bad, got)
		}
	}
}

func FuzzDecompressPath(f *testing.F) {
	for _, s := range []string{"/AN2yxDhfaiaw", "/AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ", "/01/05412345000013/AQnYUc1gmg", "/gASXYNWjFkzaNWbdk5YQWjFNHkcODNm", "/_-_-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		decompressPath(s) // must not panic or hang
	})
}

// compressForTest compresses (01) and (10) elements, enough for the demo codes: AI
// digits, a fixed GTIN, a lot as base64 characters with a 5-bit length.
func compressForTest(gtin, lot string) (full, partialLot string) {
	var bits []byte
	put := func(v uint64, n int) {
		for k := n - 1; k >= 0; k-- {
			bits = append(bits, byte(v>>k)&1)
		}
	}
	putDigits := func(s string) {
		var b big.Int
		b.SetString(s, 10)
		n := valueBits(len(s))
		for k := n - 1; k >= 0; k-- {
			bits = append(bits, byte(b.Bit(k)))
		}
	}
	putLot := func() {
		put(0x10, 8)
		put(3, 3) // URI-safe base64
		put(uint64(len(lot)), lengthBits(20))
		for i := 0; i < len(lot); i++ {
			put(uint64(strings.IndexByte(safe64, lot[i])), 6)
		}
	}
	chars := func() string {
		for len(bits)%6 != 0 {
			bits = append(bits, 0)
		}
		var sb strings.Builder
		for i := 0; i < len(bits); i += 6 {
			v := 0
			for _, b := range bits[i : i+6] {
				v = v<<1 | int(b)
			}
			sb.WriteByte(safe64[v])
		}
		bits = nil
		return sb.String()
	}
	put(0x01, 8)
	putDigits(gtin)
	putLot()
	full = chars()
	putLot()
	return full, chars()
}

// A compressed Digital Link is answered as its full form, which the Link header names
// with rel="owl:sameAs"; so is a partially compressed one.
func TestCompressedDigitalLinksResolve(t *testing.T) {
	ds := startDemoServer(t)
	lot := pathOf(ds.ds.Codes.YogurtLot)
	full, partial := compressForTest("06990021000025", "YG260303")
	want, _ := ds.do(t, "GET", lot)
	sameAs := `<` + ds.url + lot + `>; rel="owl:sameAs"`
	for _, p := range []string{"/" + full, "/01/06990021000025/" + partial} {
		resp, _ := ds.do(t, "GET", p)
		if resp.StatusCode != want.StatusCode || resp.Header.Get("Location") != want.Header.Get("Location") {
			t.Errorf("%s: %d %s, want %d %s", p, resp.StatusCode, resp.Header.Get("Location"), want.StatusCode, want.Header.Get("Location"))
		}
		if !strings.Contains(resp.Header.Get("Link"), sameAs) || len(resp.Header.Values("Link")) != 1 {
			t.Errorf("%s: Link %q lacks %s", p, resp.Header.Values("Link"), sameAs)
		}
		_, body := ds.do(t, "GET", p, "Accept", "application/json")
		if !strings.Contains(string(body), `"code":"`+ds.ds.Codes.YogurtLot+`"`) {
			t.Errorf("%s JSON: %s", p, body)
		}
		resp, _ = ds.do(t, "OPTIONS", p)
		if resp.StatusCode != 204 || !strings.Contains(resp.Header.Get("Link"), sameAs) {
			t.Errorf("%s OPTIONS: %d %s", p, resp.StatusCode, resp.Header.Get("Link"))
		}
	}
	// A root path that does not decompress is just an unknown path (404); a partial one
	// that does not is a bad Digital Link (400).
	for p, st := range map[string]int{"/favicon.ico": 404, "/" + full[:5]: 404, "/01/06990021000025/foo": 400} {
		if resp, body := ds.do(t, "GET", p); resp.StatusCode != st {
			t.Errorf("%s: %d, want %d: %s", p, resp.StatusCode, st, body)
		}
	}
}

package scanner

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"traceledger/fixtures/testenv"
)

// blackboxFloor is, per folder of ../shared/testdata/blackbox (ZXing's test images),
// how many images DecodeImageBytes must read to the expected text: the figure reached
// when the decoder was tuned, so a change that loses any fails the test.
var blackboxFloor = map[string]int{
	"code128":              29,  // of 29
	"datamatrix":           59,  // of 59
	"ean13":                77,  // of 83
	"qrcode":               109, // of 111
	"gs1-databar-expanded": 35,  // of 35: our own reader (decode_databar.go)
}

// TestDecodeBlackbox decodes every image of the blackbox set and compares the data
// (without the symbology identifier) with the expected .txt beside it.
func TestDecodeBlackbox(t *testing.T) {
	root := testenv.Shared(t, "testdata/blackbox")
	for folder, floor := range blackboxFloor {
		t.Run(folder, func(t *testing.T) {
			t.Parallel()
			images := blackboxImages(t, filepath.Join(root, folder))
			start := time.Now()
			pass := 0
			stages := map[string]int{}
			for _, img := range images {
				want := readExpected(t, img)
				b, err := os.ReadFile(img)
				if err != nil {
					t.Fatal(err)
				}
				// a generous budget: the floors measure the strategy, not a busy machine
				d := Decoder{Budget: 20 * time.Second}
				got, stage, err := d.decodeBytesStage(b)
				rel, _ := filepath.Rel(root, img)
				switch {
				case err != nil:
					t.Logf("%s: %v", rel, err)
				case blackboxText(got) != blackboxWant(want, got):
					t.Logf("%s: got %q at %s, want %q", rel, got, stage, want)
				default:
					pass++
					stages[strings.SplitN(stage, "/", 2)[0]]++
				}
			}
			t.Logf("%s: %d/%d read (floor %d) in %v; by stage %v", folder, pass, len(images), floor,
				time.Since(start).Round(time.Millisecond), stages)
			if pass < floor {
				t.Errorf("%s: %d images read, below the floor of %d", folder, pass, floor)
			}
		})
	}
}

// blackboxText is the decoded data as the blackbox .txt files hold it: ZXing's text,
// without the symbology identifier and without the GS that stands for FNC1.
func blackboxText(scan string) string {
	if len(scan) >= 3 && scan[0] == ']' {
		scan = scan[3:]
	}
	return strings.ReplaceAll(scan, gs, "")
}

// blackboxWant is the expected text in the form blackboxText gives: ZXing writes GS1
// DataBar Expanded data bracketed ("(01)...(10)..."), which the GS1 parser turns into
// the element string without separators.
func blackboxWant(want, got string) string {
	if !strings.HasPrefix(got, "]e0") || !strings.HasPrefix(want, "(") {
		return want
	}
	d, err := ParseBracketed(want, Options{NoRequisite: true})
	if err != nil {
		// data the parser refuses (an obsolete currency, say): drop the brackets
		return regexp.MustCompile(`\((\d{2,4})\)`).ReplaceAllString(want, "$1")
	}
	return strings.ReplaceAll(d.Unbracketed(), gs, "")
}

func blackboxImages(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".png", ".jpg", ".jpeg", ".gif":
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func readExpected(t *testing.T, img string) string {
	b, err := os.ReadFile(strings.TrimSuffix(img, filepath.Ext(img)) + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

package scanner

import "testing"

// scanD2 is a typical GS1 DataMatrix scan after its "]d2" symbology identifier: GTIN,
// expiry, lot and serial, with a GS after each variable-length AI but the last.
const scanD2 = "0109520123456788" + "17251231" + "10ABC123\x1d" + "21XYZ999"

// splitAndCheck is the table's share of parsing scanD2: find each AI with MatchAI,
// take its value up to its predefined length or the next GS, and check it.
func splitAndCheck(data string) int {
	n := 0
	for len(data) > 0 {
		a := MatchAI(data)
		if a == nil {
			return -1
		}
		data = data[len(a.Code):]
		end := len(data)
		if a.Predefined {
			end = a.MaxLength()
		} else {
			for i := 0; i < len(data); i++ {
				if data[i] == 0x1d {
					end = i
					break
				}
			}
		}
		if end > len(data) || a.CheckValue(data[:end]) != nil {
			return -1
		}
		data = data[end:]
		if len(data) > 0 && data[0] == 0x1d {
			data = data[1:]
		}
		n++
	}
	return n
}

func TestSplitAndCheckScan(t *testing.T) {
	if n := splitAndCheck(scanD2); n != 4 {
		t.Fatalf("splitAndCheck found %d valid AIs, want 4", n)
	}
}

// BenchmarkMatchAICheckValue measures MatchAI + CheckValue over a four-AI ]d2 scan:
// the table lookups and content checks of the 2µs / 4-allocation parse budget.
func BenchmarkMatchAICheckValue(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if splitAndCheck(scanD2) != 4 {
			b.Fatal("scan did not validate")
		}
	}
}

// BenchmarkMatchAI measures finding the AI at the start of data alone.
func BenchmarkMatchAI(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if MatchAI("3103000195") == nil {
			b.Fatal("no match")
		}
	}
}

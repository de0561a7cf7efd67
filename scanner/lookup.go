package scanner

import (
	"slices"
	"strings"
)

// aiIndex finds AIs by code without hashing or allocating: codes are two to four digits,
// so each has a slot in a flat array (two-digit codes at 0-99, three-digit codes at
// 100-1099, four-digit codes at 1100-11099). prefixLen is the GS1 rule that all AIs
// sharing their first two digits have the same length (General Specifications, figure
// 5.10.1-2 "AI prefix lengths"); it is derived from the table, and the table test
// checks that the table obeys it.
type aiIndex struct {
	sorted    []*AI
	byCode    [11100]*AI
	prefixLen [100]uint8
}

// aiSlotBase is where the slots of codes of each length start in aiIndex.byCode.
var aiSlotBase = [5]int{2: 0, 3: 100, 4: 1100}

// aiTableIndex is the one AI index of the package: read-only data built once from aiTable.
var aiTableIndex = newAIIndex(aiTable())

func newAIIndex(table []*AI) *aiIndex {
	x := &aiIndex{sorted: slices.Clone(table)}
	slices.SortFunc(x.sorted, func(a, b *AI) int { return strings.Compare(a.Code, b.Code) })
	for _, a := range x.sorted {
		slot, ok := aiSlot(a.Code)
		if !ok {
			panic("scanner: malformed AI code in table: " + a.Code)
		}
		if x.byCode[slot] != nil {
			panic("scanner: AI listed twice in table: " + a.Code)
		}
		x.byCode[slot] = a
		p := (a.Code[0]-'0')*10 + a.Code[1] - '0'
		if l := x.prefixLen[p]; l != 0 && int(l) != len(a.Code) {
			panic("scanner: AIs with prefix " + a.Code[:2] + " differ in length")
		}
		x.prefixLen[p] = uint8(len(a.Code))
	}
	return x
}

// aiSlot is the index of code in aiIndex.byCode, or false when code is not two to four
// digits.
func aiSlot(code string) (int, bool) {
	if len(code) < 2 || len(code) > 4 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(code); i++ {
		c := code[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return aiSlotBase[len(code)] + v, true
}

// LookupAI returns the AI with exactly this code ("01", "3103", "8010"), or nil when
// the code is not a GS1 AI in current use.
func LookupAI(code string) *AI {
	slot, ok := aiSlot(code)
	if !ok {
		return nil
	}
	return aiTableIndex.byCode[slot]
}

// MatchAI returns the AI that data begins with, or nil when none does. The AI's length
// is fixed by its first two digits (the GS1 AI prefix lengths), so at most one AI can
// match: this is how unbracketed element strings are split. It does not allocate.
func MatchAI(data string) *AI {
	if len(data) < 2 || data[0] < '0' || data[0] > '9' || data[1] < '0' || data[1] > '9' {
		return nil
	}
	l := int(aiTableIndex.prefixLen[(data[0]-'0')*10+data[1]-'0'])
	if l == 0 || len(data) < l {
		return nil
	}
	slot, ok := aiSlot(data[:l])
	if !ok {
		return nil
	}
	return aiTableIndex.byCode[slot]
}

// AIPrefixLength returns the length of the AIs that start with the two digits of
// prefix ("31" -> 4), or 0 when no AI in current use starts with them. Parsers use it
// to say how much of unknown data looks like an AI.
func AIPrefixLength(prefix string) int {
	if len(prefix) < 2 || prefix[0] < '0' || prefix[0] > '9' || prefix[1] < '0' || prefix[1] > '9' {
		return 0
	}
	return int(aiTableIndex.prefixLen[(prefix[0]-'0')*10+prefix[1]-'0'])
}

// AllAIs returns every AI of the table in ascending order of code (the Syntax
// Dictionary's lexical order: "00", "01", ..., "7041", "710", ..., "99"). The slice is
// the caller's; the AIs it points to are shared and must not be modified.
func AllAIs() []*AI {
	return slices.Clone(aiTableIndex.sorted)
}
